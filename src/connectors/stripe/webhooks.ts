/** Verification of `Stripe-Signature` on the exact raw bytes, then mapping of the event. */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { ConnectorAccount, InboundWebhook, WebhookVerification } from "../contract.ts";
import { stripeConfigSchema } from "./config.ts";
import { eventToWebhookEvent } from "./events.ts";
import { parseEvent } from "./wire.ts";

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface ParsedSignature {
  timestamp: number;
  signatures: Buffer[];
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/** `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`; other schemes (v0) are ignored. */
export function parseSignatureHeader(header: string): ParsedSignature | null {
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(",")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === "t") {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === "v1" && /^[0-9a-fA-F]{64}$/.test(value)) {
      signatures.push(Buffer.from(value, "hex"));
    }
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}

export function verifyStripeWebhook(
  account: ConnectorAccount,
  webhook: InboundWebhook,
  now: Date,
): WebhookVerification {
  const config = stripeConfigSchema.safeParse(account.config);
  if (!config.success) return { ok: false, reason: "account_config_invalid" };
  const secret = config.data.webhook_secret;
  if (!secret) return { ok: false, reason: "webhook_secret_missing" };

  const header = headerValue(webhook.headers, "stripe-signature");
  if (header === undefined) return { ok: false, reason: "missing_signature_header" };
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, reason: "malformed_signature_header" };

  const expected = createHmac("sha256", secret)
    .update(`${parsed.timestamp}.`, "utf8")
    .update(webhook.rawBody)
    .digest();
  // Every v1 is compared, so the time taken does not tell which one matched.
  let matches = false;
  for (const candidate of parsed.signatures) {
    if (timingSafeEqual(candidate, expected)) matches = true;
  }
  if (!matches) return { ok: false, reason: "signature_mismatch" };

  const age = Math.floor(now.getTime() / 1000) - parsed.timestamp;
  if (age > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: "timestamp_too_old" };
  if (age < -SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: "timestamp_in_future" };

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
