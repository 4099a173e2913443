/**
 * PayPal's `money` values: decimal strings. Payrail keeps amounts in ISO 4217 minor units; PayPal takes
 * HUF and TWD in whole units although ISO gives them two decimals, so an amount with a fraction in those
 * currencies cannot be sent at all. Conversions are string arithmetic on bigints, never floats.
 */
import { findCurrency } from "../../core/money.ts";

/** PayPal's REST currency codes and the decimals PayPal takes for each. */
const PAYPAL_DECIMALS: Record<string, number> = {
  aud: 2,
  brl: 2,
  cad: 2,
  chf: 2,
  cny: 2,
  czk: 2,
  dkk: 2,
  eur: 2,
  gbp: 2,
  hkd: 2,
  huf: 0,
  ils: 2,
  jpy: 0,
  mxn: 2,
  myr: 2,
  nok: 2,
  nzd: 2,
  php: 2,
  pln: 2,
  sek: 2,
  sgd: 2,
  thb: 2,
  twd: 0,
  usd: 2,
};

export const PAYPAL_CURRENCIES: readonly string[] = Object.keys(PAYPAL_DECIMALS);

export interface PayPalMoney {
  currency_code: string;
  value: string;
}

/** Our minor units as PayPal's value; null when PayPal cannot take the currency or this amount in it. */
export function toPayPalMoney(amount: bigint, currency: string): PayPalMoney | null {
  const code = currency.toLowerCase();
  const decimals = PAYPAL_DECIMALS[code];
  const iso = findCurrency(code)?.exponent;
  if (decimals === undefined || iso === undefined || amount <= 0n) return null;
  let units = amount;
  if (iso > decimals) {
    const step = 10n ** BigInt(iso - decimals);
    if (units % step !== 0n) return null;
    units /= step;
  } else if (iso < decimals) {
    units *= 10n ** BigInt(decimals - iso);
  }
  const digits = units.toString().padStart(decimals + 1, "0");
  const value = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return { currency_code: code.toUpperCase(), value };
}

/** PayPal's value in our minor units and lower-case currency; null when it does not fit exactly. */
export function fromPayPalMoney(money: PayPalMoney): { amount: bigint; currency: string } | null {
  const currency = money.currency_code.toLowerCase();
  const exponent = findCurrency(currency)?.exponent;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(money.value);
  if (exponent === undefined || !match) return null;
  const [, whole = "0", fraction = ""] = match;
  const significant = fraction.replace(/0+$/, "");
  if (significant.length > exponent) return null;
  return { amount: BigInt(`${whole}${significant.padEnd(exponent, "0")}`), currency };
}
