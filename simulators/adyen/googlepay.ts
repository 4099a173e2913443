/**
 * Adyen's side of Google Pay in PAYMENT_GATEWAY mode: Google encrypts the PaymentMethodToken for the
 * recipient `gateway:adyen`, and only Adyen can open it. Verification and decryption follow Google's
 * "Payment data cryptography" guide for ECv2 (developers.google.com/pay/api/web/guides/resources/
 * payment-data-cryptography): the intermediate signing key is signed by a non-expired root key, the
 * message by the intermediate key (for this recipient), then ECDH P-256 + HKDF-SHA256 (zero salt, info
 * "Google", 64 bytes: AES-256-CTR key then HMAC-SHA256 key), tag check, AES-256-CTR with a zero IV.
 * Written apart from src/wallets/googlepay on purpose.
 */
import {
  createDecipheriv,
  createECDH,
  createHmac,
  createPublicKey,
  type ECDH,
  hkdfSync,
  type KeyObject,
  timingSafeEqual,
  verify,
} from "node:crypto";
import type { RandomSource } from "./ids.ts";

export const GOOGLE_PAY_RECIPIENT_ID = "gateway:adyen";
const SENDER_ID = "Google";
const PROTOCOL = "ECv2";

/** The JSON of Google's keys URL (payments.developers.google.com/paymentmethodtoken/keys.json). */
export interface GoogleRootKeys {
  keys: { keyValue: string; protocolVersion: string; keyExpiration?: string }[];
}

export interface GooglePayCard {
  pan: string;
  expirationMonth: number;
  expirationYear: number;
  authMethod: "PAN_ONLY" | "CRYPTOGRAM_3DS";
  /** Present for CRYPTOGRAM_3DS: the device token was authenticated on the phone. */
  cryptogram?: string;
}

/** Why a token was not accepted: `invalid` (unreadable, not for us, tag, merchant), `signature`, `expired`. */
export type GooglePayFailure = "invalid" | "signature" | "expired";

export type GooglePayOpened = { ok: true; card: GooglePayCard } | { ok: false; failure: GooglePayFailure };

export interface GooglePayRecipient {
  recipientId: string;
  /** 0x04 || X || Y in base64: what Google encrypts to for `gateway:adyen`. */
  publicKeyUncompressedBase64: string;
  open(token: string, expected: { merchantAccount: string; now: Date }): GooglePayOpened;
}

class Rejected extends Error {
  constructor(readonly failure: GooglePayFailure) {
    super(failure);
  }
}

const fail = (failure: GooglePayFailure): never => {
  throw new Rejected(failure);
};

function object(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : fail("invalid");
}

function text(value: unknown): string {
  return typeof value === "string" && value.length > 0 ? value : fail("invalid");
}

function parse(json: string): Record<string, unknown> {
  try {
    return object(JSON.parse(json));
  } catch (error) {
    if (error instanceof Rejected) throw error;
    return fail("invalid");
  }
}

/** Google signs the concatenation of each field's 4-byte little-endian length and UTF-8 bytes. */
function signedBytes(parts: string[]): Buffer {
  return Buffer.concat(
    parts.flatMap((part) => {
      const bytes = Buffer.from(part, "utf8");
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length);
      return [length, bytes];
    }),
  );
}

function spkiKey(base64: string): KeyObject | null {
  try {
    return createPublicKey({ key: Buffer.from(base64, "base64"), format: "der", type: "spki" });
  } catch {
    return null;
  }
}

function verifies(key: KeyObject, parts: string[], signatureBase64: string): boolean {
  try {
    return verify("sha256", signedBytes(parts), key, Buffer.from(signatureBase64, "base64"));
  } catch {
    return false;
  }
}

/** Millisecond timestamps are sent as strings; a missing or unreadable one counts as expired. */
function notExpired(epochMs: unknown, now: Date): boolean {
  const at = typeof epochMs === "string" && /^\d+$/.test(epochMs) ? Number(epochMs) : Number.NaN;
  return Number.isFinite(at) && at > now.getTime();
}

function usableRootKeys(roots: GoogleRootKeys, now: Date): KeyObject[] {
  return roots.keys
    .filter((k) => k.protocolVersion === PROTOCOL)
    .filter((k) => k.keyExpiration === undefined || notExpired(k.keyExpiration, now))
    .map((k) => spkiKey(k.keyValue))
    .filter((k): k is KeyObject => k !== null);
}

