/** Verification of `Sandbox-Signature` on the exact raw bytes, then mapping of the event. */
import type { ConnectorAccount, InboundWebhook, WebhookVerification } from "../contract.ts";
import { verifyTimestampedSignature } from "../timestamped-signature.ts";
import { sandboxConfigSchema } from "./config.ts";
import { eventToWebhookEvent } from "./transformers.ts";

export function verifySandboxWebhook(
  account: ConnectorAccount,
  webhook: InboundWebhook,
  now: Date,
): WebhookVerification {
  const config = sandboxConfigSchema.safeParse(account.config);
  if (!config.success) return { ok: false, reason: "account_config_invalid" };

  const signature = verifyTimestampedSignature(
    webhook.headers,
    "sandbox-signature",
    config.data.api_key,
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
  const event = eventToWebhookEvent(body);
  if (!event) return { ok: false, reason: "malformed_event" };
  return { ok: true, event };
}
