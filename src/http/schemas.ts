import { z } from "zod";
import { isKnownCurrency } from "../core/money.ts";

/** Stripe's metadata limits: 50 keys, keys up to 40 characters without brackets, values up to 500. */
export const metadataSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(40)
      .regex(/^[^[\]]+$/, "metadata keys cannot contain square brackets"),
    z.string().max(500),
  )
  .refine((m) => Object.keys(m).length <= 50, "metadata can have at most 50 keys");

export const currencySchema = z
  .string()
  .regex(/^[a-z]{3}$/, "must be a three-letter ISO 4217 code in lower case")
  .refine(isKnownCurrency, "is not a supported ISO 4217 currency");

/** Minor units as a JSON integer; exponent and maximum are checked by the service per currency. */
export const amountSchema = z
  .number()
  .int("must be an integer in the currency's minor unit")
  .positive("must be greater than zero");

export const idOf = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9A-Za-z]{8,40}$`), `must be a ${prefix}_ id`);

export const emailSchema = z.email().max(512);