function intermediateKey(token: Record<string, unknown>, roots: KeyObject[], now: Date): KeyObject {
  const intermediate = object(token.intermediateSigningKey);
  const signedKey = text(intermediate.signedKey);
  const signatures = Array.isArray(intermediate.signatures) ? intermediate.signatures : fail("invalid");
  const signedByRoot = signatures.some(
    (signature) =>
      typeof signature === "string" &&
      roots.some((root) => verifies(root, [SENDER_ID, PROTOCOL, signedKey], signature)),
  );
  if (!signedByRoot) fail("signature");
  const key = parse(signedKey);
  if (!notExpired(key.keyExpiration, now)) fail("expired");
  return spkiKey(text(key.keyValue)) ?? fail("invalid");
}

function decrypt(recipient: ECDH, signedMessage: string): Record<string, unknown> {
  const message = parse(signedMessage);
  const ephemeralPoint = Buffer.from(text(message.ephemeralPublicKey), "base64");
  const ciphertext = Buffer.from(text(message.encryptedMessage), "base64");
  const tag = Buffer.from(text(message.tag), "base64");
  if (ephemeralPoint.length !== 65 || ephemeralPoint[0] !== 0x04) fail("invalid");
  let shared: Buffer;
  try {
    shared = recipient.computeSecret(ephemeralPoint);
  } catch {
    return fail("invalid");
  }
  const keys = Buffer.from(
    hkdfSync("sha256", Buffer.concat([ephemeralPoint, shared]), Buffer.alloc(32), SENDER_ID, 64),
  );
  const expected = createHmac("sha256", keys.subarray(32)).update(ciphertext).digest();
  if (tag.length !== expected.length || !timingSafeEqual(tag, expected)) fail("invalid");
  const decipher = createDecipheriv("aes-256-ctr", keys.subarray(0, 32), Buffer.alloc(16));
  return parse(Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8"));
}

function cardOf(payload: Record<string, unknown>): GooglePayCard {
  if (payload.paymentMethod !== "CARD") fail("invalid");
  const details = object(payload.paymentMethodDetails);
  const { expirationMonth, expirationYear, authMethod, cryptogram } = details;
  if (typeof expirationMonth !== "number" || typeof expirationYear !== "number") return fail("invalid");
  if (authMethod !== "PAN_ONLY" && authMethod !== "CRYPTOGRAM_3DS") return fail("invalid");
  if (authMethod === "CRYPTOGRAM_3DS" && typeof cryptogram !== "string") return fail("invalid");
  return {
    pan: text(details.pan),
    expirationMonth,
    expirationYear,
    authMethod,
    ...(typeof cryptogram === "string" ? { cryptogram } : {}),
  };
}

/** A P-256 key pair drawn from `random`, so a seeded simulator replays its public key. */
function recipientKey(random: RandomSource): ECDH {
  for (let attempt = 0; attempt < 64; attempt++) {
    const ecdh = createECDH("prime256v1");
    try {
      ecdh.setPrivateKey(random(32));
      return ecdh;
    } catch {
      // zero or not below the curve order: draw again
    }
  }
  throw new Error("the random source gave no valid P-256 private key in 64 draws");
}

export function createGooglePayRecipient(roots: GoogleRootKeys, random: RandomSource): GooglePayRecipient {
  const key = recipientKey(random);
  return {
    recipientId: GOOGLE_PAY_RECIPIENT_ID,
    publicKeyUncompressedBase64: key.getPublicKey("base64", "uncompressed"),
    open(token, expected) {
      try {
        const parsed = parse(token);
        if (parsed.protocolVersion !== PROTOCOL) fail("invalid");
        const signedMessage = text(parsed.signedMessage);
        const signer = intermediateKey(parsed, usableRootKeys(roots, expected.now), expected.now);
        const signed = [SENDER_ID, GOOGLE_PAY_RECIPIENT_ID, PROTOCOL, signedMessage];
        if (!verifies(signer, signed, text(parsed.signature))) fail("signature");
        const payload = decrypt(key, signedMessage);
        if (!notExpired(payload.messageExpiration, expected.now)) fail("expired");
        if (
          payload.gatewayMerchantId !== undefined &&
          payload.gatewayMerchantId !== expected.merchantAccount
        ) {
          fail("invalid");
        }
        return { ok: true, card: cardOf(payload) };
      } catch (error) {
        if (error instanceof Rejected) return { ok: false, failure: error.failure };
        throw error;
      }
    },
  };
}
