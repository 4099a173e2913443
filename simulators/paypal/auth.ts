/**
 * OAuth 2.0 client credentials as PayPal runs them: POST /v1/oauth2/token with HTTP Basic client_id:secret and
 * grant_type=client_credentials answers a bearer token with `expires_in`; asking again before it expires
 * returns the same token with the time it has left. An expired or unknown token is answered 401 invalid_token.
 */

import { OAUTH_ERRORS, type OAuthError } from "./errors.ts";
import type { Ids } from "./ids.ts";
import type { AccessToken, App, Store } from "./store.ts";

const SCOPES = [
  "https://uri.paypal.com/services/payments/refund",
  "https://uri.paypal.com/services/applications/webhooks",
  "https://uri.paypal.com/services/payments/payment/authcapture",
  "https://uri.paypal.com/services/payments/realtimepayment",
  "https://uri.paypal.com/services/reporting/search/read",
  "openid",
].join(" ");

export type TokenResult =
  | { ok: true; status: 200; body: Record<string, unknown> }
  | { ok: false; status: 400 | 401; body: OAuthError };

export type Authenticated = { ok: true; app: App } | { ok: false; reason: "missing" | "invalid" };

export interface AuthOptions {
  store: Store;
  ids: Ids;
  now: () => Date;
  tokenTtlSeconds: number;
}

export function parseBasic(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function createAuth(options: AuthOptions) {
  const { store, ids, now } = options;

  function clientFrom(header: string | undefined): App | null {
    const credentials = parseBasic(header);
    const app = credentials ? store.apps.get(credentials.user) : undefined;
    return app && credentials && app.clientSecret === credentials.password ? app : null;
  }

  function liveToken(clientId: string): AccessToken | undefined {
    for (const token of store.tokens.values()) {
      if (token.clientId === clientId && token.expiresAt.getTime() > now().getTime()) return token;
    }
    return undefined;
  }

  return {
    /** The app behind HTTP Basic client credentials, for the reports download. */
    clientFrom,

    issueToken(authorization: string | undefined, form: URLSearchParams): TokenResult {
      const app = clientFrom(authorization);
      if (!app) return { ok: false, status: 401, body: OAUTH_ERRORS.invalidClient };
      const grant = form.get("grant_type");
      if (grant !== "client_credentials") {
        const body = grant
          ? {
              error: "unsupported_grant_type",
              error_description: `Grant Type is not supported: ${grant.slice(0, 40)}`,
            }
          : OAUTH_ERRORS.unsupportedGrant;
        return { ok: false, status: 400, body };
      }
      let token = liveToken(app.clientId);
      if (!token) {
        const issuedAt = now();
        token = {
          token: ids.accessToken(),
          clientId: app.clientId,
          expiresAt: new Date(issuedAt.getTime() + options.tokenTtlSeconds * 1000),
          nonce: `${issuedAt.toISOString().replace(/\.\d{3}Z$/, "Z")}${ids.hex(43)}`,
        };
        store.tokens.set(token.token, token);
      }
      const expiresIn = Math.max(0, Math.floor((token.expiresAt.getTime() - now().getTime()) / 1000));
      return {
        ok: true,
        status: 200,
        body: {
          scope: SCOPES,
          access_token: token.token,
          token_type: "Bearer",
          app_id: app.appId,
          expires_in: expiresIn,
          nonce: token.nonce,
        },
      };
    },

    authenticate(authorization: string | undefined): Authenticated {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
      if (!match?.[1]) return { ok: false, reason: "missing" };
      const token = store.tokens.get(match[1]);
      if (!token || token.expiresAt.getTime() <= now().getTime()) return { ok: false, reason: "invalid" };
      const app = store.apps.get(token.clientId);
      return app ? { ok: true, app } : { ok: false, reason: "invalid" };
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
