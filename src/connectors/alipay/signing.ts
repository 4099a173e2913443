/**
 * Alipay's RSA2 (SHA256withRSA) signatures over its canonical string: every parameter except the
 * excluded keys and the empty values, sorted by key, joined as `k=v` with `&`, values raw (neither
 * URL-encoded nor decoded), as bytes in the declared charset (Payrail always declares utf-8, so
 * Alipay answers and notifies in utf-8; parameters that declare gbk are checked in gbk).
 *
 * A merchant's request leaves out only `sign` (its `sign_type` is signed); Alipay's notifications and
 * return parameters leave out `sign` and `sign_type`.
 */
import { createSign, createVerify, type KeyObject } from "node:crypto";
import iconv from "iconv-lite";

export const REQUEST_UNSIGNED_KEYS: readonly string[] = ["sign"];
export const NOTIFY_UNSIGNED_KEYS: readonly string[] = ["sign", "sign_type"];

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

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

export function rsa2Sign(content: string, privateKey: KeyObject): string {
  return createSign("RSA-SHA256").update(content, "utf8").sign(privateKey, "base64");
}

function contentBytes(content: string, charset: string | undefined): Buffer {
  return charset && /^(gbk|gb2312)$/i.test(charset)
    ? iconv.encode(content, charset)
    : Buffer.from(content, "utf8");
}

/** Never throws: a malformed signature or key is simply not a match. */
export function rsa2Verify(
  content: string,
  signature: string,
  publicKey: KeyObject,
  charset?: string,
): boolean {
  if (!BASE64.test(signature)) return false;
  try {
    return createVerify("RSA-SHA256")
      .update(contentBytes(content, charset))
      .verify(publicKey, signature, "base64");
  } catch {
    return false;
  }
}

/** The request parameters with their `sign` added. */
export function signRequest(params: Record<string, string>, privateKey: KeyObject): Record<string, string> {
  return { ...params, sign: rsa2Sign(canonicalString(params, REQUEST_UNSIGNED_KEYS), privateKey) };
}

/**
 * Parameters Alipay signed (a notification, return parameters). Trade notifications leave `sign_type`
 * out of the content; some open-platform notifications sign it, so, like alipay-sdk's
 * checkNotifySign, both rules are tried: either way the content is Alipay's and fully covered.
 */
export function verifyAlipayParams(params: Readonly<Record<string, string>>, publicKey: KeyObject): boolean {
  const { sign: signature, charset } = params;
  if (!signature) return false;
  return (
    rsa2Verify(canonicalString(params, NOTIFY_UNSIGNED_KEYS), signature, publicKey, charset) ||
    rsa2Verify(canonicalString(params, REQUEST_UNSIGNED_KEYS), signature, publicKey, charset)
  );
}
