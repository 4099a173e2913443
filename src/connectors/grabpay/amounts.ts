/**
 * Payrail amounts are minor units of ISO 4217; GrabPay counts IDR and VND in whole units and the other
 * currencies in cents. Conversions are exact or refused, never rounded.
 */
import { findCurrency } from "../../core/money.ts";

const GRABPAY_EXPONENT: Record<string, number> = { sgd: 2, myr: 2, php: 2, thb: 2, idr: 0, vnd: 0 };

function exponents(currency: string): { iso: number; grab: number } | undefined {
  const iso = findCurrency(currency)?.exponent;
  const grab = GRABPAY_EXPONENT[currency.toLowerCase()];
  return iso === undefined || grab === undefined ? undefined : { iso, grab };
}

/** GrabPay's integer amount, or undefined when the currency or the fraction cannot be sent exactly. */
export function toGrabPayAmount(amount: bigint, currency: string): bigint | undefined {
  const e = exponents(currency);
  if (!e || amount <= 0n) return undefined;
  if (e.iso >= e.grab) {
    const factor = 10n ** BigInt(e.iso - e.grab);
    if (amount % factor !== 0n) return undefined;
    const converted = amount / factor;
    return converted <= BigInt(Number.MAX_SAFE_INTEGER) ? converted : undefined;
  }
  return amount * 10n ** BigInt(e.grab - e.iso);
}

/** Payrail's minor units of a GrabPay amount, or undefined for a currency GrabPay does not use. */
export function fromGrabPayAmount(amount: bigint, currency: string): bigint | undefined {
  const e = exponents(currency);
  if (!e) return undefined;
  if (e.iso >= e.grab) return amount * 10n ** BigInt(e.iso - e.grab);
  const factor = 10n ** BigInt(e.grab - e.iso);
  return amount % factor === 0n ? amount / factor : undefined;
}

/**
 * A decimal text in major units (`25.99`, `-1500`, `15000.00`) as Payrail minor units; undefined when it
 * is not a plain decimal or has more fraction digits than the currency.
 */
export function majorTextToMinor(text: string, currency: string): bigint | undefined {
  const exponent = findCurrency(currency)?.exponent;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (exponent === undefined || !match) return undefined;
  const [, sign, whole, fraction = ""] = match;
  const significant = fraction.replace(/0+$/, "");
  if (significant.length > exponent) return undefined;
  const minor = BigInt(`${whole}${significant.padEnd(exponent, "0")}`);
  return sign === "-" ? -minor : minor;
}
