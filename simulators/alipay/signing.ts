/**
 * Alipay's RSA2 (SHA256withRSA) signatures over its canonical string: every parameter except the
 * excluded ones and those with an empty value, sorted by key (byte order), joined as `k=v` with `&`,
 * values raw (neither URL-encoded nor decoded).
 *
 * Which keys are excluded depends on the direction, per Alipay's documentation:
 * - a merchant's request to the gateway: only `sign` (so `sign_type` is signed);
 * - Alipay's asynchronous notifications and synchronous return parameters: `sign` and `sign_type`.
 */
import { createSign, createVerify, type KeyObject } from "node:crypto";
import iconv from "iconv-lite";

export const REQUEST_UNSIGNED_KEYS: readonly string[] = ["sign"];
export const NOTIFY_UNSIGNED_KEYS: readonly string[] = ["sign", "sign_type"];

export function canonicalString(
  params: Readonly<Record<string, string>>,
  unsignedKeys: readonly string[],
): string {
  return Object.keys(params)
    .filter((key) => !unsignedKeys.includes(key) && params[key] !== undefined && params[key] !== "")
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("&");
}

/** The bytes Alipay signs: the content in the request's declared charset (utf-8 unless gbk/gb2312). */
export function contentBytes(content: string, charset = "utf-8"): Buffer {
  return isUtf8(charset) ? Buffer.from(content, "utf8") : iconv.encode(content, charset);
}

function isUtf8(charset: string): boolean {
  return /^utf-?8$/i.test(charset);
}

export function rsa2Sign(content: string, privateKey: KeyObject, charset?: string): string {
  return createSign("RSA-SHA256").update(contentBytes(content, charset)).sign(privateKey, "base64");
}

export function rsa2Verify(
  content: string,
  signature: string,
  publicKey: KeyObject | string,
  charset?: string,
): boolean {
  try {
    return createVerify("RSA-SHA256")
      .update(contentBytes(content, charset))
      .verify(publicKey, signature, "base64");
  } catch {
    return false;
  }
}

/** Verifies a parameter set the way the gateway does; `unsignedKeys` picks the direction's rule. */
export function verifyParams(
  params: Readonly<Record<string, string>>,
  publicKey: KeyObject | string,
  unsignedKeys: readonly string[] = REQUEST_UNSIGNED_KEYS,
): boolean {
  const signature = params.sign;
  if (!signature) return false;
  return rsa2Verify(canonicalString(params, unsignedKeys), signature, publicKey, params.charset);
}

/** Signs parameters Alipay sends (notifications, return parameters) and returns them with `sign`. */
export function signOutgoing(params: Record<string, string>, privateKey: KeyObject): Record<string, string> {
  const signature = rsa2Sign(canonicalString(params, NOTIFY_UNSIGNED_KEYS), privateKey);
  return { ...params, sign: signature };
}
