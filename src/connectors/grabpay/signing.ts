/**
 * GrabPay's request authentication:
 * - partner HMAC: `Authorization: <partnerID>:<base64 HMAC-SHA256(partnerSecret, stringToSign)>` with
 *   stringToSign = `METHOD\nContent-Type\nDate\npath?query\nbase64(sha256(body))\n` (an empty digest for a
 *   GET or an empty body). GrabPay signs its notifications the same way.
 * - proof of possession of an access token: `X-GID-AUX-POP` = base64url of
 *   `{"sig":"<base64url HMAC-SHA256(clientSecret, unixSeconds + accessToken)>","time_since_epoch":<unix>}`.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export interface SignedRequest {
  method: string;
  contentType: string;
  /** RFC 1123, as sent in the `Date` header. */
  date: string;
  pathAndQuery: string;
  body: string | Buffer;
}

export function partnerStringToSign(request: SignedRequest): string {
  const method = request.method.toUpperCase();
  const digest =
    method === "GET" || request.body.length === 0
      ? ""
      : createHash("sha256").update(request.body).digest("base64");
  return `${method}\n${request.contentType}\n${request.date}\n${request.pathAndQuery}\n${digest}\n`;
}

export function partnerSignature(partnerSecret: string, request: SignedRequest): string {
  return createHmac("sha256", partnerSecret).update(partnerStringToSign(request), "utf8").digest("base64");
}

export function proofOfPossession(clientSecret: string, accessToken: string, at: Date): string {
  const time = Math.floor(at.getTime() / 1000);
  const sig = createHmac("sha256", clientSecret).update(`${time}${accessToken}`, "utf8").digest("base64url");
  return Buffer.from(JSON.stringify({ sig, time_since_epoch: time }), "utf8").toString("base64url");
}

export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
