/**
 * GrabID's side of a one-time charge: the authorize endpoint (validated like an OAuth 2.0 authorization
 * request with PKCE S256 and the signed `request` from charge init), the consent page's answers, and the
 * token endpoint that trades a code and its code_verifier for an access token bound to the charge.
 */
import { findCharge, PAYMENT_METHODS, type PaymentMethod, settleByShopper } from "./charges.ts";
import { consentPage, messagePage } from "./consent-page.ts";
import { type Context, randomToken } from "./context.ts";
import { oauthError } from "./errors.ts";
import { html, json, redirect, type Sent } from "./http.ts";
import { pkceChallenge, safeEqual, signJws, verifyJws } from "./signing.ts";
import type { Charge, ConsentSession } from "./store.ts";

const SCOPE = "payment.one_time_charge";
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

function withParams(base: string, params: Record<string, string>): string {
  const target = new URL(base);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  return target.toString();
}

function scopes(scope: string): string[] {
  return scope.split(/[\s+]+/).filter(Boolean);
}

export function authorize(ctx: Context, search: URLSearchParams): Sent {
  const clientId = search.get("client_id") ?? "";
  const partner = ctx.store.partnerByClient(clientId);
  if (!partner) return html(400, messagePage("invalid_client", "unknown or missing client_id"));
  const redirectUri = search.get("redirect_uri") ?? "";
  if (!partner.redirectUris.includes(redirectUri) || !URL.canParse(redirectUri)) {
    return html(
      400,
      messagePage("invalid_request", "redirect_uri is missing or not registered for this client"),
    );
  }
  const state = search.get("state") ?? "";
  const fail = (error: string, description: string) =>
    redirect(withParams(redirectUri, { error, error_description: description, ...(state ? { state } : {}) }));

  if (search.get("response_type") !== "code")
    return fail("unsupported_response_type", "response_type must be code");
  const scope = search.get("scope") ?? "";
  if (!scopes(scope).includes(SCOPE)) return fail("invalid_scope", `scope must include ${SCOPE}`);
  if (!state) return fail("invalid_request", "missing state");
  const nonce = search.get("nonce") ?? "";
  if (!nonce) return fail("invalid_request", "missing nonce");
  const codeChallenge = search.get("code_challenge") ?? "";
  if (search.get("code_challenge_method") !== "S256") {
    return fail("invalid_request", "code_challenge_method must be S256");
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) return fail("invalid_request", "malformed code_challenge");

  const claims = verifyJws(ctx.tokenKey, search.get("request") ?? "");
  if (claims?.typ !== "grabpay.charge" || claims.partnerID !== partner.partnerId) {
    return fail("invalid_request", "request is missing, invalid or issued to another partner");
  }
  const charge = findCharge(ctx, partner, String(claims.partnerTxID));
  if (!charge || charge.txID !== claims.jti) return fail("invalid_request", "request refers to no charge");
  const currencies = [
    search.get("currency"),
    /currency=([A-Z]{3})/.exec(search.get("acr_values") ?? "")?.[1],
  ];
  if (currencies.some((currency) => currency && currency !== charge.currency)) {
    return fail("invalid_request", "currency does not match the charge");
  }
  if (charge.state !== "awaiting_consent") {
    const expired = charge.reason === "transaction expired";
    return fail(
      expired ? "access_denied" : "invalid_request",
      expired ? "transaction expired" : "charge already settled",
    );
  }
  const session: ConsentSession = {
    id: randomToken(ctx.random, 32),
    charge,
    clientId,
    redirectUri,
    state,
    nonce,
    codeChallenge,
    scope,
    done: false,
  };
  ctx.store.putSession(session);
  return html(200, consentPage(session));
}

function issueCode(ctx: Context, session: ConsentSession, charge: Charge): string {
  const code = randomToken(ctx.random, 32);
  ctx.store.putCode({
    code,
    charge,
    clientId: session.clientId,
    redirectUri: session.redirectUri,
    codeChallenge: session.codeChallenge,
    nonce: session.nonce,
    scope: session.scope,
    expiresAt: new Date(ctx.now().getTime() + ctx.settings.authorizationCodeTtlMs),
    used: false,
  });
  charge.oAuthCode = code;
  return code;
}

