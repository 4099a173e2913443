/**
 * Checks the two ways a partner authenticates: partner HMAC (`Authorization: <partnerID>:<signature>`
 * plus `Date`) and an OAuth access token (`Authorization: Bearer …` plus `X-GID-AUX-POP` and `Date`).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Context } from "./context.ts";
import { ERR, type PartnerError } from "./errors.ts";
import { partnerHmac, safeEqual, verifyPop } from "./signing.ts";
import type { AccessToken, Partner } from "./store.ts";

export interface RequestFacts {
  method: string;
  /** Path and query exactly as sent: the signature covers them. */
  pathAndQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Authenticated =
  | { kind: "partner"; partner: Partner }
  | { kind: "token"; partner: Partner; token: AccessToken };

type Result<T> = { ok: true; value: T } | { ok: false; error: PartnerError };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function checkDate(ctx: Context, headers: IncomingHttpHeaders): PartnerError | null {
  const date = header(headers, "date");
  if (!date) return ERR.unauthorized("missing Date header");
  const at = Date.parse(date);
  if (Number.isNaN(at)) return ERR.unauthorized("Date header is not an RFC 1123 date");
  if (Math.abs(ctx.now().getTime() - at) > ctx.settings.maxClockSkewSeconds * 1000) {
    return ERR.unauthorized("Date header is outside the allowed clock skew");
  }
  return null;
}

export function authenticatePartner(ctx: Context, facts: RequestFacts): Result<Partner> {
  const authorization = header(facts.headers, "authorization") ?? "";
  const colon = authorization.indexOf(":");
  if (colon <= 0 || authorization.startsWith("Bearer ")) {
    return { ok: false, error: ERR.unauthorized("Authorization must be <partnerID>:<HMAC signature>") };
  }
  const partner = ctx.store.partner(authorization.slice(0, colon));
  if (!partner) return { ok: false, error: ERR.unauthorized("unknown partner") };
  const dateProblem = checkDate(ctx, facts.headers);
  if (dateProblem) return { ok: false, error: dateProblem };
  const signature = authorization.slice(colon + 1).trim();
  const sent = header(facts.headers, "content-type");
  // An HTTP client may drop Content-Type from a GET it signed with "application/json".
  const contentTypes = sent !== undefined ? [sent] : ["", "application/json"];
  const date = header(facts.headers, "date") ?? "";
  const matches = contentTypes.some((contentType) =>
    safeEqual(
      signature,
      partnerHmac(partner.partnerSecret, {
        method: facts.method,
        contentType,
        date,
        pathAndQuery: facts.pathAndQuery,
        body: facts.body,
      }),
    ),
  );
  if (!matches) return { ok: false, error: ERR.unauthorized("HMAC signature mismatch") };
  return { ok: true, value: partner };
}

export function authenticateToken(ctx: Context, facts: RequestFacts): Result<AccessToken> {
  const authorization = header(facts.headers, "authorization") ?? "";
  if (!authorization.startsWith("Bearer ")) {
    return { ok: false, error: ERR.unauthorized("Authorization must be Bearer <access_token>") };
  }
  const token = ctx.store.token(authorization.slice("Bearer ".length).trim());
  if (!token) return { ok: false, error: ERR.unauthorized("invalid access token") };
  if (ctx.now().getTime() >= token.expiresAt.getTime()) {
    return { ok: false, error: ERR.unauthorized("access token expired") };
  }
  const dateProblem = checkDate(ctx, facts.headers);
  if (dateProblem) return { ok: false, error: dateProblem };
  const pop = header(facts.headers, "x-gid-aux-pop");
  if (!pop) return { ok: false, error: ERR.unauthorized("missing X-GID-AUX-POP header") };
  const checked = verifyPop(
    pop,
    token.partner.clientSecret,
    token.token,
    ctx.now(),
    ctx.settings.maxClockSkewSeconds,
  );
  if (!checked.ok) return { ok: false, error: ERR.unauthorized(checked.why) };
  return { ok: true, value: token };
}

/** Either scheme, chosen by the form of the Authorization header. */
export function authenticateEither(ctx: Context, facts: RequestFacts): Result<Authenticated> {
  const authorization = header(facts.headers, "authorization") ?? "";
  if (authorization.startsWith("Bearer ")) {
    const token = authenticateToken(ctx, facts);
    return token.ok
      ? { ok: true, value: { kind: "token", partner: token.value.partner, token: token.value } }
      : token;
  }
  const partner = authenticatePartner(ctx, facts);
  return partner.ok ? { ok: true, value: { kind: "partner", partner: partner.value } } : partner;
}
