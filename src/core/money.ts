import currencyCodes from "currency-codes";

/** ISO 4217 currencies that are not legal tender for payments (funds codes, metals, testing). */
const NON_PAYMENT_CODES = new Set([
  "XAU",
  "XAG",
  "XPD",
  "XPT",
  "XTS",
  "XXX",
  "XBA",
  "XBB",
  "XBC",
  "XBD",
  "XDR",
  "XSU",
  "XUA",
]);

export interface Currency {
  /** lower-case ISO 4217 alpha code, as the API speaks it */
  code: string;
  /** number of minor-unit digits (JPY 0, USD 2, KWD 3) */
  exponent: number;
}

const currencies = new Map<string, Currency>();
for (const code of currencyCodes.codes()) {
  const entry = currencyCodes.code(code);
  if (!entry || NON_PAYMENT_CODES.has(code)) continue;
  currencies.set(code.toLowerCase(), { code: code.toLowerCase(), exponent: entry.digits });
}

export function findCurrency(code: string): Currency | undefined {
  return currencies.get(code.toLowerCase());
}

export function isKnownCurrency(code: string): boolean {
  return currencies.has(code);
}

/**
 * Largest-remainder allocation: splits `total` in proportion to `weights` so that the parts always add
 * up to the total exactly. Ties in remainders go to the earlier weight, which keeps it deterministic.
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) throw new RangeError("allocate needs at least one weight");
  if (weights.some((w) => w < 0n)) throw new RangeError("weights must not be negative");
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new RangeError("weights must not all be zero");
  const sign = total < 0n ? -1n : 1n;
  const magnitude = total * sign;
  const parts = weights.map((w) => (magnitude * w) / sum);
  let remainder = magnitude - parts.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, index) => ({ index, rest: (magnitude * w) % sum }))
    .sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (const { index } of order) {
    if (remainder === 0n) break;
    parts[index] = (parts[index] as bigint) + 1n;
    remainder -= 1n;
  }
  return parts.map((p) => p * sign);
}

/** Converts a bigint of minor units to a JSON-safe number; amounts are capped far below 2^53. */
export function toJsonAmount(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError("amount exceeds the JSON-safe range");
  }
  return Number(value);
}

/** Largest amount in minor units for a currency, given the configured maximum in major units. */
export function maxMinorAmount(currency: Currency, maxMajor: number): bigint {
  return (BigInt(maxMajor) + 1n) * 10n ** BigInt(currency.exponent) - 1n;
}

/** The smaller of two bigints (Math.min does not take them). */
export function minBigint(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}
