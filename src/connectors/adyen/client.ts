import { sendRequest } from "../../core/http-client.ts";

/**
 * HTTP calls to Adyen's Checkout API v71 and Management API v3. Nothing here decides what an answer
 * means, except that every answer that does not say what happened (network error, timeout, 5xx, 429,
 * a request Adyen still has in progress, an unreadable success body) is `unknown`, never a failure,
 * and never thrown.
 */

export interface AdyenConnection {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

export type AdyenAnswer =
  /** Adyen answered with a definite status; `body` is the parsed JSON, or undefined if unreadable. */
  { kind: "answer"; status: number; body: unknown } | { kind: "unknown"; reason: string };

/** JSON with bigint amounts written as integers; Adyen amounts are int64 but JSON numbers stop at 2^53. */
export function encodeJson(body: object): string {
  return JSON.stringify(body, (_key, value: unknown) => {
    if (typeof value !== "bigint") return value;
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError(`amount ${value} is outside what a JSON number carries exactly`);
    }
    return Number(value);
  });
}

function failureReason(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return "timeout";
  return "network_error";
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Adyen's idempotency layer answers error 704 while the first request with the same key is still
 * running (409, or any answer flagged `Transient-Error: true`) and when the key was used with another
 * body (422). Neither says what became of the first request.
 */
function idempotencyConflict(status: number, body: unknown, transient: string | undefined): string | null {
  if (transient === "true") return "in_progress";
  const code =
    typeof body === "object" && body !== null ? (body as { errorCode?: unknown }).errorCode : undefined;
  if (code !== "704") return null;
  return status === 409 ? "in_progress" : "idempotency_key_reused";
}

async function post(
  connection: AdyenConnection,
  path: string,
  body: object,
  idempotencyKey?: string,
): Promise<AdyenAnswer> {
  const headers: Record<string, string> = {
    "x-api-key": connection.apiKey,
    "content-type": "application/json",
    accept: "application/json",
  };
  if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey;
  const payload = encodeJson(body);

  let status: number;
  let text: string;
  let transient: string | undefined;
  try {
    const response = await sendRequest({
      method: "POST",
      url: `${connection.baseUrl}${path}`,
      headers,
      body: payload,
      timeoutMs: connection.timeoutMs,
    });
    status = response.status;
    text = response.body.toString("utf8");
    transient = header(response.headers, "transient-error");
  } catch (error) {
    return { kind: "unknown", reason: failureReason(error) };
  }
  if (status === 429) return { kind: "unknown", reason: "rate_limited" };
  if (status >= 500) return { kind: "unknown", reason: `http_${status}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    if (status < 300) return { kind: "unknown", reason: "malformed_response" };
    return { kind: "answer", status, body: undefined };
  }
  const conflict = status >= 400 ? idempotencyConflict(status, parsed, transient) : null;
  if (conflict) return { kind: "unknown", reason: conflict };
  return { kind: "answer", status, body: parsed };
}

const segment = encodeURIComponent;

export type ModificationKind = "captures" | "cancels" | "refunds" | "reversals";

export const adyenClient = {
  payments: (c: AdyenConnection, body: { reference: string } & object) =>
    post(c, "/v71/payments", body, body.reference),
  /** The key is derived from our reference so a repeated return from the issuer is answered once. */
  paymentDetails: (c: AdyenConnection, body: object, idempotencyKey: string) =>
    post(c, "/v71/payments/details", body, idempotencyKey),
  modify: (
    c: AdyenConnection,
    kind: ModificationKind,
    pspReference: string,
    body: { reference: string } & object,
  ) => post(c, `/v71/payments/${segment(pspReference)}/${kind}`, body, body.reference),
  createWebhook: (c: AdyenConnection, merchantAccount: string, body: object) =>
    post(c, `/v3/merchants/${segment(merchantAccount)}/webhooks`, body),
  generateHmac: (c: AdyenConnection, merchantAccount: string, webhookId: string) =>
    post(c, `/v3/merchants/${segment(merchantAccount)}/webhooks/${segment(webhookId)}/generateHmac`, {}),
};
