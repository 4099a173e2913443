/**
 * The `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` signature scheme that Stripe
 * uses (`Stripe-Signature`) and Payrail's sandbox processor follows (`Sandbox-Signature`), checked on
 * the exact raw bytes with a tolerance on the timestamp.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface ParsedSignature {
  timestamp: number;
  signatures: Buffer[];
}

export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/** `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`; other schemes (v0) are ignored, a second `t` refused. */
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

export function verifyTimestampedSignature(
  headers: Record<string, string>,
  headerName: string,
  secret: string,
  rawBody: Buffer,
  now: Date,
): { ok: true } | { ok: false; reason: string } {
  const header = headerValue(headers, headerName);
  if (header === undefined) return { ok: false, reason: "missing_signature_header" };
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, reason: "malformed_signature_header" };
  const expected = createHmac("sha256", secret)
    .update(`${parsed.timestamp}.`, "utf8")
    .update(rawBody)
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
  return { ok: true };
}
