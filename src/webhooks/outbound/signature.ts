import { createHmac, timingSafeEqual } from "node:crypto";
import { type RandomSource, randomToken } from "../../core/ids.ts";

/**
 * Outbound webhook signatures, Stripe's scheme: `Payrail-Signature: t=<unix seconds>,v1=<hex>` where
 * the hex is HMAC-SHA256(secret, "<t>.<raw body>"). Merchants verify with `verifyPayrailSignature`.
 */

export const SIGNATURE_HEADER = "Payrail-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function computeSignature(secret: string, rawBody: string | Buffer, timestampSeconds: number): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.`).update(rawBody).digest("hex");
}

/** The header value; several secrets (during a secret roll) give several v1 entries. */
export function signPayload(
  secret: string | readonly string[],
  rawBody: string | Buffer,
  timestampSeconds: number,
): string {
  const t = Math.floor(timestampSeconds);
  const secrets = typeof secret === "string" ? [secret] : secret;
  return [`t=${t}`, ...secrets.map((s) => `v1=${computeSignature(s, rawBody, t)}`)].join(",");
}

/** `whsec_` + 32 base62 characters (about 190 bits). */
export function generateWebhookSecret(random: RandomSource): string {
  return `whsec_${randomToken(random, 24).slice(-32)}`;
}

export type VerifyResult =
  | { ok: true; timestamp: number }
  | {
      ok: false;
      reason:
        | "missing_header"
        | "malformed_header"
        | "no_signature"
        | "timestamp_outside_tolerance"
        | "signature_mismatch";
    };

function parseHeader(header: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const item = part.trim();
    const eq = item.indexOf("=");
    if (eq <= 0) return undefined;
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (key === "t") {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === "v1") {
      signatures.push(value);
    }
    // Other schemes (v0, future versions) are ignored, as Stripe's libraries do.
  }
  if (timestamp === undefined) return undefined;
  return { timestamp, signatures };
}

function sameHex(candidate: string, expected: string): boolean {
  const a = Buffer.from(candidate, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * For merchants' receivers: checks a `Payrail-Signature` header against the exact raw body. Any v1
 * entry may match (during a secret roll there are two). The timestamp must lie within `toleranceSeconds`
 * of `now` in either direction, so old and future-dated messages are both refused.
 */
export function verifyPayrailSignature(
  rawBody: string | Buffer,
  header: string,
  secret: string,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
  now: number = Date.now() / 1000,
): VerifyResult {
  if (typeof header !== "string" || header.trim() === "") return { ok: false, reason: "missing_header" };
  const parsed = parseHeader(header);
  if (!parsed) return { ok: false, reason: "malformed_header" };
  if (parsed.signatures.length === 0) return { ok: false, reason: "no_signature" };
  const expected = computeSignature(secret, rawBody, parsed.timestamp);
  let matched = false;
  // Compare against every entry (no early exit), each in constant time.
  for (const signature of parsed.signatures) if (sameHex(signature.toLowerCase(), expected)) matched = true;
  if (!matched) return { ok: false, reason: "signature_mismatch" };
  if (Math.abs(now - parsed.timestamp) > toleranceSeconds) {
    return { ok: false, reason: "timestamp_outside_tolerance" };
  }
  return { ok: true, timestamp: parsed.timestamp };
}
