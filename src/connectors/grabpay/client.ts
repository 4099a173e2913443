/**
 * HTTP calls to GrabPay's partner API v2 and GrabID, and their signing. Nothing here decides what an
 * answer means, except that an answer that does not say what happened (network error, timeout, 5xx,
 * 429, an unreadable body) is `unknown`: never a failure, never thrown.
 */
import type { GrabPayConfig } from "./config.ts";
import { partnerSignature, proofOfPossession } from "./signing.ts";

export interface GrabPayConnection {
  baseUrl: string;
  partnerId: string;
  partnerSecret: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  now: () => Date;
}

/** How to reach GrabPay for an account: its own base URL if set, else Payrail's default. */
export function connectionFor(
  config: GrabPayConfig,
  defaultBaseUrl: string,
  timeoutMs: number,
  now: () => Date = () => new Date(),
): GrabPayConnection {
  return {
    baseUrl: (config.base_url ?? defaultBaseUrl).replace(/\/+$/, ""),
    partnerId: config.partner_id,
    partnerSecret: config.partner_secret,
    clientId: config.client_id,
    clientSecret: config.client_secret,
    timeoutMs,
    now,
  };
}

export type GrabPayAnswer =
  | { kind: "answer"; status: number; body: unknown }
  | { kind: "unknown"; reason: string };

export type GrabPayTextAnswer =
  | { kind: "answer"; status: number; text: string; headers: Headers }
  | { kind: "unknown"; reason: string };

const JSON_TYPE = "application/json";
const API = "/grabpay/partner/v2";

function failureReason(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return "timeout";
  return "network_error";
}

async function exchange(
  c: GrabPayConnection,
  method: "GET" | "POST",
  pathAndQuery: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<GrabPayTextAnswer> {
  try {
    // One signal for the whole exchange, so a body that never ends also times out.
    const response = await fetch(`${c.baseUrl}${pathAndQuery}`, {
      method,
      headers,
      body,
      redirect: "error",
      signal: AbortSignal.timeout(c.timeoutMs),
    });
    const text = await response.text();
    if (response.status === 429) return { kind: "unknown", reason: "rate_limited" };
    if (response.status >= 500) return { kind: "unknown", reason: `http_${response.status}` };
    return { kind: "answer", status: response.status, text, headers: response.headers };
  } catch (error) {
    return { kind: "unknown", reason: failureReason(error) };
  }
}

function asJson(answer: GrabPayTextAnswer): GrabPayAnswer {
  if (answer.kind === "unknown") return answer;
  try {
    return { kind: "answer", status: answer.status, body: JSON.parse(answer.text) as unknown };
  } catch {
    return { kind: "unknown", reason: "malformed_response" };
  }
}

function partnerHeaders(c: GrabPayConnection, method: string, pathAndQuery: string, body: string) {
  const date = c.now().toUTCString();
  const signature = partnerSignature(c.partnerSecret, {
    method,
    contentType: JSON_TYPE,
    date,
    pathAndQuery,
    body,
  });
  return {
    "content-type": JSON_TYPE,
    accept: JSON_TYPE,
    date,
    authorization: `${c.partnerId}:${signature}`,
  };
}

function partnerCall(c: GrabPayConnection, method: "GET" | "POST", pathAndQuery: string, payload?: object) {
  const body = payload === undefined ? "" : JSON.stringify(payload);
  const headers = partnerHeaders(c, method, pathAndQuery, body);
  return exchange(c, method, pathAndQuery, headers, method === "GET" ? undefined : body);
}

const segment = encodeURIComponent;

export interface ChargeInitBody {
  partnerTxID: string;
  partnerGroupTxID: string;
  amount: number;
  currency: string;
  merchantID: string;
  description: string;
}

export interface RefundBody {
  partnerTxID: string;
  partnerGroupTxID: string;
  amount: number;
  currency: string;
  merchantID: string;
  originTxID: string;
  echo: string;
}

export const grabPayClient = {
  chargeInit: async (c: GrabPayConnection, body: ChargeInitBody) =>
    asJson(await partnerCall(c, "POST", `${API}/charge/init`, body)),

  chargeStatus: async (c: GrabPayConnection, partnerTxID: string, currency: string) =>
    asJson(
      await partnerCall(
        c,
        "GET",
        `${API}/charge/${segment(partnerTxID)}/status?currency=${segment(currency)}`,
      ),
    ),

  /** RFC 6749 authorization code grant with the PKCE code_verifier. */
  token: async (c: GrabPayConnection, code: string, codeVerifier: string, redirectUri: string) =>
    asJson(
      await exchange(
        c,
        "POST",
        "/grabid/v1/oauth2/token",
        { "content-type": JSON_TYPE, accept: JSON_TYPE },
        JSON.stringify({
          grant_type: "authorization_code",
          client_id: c.clientId,
          client_secret: c.clientSecret,
          code,
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
        }),
      ),
    ),

  /** Charge complete is authorized by the shopper's access token, with proof of possession. */
  chargeComplete: async (c: GrabPayConnection, accessToken: string, partnerTxID: string) => {
    const at = c.now();
    const headers = {
      "content-type": JSON_TYPE,
      accept: JSON_TYPE,
      date: at.toUTCString(),
      authorization: `Bearer ${accessToken}`,
      "x-gid-aux-pop": proofOfPossession(c.clientSecret, accessToken, at),
    };
    return asJson(
      await exchange(c, "POST", `${API}/charge/complete`, headers, JSON.stringify({ partnerTxID })),
    );
  },

  refund: async (c: GrabPayConnection, body: RefundBody) =>
    asJson(await partnerCall(c, "POST", `${API}/refund`, body)),

  refundStatus: async (c: GrabPayConnection, partnerTxID: string, currency: string) =>
    asJson(
      await partnerCall(
        c,
        "GET",
        `${API}/refund/${segment(partnerTxID)}/status?currency=${segment(currency)}`,
      ),
    ),

  /** The daily transaction report (CSV), as the simulator serves it. */
  transactionReport: (c: GrabPayConnection, date: string, merchantId: string) =>
    partnerCall(
      c,
      "GET",
      `/simulator/reports/transactions?date=${segment(date)}&merchantID=${segment(merchantId)}`,
    ),
};
