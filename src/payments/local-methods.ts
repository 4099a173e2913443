import { z } from "zod";
import {
  LOCAL_METHOD_TYPES,
  type LocalMethodType,
  type LocalPaymentRequest,
  type ShopperChannel,
} from "../connectors/contract.ts";
import type { PaymentIntentRow, StoredLocalMethod } from "../db/schema.ts";
import { billingDetailsSchema } from "./card.ts";

export const SHOPPER_CHANNELS = ["web", "mobile_web", "qr", "app", "in_app"] as const;

/** Where a shopper pays when the merchant does not say: what works from a desktop browser. */
const DEFAULT_CHANNEL: Record<LocalMethodType, ShopperChannel> = {
  alipay: "web",
  wechat_pay: "qr",
  paypal: "web",
  ideal: "web",
  grabpay: "web",
  crypto: "web",
};

export interface LocalMethodData {
  type: LocalMethodType;
  channel?: ShopperChannel | undefined;
  /** WeChat JSAPI / mini-program: the shopper's openid under the merchant's app id. */
  wechat_pay?: { openid: string } | undefined;
  /** The shopper's IP address (WeChat H5 requires it; risk checks use it). */
  client_ip?: string | undefined;
  billing_details?: Record<string, unknown> | undefined;
}

function localSchema<T extends LocalMethodType>(type: T) {
  return z.strictObject({
    type: z.literal(type),
    channel: z.enum(SHOPPER_CHANNELS).optional(),
    client_ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    billing_details: billingDetailsSchema.optional(),
  });
}

/** `payment_method_data` for each non-card method. */
export const localMethodDataSchemas = [
  localSchema("alipay"),
  localSchema("wechat_pay").extend({
    wechat_pay: z
      .strictObject({
        openid: z
          .string()
          .regex(/^[0-9A-Za-z_-]{1,128}$/, "must be a WeChat openid")
          .describe("The shopper's openid under the merchant's app id (JSAPI and mini-programs)."),
      })
      .optional(),
  }),
  localSchema("paypal"),
  localSchema("ideal"),
  localSchema("grabpay"),
  localSchema("crypto"),
] as const;

export const paymentMethodTypesSchema = z
  .array(z.enum(["card", ...LOCAL_METHOD_TYPES]))
  .min(1)
  .max(10)
  .refine((types) => new Set(types).size === types.length, "must not repeat a type");

export function isLocalMethodType(type: string): type is LocalMethodType {
  return (LOCAL_METHOD_TYPES as readonly string[]).includes(type);
}

/** The shopper's first choice in `Accept-Language` (`zh-CN`, `nl`), for the provider's own pages. */
export function shopperLocale(acceptLanguage: string | undefined): string | undefined {
  const first = acceptLanguage?.split(",")[0]?.split(";")[0]?.trim();
  return first && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(first) ? first : undefined;
}

export function storedLocalMethod(data: LocalMethodData, acceptLanguage?: string): StoredLocalMethod {
  const locale = shopperLocale(acceptLanguage);
  return {
    ...(locale ? { locale } : {}),
    type: data.type,
    channel: data.channel ?? DEFAULT_CHANNEL[data.type],
    ...(data.wechat_pay ? { wechat_pay: data.wechat_pay } : {}),
    ...(data.client_ip ? { client_ip: data.client_ip } : {}),
    billing_details: data.billing_details ?? null,
  };
}

export function isStoredLocalMethod(value: { type: string } | null | undefined): value is StoredLocalMethod {
  return Boolean(value && isLocalMethodType(value.type));
}

function billingText(billing: Record<string, unknown> | null | undefined, ...path: string[]) {
  let value: unknown = billing;
  for (const key of path) value = value && typeof value === "object" ? (value as never)[key] : undefined;
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** What the provider needs about the shopper, from what the intent knows. */
export function shopperOf(method: StoredLocalMethod): LocalPaymentRequest["shopper"] {
  const country = billingText(method.billing_details, "address", "country");
  const email = billingText(method.billing_details, "email");
  return {
    ...(country ? { country: country.toUpperCase() } : {}),
    ...(email ? { email } : {}),
    ...(method.client_ip ? { ip: method.client_ip } : {}),
    ...(method.locale ? { locale: method.locale } : {}),
    ...(method.wechat_pay ? { openId: method.wechat_pay.openid } : {}),
  };
}

/**
 * The provider call that starts an intent's non-card payment. Built only from what the intent keeps, so
 * a retry after an unknown outcome sends the same order again (the provider answers it as the same one).
 */
export function localPaymentRequest(
  intent: PaymentIntentRow,
  method: StoredLocalMethod,
  where: { reference: string; publicUrl: string; expiresAt: Date },
): LocalPaymentRequest {
  return {
    reference: where.reference,
    paymentIntentId: intent.id,
    method: method.type,
    channel: method.channel,
    amount: intent.amount,
    currency: intent.currency,
    capture: intent.capture_method === "automatic",
    returnUrl: `${where.publicUrl}/pay/return/${intent.id}`,
    description: orderDescription(intent),
    expiresAt: where.expiresAt,
    shopper: shopperOf(method),
  };
}

/** The text providers show the shopper for the order (Alipay `subject`, WeChat `description`). */
export function orderDescription(intent: PaymentIntentRow): string {
  const text =
    intent.description ?? (intent.merchant_reference ? `Order ${intent.merchant_reference}` : null);
  return (text ?? `Payment ${intent.id}`).slice(0, 120);
}
