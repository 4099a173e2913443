import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { decodeBase64, parseJsonObject, parseMillis, requireString } from "./encoding.ts";
import { GooglePayTokenError } from "./errors.ts";
import type { GoogleRootSigningKey } from "./types.ts";

export const GOOGLE_SENDER_ID = "Google";

/** Each part as a 4-byte little-endian length followed by its UTF-8 bytes, concatenated. */
export function lengthPrefixed(...parts: string[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes = Buffer.from(part, "utf8");
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length);
    chunks.push(length, bytes);
  }
  return Buffer.concat(chunks);
}

/** A P-256 public key from base64 DER SubjectPublicKeyInfo, or undefined if it is not one. */
export function importP256PublicKey(spkiBase64: string): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: Buffer.from(spkiBase64, "base64"), format: "der", type: "spki" });
    return key.asymmetricKeyDetails?.namedCurve === "prime256v1" ? key : undefined;
  } catch {
    return undefined;
  }
}

/** ECDSA P-256 with SHA-256 over `data`; `signature` is DER. A malformed signature is just invalid. */
export function verifyEcdsa(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return verify("sha256", data, { key, dsaEncoding: "der" }, signature);
  } catch {
    return false;
  }
}

/** The root keys for `protocolVersion` that have not expired at `now`, unusable entries skipped. */
export function trustedRootKeys(
  roots: readonly GoogleRootSigningKey[],
  protocolVersion: string,
  now: Date,
): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const root of roots) {
    if (root.protocolVersion !== protocolVersion) continue;
    if (root.keyExpiration !== undefined) {
      const expires = /^\d{1,15}$/.test(root.keyExpiration) ? Number(root.keyExpiration) : Number.NaN;
      if (!(expires > now.getTime())) continue;
    }
    const key = importP256PublicKey(root.keyValue);
    if (key) keys.push(key);
  }
  if (keys.length === 0) {
    throw new GooglePayTokenError(
      "no_trusted_root_key",
      `no unexpired Google root signing key for ${protocolVersion} is configured`,
    );
  }
  return keys;
}

export interface IntermediateSigningKey {
  signedKey: string;
  signatures: Buffer[];
}

/** Checks the intermediate key's signature by a root key, then its expiry; returns the key. */
export function verifyIntermediateSigningKey(
  intermediate: IntermediateSigningKey,
  protocolVersion: string,
  roots: readonly KeyObject[],
  now: Date,
): KeyObject {
  const signed = lengthPrefixed(GOOGLE_SENDER_ID, protocolVersion, intermediate.signedKey);
  const trusted = intermediate.signatures.some((signature) =>
    roots.some((root) => verifyEcdsa(root, signed, signature)),
  );
  if (!trusted) {
    throw new GooglePayTokenError(
      "intermediate_signature_invalid",
      "no signature of the intermediate signing key verifies under a trusted Google root key",
    );
  }
  const signedKey = parseJsonObject(intermediate.signedKey, "intermediateSigningKey.signedKey");
  const keyValue = requireString(signedKey, "keyValue", "signedKey");
  const expiration = parseMillis(requireString(signedKey, "keyExpiration", "signedKey"), "keyExpiration");
  if (!(expiration > now.getTime())) {
    throw new GooglePayTokenError(
      "intermediate_key_expired",
      `the intermediate signing key expired at ${new Date(expiration).toISOString()}`,
    );
  }
  decodeBase64(keyValue, "signedKey.keyValue");
  const key = importP256PublicKey(keyValue);
  if (!key) throw new GooglePayTokenError("malformed_token", "signedKey.keyValue is not a P-256 public key");
  return key;
}

/** The token's own signature, over sender, recipient, protocol and the exact signedMessage text. */
export function verifyMessageSignature(
  signedMessage: string,
  signature: Buffer,
  recipientId: string,
  protocolVersion: string,
  signers: readonly KeyObject[],
): void {
  const signed = lengthPrefixed(GOOGLE_SENDER_ID, recipientId, protocolVersion, signedMessage);
  if (!signers.some((key) => verifyEcdsa(key, signed, signature))) {
    throw new GooglePayTokenError(
      "message_signature_invalid",
      `the token's signature does not verify for recipient ${recipientId}`,
    );
  }
}
