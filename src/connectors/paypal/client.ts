/**
 * A thin fetch client for PayPal's REST APIs (the official SDK only reaches PayPal's own hosts). It only
 * sends and classifies: every answer that does not say what happened (network error, timeout, 5xx, 429,
 * an unreadable success body) is `unknown`, never a failure, and nothing is thrown for it.
 */
import { failureReason, type PayPalCredentials, type TokenCache } from "./tokens.ts";

export type PayPalAnswer =
  /** PayPal answered definitely; `body` is the parsed JSON (undefined for 204 or an unreadable error). */
  { kind: "answer"; status: number; body: unknown } | { kind: "unknown"; reason: string };

export interface PayPalRequest {
  method: "GET" | "POST";
  path: string;
  body?: object | undefined;
  /** PayPal-Request-Id: PayPal replays its first answer to a repeated id instead of acting again. */
  requestId?: string | undefined;
}

/** One connector operation's way to PayPal: the app's credentials and a deadline shared by its calls. */
export interface PayPalSession {
  credentials: PayPalCredentials;
  signal: AbortSignal;
  tokens: TokenCache;
}

/** The first issue PayPal names (`details[0].issue`), else its error name. */
export function issueOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { details, name } = body as { details?: unknown; name?: unknown };
  const first = Array.isArray(details) ? (details[0] as { issue?: unknown } | undefined) : undefined;
  if (typeof first?.issue === "string") return first.issue;
  return typeof name === "string" ? name : undefined;
}

export function descriptionOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { details, message } = body as { details?: unknown; message?: unknown };
  const first = Array.isArray(details) ? (details[0] as { description?: unknown } | undefined) : undefined;
  if (typeof first?.description === "string") return first.description.slice(0, 500);
  return typeof message === "string" ? message.slice(0, 500) : undefined;
}

/** An answer no operation expects (a request PayPal calls malformed, credentials it refuses): a bug. */
export class PayPalUnexpectedAnswer extends Error {
  override name = "PayPalUnexpectedAnswer";
  constructor(operation: string, status: number, body: unknown) {
    const debugId = (body as { debug_id?: unknown } | undefined)?.debug_id;
    super(
      `paypal ${operation}: unexpected HTTP ${status} (${issueOf(body) ?? "no issue"}${
        typeof debugId === "string" ? `, debug_id ${debugId}` : ""
      })`,
    );
  }
}

async function sendOnce(
  session: PayPalSession,
  request: PayPalRequest,
  token: string,
): Promise<PayPalAnswer> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: "application/json",
    prefer: "return=representation",
  };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  if (request.requestId !== undefined) headers["paypal-request-id"] = request.requestId;
  let status: number;
  let text: string;
  try {
    const response = await fetch(`${session.credentials.baseUrl}${request.path}`, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: session.signal,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    return { kind: "unknown", reason: failureReason(error) };
  }
  if (status === 429) return { kind: "unknown", reason: "rate_limited" };
  if (status >= 500) return { kind: "unknown", reason: `http_${status}` };
  if (text === "") return { kind: "answer", status, body: undefined };
  try {
    return { kind: "answer", status, body: JSON.parse(text) as unknown };
  } catch {
    if (status < 300) return { kind: "unknown", reason: "malformed_response" };
    return { kind: "answer", status, body: undefined };
  }
}

/**
 * Sends one API request with the app's bearer token. A 401 means PayPal no longer knows the token (it
 * expired early, or PayPal dropped it): the request did nothing, so it is sent once more with a new one.
 */
export async function send(session: PayPalSession, request: PayPalRequest): Promise<PayPalAnswer> {
  for (let attempt = 0; ; attempt++) {
    const token = await session.tokens.get(session.credentials, session.signal);
    if (token.kind === "unknown") return { kind: "unknown", reason: token.reason };
    if (token.kind === "refused") {
      throw new Error(
        `paypal: the REST app's credentials were refused (${token.error}, HTTP ${token.status})`,
      );
    }
    const answer = await sendOnce(session, request, token.token);
    if (answer.kind === "answer" && answer.status === 401 && attempt === 0) {
      session.tokens.invalidate(session.credentials, token.token);
      continue;
    }
    return answer;
  }
}

const segment = encodeURIComponent;

export const paypalApi = {
  createOrder: (s: PayPalSession, body: object, requestId: string) =>
    send(s, { method: "POST", path: "/v2/checkout/orders", body, requestId }),
  getOrder: (s: PayPalSession, id: string) =>
    send(s, { method: "GET", path: `/v2/checkout/orders/${segment(id)}` }),
  completeOrder: (s: PayPalSession, id: string, intent: "CAPTURE" | "AUTHORIZE", requestId: string) =>
    send(s, {
      method: "POST",
      path: `/v2/checkout/orders/${segment(id)}/${intent === "CAPTURE" ? "capture" : "authorize"}`,
      body: {},
      requestId,
    }),
  captureAuthorization: (s: PayPalSession, id: string, body: object, requestId: string) =>
    send(s, { method: "POST", path: `/v2/payments/authorizations/${segment(id)}/capture`, body, requestId }),
  voidAuthorization: (s: PayPalSession, id: string, requestId: string) =>
    send(s, { method: "POST", path: `/v2/payments/authorizations/${segment(id)}/void`, requestId }),
  getCapture: (s: PayPalSession, id: string) =>
    send(s, { method: "GET", path: `/v2/payments/captures/${segment(id)}` }),
  refundCapture: (s: PayPalSession, id: string, body: object, requestId: string) =>
    send(s, { method: "POST", path: `/v2/payments/captures/${segment(id)}/refund`, body, requestId }),
  getRefund: (s: PayPalSession, id: string) =>
    send(s, { method: "GET", path: `/v2/payments/refunds/${segment(id)}` }),
  createWebhook: (s: PayPalSession, body: object) =>
    send(s, { method: "POST", path: "/v1/notifications/webhooks", body }),
  listWebhooks: (s: PayPalSession) => send(s, { method: "GET", path: "/v1/notifications/webhooks" }),
  verifyWebhookSignature: (s: PayPalSession, body: object) =>
    send(s, { method: "POST", path: "/v1/notifications/verify-webhook-signature", body }),
};
