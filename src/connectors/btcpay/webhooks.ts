/**
 * `BTCPay-Sig: sha256=<hex HMAC-SHA256(webhook secret, raw body)>`, checked in constant time on the exact
 * raw bytes before anything is parsed. The header has no timestamp, and a redelivery keeps the event's
 * original one, so there is no freshness window: replays dedupe on `originalDeliveryId` instead.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { ConnectorAccount, InboundWebhook, WebhookEvent, WebhookVerification } from "../contract.ts";
import { headerValue } from "../timestamped-signature.ts";
import { btcpayConfigSchema } from "./config.ts";

/** Invoice events; the body names the invoice, not its state, so Payrail asks BTCPay (sync). */
export const INVOICE_EVENT_TYPES = new Set([
  "InvoiceCreated",
  "InvoiceReceivedPayment",
  "InvoicePaymentSettled",
  "InvoiceProcessing",
  "InvoiceExpired",
  "InvoiceSettled",
  "InvoiceInvalid",
  // Sent by BTCPay, though its swagger lists no schema for them.
  "InvoiceExpiredPaidPartial",
  "InvoicePaidAfterExpiration",
]);

/** What Payrail subscribes its webhook to: every change of what an invoice's payment is. */
export const SUBSCRIBED_EVENTS = [
  "InvoiceReceivedPayment",
  "InvoiceProcessing",
  "InvoiceSettled",
  "InvoiceExpired",
  "InvoiceInvalid",
] as const;

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

const eventSchema = z.object({
  deliveryId: z.string().min(1),
  originalDeliveryId: z.string().min(1).optional(),
  type: z.string().min(1),
  storeId: z.string().optional(),
  invoiceId: z.string().min(1).optional(),
});

export function signatureMatches(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  const match = header === undefined ? null : SIGNATURE.exec(header.trim());
  if (!match?.[1]) return false;
  const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1], "hex"), expected);
}

/** Maps a verified body (and says which store sent it); undefined when it is not a BTCPay event. */
export function bodyToWebhookEvent(
  body: unknown,
): { event: WebhookEvent; storeId: string | undefined } | undefined {
  const parsed = eventSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { type, invoiceId, storeId } = parsed.data;
  // A redelivery is a new delivery of the same event: the original id makes both one event.
  const providerEventId = parsed.data.originalDeliveryId ?? parsed.data.deliveryId;
  if (INVOICE_EVENT_TYPES.has(type) && invoiceId) {
    return { event: { kind: "payment_lookup", providerEventId, connectorReference: invoiceId }, storeId };
  }
  return { event: { kind: "unknown", providerEventId, providerType: type }, storeId };
}

export function verifyBtcpayWebhook(account: ConnectorAccount, webhook: InboundWebhook): WebhookVerification {
  const config = btcpayConfigSchema.safeParse(account.config);
  if (!config.success) return { ok: false, reason: "account_config_invalid" };
  const secret = config.data.webhook_secret;
  if (!secret) return { ok: false, reason: "webhook_secret_missing" };
  const header = headerValue(webhook.headers, "btcpay-sig");
  if (header === undefined) return { ok: false, reason: "missing_signature_header" };
  if (!signatureMatches(secret, webhook.rawBody, header)) return { ok: false, reason: "signature_mismatch" };

  let body: unknown;
  try {
    body = JSON.parse(webhook.rawBody.toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed_json" };
  }
  const mapped = bodyToWebhookEvent(body);
  if (!mapped) return { ok: false, reason: "malformed_event" };
  if (mapped.storeId !== undefined && mapped.storeId !== config.data.store_id) {
    return { ok: false, reason: "store_mismatch" };
  }
  return { ok: true, event: mapped.event };
}
