/**
 * Card brands recognised from the issuer identification number (IIN, the leading digits) while the shopper
 * types. Pure data and functions: no DOM.
 *
 * Detection rules:
 * - A rule is a range of prefixes of one length (Mastercard 2221–2720 is four digits long). A number matches
 *   when its leading digits fall in the range.
 * - While typing, a number shorter than a rule's prefix matches only when every way of finishing it stays in
 *   the range: "23" is already Mastercard (2300–2399 all are), "22" is not yet (2200–2220 are not), "35" is
 *   not yet JCB (3500–3527 are not), "353" is.
 * - When rules overlap, the longest prefix wins. The ranges below do not overlap, by construction:
 *   - UnionPay owns all of 62, including 622126–622925, which Discover also accepts (the co-branded
 *     UnionPay–Discover range): those cards show as UnionPay. Discover keeps 6011, 644–649 and 65.
 *   - Maestro's 6304, 6759, 676770 and 676774 sit outside Discover's and UnionPay's ranges.
 *   - Mastercard's 51–55 sit between Maestro's 50 and 56–58.
 * - Anything else (Mir 2200–2204, RuPay, Elo, UATP, …) is no brand: `null`.
 */

export type CardBrand =
  | "visa"
  | "mastercard"
  | "amex"
  | "discover"
  | "jcb"
  | "unionpay"
  | "diners"
  | "maestro";

export const CARD_BRANDS: readonly CardBrand[] = [
  "visa",
  "mastercard",
  "amex",
  "discover",
  "jcb",
  "unionpay",
  "diners",
  "maestro",
];

export const BRAND_NAMES: Record<CardBrand, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  jcb: "JCB",
  unionpay: "UnionPay",
  diners: "Diners Club",
  maestro: "Maestro",
};

export interface BrandSpec {
  /** The number lengths the brand issues, ascending. */
  lengths: readonly number[];
  /**
   * The length most of the brand's cards have. While typing, a Luhn failure is reported and focus moves on
   * only from this length: a 19-digit Visa passes through 16 digits that usually fail the check.
   */
  commonLength: number;
  cvcLength: number;
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const BRANDS: Record<CardBrand, BrandSpec> = {
  visa: { lengths: [13, 16, 19], commonLength: 16, cvcLength: 3 },
  mastercard: { lengths: [16], commonLength: 16, cvcLength: 3 },
  amex: { lengths: [15], commonLength: 15, cvcLength: 4 },
  discover: { lengths: range(16, 19), commonLength: 16, cvcLength: 3 },
  jcb: { lengths: range(16, 19), commonLength: 16, cvcLength: 3 },
  unionpay: { lengths: range(16, 19), commonLength: 16, cvcLength: 3 },
  diners: { lengths: range(14, 19), commonLength: 14, cvcLength: 3 },
  maestro: { lengths: range(12, 19), commonLength: 16, cvcLength: 3 },
};

/** Longest card number of any brand, and the cap when no brand is known. */
export const MAX_CARD_LENGTH = 19;

/** [brand, first prefix, last prefix]; both ends are inclusive and have the same number of digits. */
const IIN_RULES: ReadonlyArray<readonly [CardBrand, string, string]> = [
  ["visa", "4", "4"],
  ["mastercard", "51", "55"],
  ["mastercard", "2221", "2720"],
  ["amex", "34", "34"],
  ["amex", "37", "37"],
  ["discover", "6011", "6011"],
  ["discover", "644", "649"],
  ["discover", "65", "65"],
  ["jcb", "3528", "3589"],
  ["unionpay", "62", "62"],
  ["diners", "36", "36"],
  ["diners", "300", "305"],
  ["diners", "38", "39"],
  ["maestro", "50", "50"],
  ["maestro", "56", "58"],
  ["maestro", "6304", "6304"],
  ["maestro", "6759", "6759"],
  ["maestro", "676770", "676770"],
  ["maestro", "676774", "676774"],
];

/** Whether every number starting with `digits` has its `from.length`-digit prefix within [from, to]. */
function matches(digits: string, from: string, to: string): boolean {
  const width = from.length;
  if (digits.length >= width) {
    const prefix = digits.slice(0, width);
    return prefix >= from && prefix <= to;
  }
  // Same-width digit strings compare like the numbers they spell.
  return digits.padEnd(width, "0") >= from && digits.padEnd(width, "9") <= to;
}

/** The brand of a (possibly partial) card number given as digits only; null while unknown or unrecognised. */
export function detectBrand(digits: string): CardBrand | null {
  if (!/^\d+$/.test(digits)) return null;
  let found: CardBrand | null = null;
  let foundWidth = 0;
  for (const [brand, from, to] of IIN_RULES) {
    if (from.length > foundWidth && matches(digits, from, to)) {
      found = brand;
      foundWidth = from.length;
    }
  }
  return found;
}

/** Group sizes for display: Amex 4-6-5, a 14-digit Diners 4-6-4, everything else 4-4-4-4-3. */
export function brandGaps(brand: CardBrand | null, length: number): readonly number[] {
  if (brand === "amex") return [4, 6, 5];
  if (brand === "diners" && length <= 14) return [4, 6, 4];
  return [4, 4, 4, 4, 3];
}

export function maxLengthOf(brand: CardBrand | null): number {
  return brand ? BRANDS[brand].lengths.at(-1)! : MAX_CARD_LENGTH;
}
