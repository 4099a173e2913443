/**
 * WeChat Pay API v3 primitives: SHA256withRSA (RSASSA-PKCS1-v1_5) signatures over newline-terminated
 * messages, and AEAD_AES_256_GCM with the tag appended to the ciphertext before base64.
 */
import { createCipheriv, createDecipheriv, createSign, createVerify, type KeyObject } from "node:crypto";

const GCM_TAG_BYTES = 16;

/** Every API v3 signing message is its lines, each followed by "\n" (the last one too). */
export function signingMessage(...lines: Array<string | number>): string {
  return lines.map((line) => `${line}\n`).join("");
}

export function requestMessage(
  method: string,
  pathAndQuery: string,
  timestamp: string,
  nonce: string,
  body: string,
) {
  return signingMessage(method, pathAndQuery, timestamp, nonce, body);
}

export function responseMessage(timestamp: string, nonce: string, body: string): string {
  return signingMessage(timestamp, nonce, body);
}

export function signSha256Rsa(message: string | Buffer, privateKey: KeyObject | string): string {
  return createSign("sha256WithRSAEncryption").update(message).sign(privateKey, "base64");
}

export function verifySha256Rsa(
  message: string | Buffer,
  signature: string,
  publicKey: KeyObject | string,
): boolean {
  try {
    return createVerify("sha256WithRSAEncryption").update(message).verify(publicKey, signature, "base64");
  } catch {
    return false;
  }
}

/** The AES variant follows the key length, as WeChat's own SDKs do; real API v3 keys are 32 bytes. */
function gcmAlgorithm(key: Buffer): "aes-128-gcm" | "aes-192-gcm" | "aes-256-gcm" {
  if (key.length === 16) return "aes-128-gcm";
  if (key.length === 24) return "aes-192-gcm";
  if (key.length === 32) return "aes-256-gcm";
  throw new RangeError(`an AES-GCM key is 16, 24 or 32 bytes, not ${key.length}`);
}

/** Returns base64(ciphertext || 16-byte tag). */
export function aesGcmEncrypt(
  key: string | Buffer,
  nonce: string,
  associatedData: string,
  plaintext: string,
): string {
  const keyBytes = Buffer.from(key);
  const cipher = createCipheriv(gcmAlgorithm(keyBytes), keyBytes, Buffer.from(nonce, "utf8"));
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([body, cipher.getAuthTag()]).toString("base64");
}

/** Throws when the tag does not authenticate the ciphertext and associated data. */
export function aesGcmDecrypt(
  key: string | Buffer,
  nonce: string,
  associatedData: string,
  ciphertextBase64: string,
): string {
  const keyBytes = Buffer.from(key);
  const sealed = Buffer.from(ciphertextBase64, "base64");
  if (sealed.length < GCM_TAG_BYTES) throw new Error("ciphertext shorter than its tag");
  const decipher = createDecipheriv(gcmAlgorithm(keyBytes), keyBytes, Buffer.from(nonce, "utf8"));
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_BYTES));
  const body = sealed.subarray(0, sealed.length - GCM_TAG_BYTES);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}