export function consent(ctx: Context, sessionId: string, raw: Buffer): Sent {
  const session = ctx.store.session(sessionId);
  if (!session) return html(404, messagePage("Not found", "no such payment page"));
  if (session.done)
    return html(409, messagePage("Already answered", "this payment page was already answered"));
  const form = new URLSearchParams(raw.toString("utf8"));
  const action = form.get("action");
  const { charge } = session;
  findCharge(ctx, charge.partner, charge.partnerTxID);
  const back = (params: Record<string, string>) =>
    redirect(withParams(session.redirectUri, { ...params, state: session.state }));
  if (action === "abandon") {
    return html(200, messagePage("Payment abandoned", "You left the GrabPay page without paying."));
  }
  if (action !== "approve" && action !== "fail" && action !== "decline") {
    return html(400, messagePage("Bad request", "action must be approve, fail, decline or abandon"));
  }
  if (charge.state !== "awaiting_consent") {
    session.done = true;
    return back({ error: "access_denied", error_description: charge.reason || "charge already settled" });
  }
  session.done = true;
  if (action === "decline") {
    settleByShopper(ctx, charge, { kind: "decline" });
    return back({ error: "access_denied", error_description: "the user declined the payment" });
  }
  const chosen = form.get("paymentMethod") ?? "GPWALLET";
  const allowed = PAYMENT_METHODS.filter((m) => !charge.hidePaymentMethods.includes(m));
  const paymentMethod = (allowed as readonly string[]).includes(chosen)
    ? (chosen as PaymentMethod)
    : "GPWALLET";
  settleByShopper(ctx, charge, { kind: action, paymentMethod });
  return back({ code: issueCode(ctx, session, charge) });
}

function tokenParams(contentType: string, raw: Buffer): Record<string, string> | null {
  const body = raw.toString("utf8");
  if (contentType.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(body));
  }
  try {
    const parsed: unknown = JSON.parse(body);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
    return Object.fromEntries(
      Object.entries(parsed).map(([key, value]) => [key, typeof value === "string" ? value : ""]),
    );
  } catch {
    return null;
  }
}

export function token(ctx: Context, contentType: string, raw: Buffer): Sent {
  const params = tokenParams(contentType, raw);
  if (!params) return oauthError(400, "invalid_request", "body must be JSON or form-encoded");
  for (const name of ["grant_type", "client_id", "client_secret", "code", "redirect_uri", "code_verifier"]) {
    if (!params[name]) return oauthError(400, "invalid_request", `missing ${name}`);
  }
  if (params.grant_type !== "authorization_code") {
    return oauthError(400, "unsupported_grant_type", "grant_type must be authorization_code");
  }
  const partner = ctx.store.partnerByClient(params.client_id ?? "");
  if (!partner || !safeEqual(params.client_secret ?? "", partner.clientSecret)) {
    return oauthError(401, "invalid_client", "client authentication failed");
  }
  const verifier = params.code_verifier ?? "";
  if (!PKCE_VALUE.test(verifier)) return oauthError(400, "invalid_request", "malformed code_verifier");
  const code = ctx.store.code(params.code ?? "");
  const now = ctx.now();
  if (!code || code.clientId !== partner.clientId || code.used || now.getTime() >= code.expiresAt.getTime()) {
    return oauthError(400, "invalid_grant", "code is invalid, expired or already used");
  }
  if (code.redirectUri !== params.redirect_uri)
    return oauthError(400, "invalid_grant", "redirect_uri mismatch");
  if (!safeEqual(pkceChallenge(verifier), code.codeChallenge)) {
    return oauthError(400, "invalid_grant", "code_verifier does not match code_challenge");
  }
  code.used = true;
  const accessToken = randomToken(ctx.random, 48);
  const expiresIn = ctx.settings.accessTokenTtlSeconds;
  ctx.store.putToken({
    token: accessToken,
    charge: code.charge,
    partner,
    expiresAt: new Date(now.getTime() + expiresIn * 1000),
  });
  const iat = Math.floor(now.getTime() / 1000);
  const response: Record<string, unknown> = {
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: expiresIn,
  };
  if (scopes(code.scope).includes("openid")) {
    response.id_token = signJws(ctx.tokenKey, {
      iss: ctx.baseUrl(),
      aud: partner.clientId,
      sub: `sim-user-${code.charge.txID.slice(0, 8)}`,
      nonce: code.nonce,
      iat,
      exp: iat + expiresIn,
    });
  }
  return json(200, response, { "cache-control": "no-store", pragma: "no-cache" });
}
