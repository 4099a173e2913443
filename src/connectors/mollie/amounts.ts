/**
 * Mollie writes amounts as `{ currency: "EUR", value: "10.00" }`: the value a string with exactly the
 * currency's decimals. Ours are bigint minor units with a lower-case code. Conversion is string
 * arithmetic only, so nothing is ever rounded.
 */
import { findCurrency } from "../../core/money.ts";
import type { Money } from "../contract.ts";

export interface MollieAmount {
  currency: string;
  value: string;
}

function exponentOf(currency: string): number {
  const found = findCurrency(currency);
  if (!found) throw new RangeError(`unknown currency ${currency}`);
  return found.exponent;
}

/** Minor units as a decimal string with `scale` decimals ("1000", 2 → "10.00"; "-5", 2 → "-0.05"). */
export function formatDecimal(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${whole}${scale > 0 ? `.${fraction}` : ""}`;
}

/** A decimal string with exactly `scale` decimals as units of 10^-scale, or null. */
export function parseDecimal(value: string, scale: number): bigint | null {
  const match = /^(-)?(\d{1,18})(?:\.(\d+))?$/.exec(value);
  if (!match) return null;
  const fraction = match[3] ?? "";
  if (fraction.length !== scale) return null;
  const units = BigInt(`${match[2]}${fraction}`);
  return match[1] ? -units : units;
}

export function toMollieAmount(money: Money): MollieAmount {
  return {
    currency: money.currency.toUpperCase(),
    value: formatDecimal(money.amount, exponentOf(money.currency)),
  };
}

/** Mollie's amount as ours, or null when it is not a currency we know written with its exact decimals. */
export function fromMollieAmount(amount: MollieAmount): Money | null {
  const currency = findCurrency(amount.currency);
  if (!currency || amount.currency !== amount.currency.toUpperCase()) return null;
  const units = parseDecimal(amount.value, currency.exponent);
  return units === null ? null : { amount: units, currency: currency.code };
}
