/** Stripe's test cards, the Luhn check, brand detection and expiry rules. */

export type DeclineKey =
  | "generic_decline"
  | "insufficient_funds"
  | "lost_card"
  | "stolen_card"
  | "expired_card"
  | "incorrect_cvc"
  | "processing_error"
  | "authentication_required";

export interface Decline {
  /** The error's `code`: `card_declined` for issuer declines, a specific code for the others. */
  code: string;
  declineCode: DeclineKey;
  message: string;
}

export const DECLINES: Readonly<Record<DeclineKey, Decline>> = {
  generic_decline: {
    code: "card_declined",
    declineCode: "generic_decline",
    message: "Your card was declined.",
  },
  insufficient_funds: {
    code: "card_declined",
    declineCode: "insufficient_funds",
    message: "Your card has insufficient funds.",
  },
  lost_card: { code: "card_declined", declineCode: "lost_card", message: "Your card was declined." },
  stolen_card: { code: "card_declined", declineCode: "stolen_card", message: "Your card was declined." },
  expired_card: { code: "expired_card", declineCode: "expired_card", message: "Your card has expired." },
  incorrect_cvc: {
    code: "incorrect_cvc",
    declineCode: "incorrect_cvc",
    message: "Your card's security code is incorrect.",
  },
  processing_error: {
    code: "processing_error",
    declineCode: "processing_error",
    message: "An error occurred while processing your card. Try again in a little bit.",
  },
  authentication_required: {
    code: "authentication_required",
    declineCode: "authentication_required",
    message: "Your card was declined. This transaction requires authentication.",
  },
};

export type Authorization =
  | { kind: "approve" }
  | { kind: "decline"; reason: DeclineKey }
  | { kind: "three_ds" }
  /** The request is dropped while the payment stays `processing`; the outcome appears later. */
  | { kind: "timeout"; outcome: "approve" | "decline" };

/** How refunds of the card's charges behave: at once, pending for a while, or failing later. */
export type RefundBehavior = "succeed" | "pending" | "fail";

export interface CardBehavior {
  authorization: Authorization;
  refund: RefundBehavior;
  country: string;
}

const behavior = (authorization: Authorization, extra: Partial<CardBehavior> = {}): CardBehavior => ({
  authorization,
  refund: "succeed",
  country: "US",
  ...extra,
});

const TEST_CARDS: ReadonlyMap<string, CardBehavior> = new Map([
  ["4242424242424242", behavior({ kind: "approve" })],
  ["5555555555554444", behavior({ kind: "approve" })],
  ["4000000000000002", behavior({ kind: "decline", reason: "generic_decline" })],
  ["4000000000009995", behavior({ kind: "decline", reason: "insufficient_funds" })],
  ["4000000000009987", behavior({ kind: "decline", reason: "lost_card" })],
  ["4000000000009979", behavior({ kind: "decline", reason: "stolen_card" })],
  ["4000000000000069", behavior({ kind: "decline", reason: "expired_card" })],
  ["4000000000000127", behavior({ kind: "decline", reason: "incorrect_cvc" })],
  ["4000000000000119", behavior({ kind: "decline", reason: "processing_error" })],
  ["4000002760003184", behavior({ kind: "three_ds" }, { country: "DE" })],
  ["4000000000000408", behavior({ kind: "timeout", outcome: "approve" })],
  ["4000000000000416", behavior({ kind: "timeout", outcome: "decline" })],
  ["4000000000007726", behavior({ kind: "approve" }, { refund: "pending" })],
  ["4000000000005126", behavior({ kind: "approve" }, { refund: "fail" })],
]);

export function cardBehavior(number: string): CardBehavior {
  return TEST_CARDS.get(number) ?? behavior({ kind: "approve" });
}

/** Stripe's shorthand test payment methods, usable as `payment_method=pm_card_visa`. */
export const TEST_PAYMENT_METHODS: ReadonlyMap<string, string> = new Map([
  ["pm_card_visa", "4242424242424242"],
  ["pm_card_mastercard", "5555555555554444"],
  ["pm_card_chargeDeclined", "4000000000000002"],
  ["pm_card_chargeDeclinedInsufficientFunds", "4000000000009995"],
  ["pm_card_authenticationRequired", "4000002760003184"],
]);

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

export type CardBrand =
  | "amex"
  | "diners"
  | "discover"
  | "jcb"
  | "mastercard"
  | "unionpay"
  | "visa"
  | "unknown";

function prefixBetween(number: string, digits: number, low: number, high: number): boolean {
  const prefix = Number(number.slice(0, digits));
  return number.length >= digits && prefix >= low && prefix <= high;
}

export function detectBrand(number: string): CardBrand {
  if (prefixBetween(number, 2, 51, 55) || prefixBetween(number, 4, 2221, 2720)) return "mastercard";
  if (number.startsWith("34") || number.startsWith("37")) return "amex";
  if (number.startsWith("6011") || number.startsWith("65") || prefixBetween(number, 3, 644, 649)) {
    return "discover";
  }
  if (prefixBetween(number, 4, 3528, 3589)) return "jcb";
  if (number.startsWith("36") || prefixBetween(number, 3, 300, 305) || prefixBetween(number, 2, 38, 39)) {
    return "diners";
  }
  if (number.startsWith("62")) return "unionpay";
  if (number.startsWith("4")) return "visa";
  return "unknown";
}

export function normalizeExpiryYear(year: number): number {
  return year < 100 ? 2000 + year : year;
}

/** A card is good through the last day of its expiry month (UTC), as card networks count it. */
export function expiryProblem(
  month: number,
  year: number,
  now: Date,
): "invalid_expiry_month" | "invalid_expiry_year" | null {
  const thisYear = now.getUTCFullYear();
  if (month < 1 || month > 12) return "invalid_expiry_month";
  if (year < thisYear || year > thisYear + 50) return "invalid_expiry_year";
  if (year === thisYear && month < now.getUTCMonth() + 1) return "invalid_expiry_month";
  return null;
}

export const CARD_INPUT_ERRORS = {
  incorrect_number: "Your card number is incorrect.",
  invalid_expiry_month: "Your card's expiration month is invalid.",
  invalid_expiry_year: "Your card's expiration year is invalid.",
  invalid_cvc: "Your card's security code is invalid.",
} as const;
