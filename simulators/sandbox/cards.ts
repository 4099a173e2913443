/** Test-card table, Luhn check, brand detection and expiry rules of the sandbox processor. */

export type DeclineCode =
  | "generic_decline"
  | "insufficient_funds"
  | "lost_card"
  | "stolen_card"
  | "expired_card"
  | "incorrect_cvc"
  | "processing_error"
  | "authentication_failed";

export type CardBehavior =
  | { kind: "approve" }
  | { kind: "decline"; code: DeclineCode }
  | { kind: "three_ds" }
  /** The charge stays `processing`, the socket is destroyed, and the outcome appears later. */
  | { kind: "timeout"; outcome: "approve" | "decline" };

const TEST_CARDS: ReadonlyMap<string, CardBehavior> = new Map<string, CardBehavior>([
  ["4242424242424242", { kind: "approve" }],
  ["5555555555554444", { kind: "approve" }],
  ["4000000000000002", { kind: "decline", code: "generic_decline" }],
  ["4000000000009995", { kind: "decline", code: "insufficient_funds" }],
  ["4000000000009987", { kind: "decline", code: "lost_card" }],
  ["4000000000009979", { kind: "decline", code: "stolen_card" }],
  ["4000000000000069", { kind: "decline", code: "expired_card" }],
  ["4000000000000127", { kind: "decline", code: "incorrect_cvc" }],
  ["4000000000000119", { kind: "decline", code: "processing_error" }],
  ["4000002760003184", { kind: "three_ds" }],
  ["4000000000000408", { kind: "timeout", outcome: "approve" }],
  ["4000000000000416", { kind: "timeout", outcome: "decline" }],
]);

export const DECLINE_MESSAGES: Readonly<Record<DeclineCode, string>> = {
  generic_decline: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  lost_card: "Your card was declined.",
  stolen_card: "Your card was declined.",
  expired_card: "Your card has expired.",
  incorrect_cvc: "Your card's security code is incorrect.",
  processing_error: "An error occurred while processing your card. Try again in a little bit.",
  authentication_failed: "The cardholder failed 3-D Secure authentication.",
};

export function cardBehavior(number: string): CardBehavior {
  return TEST_CARDS.get(number) ?? { kind: "approve" };
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

export type CardBrand = "visa" | "mastercard" | "amex" | "discover" | "jcb" | "unionpay" | "unknown";

function prefixIn(number: string, digits: number, low: number, high: number): boolean {
  const prefix = Number(number.slice(0, digits));
  return number.length >= digits && prefix >= low && prefix <= high;
}

export function detectBrand(number: string): CardBrand {
  if (prefixIn(number, 2, 51, 55) || prefixIn(number, 4, 2221, 2720)) return "mastercard";
  if (prefixIn(number, 2, 34, 34) || prefixIn(number, 2, 37, 37)) return "amex";
  if (number.startsWith("6011") || number.startsWith("65")) return "discover";
  if (prefixIn(number, 4, 3528, 3589)) return "jcb";
  if (number.startsWith("62")) return "unionpay";
  if (number.startsWith("4")) return "visa";
  return "unknown";
}

/** A card is valid through the last day of its expiry month (UTC). */
export function isExpired(expMonth: number, expYear: number, now: Date): boolean {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  return expYear < year || (expYear === year && expMonth < month);
}
