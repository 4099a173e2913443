/** Verification of `Stripe-Signature` on the exact raw bytes, then mapping of the event. */
import type { ConnectorAccount, InboundWebhook, WebhookVerification } from "../contract.ts";
import { verifyTimestampedSignature } from "../timestamped-signature.ts";
import { stripeConfigSchema } from "./config.ts";
import { eventToWebhookEvent } from "./events.ts";
import { parseEvent } from "./wire.ts";

export function verifyStripeWebhook(
  account: ConnectorAccount,
  webhook: InboundWebhook,
  now: Date,
): WebhookVerification {
  const config = stripeConfigSchema.safeParse(account.config);
  if (!config.success) return { ok: false, reason: "account_config_invalid" };
  const secret = config.data.webhook_secret;
  if (!secret) return { ok: false, reason: "webhook_secret_missing" };

  const signature = verifyTimestampedSignature(
    webhook.headers,
    "stripe-signature",
    secret,
    webhook.rawBody,
    now,
  );
  if (!signature.ok) return signature;

  let body: unknown;
  try {
    body = JSON.parse(webhook.rawBody.toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed_json" };
  }
  const event = parseEvent(body);
  if (!event) return { ok: false, reason: "malformed_event" };
  return { ok: true, event: eventToWebhookEvent(event) };
}
