/**
 * Adyen standard webhooks: `{ live, notificationItems: [{ NotificationRequestItem }] }`, each item signed
 * with `additionalData.hmacSignature`. Every item of a batch must verify; the first one is mapped (the
 * contract carries one event per call, and Adyen sends one item per batch for JSON webhooks in practice).
 * The inbound route answers `[accepted]` to Adyen; that is not this module's job.
 */
import { z } from "zod";
import type {
  ConnectorAccount,
  InboundWebhook,
  PaymentStatus,
  WebhookEvent,
  WebhookVerification,
} from "../contract.ts";
import { adyenConfigSchema } from "./config.ts";
import { notificationSignatureMatches } from "./hmac.ts";
import { refusalToDeclineCode } from "./refusals.ts";
import { CAPTURE_METADATA_KEY } from "./requests.ts";

const itemSchema = z.object({
  pspReference: z.string().min(1).max(128),
  originalReference: z.string().max(128).optional(),
  merchantAccountCode: z.string().min(1).max(128),
  merchantReference: z.string().max(256),
  amount: z.object({
    value: z
      .number()
      .int()
      .refine((n) => Number.isSafeInteger(n)),
    currency: z.string().length(3),
  }),
  eventCode: z.string().min(1).max(64),
  success: z.enum(["true", "false"]),
  reason: z.string().optional(),
  additionalData: z.record(z.string(), z.unknown()).optional(),
  operations: z.array(z.string()).optional(),
});
export type NotificationItem = z.infer<typeof itemSchema>;

const bodySchema = z.object({
  live: z.string().optional(),
  notificationItems: z.array(z.object({ NotificationRequestItem: z.unknown() })).min(1),
});

const MAX_ITEMS = 100;

function extra(item: NotificationItem, key: string): string | undefined {
  const value = item.additionalData?.[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

export function providerEventId(item: NotificationItem): string {
  return `${item.pspReference}:${item.eventCode}:${item.success}`;
}

function authorisationStatus(item: NotificationItem, amount: bigint, currency: string): PaymentStatus {
  if (item.success === "false") {
    return {
      status: "declined",
      declineCode: refusalToDeclineCode({
        refusalReason: item.reason,
        refusalReasonRaw: extra(item, "refusalReasonRaw"),
      }),
      connectorReference: item.pspReference,
      providerMessage: item.reason,
    };
  }
  // Our own metadata (echoed as `metadata.*`) says whether we asked for automatic capture; a payment
  // whose follow-up operations leave out CAPTURE cannot be captured any more, so it was. Else: not.
  const captured =
    extra(item, `metadata.${CAPTURE_METADATA_KEY}`) === "automatic" ||
    (item.operations !== undefined && !item.operations.includes("CAPTURE"));
  return {
    status: "authorized",
    connectorReference: item.pspReference,
    amount,
    currency,
    captured,
    capturedAmount: captured ? amount : 0n,
  };
}

/**
 * Maps one verified item. Payment events name the payment by its pspReference (`originalReference` on
 * modifications); refund events by the refund's own pspReference, as `refund()` returned it. In both,
 * `reference` is Adyen's merchantReference: the reference we sent with that request.
 */
export function itemToWebhookEvent(item: NotificationItem): WebhookEvent {
  const id = providerEventId(item);
  const success = item.success === "true";
  const amount = BigInt(item.amount.value);
  const currency = item.amount.currency.toLowerCase();
  const payment = item.originalReference || item.pspReference;
  const paymentEvent = (status: PaymentStatus): WebhookEvent => ({
    kind: "payment",
    providerEventId: id,
    reference: item.merchantReference,
    connectorReference: status.status === "authorized" ? status.connectorReference : payment,
    status,
  });
  const refundEvent = (ok: boolean): WebhookEvent => ({
    kind: "refund",
    providerEventId: id,
    reference: item.merchantReference,
    connectorReference: item.pspReference,
    status: ok
      ? { status: "succeeded", connectorReference: item.pspReference, amount, currency }
      : { status: "failed", reason: item.reason || "refund_failed" },
  });
  // The authorization stands and nothing (more) was captured.
  const stillAuthorized: PaymentStatus = {
    status: "authorized",
    connectorReference: payment,
    amount,
    currency,
    captured: false,
    capturedAmount: 0n,
  };

  switch (item.eventCode) {
    case "AUTHORISATION":
      return paymentEvent(authorisationStatus(item, amount, currency));
    case "CAPTURE":
      // `amount` is this capture's amount, not the authorization's.
      return paymentEvent(
        success
          ? {
              status: "authorized",
              connectorReference: payment,
              amount,
              currency,
              captured: true,
              capturedAmount: amount,
            }
          : stillAuthorized,
      );
    case "CAPTURE_FAILED":
      return paymentEvent(stillAuthorized);
    case "CANCELLATION":
      return paymentEvent(
        success
          ? { status: "voided", connectorReference: payment }
          : { status: "pending", connectorReference: payment },
      );
    case "REFUND":
      return refundEvent(success);
    case "REFUND_FAILED":
      return refundEvent(false);
    case "CANCEL_OR_REFUND":
      if (extra(item, "modification.action") === "cancel") {
        return paymentEvent(
          success
            ? { status: "voided", connectorReference: payment }
            : { status: "pending", connectorReference: payment },
        );
      }
      return refundEvent(success);
    default:
      return { kind: "unknown", providerEventId: id, providerType: item.eventCode };
  }
}

export function verifyAdyenWebhook(
  account: ConnectorAccount,
  webhook: InboundWebhook,
  _now: Date,
): WebhookVerification {
  const config = adyenConfigSchema.safeParse(account.config);
  if (!config.success) return { ok: false, reason: "account_config_invalid" };
  const hmacKey = config.data.hmac_key;
  if (!hmacKey) return { ok: false, reason: "hmac_key_not_configured" };

  let raw: unknown;
  try {
    raw = JSON.parse(webhook.rawBody.toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed_json" };
  }
  const body = bodySchema.safeParse(raw);
  if (!body.success) return { ok: false, reason: "malformed_notification" };
  if (body.data.notificationItems.length > MAX_ITEMS) return { ok: false, reason: "too_many_items" };

  const items: NotificationItem[] = [];
  for (const wrapper of body.data.notificationItems) {
    const item = itemSchema.safeParse(wrapper.NotificationRequestItem);
    if (!item.success) return { ok: false, reason: "malformed_notification_item" };
    const signature = item.data.additionalData?.hmacSignature;
    if (signature === undefined) return { ok: false, reason: "missing_hmac_signature" };
    if (!notificationSignatureMatches(item.data, hmacKey, signature)) {
      return { ok: false, reason: "signature_mismatch" };
    }
    if (item.data.merchantAccountCode !== config.data.merchant_account) {
      return { ok: false, reason: "merchant_account_mismatch" };
    }
    items.push(item.data);
  }
  if (body.data.live !== undefined && (body.data.live === "true") !== account.livemode) {
    return { ok: false, reason: "livemode_mismatch" };
  }
  return { ok: true, event: itemToWebhookEvent(items[0]!) };
}
