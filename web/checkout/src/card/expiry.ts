import { digitsOnly, type ValidateOptions } from "./number.ts";

export type ExpiryError = "invalid_expiry" | "expired";

export interface ExpiryState {
  month: number | null;
  /** Four digits. */
  year: number | null;
  error: ExpiryError | null;
}

/** Cards are not issued for longer than this; a later date is a typo. */
const MAX_YEARS_AHEAD = 20;
const SEPARATOR = " / ";

/**
 * The expiry field's new text after an edit, "MM / YY" as the shopper types:
 * - "1" stays "1" (10–12 may follow); "0" stays "0".
 * - A first digit 2–9 can only be a month: "4" becomes "04 / ".
 * - "13"–"19" cannot be months: "1" is taken as January and the second digit starts the year ("01 / 3").
 * - Two month digits get the separator: "12" becomes "12 / ".
 * - Deleting never adds the separator back, and a backspace over the separator (only non-digits removed at
 *   the end, compared with `previous`) also removes the month digit before it: "12 / " → "1".
 * - Autofill and paste of "MM/YYYY" or "MMYYYY" keep the last two year digits.
 */
export function formatExpiryInput(input: string, previous: string): string {
  const deleting = input.length < previous.length;
  let digits = digitsOnly(input);
  if (deleting && digits === digitsOnly(previous) && digits.length <= 2) digits = digits.slice(0, -1);

  const full = /^\s*(\d{1,2})\s*\/\s*(\d{4})\s*$/.exec(input);
  if (full) return `${full[1]!.padStart(2, "0")}${SEPARATOR}${full[2]!.slice(2)}`;

  if (digits === "") return "";
  let month: string;
  let rest: string;
  const first = digits[0]!;
  if (first >= "2") {
    month = `0${first}`;
    rest = digits.slice(1);
  } else if (digits.length === 1) {
    return digits;
  } else if (first === "1" && digits[1]! > "2") {
    month = "01";
    rest = digits.slice(1);
  } else {
    month = digits.slice(0, 2);
    rest = digits.slice(2);
  }
  const year = rest.length >= 4 ? rest.slice(2, 4) : rest.slice(0, 2);
  if (year !== "") return `${month}${SEPARATOR}${year}`;
  // While deleting, the separator stays only if the shopper left it there.
  return deleting && !input.includes("/") ? month : `${month}${SEPARATOR}`;
}

/** "MM/YY", "MM / YY", "M/YY", "MM/YYYY" or "MMYY"; null unless the month is 1–12. Two-digit years are 20YY. */
export function parseExpiry(input: string): { month: number; year: number } | null {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(input) ?? /^\s*(\d{2})(\d{2})\s*$/.exec(input);
  if (!match) return null;
  const month = Number(match[1]);
  const yearText = match[2]!;
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  if (month < 1 || month > 12) return null;
  return { month, year };
}

/**
 * The expiry date's state on `now` (the shopper's local calendar). A card works through the last day of its
 * expiry month; a date more than 20 years ahead is invalid. While typing, nothing is reported until both the
 * month and a two-digit year are there.
 */
export function expiryState(
  input: string,
  now: Date,
  options: ValidateOptions = { final: false },
): ExpiryState {
  const parsed = parseExpiry(input);
  if (!parsed) {
    const typedAll = digitsOnly(input).length >= 4;
    return { month: null, year: null, error: options.final || typedAll ? "invalid_expiry" : null };
  }
  const { month, year } = parsed;
  const expires = year * 12 + month;
  const current = now.getFullYear() * 12 + now.getMonth() + 1;
  let error: ExpiryError | null = null;
  if (expires < current) error = "expired";
  else if (expires > current + MAX_YEARS_AHEAD * 12) error = "invalid_expiry";
  return { month, year, error };
}
