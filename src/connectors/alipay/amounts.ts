/**
 * Alipay's wire values: amounts in yuan with up to two decimals ("88.88"), times as Beijing wall-clock
 * time (UTC+8, no daylight saving) "yyyy-MM-dd HH:mm:ss". Converted exactly, without floats.
 */
import { findCurrency } from "../../core/money.ts";

export const ALIPAY_CURRENCY = "cny";

function exponentOf(currency: string): number {
  const found = findCurrency(currency);
  if (!found) throw new RangeError(`unknown currency ${currency}`);
  return found.exponent;
}

/** 8888n fen -> "88.88"; negative amounts are not Alipay amounts. */
export function toYuan(fen: bigint, currency = ALIPAY_CURRENCY): string {
  if (fen < 0n) throw new RangeError("an Alipay amount cannot be negative");
  const exponent = exponentOf(currency);
  if (exponent === 0) return fen.toString();
  const digits = fen.toString().padStart(exponent + 1, "0");
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** "88.88", "88.8" or "88" -> 8888n; null when the text is not a plain non-negative amount. */
export function fromYuan(text: unknown, currency = ALIPAY_CURRENCY): bigint | null {
  if (typeof text !== "string") return null;
  const exponent = exponentOf(currency);
  const match = /^(0|[1-9]\d{0,14})(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > exponent) return null;
  return BigInt(match[1]! + fraction.padEnd(exponent, "0"));
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;

export function beijingDateTime(date: Date): string {
  const iso = new Date(date.getTime() + BEIJING_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
