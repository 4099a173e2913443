/**
 * The WeChat Pay API v3 primitives: SHA256withRSA (RSASSA-PKCS1-v1_5) over messages made of lines that
 * each end in "\n", and AEAD_AES_256_GCM resources whose base64 ciphertext carries the 16-byte tag last.
 */
import { createDecipheriv, createSign, createVerify, type KeyObject, randomInt } from "node:crypto";

const GCM_TAG_BYTES = 16;
const NONCE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Every API v3 signing message is its lines, each followed by "\n", the last one included. */
export function signingMessage(...lines: Array<string | Buffer>): Buffer {
  return Buffer.concat(lines.flatMap((line) => [Buffer.from(line), Buffer.from("\n")]));
}

export function signSha256Rsa(message: string | Buffer, privateKey: KeyObject): string {
  return createSign("sha256WithRSAEncryption").update(message).sign(privateKey, "base64");
}

export function verifySha256Rsa(message: string | Buffer, signature: string, publicKey: KeyObject): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return createVerify("sha256WithRSAEncryption").update(message).verify(publicKey, signature, "base64");
  } catch {
    return false;
  }
}

/** 32 upper-case letters and digits, the shape WeChat's own SDKs send. */
export function newNonce(length = 32): string {
  let nonce = "";
  for (let i = 0; i < length; i++) nonce += NONCE_ALPHABET[randomInt(NONCE_ALPHABET.length)];
  return nonce;
}

export function unixSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

/** The AES size follows the key length, as WeChat's SDKs do; an API v3 key is 32 bytes (AES-256). */
function gcmAlgorithm(key: Buffer): "aes-128-gcm" | "aes-192-gcm" | "aes-256-gcm" {
  if (key.length === 16) return "aes-128-gcm";
  if (key.length === 24) return "aes-192-gcm";
  if (key.length === 32) return "aes-256-gcm";
  throw new RangeError(`an AES-GCM key is 16, 24 or 32 bytes, not ${key.length}`);
}

/** Throws when the tag does not authenticate the ciphertext and the associated data. */
export function aesGcmDecrypt(
  key: string,
  nonce: string,
  associatedData: string,
  ciphertextBase64: string,
): string {
  const keyBytes = Buffer.from(key, "utf8");
  const sealed = Buffer.from(ciphertextBase64, "base64");
  if (sealed.length < GCM_TAG_BYTES) throw new Error("ciphertext shorter than its tag");
  const decipher = createDecipheriv(gcmAlgorithm(keyBytes), keyBytes, Buffer.from(nonce, "utf8"), {
    authTagLength: GCM_TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_BYTES));
  const body = sealed.subarray(0, sealed.length - GCM_TAG_BYTES);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}
