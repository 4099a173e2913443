/**
 * The parts of PayPal's JSON that Payrail reads, checked with zod. Anything else PayPal sends is ignored;
 * a body without what is needed parses to null, and the caller treats that as an unknown outcome.
 */
import { z } from "zod";

const id = z.string().min(1).max(64);
const text = z.string().max(256);

export const moneySchema = z.object({
  currency_code: z.string().regex(/^[A-Za-z]{3}$/),
  value: z.string().regex(/^\d{1,32}(?:\.\d{1,10})?$/),
});

/** Standalone captures and authorizations (Payments API, webhooks) name the order they belong to. */
const supplementaryData = z
  .object({
    related_ids: z.object({ order_id: id.optional(), authorization_id: id.optional() }).optional(),
  })
  .optional();

export const captureSchema = z.object({
  id,
  status: z.string().max(64),
  status_details: z.object({ reason: text.optional() }).optional(),
  amount: moneySchema,
  invoice_id: text.optional(),
  custom_id: text.optional(),
  supplementary_data: supplementaryData,
});
export type PayPalCapture = z.infer<typeof captureSchema>;

export const authorizationSchema = z.object({
  id,
  status: z.string().max(64),
  amount: moneySchema,
  invoice_id: text.optional(),
  custom_id: text.optional(),
  supplementary_data: supplementaryData,
});
export type PayPalAuthorization = z.infer<typeof authorizationSchema>;

export const refundSchema = z.object({
  id,
  status: z.string().max(64),
  status_details: z.object({ reason: text.optional() }).optional(),
  amount: moneySchema,
  invoice_id: text.optional(),
  custom_id: text.optional(),
});
export type PayPalRefund = z.infer<typeof refundSchema>;

export const purchaseUnitSchema = z.object({
  amount: moneySchema.optional(),
  custom_id: text.optional(),
  invoice_id: text.optional(),
  payments: z
    .object({
      captures: z.array(captureSchema).optional(),
      authorizations: z.array(authorizationSchema).optional(),
    })
    .optional(),
});
export type PayPalPurchaseUnit = z.infer<typeof purchaseUnitSchema>;

export const orderSchema = z.object({
  id,
  intent: z.enum(["CAPTURE", "AUTHORIZE"]).optional(),
  status: z.string().max(64),
  create_time: z.string().max(64).optional(),
  purchase_units: z.array(purchaseUnitSchema).optional(),
  links: z.array(z.object({ href: z.string().max(4096), rel: z.string().max(64) })).optional(),
});
export type PayPalOrder = z.infer<typeof orderSchema>;

export const webhookEventSchema = z.object({
  id: z.string().min(1).max(128),
  event_type: z.string().min(1).max(128),
  resource_type: z.string().max(64).optional(),
  resource: z.unknown(),
});
export type PayPalEvent = z.infer<typeof webhookEventSchema>;

export const webhookListSchema = z.object({
  webhooks: z.array(z.object({ id, url: z.string() })).optional(),
});

export function parse<T>(schema: z.ZodType<T>, body: unknown): T | null {
  const parsed = schema.safeParse(body);
  return parsed.success ? parsed.data : null;
}
