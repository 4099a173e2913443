import { BRANDS, brandGaps, type CardBrand, detectBrand, maxLengthOf } from "./brands.ts";

export type CardNumberError = "incomplete_number" | "invalid_number" | "unsupported_brand";

export interface CardNumberState {
  /** The digits typed, without separators. */
  digits: string;
  brand: CardBrand | null;
  /** The length is one the brand issues. */
  complete: boolean;
  /** Complete, passes the Luhn check, and the brand is accepted. */
  valid: boolean;
  error: CardNumberError | null;
}

export interface ValidateOptions {
  /**
   * true on blur and on submit: the shopper is done with the field, so a short number is reported too.
   * false while typing: only what is already certain is reported.
   */
  final: boolean;
}

/** Digits at which the IIN is fully known: an unknown brand by then stays unknown. */
const IIN_LENGTH = 6;

export function digitsOnly(s: string): string {
  return s.replace(/\D/g, "");
}

/**
 * The number grouped for display ("4242 4242 4242 4242", "3782 822463 10005"), capped at the brand's longest
 * length (19 digits while the brand is unknown). Idempotent.
 */
export function formatCardNumber(input: string): string {
  const all = digitsOnly(input);
  const brand = detectBrand(all);
  const digits = all.slice(0, maxLengthOf(brand));
  const groups: string[] = [];
  let at = 0;
  for (const size of brandGaps(brand, digits.length)) {
    if (at >= digits.length) break;
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  return groups.join(" ");
}

/** The Luhn (mod 10) check; false for an empty string or anything but digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * What the number field holds and what to tell the shopper about it. While typing (`final: false`) an error
 * appears only once the number has a length its brand issues; on blur or submit a short number is
 * reported as incomplete. `accepted` limits the brands the merchant takes (all when absent).
 */
export function cardNumberState(
  input: string,
  options: ValidateOptions = { final: false },
  accepted?: readonly CardBrand[],
): CardNumberState {
  const digits = digitsOnly(input);
  const brand = detectBrand(digits);
  const spec = brand ? BRANDS[brand] : null;
  const complete = spec ? spec.lengths.includes(digits.length) : false;
  const luhn = complete && luhnValid(digits);
  const supported = brand !== null && (!accepted || accepted.includes(brand));
  const valid = complete && luhn && supported;
  return { digits, brand, complete, valid, error: numberError() };

  function numberError(): CardNumberError | null {
    if (valid) return null;
    const { final } = options;
    if (!spec) {
      if (!final) return null;
      return digits.length >= IIN_LENGTH ? "unsupported_brand" : "incomplete_number";
    }
    if (!supported) return complete || final ? "unsupported_brand" : null;
    if (complete && (final || digits.length >= spec.commonLength)) return "invalid_number";
    if (!final) return null;
    return digits.length > spec.lengths.at(-1)! ? "invalid_number" : "incomplete_number";
  }
}

/**
 * Whether focus may move on to the expiry date: the number is valid and has reached the brand's common
 * length (a 13-digit Visa prefix that happens to pass Luhn does not move the shopper on).
 */
export function numberReadyToAdvance(state: CardNumberState): boolean {
  return state.valid && state.brand !== null && state.digits.length >= BRANDS[state.brand].commonLength;
}
