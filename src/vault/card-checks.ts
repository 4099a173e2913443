import { lookupBin } from "./bin/lookup.ts";

export type CardProblemCode =
  | "invalid_number"
  | "incorrect_number"
  | "invalid_expiry_month"
  | "invalid_expiry_year"
  | "expired_card"
  | "invalid_cvc";

export interface CardProblem {
  code: CardProblemCode;
  /** The card field at fault; prefix it with the request's path (`payment_method_data[card][number]`). */
  param: "number" | "exp_month" | "exp_year" | "cvc";
  /** Addressed to the shopper; never contains the card number or CVC. */
  message: string;
}

export interface CardToCheck {
  number: string;
  exp_month: number | string;
  /** Four digits, or two meaning 20yy. */
  exp_year: number | string;
  cvc?: string;
}

/** Valid lengths per brand; brands not listed take 12–19, the ISO/IEC 7812 bounds the API accepts. */
const PAN_LENGTHS: Record<string, readonly number[]> = {
  visa: [13, 16, 19],
  mastercard: [16],
  amex: [15],
  discover: [16, 17, 18, 19],
  jcb: [16, 17, 18, 19],
  unionpay: [16, 17, 18, 19],
  diners: [14, 15, 16, 17, 18, 19],
  maestro: [12, 13, 14, 15, 16, 17, 18, 19],
  mir: [16, 17, 18, 19],
  elo: [16],
  rupay: [16],
};
const ANY_LENGTH = [12, 13, 14, 15, 16, 17, 18, 19] as const;

const BRAND_NAMES: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  jcb: "JCB",
  unionpay: "UnionPay",
  diners: "Diners Club",
  maestro: "Maestro",
  mir: "Mir",
  elo: "Elo",
  rupay: "RuPay",
};

/** Latest expiry year accepted, counted from now (as the payments API does). */
const MAX_YEARS_AHEAD = 50;

export function panLengths(brand: string): readonly number[] {
  return PAN_LENGTHS[brand] ?? ANY_LENGTH;
}

/** The number as typed, without the spaces and dashes people group it with. */
export function normalizePan(number: string): string {
  return number.replace(/[ -]/g, "");
}

export function luhnValid(pan: string): boolean {
  if (!/^[0-9]+$/.test(pan)) return false;
  let sum = 0;
  let double = false;
  for (let i = pan.length - 1; i >= 0; i--) {
    let digit = pan.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

function listLengths(lengths: readonly number[]): string {
  if (lengths.length === 1) return String(lengths[0]);
  const first = lengths[0] as number;
  const last = lengths[lengths.length - 1] as number;
  if (last - first === lengths.length - 1) return `${first} to ${last}`;
  return `${lengths.slice(0, -1).join(", ")} or ${last}`;
}

function checkNumber(number: string): CardProblem | undefined {
  const pan = normalizePan(number);
  if (pan === "") return { code: "invalid_number", param: "number", message: "Enter your card number." };
  if (!/^[0-9]+$/.test(pan)) {
    return {
      code: "invalid_number",
      param: "number",
      message: "Your card number should contain only digits. Please check it and try again.",
    };
  }
  const brand = lookupBin(pan).brand;
  const lengths = panLengths(brand);
  if (!lengths.includes(pan.length)) {
    const cards = BRAND_NAMES[brand] ? `${BRAND_NAMES[brand]} card numbers` : "Card numbers";
    const tooShort = pan.length < (lengths[lengths.length - 1] as number);
    return {
      code: "invalid_number",
      param: "number",
      message: `Your card number is ${tooShort ? "incomplete" : "too long"}: ${cards} have ${listLengths(lengths)} digits. Please check it and try again.`,
    };
  }
  if (!luhnValid(pan)) {
    return {
      code: "incorrect_number",
      param: "number",
      message: "Your card number is incorrect. Please check it and try again.",
    };
  }
  return undefined;
}

function toInteger(value: number | string): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? value : undefined;
  return /^[0-9]{1,4}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

function checkCvc(cvc: string, brand: string): CardProblem | undefined {
  const lengths = brand === "amex" ? [4] : brand === "unknown" ? [3, 4] : [3];
  if (/^[0-9]+$/.test(cvc) && lengths.includes(cvc.length)) return undefined;
  const where =
    brand === "amex"
      ? "the 4 digits printed on the front of your card"
      : brand === "unknown"
        ? "the 3 or 4 digits printed on your card"
        : "the last 3 digits on the back of your card";
  return {
    code: "invalid_cvc",
    param: "cvc",
    message: `Your card's security code is invalid. Enter ${where}.`,
  };
}

/**
 * Everything wrong with a card before any provider sees it, at most one problem per field, in field
 * order. A number is `invalid_number` when it cannot be a card number (characters, length for its
 * brand) and `incorrect_number` when it fails the Luhn check, as the payments API already answers. An
 * expiry is valid through the last day of its month (UTC).
 */
export function checkCard(card: CardToCheck, now: Date): CardProblem[] {
  const problems: CardProblem[] = [];
  const numberProblem = checkNumber(card.number);
  if (numberProblem) problems.push(numberProblem);

  const month = toInteger(card.exp_month);
  const monthValid = month !== undefined && month >= 1 && month <= 12;
  if (!monthValid) {
    problems.push({
      code: "invalid_expiry_month",
      param: "exp_month",
      message: "Your card's expiration month is invalid. Enter the month shown on your card, from 1 to 12.",
    });
  }

  const thisYear = now.getUTCFullYear();
  const thisMonth = now.getUTCMonth() + 1;
  const rawYear = toInteger(card.exp_year);
  const year = rawYear !== undefined && rawYear < 100 ? 2000 + rawYear : rawYear;
  if (year === undefined || year < 2000 || year > thisYear + MAX_YEARS_AHEAD) {
    problems.push({
      code: "invalid_expiry_year",
      param: "exp_year",
      message: "Your card's expiration year is invalid. Enter the year shown on your card.",
    });
  } else if (year < thisYear || (monthValid && year === thisYear && (month as number) < thisMonth)) {
    problems.push({
      code: "expired_card",
      param: year < thisYear ? "exp_year" : "exp_month",
      message: "Your card has expired. Check the expiration date or use another card.",
    });
  }

  if (card.cvc !== undefined) {
    const pan = normalizePan(card.number);
    const brand = /^[0-9]+$/.test(pan) ? lookupBin(pan).brand : "unknown";
    const cvcProblem = checkCvc(card.cvc, brand);
    if (cvcProblem) problems.push(cvcProblem);
  }
  return problems;
}
