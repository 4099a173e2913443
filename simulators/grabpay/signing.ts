/**
 * GrabPay's request authentication, as the partner side computes it and the simulator checks it:
 * - partner HMAC: `Authorization: <partnerID>:<base64 HMAC-SHA256(partnerSecret, stringToSign)>` where
 *   stringToSign is `METHOD\nContent-Type\nDate\npath?query\nbase64(sha256(body))\n` (the body digest is
 *   empty for GET and for an empty body);
 * - proof of possession for an OAuth access token: `X-GID-AUX-POP` is base64url (no padding) of
 *   `{"sig":"<base64url HMAC-SHA256(clientSecret, unixSeconds + accessToken)>","time_since_epoch":<unix>}`.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export interface PartnerStringToSign {
  method: string;
  contentType: string;
  date: string;
  pathAndQuery: string;
  body: string | Buffer;
}

export function partnerStringToSign(input: PartnerStringToSign): string {
  const hasBody = input.method.toUpperCase() !== "GET" && input.body.length > 0;
  const digest = hasBody ? createHash("sha256").update(input.body).digest("base64") : "";
  return [input.method.toUpperCase(), input.contentType, input.date, input.pathAndQuery, digest, ""].join(
    "\n",
  );
}

export function partnerHmac(secret: string, input: PartnerStringToSign): string {
  return createHmac("sha256", secret).update(partnerStringToSign(input), "utf8").digest("base64");
}

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

export function popSignature(clientSecret: string, accessToken: string, unixSeconds: number): string {
  const sig = createHmac("sha256", clientSecret)
    .update(`${unixSeconds}${accessToken}`, "utf8")
    .digest("base64url");
  return base64url(JSON.stringify({ sig, time_since_epoch: unixSeconds }));
}

export type PopCheck = { ok: true } | { ok: false; why: string };

export function verifyPop(
  header: string,
  clientSecret: string,
  accessToken: string,
  now: Date,
  maxSkewSeconds: number,
): PopCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
  } catch {
    return { ok: false, why: "X-GID-AUX-POP is not base64url JSON" };
  }
  const { sig, time_since_epoch: time } = (parsed ?? {}) as { sig?: unknown; time_since_epoch?: unknown };
  if (typeof sig !== "string" || typeof time !== "number" || !Number.isSafeInteger(time)) {
    return { ok: false, why: "X-GID-AUX-POP lacks sig or time_since_epoch" };
  }
  if (Math.abs(Math.floor(now.getTime() / 1000) - time) > maxSkewSeconds) {
    return { ok: false, why: "X-GID-AUX-POP time_since_epoch is outside the allowed clock skew" };
  }
  const expected = createHmac("sha256", clientSecret)
    .update(`${time}${accessToken}`, "utf8")
    .digest("base64url");
  return safeEqual(sig.replace(/=+$/, ""), expected)
    ? { ok: true }
    : { ok: false, why: "X-GID-AUX-POP signature mismatch" };
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** PKCE S256 (RFC 7636): base64url(sha256(ASCII(code_verifier))), unpadded. */
export function pkceChallenge(codeVerifier: string): string {
  return createHash("sha256").update(codeVerifier, "ascii").digest("base64url");
}

/** A compact HS256 JWS the simulator issues (the `request` token, id tokens) and later checks. */
export function signJws(key: Buffer, payload: object): string {
  const head = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(payload));
  const sig = createHmac("sha256", key).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

export function verifyJws(key: Buffer, token: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [head, body, sig] = parts as [string, string, string];
  const expected = createHmac("sha256", key).update(`${head}.${body}`).digest("base64url");
  if (!safeEqual(sig, expected)) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    return payload && typeof payload === "object" ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
