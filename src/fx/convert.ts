/**
 * Converting amounts between currencies, exactly.
 *
 * The rule:
 * - An amount is bigint minor units of its currency. The converted amount is the exact product
 *   amount × rate × 10^(exponent(to) − exponent(from)), computed on rationals, rounded once at the end.
 * - The conversion shown to a shopper or applied to a payment rounds half-even (banker's rounding):
 *   a tie goes to the even minor unit, so ties do not drift one way over many payments.
 *   `down` truncates toward zero, `half_up` rounds ties away from zero; both exist for callers whose
 *   counterparty rounds that way. Rounding is symmetric around zero (refunds are mirror images).
 * - A quote's customer rate is reference × (1 − spread_bps / 10 000): whoever receives the
 *   to-currency gets less than at the reference rate; the difference is the platform's FX margin.
 * - The FX fee (gain for the platform) of converting an amount is
 *   convert(amount, reference) − convert(amount, customer), both rounded the same way, in minor units
 *   of the to-currency. Each side is a rounded figure someone is actually paid, so the fee is the exact
 *   difference between them (never a separately rounded product of amount and spread).
 */
import { findCurrency } from "../core/money.ts";
import { multiply, type Rational, type Rounding, rational, roundQuotient } from "./decimal.ts";

export type { Rounding };

export const BPS_PER_UNIT = 10_000;

function exponentOf(code: string): number {
  const currency = findCurrency(code);
  if (!currency) throw new RangeError(`unknown currency: ${code}`);
  return currency.exponent;
}

/** `amount` minor units of `from` in minor units of `to`, at `rate` (units of to per unit of from). */
export function convertAmount(
  amount: bigint,
  from: string,
  to: string,
  rate: Rational,
  rounding: Rounding = "half_even",
): bigint {
  if (rate.num <= 0n || rate.den <= 0n) throw new RangeError("rate must be positive");
  const shift = exponentOf(to) - exponentOf(from);
  const up = 10n ** BigInt(Math.max(0, shift));
  const down = 10n ** BigInt(Math.max(0, -shift));
  return roundQuotient(amount * rate.num * up, rate.den * down, rounding);
}

export interface QuotedRates {
  /** The reference (mid) rate, e.g. an ECB cross rate. */
  reference: Rational;
  /** reference × (1 − spread): what the quote applies. */
  customer: Rational;
  spreadBps: number;
  /** The spread as a fraction (spread_bps / 10 000). */
  spread: Rational;
}

/** The customer rate of a quote: the reference rate less the platform's spread. */
export function quoteRates(reference: Rational, spreadBps: number): QuotedRates {
  if (!Number.isInteger(spreadBps) || spreadBps < 0 || spreadBps >= BPS_PER_UNIT) {
    throw new RangeError("spreadBps must be a whole number from 0 to 9999");
  }
  const spread = rational(BigInt(spreadBps), BigInt(BPS_PER_UNIT));
  const customer = multiply(reference, rational(BigInt(BPS_PER_UNIT - spreadBps), BigInt(BPS_PER_UNIT)));
  return { reference, customer, spreadBps, spread };
}

export interface FxConversion {
  /** Converted at the customer rate: what the receiving side gets. */
  converted: bigint;
  /** Converted at the reference rate. */
  atReference: bigint;
  /** atReference − converted: the platform's FX gain, in minor units of `to`. */
  fee: bigint;
}

/** Converts at both rates of a quote, rounded the same way, and the FX fee between them. */
export function convertWithFee(
  amount: bigint,
  from: string,
  to: string,
  rates: QuotedRates,
  rounding: Rounding = "half_even",
): FxConversion {
  const converted = convertAmount(amount, from, to, rates.customer, rounding);
  const atReference = convertAmount(amount, from, to, rates.reference, rounding);
  return { converted, atReference, fee: atReference - converted };
}
