/** The parts of Mollie's v2 resources the connector reads, validated before anything is mapped. */
import { z } from "zod";

const amount = z.object({ currency: z.string(), value: z.string() });
const link = z.object({ href: z.string() });

/** Payment ids: `tr_` and letters or digits. */
export const PAYMENT_ID = /^tr_[0-9A-Za-z]{5,64}$/;
const REFUND_ID = /^re_[0-9A-Za-z]{5,64}$/;

export const wirePaymentSchema = z.object({
  resource: z.literal("payment"),
  id: z.string().regex(PAYMENT_ID),
  status: z.string(),
  amount,
  createdAt: z.string().optional(),
  expiresAt: z.string().optional(),
  isCancelable: z.boolean().optional(),
  metadata: z.unknown().optional(),
  _links: z.object({ checkout: link.nullish() }).optional(),
});
export type WirePayment = z.infer<typeof wirePaymentSchema>;

export const wireRefundSchema = z.object({
  resource: z.literal("refund"),
  id: z.string().regex(REFUND_ID),
  paymentId: z.string().regex(PAYMENT_ID),
  status: z.string(),
  amount,
  metadata: z.unknown().optional(),
});
export type WireRefund = z.infer<typeof wireRefundSchema>;

const periodLine = z.object({
  description: z.string(),
  method: z.string().nullish(),
  count: z.number().int().nonnegative(),
  amountGross: amount,
});

export const wireSettlementSchema = z.object({
  resource: z.literal("settlement"),
  id: z.string().min(1),
  reference: z.string().nullish(),
  status: z.string(),
  createdAt: z.string(),
  settledAt: z.string().nullish(),
  amount,
  periods: z
    .record(
      z.string(),
      z.record(
        z.string(),
        z.object({ revenue: z.array(periodLine).optional(), costs: z.array(periodLine).optional() }),
      ),
    )
    .optional(),
});
export type WireSettlement = z.infer<typeof wireSettlementSchema>;

/** A page of a list: `{ count, _embedded: { <name>: [...] }, _links: { next } }`. */
export function listSchema(name: string) {
  return z.object({
    count: z.number(),
    _embedded: z.record(z.string(), z.array(z.unknown())).refine((e) => Array.isArray(e[name])),
    _links: z.object({ next: link.nullish() }),
  });
}

export const wireErrorSchema = z.object({
  status: z.number(),
  title: z.string().optional(),
  detail: z.string().optional(),
  field: z.string().optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

export function parseWith<T>(schema: z.ZodType<T>, body: unknown): T | null {
  const parsed = schema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/** The `payrail_reference` we put in a payment's or refund's metadata, if it is there. */
export function payrailReferenceOf(metadata: unknown): string | undefined {
  if (!metadata || typeof metadata !== "object" || Array.isArray(metadata)) return undefined;
  const value = (metadata as Record<string, unknown>).payrail_reference;
  return typeof value === "string" ? value : undefined;
}
