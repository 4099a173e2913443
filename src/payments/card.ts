import { createHmac } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../core/clock.ts";
import { ApiError } from "../core/errors.ts";
import { luhnValid } from "../core/redact.ts";
import { checkCard } from "../vault/card-checks.ts";

export const cardInputSchema = z.strictObject({
  number: z.string().regex(/^[0-9 -]{12,23}$/, "must be 12 to 19 digits"),
  exp_month: z.number().int().min(1, "must be between 1 and 12").max(12, "must be between 1 and 12"),
  exp_year: z.number().int().min(2000).max(2100),
  cvc: z
    .string()
    .regex(/^[0-9]{3,4}$/, "must be 3 or 4 digits")
    .optional(),
});

export type CardInput = z.infer<typeof cardInputSchema>;

export const billingDetailsSchema = z.strictObject({
  name: z.string().max(256).nullable().optional(),
  email: z.email().max(512).nullable().optional(),
  phone: z.string().max(32).nullable().optional(),
  address: z
    .strictObject({
      line1: z.string().max(200).nullable().optional(),
      line2: z.string().max(200).nullable().optional(),
      city: z.string().max(100).nullable().optional(),
      state: z.string().max(100).nullable().optional(),
      postal_code: z.string().max(20).nullable().optional(),
      country: z
        .string()
        .regex(/^[A-Z]{2}$/)
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
});

const cardError = (code: string, message: string, param: string) =>
  new ApiError(402, { type: "card_error", code, message, param });

/**
 * Checks a card before any provider call: a number failing Luhn is `incorrect_number`, a past expiry
 * `expired_card` (400 as Stripe does for numbers it can reject itself). Returns the digits only.
 */
export function validateCard(card: CardInput, clock: Clock, param = "payment_method_data[card]"): string {
  const digits = card.number.replace(/[ -]/g, "");
  if (!/^[0-9]{12,19}$/.test(digits) || !luhnValid(digits)) {
    throw new ApiError(400, {
      type: "card_error",
      code: "incorrect_number",
      message: "Your card number is incorrect.",
      param: `${param}[number]`,
    });
  }
  const now = clock.now();
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  if (card.exp_year < year || (card.exp_year === year && card.exp_month < month)) {
    throw cardError(
      "invalid_expiry_year",
      "Your card's expiration date is in the past.",
      `${param}[exp_year]`,
    );
  }
  if (card.exp_year > year + 50) {
    throw cardError("invalid_expiry_year", "Your card's expiration year is invalid.", `${param}[exp_year]`);
  }
  // The rest of the vault's checks: a length the card's brand never has, a CVC of the wrong length.
  for (const problem of checkCard({ ...card, number: digits }, now)) {
    if (problem.code === "invalid_number") {
      throw new ApiError(400, {
        type: "card_error",
        code: "invalid_number",
        message: problem.message,
        param: `${param}[number]`,
      });
    }
    if (problem.code === "invalid_cvc") throw cardError("invalid_cvc", problem.message, `${param}[cvc]`);
  }
  return digits;
}

/** Same card, same merchant, same fingerprint; irreversible without the platform key. */
export function cardFingerprint(key: string, merchantId: string, digits: string): string {
  return createHmac("sha256", key).update(`${merchantId}:${digits}`).digest("base64url").slice(0, 16);
}
