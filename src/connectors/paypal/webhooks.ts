/**
 * PayPal webhook verification, on the exact raw bytes, before anything in the body is believed. Two ways,
 * chosen by the account's `webhook_verification`:
 *  - offline (default): SHA256withRSA over `<transmission id>|<transmission time>|<webhook id>|<CRC-32 of
 *    the raw body, unsigned decimal>` with the certificate at PAYPAL-CERT-URL, whose host must be one the
 *    account trusts; the certificate must be valid and the transmission time recent.
 *  - api: PayPal's POST /v1/notifications/verify-webhook-signature checks it (one more call per event).
 */
import { verify } from "node:crypto";
import { crc32 } from "node:zlib";
import type { ConnectorAccount, InboundWebhook, WebhookVerification } from "../contract.ts";
import { headerValue, SIGNATURE_TOLERANCE_SECONDS } from "../timestamped-signature.ts";
import { allowedCertUrl, type CertificateCache, isValidAt } from "./certificates.ts";
import { type PayPalConfig, paypalConfigSchema } from "./config.ts";
import { eventToWebhookEvent } from "./events.ts";
import { parse, webhookEventSchema } from "./wire.ts";

export const AUTH_ALGO = "SHA256withRSA";
const TRANSMISSION_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/]{16,2048}={0,2}$/;

export interface Transmission {
  id: string;
  time: string;
  signature: string;
  certUrl: string;
  authAlgo: string;
}

export interface WebhookVerifierDeps {
  certificates: CertificateCache;
  /** POST /v1/notifications/verify-webhook-signature for the account; `unknown` when PayPal did not say. */
  verifyByApi(config: PayPalConfig, body: object): Promise<"SUCCESS" | "FAILURE" | "unknown">;
}

export function transmissionOf(headers: Record<string, string>): Transmission | null {
  const id = headerValue(headers, "paypal-transmission-id");
  const time = headerValue(headers, "paypal-transmission-time");
  const signature = headerValue(headers, "paypal-transmission-sig");
  const certUrl = headerValue(headers, "paypal-cert-url");
  const authAlgo = headerValue(headers, "paypal-auth-algo");
  if (!id || !time || !signature || !certUrl || !authAlgo) return null;
  return { id, time, signature, certUrl, authAlgo };
}

/** The message PayPal signs: the CRC-32 binds the signature to these exact bytes. */
export function signedMessage(transmission: Transmission, webhookId: string, rawBody: Buffer): string {
  return `${transmission.id}|${transmission.time}|${webhookId}|${crc32(rawBody)}`;
}

async function verifyOffline(
  config: PayPalConfig,
  webhookId: string,
  transmission: Transmission,
  rawBody: Buffer,
  now: Date,
  deps: WebhookVerifierDeps,
): Promise<string | null> {
  if (!BASE64.test(transmission.signature)) return "malformed_signature";
  const url = allowedCertUrl(transmission.certUrl, config.cert_hosts);
  if (typeof url === "string") return url;
  const answer = await deps.certificates.get(url);
  if (!answer.ok) return answer.reason;
  if (!isValidAt(answer.certificate, now)) return "cert_not_valid";
  const message = Buffer.from(signedMessage(transmission, webhookId, rawBody), "utf8");
  const signature = Buffer.from(transmission.signature, "base64");
  return verify("sha256", message, answer.certificate.publicKey, signature) ? null : "signature_mismatch";
}

async function verifyWithApi(
  config: PayPalConfig,
  webhookId: string,
  transmission: Transmission,
  event: unknown,
  deps: WebhookVerifierDeps,
): Promise<string | null> {
  // PayPal re-serialises webhook_event to compute its CRC-32: the event goes back exactly as parsed.
  const verdict = await deps.verifyByApi(config, {
    auth_algo: transmission.authAlgo,
    cert_url: transmission.certUrl,
    transmission_id: transmission.id,
    transmission_sig: transmission.signature,
    transmission_time: transmission.time,
    webhook_id: webhookId,
    webhook_event: event,
  });
  if (verdict === "unknown") return "verification_unavailable";
  return verdict === "SUCCESS" ? null : "signature_mismatch";
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw.toString("utf8")) as unknown };
  } catch {
    return { ok: false };
  }
}

export async function verifyPayPalWebhook(
  account: ConnectorAccount,
  webhook: InboundWebhook,
  now: Date,
  deps: WebhookVerifierDeps,
): Promise<WebhookVerification> {
  const parsedConfig = paypalConfigSchema.safeParse(account.config);
  if (!parsedConfig.success) return { ok: false, reason: "account_config_invalid" };
  const config = parsedConfig.data;
  if (!config.webhook_id) return { ok: false, reason: "webhook_id_not_configured" };
  const transmission = transmissionOf(webhook.headers);
  if (!transmission) return { ok: false, reason: "missing_signature_headers" };
  if (transmission.authAlgo !== AUTH_ALGO) return { ok: false, reason: "unsupported_auth_algo" };

  let body: unknown;
  if (config.webhook_verification === "api") {
    const json = parseJson(webhook.rawBody);
    if (!json.ok) return { ok: false, reason: "malformed_json" };
    body = json.value;
    const failure = await verifyWithApi(config, config.webhook_id, transmission, body, deps);
    if (failure) return { ok: false, reason: failure };
  } else {
    const failure = await verifyOffline(config, config.webhook_id, transmission, webhook.rawBody, now, deps);
    if (failure) return { ok: false, reason: failure };
    const json = parseJson(webhook.rawBody);
    if (!json.ok) return { ok: false, reason: "malformed_json" };
    body = json.value;
  }

  // The time is signed too; an old transmission is a replay (PayPal signs every retry anew).
  const sentAt = TRANSMISSION_TIME.test(transmission.time) ? Date.parse(transmission.time) : Number.NaN;
  if (Number.isNaN(sentAt)) return { ok: false, reason: "malformed_transmission_time" };
  if (Math.abs(now.getTime() - sentAt) > SIGNATURE_TOLERANCE_SECONDS * 1000) {
    return { ok: false, reason: "transmission_time_out_of_tolerance" };
  }
  const event = parse(webhookEventSchema, body);
  if (!event) return { ok: false, reason: "malformed_event" };
  return { ok: true, event: eventToWebhookEvent(event) };
}
