import { createHmac, hkdfSync } from "node:crypto";

const FINGERPRINT_BYTES = 16;
const MIN_KEY_BYTES = 32;
const PAN = /^[0-9]{12,19}$/;

/**
 * base64url(HMAC-SHA256(key, merchantId || 0x00 || pan)) cut to 16 bytes (22 characters): the same card
 * gives the same fingerprint within a merchant and an unrelated one in another merchant, and nobody
 * without the key can test a guessed number against it. `pan` is the digits only.
 */
export function cardFingerprint(fingerprintKey: Buffer, merchantId: string, pan: string): string {
  if (fingerprintKey.length < MIN_KEY_BYTES) {
    throw new RangeError(`fingerprint key must be at least ${MIN_KEY_BYTES} bytes`);
  }
  if (merchantId === "" || merchantId.includes("\0")) {
    throw new TypeError("merchantId must be non-empty and contain no NUL");
  }
  if (!PAN.test(pan)) throw new TypeError("card number must be 12 to 19 digits, without separators");
  return createHmac("sha256", fingerprintKey)
    .update(merchantId, "utf8")
    .update(Buffer.of(0))
    .update(pan, "ascii")
    .digest()
    .subarray(0, FINGERPRINT_BYTES)
    .toString("base64url");
}

/**
 * A fingerprint key derived from a master secret with HKDF-SHA256, so one configured secret can serve
 * several purposes without the fingerprint key ever equalling it.
 */
export function deriveFingerprintKey(masterKey: Buffer, info = "payrail-vault:fingerprint:v1"): Buffer {
  if (masterKey.length < MIN_KEY_BYTES)
    throw new RangeError(`master key must be at least ${MIN_KEY_BYTES} bytes`);
  return Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), info, 32));
}
