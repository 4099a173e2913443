/**
 * Exact conversion between our minor units (bigint) and BTCPay's decimal strings, in the currency's
 * ISO 4217 exponent. String arithmetic only: a float never touches an amount.
 */
import { findCurrency } from "../../core/money.ts";

export function currencyExponent(currency: string): number | undefined {
  return findCurrency(currency)?.exponent;
}

/** 2500n, 2 → "25.00"; 1000n, 0 → "1000". */
export function minorToDecimal(amount: bigint, exponent: number): string {
  if (amount < 0n) throw new RangeError("amounts sent to BTCPay are never negative");
  const digits = amount.toString().padStart(exponent + 1, "0");
  if (exponent === 0) return digits;
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d*))?$/;

/**
 * "25.00" → 2500n in exponent 2; more fractional digits are accepted only when they are zeros, so a
 * value the currency cannot hold gives null rather than a rounded amount. Negative only when `signed`.
 */
export function decimalToMinor(
  text: string,
  exponent: number,
  options: { signed?: boolean } = {},
): bigint | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const [, minus, whole = "0", fraction = ""] = match;
  if (minus && !options.signed) return null;
  if (/[^0]/.test(fraction.slice(exponent))) return null;
  const minor = BigInt(whole + fraction.slice(0, exponent).padEnd(exponent, "0"));
  return minus ? -minor : minor;
}
