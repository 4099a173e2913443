/**
 * Adyen's HMAC signature of a standard (payment) webhook item: HMAC-SHA256, keyed with the hex-decoded
 * HMAC key, over the item's fields joined by colons, Base64-encoded. A missing field signs as empty.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface SignedNotificationFields {
  pspReference?: string | undefined;
  originalReference?: string | undefined;
  merchantAccountCode?: string | undefined;
  merchantReference?: string | undefined;
  amount?: { value?: number | string | undefined; currency?: string | undefined } | undefined;
  eventCode?: string | undefined;
  success?: string | boolean | undefined;
}

const HMAC_KEY = /^[0-9A-Fa-f]{64}$/;

function text(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}

export function notificationSigningString(item: SignedNotificationFields): string {
  return [
    item.pspReference,
    item.originalReference,
    item.merchantAccountCode,
    item.merchantReference,
    item.amount?.value,
    item.amount?.currency,
    item.eventCode,
    item.success,
  ]
    .map(text)
    .join(":");
}

function keyBytes(hexKey: string): Buffer {
  if (!HMAC_KEY.test(hexKey)) throw new RangeError("an Adyen HMAC key is 64 hexadecimal characters");
  return Buffer.from(hexKey, "hex");
}

/** Base64 HMAC of one notification item. */
export function signNotification(item: SignedNotificationFields, hexKey: string): string {
  return createHmac("sha256", keyBytes(hexKey))
    .update(notificationSigningString(item), "utf8")
    .digest("base64");
}

/** Constant-time check of a Base64 signature; false (never a throw) for anything malformed. */
export function notificationSignatureMatches(
  item: SignedNotificationFields,
  hexKey: string,
  signature: unknown,
): boolean {
  if (typeof signature !== "string" || signature.length === 0 || signature.length > 128) return false;
  if (!HMAC_KEY.test(hexKey)) return false;
  const expected = createHmac("sha256", keyBytes(hexKey))
    .update(notificationSigningString(item), "utf8")
    .digest();
  const received = Buffer.from(signature, "base64");
  return received.length === expected.length && timingSafeEqual(received, expected);
}
