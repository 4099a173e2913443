/**
 * Exact decimal arithmetic for BTCPay's decimal strings. Fiat amounts and rates are held as bigint at a fixed
 * scale of 8 fractional digits; bitcoin amounts as bigint satoshis. Never a float.
 */
export const SCALE = 8;
const ONE = 10n ** BigInt(SCALE);
export const SATS_PER_BTC = 100_000_000n;

const DECIMAL = /^-?(\d+)(\.(\d+))?$/;

/** Parses a decimal string to units of 10^-8; null when malformed or when it has more than 8 decimals. */
export function parseScaled(text: string): bigint | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const fraction = match[3] ?? "";
  if (fraction.length > SCALE) return null;
  const units = BigInt(match[1] ?? "0") * ONE + BigInt(fraction.padEnd(SCALE, "0") || "0");
  return text.trim().startsWith("-") ? -units : units;
}

export function isDecimalString(text: string): boolean {
  return DECIMAL.test(text.trim());
}

function divideRounding(numerator: bigint, denominator: bigint, mode: "up" | "half-up" | "down"): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  const remainder = n % d;
  if (mode === "up" && remainder > 0n) quotient += 1n;
  if (mode === "half-up" && remainder * 2n >= d) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Satoshis needed to pay `priceScaled` at `rateScaled` (fiat per BTC), rounded up as BTCPay does. */
export function fiatToSats(priceScaled: bigint, rateScaled: bigint, mode: "up" | "half-up" = "up"): bigint {
  return divideRounding(priceScaled * SATS_PER_BTC, rateScaled, mode);
}

/** Fiat value (scale 8) of `sats` at `rateScaled`, rounded half-up. */
export function satsToFiat(sats: bigint, rateScaled: bigint): bigint {
  return divideRounding(sats * rateScaled, SATS_PER_BTC, "half-up");
}

/** Rounds a scale-8 value to `digits` fractional digits (half-up, like .NET's Math.Round away from zero). */
export function roundScaled(value: bigint, digits: number): bigint {
  const step = 10n ** BigInt(SCALE - digits);
  return divideRounding(value, step, "half-up") * step;
}

/** Formats a scale-8 value with exactly `digits` fractional digits. */
export function formatScaled(value: bigint, digits: number): string {
  const rounded = roundScaled(value, digits);
  const negative = rounded < 0n;
  const abs = negative ? -rounded : rounded;
  const whole = abs / ONE;
  const fraction = (abs % ONE).toString().padStart(SCALE, "0").slice(0, digits);
  return `${negative ? "-" : ""}${whole}${digits > 0 ? `.${fraction}` : ""}`;
}

/** Formats satoshis as a BTC decimal string with 8 fractional digits. */
export function formatSats(sats: bigint): string {
  return formatScaled(sats, 8);
}

/** `value * percent / 100`, scale kept, rounded half-up. */
export function percentOf(value: bigint, percentScaled: bigint): bigint {
  return divideRounding(value * percentScaled, 100n * ONE, "half-up");
}

/** ISO 4217 exponents that differ from 2, plus the crypto units BTCPay prices in. */
const EXPONENTS: Record<string, number> = {
  BTC: 8,
  SATS: 0,
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  HUF: 2,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

export function currencyDigits(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}
