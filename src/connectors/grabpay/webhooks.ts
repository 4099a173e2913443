/**
 * GrabPay signs a notification as a partner signs its requests, with the partner secret:
 * `Authorization: <partnerID>:<HMAC>` over POST, the Content-Type, the Date, the notification URL's path
 * and query, and the digest of the exact raw body. Verified first; only then is the body read.
 */
import type { ConnectorAccount, InboundWebhook, WebhookVerification } from "../contract.ts";
import { headerValue } from "../timestamped-signature.ts";
import { type GrabPayConfig, grabPayConfigSchema } from "./config.ts";
import { partnerSignature, sameText } from "./signing.ts";
import { notificationToEvent } from "./transformers.ts";
import { parseNotification } from "./wire.ts";

export const NOTIFICATION_TOLERANCE_SECONDS = 300;

/** The path and query GrabPay posts to: the registered URL's, or Payrail's hook route of the account. */
export function notificationPathOf(account: ConnectorAccount, config: GrabPayConfig): string {
  if (config.notification_url) {
    const url = new URL(config.notification_url);
    return `${url.pathname}${url.search}`;
  }
  return `/v1/hooks/grabpay/${encodeURIComponent(account.id)}`;
}

function checkSignature(
  account: ConnectorAccount,
  config: GrabPayConfig,
  webhook: InboundWebhook,
  now: Date,
): { ok: true } | { ok: false; reason: string } {
  const authorization = headerValue(webhook.headers, "authorization");
  if (!authorization) return { ok: false, reason: "missing_signature_header" };
  const colon = authorization.indexOf(":");
  if (colon <= 0) return { ok: false, reason: "malformed_signature_header" };
  if (authorization.slice(0, colon) !== config.partner_id) return { ok: false, reason: "unknown_partner" };
  const date = headerValue(webhook.headers, "date");
  if (!date) return { ok: false, reason: "missing_date_header" };
  const expected = partnerSignature(config.partner_secret, {
    method: "POST",
    contentType: headerValue(webhook.headers, "content-type") ?? "",
    date,
    pathAndQuery: notificationPathOf(account, config),
    body: webhook.rawBody,
  });
  if (!sameText(authorization.slice(colon + 1).trim(), expected))
    return { ok: false, reason: "signature_mismatch" };
  const sentAt = Date.parse(date);
  if (Number.isNaN(sentAt)) return { ok: false, reason: "malformed_date_header" };
  if (Math.abs(now.getTime() - sentAt) > NOTIFICATION_TOLERANCE_SECONDS * 1000) {
    return { ok: false, reason: "date_outside_tolerance" };
  }
  return { ok: true };
}

export function verifyGrabPayWebhook(
  account: ConnectorAccount,
  webhook: InboundWebhook,
  now: Date,
): WebhookVerification {
  const config = grabPayConfigSchema.safeParse(account.config);
  if (!config.success) return { ok: false, reason: "account_config_invalid" };
  const signature = checkSignature(account, config.data, webhook, now);
  if (!signature.ok) return signature;
  let body: unknown;
  try {
    body = JSON.parse(webhook.rawBody.toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed_json" };
  }
  const notification = parseNotification(body);
  if (!notification) return { ok: false, reason: "malformed_notification" };
  return { ok: true, event: notificationToEvent(notification) };
}
