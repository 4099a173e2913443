/**
 * The parts of Stripe's objects the connector reads, parsed leniently: extra fields are ignored, and
 * fields that older or newer API versions leave out are optional. Amounts are integers in minor units.
 */
import { z } from "zod";

const wireAmount = z.number().int().nonnegative().refine(Number.isSafeInteger);
const metadata = z.record(z.string(), z.string()).nullish();
/** An expandable field: the id, or the object when expanded. */
const idOrObject = z.union([z.string(), z.object({ id: z.string() })]).nullish();

export const wireChargeSchema = z.object({
  id: z.string().min(1),
  object: z.literal("charge"),
  amount: wireAmount,
  amount_captured: wireAmount.optional(),
  amount_refunded: wireAmount.optional(),
  captured: z.boolean(),
  refunded: z.boolean().optional(),
  currency: z.string(),
  status: z.string(),
  failure_code: z.string().nullish(),
  failure_message: z.string().nullish(),
  outcome: z.object({ reason: z.string().nullish() }).nullish(),
  payment_intent: idOrObject,
  metadata,
  payment_method_details: z
    .object({ card: z.object({ network_transaction_id: z.string().nullish() }).nullish() })
    .nullish(),
});
export type WireCharge = z.infer<typeof wireChargeSchema>;

export const wireLastPaymentErrorSchema = z.object({
  type: z.string().optional(),
  code: z.string().nullish(),
  decline_code: z.string().nullish(),
  message: z.string().nullish(),
});

export const wirePaymentIntentSchema = z.object({
  id: z.string().min(1),
  object: z.literal("payment_intent"),
  amount: wireAmount,
  amount_capturable: wireAmount.optional(),
  amount_received: wireAmount.optional(),
  currency: z.string(),
  status: z.string(),
  metadata,
  latest_charge: z.union([z.string(), wireChargeSchema]).nullish(),
  next_action: z
    .object({
      type: z.string(),
      redirect_to_url: z.object({ url: z.string().nullish() }).nullish(),
    })
    .nullish(),
  last_payment_error: wireLastPaymentErrorSchema.nullish(),
  cancellation_reason: z.string().nullish(),
});
export type WirePaymentIntent = z.infer<typeof wirePaymentIntentSchema>;

export const wireRefundSchema = z.object({
  id: z.string().min(1),
  object: z.literal("refund"),
  amount: wireAmount,
  currency: z.string(),
  status: z.string().nullish(),
  failure_reason: z.string().nullish(),
  charge: idOrObject,
  payment_intent: idOrObject,
  metadata,
});
export type WireRefund = z.infer<typeof wireRefundSchema>;

export const wireEventSchema = z.object({
  id: z.string().min(1),
  object: z.literal("event"),
  type: z.string().min(1),
  data: z.object({ object: z.unknown() }),
});
export type WireEvent = z.infer<typeof wireEventSchema>;

export const wireListSchema = z.object({
  object: z.enum(["list", "search_result"]),
  data: z.array(z.unknown()),
  has_more: z.boolean(),
});

function parser<T>(schema: z.ZodType<T>): (body: unknown) => T | null {
  return (body) => {
    const parsed = schema.safeParse(body);
    return parsed.success ? parsed.data : null;
  };
}

export const parsePaymentIntent = parser(wirePaymentIntentSchema);
export const parseCharge = parser(wireChargeSchema);
export const parseRefund = parser(wireRefundSchema);
export const parseEvent = parser(wireEventSchema);

export function idOf(field: string | { id: string } | null | undefined): string | undefined {
  if (field === null || field === undefined) return undefined;
  return typeof field === "string" ? field : field.id;
}

/** The metadata key that carries our reference on every object we create at Stripe. */
export const REFERENCE_KEY = "payrail_reference";

export function referenceOf(object: {
  metadata?: Record<string, string> | null | undefined;
}): string | undefined {
  return object.metadata?.[REFERENCE_KEY] ?? undefined;
}
