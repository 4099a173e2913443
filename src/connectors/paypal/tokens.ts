/**
 * OAuth 2.0 client credentials: POST /v1/oauth2/token with HTTP Basic `client_id:secret`. One token per
 * REST app and API host is kept in memory and replaced shortly before it expires, or at once when PayPal
 * answers 401 to it. Concurrent calls that need a new token share one request for it.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

export interface PayPalCredentials {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export type TokenAnswer =
  | { kind: "token"; token: string }
  /** PayPal refused the credentials: a configuration error, not a passing fault. */
  | { kind: "refused"; status: number; error: string }
  | { kind: "unknown"; reason: string };

export interface TokenCache {
  get(credentials: PayPalCredentials, signal: AbortSignal): Promise<TokenAnswer>;
  /** Forgets a token PayPal no longer accepts (unless a newer one replaced it meanwhile). */
  invalidate(credentials: PayPalCredentials, token: string): void;
}

const tokenSchema = z.object({
  access_token: z.string().min(1).max(4096),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().int().nonnegative(),
});

const MAX_TOKENS = 10_000;
/** Replaced this long before PayPal's expiry (at most half its life), so no call carries a dying token. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export function failureReason(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return "timeout";
  }
  return "network_error";
}

function keyOf(credentials: PayPalCredentials): string {
  const secret = createHash("sha256").update(credentials.clientSecret).digest("hex");
  return `${credentials.baseUrl}\n${credentials.clientId}\n${secret}`;
}

async function requestToken(credentials: PayPalCredentials, signal: AbortSignal) {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString("base64");
  let status: number;
  let text: string;
  try {
    const response = await fetch(`${credentials.baseUrl}/v1/oauth2/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: "grant_type=client_credentials",
      signal,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    return { kind: "unknown" as const, reason: failureReason(error) };
  }
  if (status === 429 || status >= 500) return { kind: "unknown" as const, reason: `token_http_${status}` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status !== 200) {
    const error = (body as { error?: unknown } | undefined)?.error;
    return { kind: "refused" as const, status, error: typeof error === "string" ? error : `http_${status}` };
  }
  const parsed = tokenSchema.safeParse(body);
  if (!parsed.success) return { kind: "unknown" as const, reason: "malformed_token_response" };
  return {
    kind: "issued" as const,
    token: parsed.data.access_token,
    lifetimeMs: parsed.data.expires_in * 1000,
  };
}

export function createTokenCache(now: () => number = Date.now): TokenCache {
  const tokens = new Map<string, { token: string; refreshAt: number }>();
  const requests = new Map<string, Promise<TokenAnswer>>();

  async function fetchToken(key: string, credentials: PayPalCredentials, signal: AbortSignal) {
    const issuedAt = now();
    const answer = await requestToken(credentials, signal);
    if (answer.kind !== "issued") return answer;
    const margin = Math.min(REFRESH_MARGIN_MS, answer.lifetimeMs / 2);
    if (tokens.size >= MAX_TOKENS) tokens.delete(tokens.keys().next().value as string);
    tokens.set(key, { token: answer.token, refreshAt: issuedAt + answer.lifetimeMs - margin });
    return { kind: "token" as const, token: answer.token };
  }

  return {
    get(credentials, signal) {
      const key = keyOf(credentials);
      const cached = tokens.get(key);
      if (cached && now() < cached.refreshAt) return Promise.resolve({ kind: "token", token: cached.token });
      const running = requests.get(key);
      if (running) return running;
      const request = fetchToken(key, credentials, signal).finally(() => requests.delete(key));
      requests.set(key, request);
      return request;
    },
    invalidate(credentials, token) {
      const key = keyOf(credentials);
      if (tokens.get(key)?.token === token) tokens.delete(key);
    },
  };
}
