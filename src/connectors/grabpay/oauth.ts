/**
 * GrabID's side of a one-time charge: the authorize URL the shopper opens, with PKCE (S256), and the
 * `state` that comes back on the return URL. Nothing is stored: the code_verifier and nonce are HMACs of
 * our reference under the client secret, and the state is a signed, self-contained token naming the
 * reference and the redirect_uri, so the return leg (which is not told the return URL) can repeat the
 * redirect_uri in the token exchange.
 */
import { createHash, createHmac } from "node:crypto";
import { sameText } from "./signing.ts";

export const ONE_TIME_CHARGE_SCOPE = "openid payment.one_time_charge";

function derived(clientSecret: string, purpose: string, text: string): string {
  return createHmac("sha256", clientSecret).update(`grabpay-${purpose}\n${text}`, "utf8").digest("base64url");
}

/** 43 base64url characters: a valid PKCE code_verifier (RFC 7636). */
export function codeVerifierFor(clientSecret: string, reference: string): string {
  return derived(clientSecret, "pkce", reference);
}

export function codeChallengeOf(codeVerifier: string): string {
  return createHash("sha256").update(codeVerifier, "ascii").digest("base64url");
}

export function nonceFor(clientSecret: string, reference: string): string {
  return derived(clientSecret, "nonce", reference);
}

export function stateFor(clientSecret: string, reference: string, redirectUri: string): string {
  const payload = `${reference}\n${redirectUri}`;
  return `${Buffer.from(payload, "utf8").toString("base64url")}.${derived(clientSecret, "state", payload)}`;
}

/** The reference a state names, unverified: only to find the payment; `redirectUriOfState` verifies. */
export function referenceOfState(state: string): string | undefined {
  const match = /^([A-Za-z0-9_-]{1,400})\.[A-Za-z0-9_-]{43}$/.exec(state);
  if (!match) return undefined;
  const payload = Buffer.from(match[1] ?? "", "base64url").toString("utf8");
  const newline = payload.indexOf("\n");
  return newline > 0 ? payload.slice(0, newline) : undefined;
}

/** The redirect_uri a state was made with, when the state is ours and names this reference. */
export function redirectUriOfState(
  clientSecret: string,
  reference: string,
  state: string,
): string | undefined {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(state);
  if (!match) return undefined;
  const payload = Buffer.from(match[1] ?? "", "base64url").toString("utf8");
  if (!sameText(match[2] ?? "", derived(clientSecret, "state", payload))) return undefined;
  const newline = payload.indexOf("\n");
  if (payload.slice(0, newline) !== reference) return undefined;
  return payload.slice(newline + 1);
}

export interface AuthorizeParams {
  clientId: string;
  clientSecret: string;
  reference: string;
  redirectUri: string;
  /** The `request` token charge init answered with. */
  requestToken: string;
  country: string;
  /** Upper case ISO 4217. */
  currency: string;
}

export function authorizeUrl(baseUrl: string, params: AuthorizeParams): string {
  const verifier = codeVerifierFor(params.clientSecret, params.reference);
  const query = new URLSearchParams({
    acr_values: `consent_ctx:countryCode=${params.country},currency=${params.currency}`,
    client_id: params.clientId,
    code_challenge: codeChallengeOf(verifier),
    code_challenge_method: "S256",
    currency: params.currency,
    nonce: nonceFor(params.clientSecret, params.reference),
    redirect_uri: params.redirectUri,
    request: params.requestToken,
    response_type: "code",
    scope: ONE_TIME_CHARGE_SCOPE,
    state: stateFor(params.clientSecret, params.reference, params.redirectUri),
  });
  return `${baseUrl}/grabid/v1/oauth2/authorize?${query}`;
}
