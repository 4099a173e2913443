/**
 * Test cards, Adyen refusal reasons and card checks. The card numbers are the same table as our sandbox
 * processor (Stripe-style numbers); the outcomes are Adyen's documented `refusalReason` /
 * `refusalReasonCode` pairs (docs.adyen.com/development-resources/refusal-reasons).
 */

export interface Refusal {
  resultCode: "Refused" | "Error";
  refusalReason: string;
  refusalReasonCode: string;
  /** What the scheme answered, as Adyen passes it in `additionalData.refusalReasonRaw`. */
  raw: string;
}

/** Adyen's code numbering: 2 Refused, 4 Acquirer Error, 5 Blocked Card, 6 Expired Card, 11 3D Not
 * Authenticated, 12 Not enough balance, 24 CVC Declined, 25 Restricted Card. */
export const REFUSALS = {
  refused: {
    resultCode: "Refused",
    refusalReason: "Refused",
    refusalReasonCode: "2",
    raw: "05 : Do not honor",
  },
  notEnoughBalance: {
    resultCode: "Refused",
    refusalReason: "Not enough balance",
    refusalReasonCode: "12",
    raw: "51 : Insufficient funds/over credit limit",
  },
  // Lost and stolen cards are both unusable; Adyen maps them to different reasons, and the raw scheme
  // answer keeps them apart for a connector that wants to tell them apart.
  lostCard: {
    resultCode: "Refused",
    refusalReason: "Blocked Card",
    refusalReasonCode: "5",
    raw: "41 : Lost card",
  },
  stolenCard: {
    resultCode: "Refused",
    refusalReason: "Restricted Card",
    refusalReasonCode: "25",
    raw: "43 : Stolen card",
  },
  expiredCard: {
    resultCode: "Refused",
    refusalReason: "Expired Card",
    refusalReasonCode: "6",
    raw: "54 : Expired card",
  },
  cvcDeclined: {
    resultCode: "Refused",
    refusalReason: "CVC Declined",
    refusalReasonCode: "24",
    raw: "N7 : CVV2 failure",
  },
  acquirerError: {
    resultCode: "Error",
    refusalReason: "Acquirer Error",
    refusalReasonCode: "4",
    raw: "96 : System malfunction",
  },
  notAuthenticated: {
    resultCode: "Refused",
    refusalReason: "3D Not Authenticated",
    refusalReasonCode: "11",
    raw: "3D Secure authentication failed",
  },
} as const satisfies Record<string, Refusal>;

export type RefusalKey = keyof typeof REFUSALS;

export type CardBehavior =
  | { kind: "authorise" }
  | { kind: "refuse"; refusal: RefusalKey }
  /** 3-D Secure: `RedirectShopper` to the simulator's challenge page. */
  | { kind: "redirect" }
  /** The socket is destroyed unanswered; the payment is `Received` and settles after `resolveAfterMs`. */
  | { kind: "timeout"; outcome: "authorise" | "refuse" };

const TEST_CARDS: ReadonlyMap<string, CardBehavior> = new Map<string, CardBehavior>([
  ["4242424242424242", { kind: "authorise" }],
  ["5555555555554444", { kind: "authorise" }],
  ["4000000000000002", { kind: "refuse", refusal: "refused" }],
  ["4000000000009995", { kind: "refuse", refusal: "notEnoughBalance" }],
  ["4000000000009987", { kind: "refuse", refusal: "lostCard" }],
  ["4000000000009979", { kind: "refuse", refusal: "stolenCard" }],
  ["4000000000000069", { kind: "refuse", refusal: "expiredCard" }],
  ["4000000000000127", { kind: "refuse", refusal: "cvcDeclined" }],
  ["4000000000000119", { kind: "refuse", refusal: "acquirerError" }],
  ["4000002760003184", { kind: "redirect" }],
  ["4000000000000408", { kind: "timeout", outcome: "authorise" }],
  ["4000000000000416", { kind: "timeout", outcome: "refuse" }],
]);

/** Every Luhn-valid number not in the table is authorised. */
export function cardBehavior(number: string): CardBehavior {
  return TEST_CARDS.get(number) ?? { kind: "authorise" };
}

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  let double = false;
  for (let i = number.length - 1; i >= 0; i--) {
    let digit = number.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

function prefixIn(number: string, digits: number, low: number, high: number): boolean {
  const prefix = Number(number.slice(0, digits));
  return number.length >= digits && prefix >= low && prefix <= high;
}

/** Adyen's payment method variant names for the card brands. */
export function cardBrand(number: string): string {
  if (prefixIn(number, 2, 51, 55) || prefixIn(number, 4, 2221, 2720)) return "mc";
  if (prefixIn(number, 2, 34, 34) || prefixIn(number, 2, 37, 37)) return "amex";
  if (number.startsWith("6011") || number.startsWith("65")) return "discover";
  if (prefixIn(number, 4, 3528, 3589)) return "jcb";
  if (prefixIn(number, 3, 300, 305) || number.startsWith("36") || number.startsWith("38")) return "diners";
  if (number.startsWith("62")) return "cup";
  if (number.startsWith("4")) return "visa";
  return "card";
}

export interface Expiry {
  month: number;
  year: number;
}

/** Adyen takes `expiryMonth` as one or two digits and `expiryYear` as four digits. */
export function parseExpiry(month: string, year: string): Expiry | null {
  if (!/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return null;
  const parsed = { month: Number(month), year: Number(year) };
  return parsed.month >= 1 && parsed.month <= 12 ? parsed : null;
}

/** A card is valid through the last day of its expiry month (UTC). */
export function isExpired(expiry: Expiry, now: Date): boolean {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  return expiry.year < year || (expiry.year === year && expiry.month < month);
}
