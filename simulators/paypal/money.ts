/**
 * PayPal's `money` values: decimal strings checked against the currency's precision and kept as bigint minor
 * units. The currency list is PayPal's REST currency codes page (HUF, JPY and TWD take no decimals).
 */

const DECIMALS: Record<string, number> = {
  AUD: 2,
  BRL: 2,
  CAD: 2,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  HKD: 2,
  HUF: 0,
  ILS: 2,
  JPY: 0,
  MYR: 2,
  MXN: 2,
  TWD: 0,
  NZD: 2,
  NOK: 2,
  PHP: 2,
  PLN: 2,
  GBP: 2,
  SGD: 2,
  SEK: 2,
  CHF: 2,
  THB: 2,
  USD: 2,
};

export type MoneyIssue =
  | "INVALID_CURRENCY_CODE"
  | "DECIMALS_NOT_SUPPORTED"
  | "DECIMAL_PRECISION"
  | "CANNOT_BE_ZERO_OR_NEGATIVE"
  | "INVALID_PARAMETER_SYNTAX";

export type Parsed = { ok: true; minor: bigint } | { ok: false; issue: MoneyIssue };

export function isSupportedCurrency(currency: string): boolean {
  return DECIMALS[currency] !== undefined;
}

export function decimalsOf(currency: string): number {
  return DECIMALS[currency] ?? 2;
}

/** A positive amount in `currency`; `value` already matched the spec's pattern. */
export function parseAmount(currency: string, value: string): Parsed {
  const decimals = DECIMALS[currency];
  if (decimals === undefined) return { ok: false, issue: "INVALID_CURRENCY_CODE" };
  const match = /^(-?)(\d*)(?:\.(\d+))?$/.exec(value);
  if (!match) return { ok: false, issue: "INVALID_PARAMETER_SYNTAX" };
  const [, sign, whole = "", fraction = ""] = match;
  if (fraction.length > 0 && decimals === 0 && /[1-9]/.test(fraction)) {
    return { ok: false, issue: "DECIMALS_NOT_SUPPORTED" };
  }
  if (fraction.replace(/0+$/, "").length > decimals) return { ok: false, issue: "DECIMAL_PRECISION" };
  const padded = fraction.padEnd(decimals, "0").slice(0, decimals);
  const minor = BigInt(`${whole || "0"}${padded}`);
  if (sign === "-" || minor <= 0n) return { ok: false, issue: "CANNOT_BE_ZERO_OR_NEGATIVE" };
  return { ok: true, minor };
}

export function formatAmount(currency: string, minor: bigint): string {
  const decimals = decimalsOf(currency);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(decimals + 1, "0");
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

export function money(currency: string, minor: bigint): { currency_code: string; value: string } {
  return { currency_code: currency, value: formatAmount(currency, minor) };
}
