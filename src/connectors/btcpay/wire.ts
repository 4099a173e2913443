/** BTCPay's wire shapes, read leniently: only the fields Payrail uses, unknown fields ignored. */
import { z } from "zod";

const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/);

export const invoiceSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  additionalStatus: z.string().default("None"),
  amount: decimalString,
  paidAmount: decimalString.optional(),
  currency: z.string().min(1),
  checkoutLink: z.string().optional(),
  expirationTime: z.number().optional(),
  createdTime: z.number().optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type WireInvoice = z.infer<typeof invoiceSchema>;

export const pullPaymentSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  currency: z.string().min(1),
  amount: decimalString,
  archived: z.boolean().optional(),
});
export type WirePullPayment = z.infer<typeof pullPaymentSchema>;

/** BTCPay 1.x says `amount`; 2.x says `originalAmount` (in the pull payment's currency). */
export const payoutSchema = z.object({
  id: z.string(),
  state: z.string(),
  amount: decimalString.optional(),
  originalAmount: decimalString.optional(),
});
export type WirePayout = z.infer<typeof payoutSchema>;

export const webhookSchema = z.object({ id: z.string().min(1), url: z.string() });

export const createdWebhookSchema = z.object({ id: z.string().min(1), secret: z.string().min(1).nullish() });

export const problemSchema = z.object({ code: z.string(), message: z.string().optional() });

const validationSchema = z.array(z.object({ path: z.string().optional(), message: z.string() }));

export function parseOne<T>(schema: z.ZodType<T>, body: unknown): T | undefined {
  const parsed = schema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

/** A list whose unreadable items are skipped; undefined when the body is not a list at all. */
export function parseList<T>(schema: z.ZodType<T>, body: unknown): T[] | undefined {
  if (!Array.isArray(body)) return undefined;
  return body.flatMap((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** BTCPay's words from an error body (ProblemDetails or a validation list), for the merchant's logs. */
export function problemMessage(body: unknown): string | undefined {
  const problem = problemSchema.safeParse(body);
  if (problem.success) return problem.data.message ?? problem.data.code;
  const problems = validationSchema.safeParse(body);
  if (problems.success && problems.data.length > 0) {
    return problems.data.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ");
  }
  return undefined;
}

export function problemCode(body: unknown): string | undefined {
  const problem = problemSchema.safeParse(body);
  return problem.success ? problem.data.code : undefined;
}
