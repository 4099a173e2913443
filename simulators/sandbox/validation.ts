/** Request bodies of the sandbox API; a failure names the parameter the way the processor does. */
import { z } from "zod";

const reference = z.string().min(1).max(255);
const amount = z
  .number()
  .int()
  .positive()
  .refine((n) => Number.isSafeInteger(n), "amount is too large");
const httpUrl = z
  .string()
  .max(2048)
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), "must be an http(s) URL");

export const createChargeSchema = z.strictObject({
  reference,
  amount,
  currency: z.string().regex(/^[a-z]{3}$/, "must be three lower-case letters"),
  capture: z.boolean(),
  card: z.strictObject({
    number: z.string().regex(/^\d{12,19}$/, "Your card number is invalid."),
    exp_month: z.number().int().min(1).max(12),
    exp_year: z.number().int().min(1000).max(9999),
    cvc: z
      .string()
      .regex(/^\d{3,4}$/, "Your card's security code is invalid.")
      .optional(),
  }),
  return_url: httpUrl,
  notification_url: httpUrl.optional(),
  description: z.string().max(1000).optional(),
});

export const captureSchema = z.strictObject({ amount, reference, final: z.boolean().optional() });
export const voidSchema = z.strictObject({ reference });
export const refundSchema = z.strictObject({ charge: z.string().min(1), amount, reference });

export type Validated<T> = { ok: true; value: T } | { ok: false; param: string; message: string };

function paramName(path: ReadonlyArray<PropertyKey>): string {
  const [head, ...rest] = path.map(String);
  return `${head ?? ""}${rest.map((part) => `[${part}]`).join("")}`;
}

export function validate<T>(schema: z.ZodType<T>, input: unknown): Validated<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  if (!issue) return { ok: false, param: "", message: "Invalid request." };
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
  const param = paramName(path);
  const message =
    issue.code === "unrecognized_keys"
      ? `Received unknown parameter: ${param}`
      : `${param}: ${issue.message}`;
  return { ok: false, param, message };
}
