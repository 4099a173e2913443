/**
 * Both directions of the WECHATPAY2-SHA256-RSA2048 scheme: the merchant's Authorization header on a
 * request, and the Wechatpay-* headers WeChat Pay puts on every answer and notification, checked on the
 * exact raw bytes of the body with a 300-second window on Wechatpay-Timestamp.
 */
import type { KeyObject } from "node:crypto";
import { newNonce, signingMessage, signSha256Rsa, unixSeconds, verifySha256Rsa } from "./crypto.ts";
import { type AccountKeys, anchorFor } from "./keys.ts";

export const SIGNATURE_SCHEME = "WECHATPAY2-SHA256-RSA2048";
export const TIMESTAMP_TOLERANCE_SECONDS = 300;

export interface RequestSigner {
  mchid: string;
  serialNo: string;
  privateKey: KeyObject;
}

/** `METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n`, signed into the Authorization header value. */
export function authorizationHeader(
  signer: RequestSigner,
  request: { method: string; pathAndQuery: string; body: string },
  now: Date,
  nonce = newNonce(),
): string {
  const timestamp = String(unixSeconds(now));
  const signature = signSha256Rsa(
    signingMessage(request.method, request.pathAndQuery, timestamp, nonce, request.body),
    signer.privateKey,
  );
  return (
    `${SIGNATURE_SCHEME} mchid="${signer.mchid}",nonce_str="${nonce}",signature="${signature}",` +
    `timestamp="${timestamp}",serial_no="${signer.serialNo}"`
  );
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Reads a header by its lower-case name, whatever case the source used. */
export type HeaderReader = (lowerCaseName: string) => string | undefined;

export function headerReader(headers: Record<string, string> | Headers): HeaderReader {
  if (headers instanceof Headers) return (name) => headers.get(name) ?? undefined;
  return (name) => {
    for (const [key, value] of Object.entries(headers)) {
      if (key.toLowerCase() === name) return value;
    }
    return undefined;
  };
}

/** Verifies `timestamp\nnonce\nbody\n` with the anchor that Wechatpay-Serial names. */
export function verifyWechatpaySignature(
  keys: AccountKeys,
  header: HeaderReader,
  rawBody: Buffer,
  now: Date,
): SignatureCheck {
  const serial = header("wechatpay-serial")?.trim();
  const timestamp = header("wechatpay-timestamp")?.trim();
  const nonce = header("wechatpay-nonce");
  const signature = header("wechatpay-signature")?.trim();
  if (!serial || !timestamp || !nonce || !signature)
    return { ok: false, reason: "missing_signature_headers" };
  const type = header("wechatpay-signature-type");
  if (type !== undefined && type.trim() !== SIGNATURE_SCHEME) {
    return { ok: false, reason: "unsupported_signature_type" };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed_timestamp" };
  const anchor = anchorFor(keys, serial, now);
  if (!anchor) return { ok: false, reason: "unknown_serial" };
  if (!verifySha256Rsa(signingMessage(timestamp, nonce, rawBody), signature, anchor.publicKey)) {
    return { ok: false, reason: "signature_mismatch" };
  }
  const age = unixSeconds(now) - Number(timestamp);
  if (age > TIMESTAMP_TOLERANCE_SECONDS) return { ok: false, reason: "timestamp_too_old" };
  if (age < -TIMESTAMP_TOLERANCE_SECONDS) return { ok: false, reason: "timestamp_in_future" };
  return { ok: true };
}
