/**
 * The gateway's JSON answer: `{"<method_with_underscores>_response":{...},"sign":"..."}`, the signature
 * being RSA2 over the exact text of the `_response` value. Like Alipay (a Java JSON writer), `/` is
 * escaped as `\/`, so a client must verify the raw text it received rather than a re-serialisation.
 */
import type { KeyObject } from "node:crypto";
import { rsa2Sign } from "./signing.ts";

export function responseKey(method: string): string {
  return `${method.replaceAll(".", "_")}_response`;
}

export function alipayJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("/", "\\/");
}

export function signedResponseBody(
  key: string,
  value: object,
  privateKey: KeyObject,
  charset?: string,
): string {
  const raw = alipayJson(value);
  const sign = rsa2Sign(raw, privateKey, charset);
  return `{${JSON.stringify(key)}:${raw},"sign":${JSON.stringify(sign)}}`;
}

/** Gateway-level failures without a known method carry no signature. */
export function errorResponseBody(value: object): string {
  return `{"error_response":${alipayJson(value)}}`;
}

export const SUCCESS = { code: "10000", msg: "Success" } as const;
