/** Verification of `Sandbox-Signature` on the exact raw bytes, then mapping of the event. */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { ConnectorAccount, InboundWebhook, WebhookVerification } from "../contract.ts";
import { sandboxConfigSchema } from "./config.ts";
import { eventToWebhookEvent } from "./transformers.ts";

export const SIGNATURE_TOLERANCE_SECONDS = 300;

interface ParsedSignature {
  timestamp: number;
  signatures: Buffer[];
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

export function parseSignatureHeader(header: string): ParsedSignature | null {
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(",")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === "t") {
      if (!/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === "v1" && /^[0-9a-fA-F]{64}$/.test(value)) {
      signatures.push(Buffer.from(value, "hex"));
    }
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}

export function verifySandboxWebhook(
  account: ConnectorAccount,
  webhook: InboundWebhook,
  now: Date,
): WebhookVerification {
  const config = sandboxConfigSchema.safeParse(account.config);
  if (!config.success) return { ok: false, reason: "account_config_invalid" };

  const header = headerValue(webhook.headers, "sandbox-signature");
  if (header === undefined) return { ok: false, reason: "missing_signature_header" };
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, reason: "malformed_signature_header" };

  const expected = createHmac("sha256", config.data.api_key)
    .update(`${parsed.timestamp}.`, "utf8")
    .update(webhook.rawBody)
    .digest();
  const matches = parsed.signatures.some(
    (candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected),
  );
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
  const event = eventToWebhookEvent(body);
  if (!event) return { ok: false, reason: "malformed_event" };
  return { ok: true, event };
}
