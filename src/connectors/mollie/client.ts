/**
 * HTTP calls to Mollie's API v2, with `Authorization: Bearer <api key>`. Nothing here decides what an
 * answer means, except that every answer that does not say what happened (network error, timeout, 5xx,
 * 429, a request Mollie still runs under the same Idempotency-Key, a key reused for another body, an
 * unreadable success body) is `unknown`: never a failure, never thrown.
 */

import { exchangeText, type TextAnswer } from "../http-exchange.ts";

export interface MollieConnection {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

export type MollieAnswer =
  /** Mollie answered with a definite status; `body` is the parsed JSON, or undefined if there is none. */
  { kind: "answer"; status: number; body: unknown } | { kind: "unknown"; reason: string };

export type MollieTextAnswer = TextAnswer;

async function exchange(
  c: MollieConnection,
  method: "GET" | "POST" | "DELETE",
  path: string,
  options: { body?: object; idempotencyKey?: string; accept?: string } = {},
): Promise<MollieTextAnswer> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${c.apiKey}`,
    accept: options.accept ?? "application/hal+json, application/json",
  };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.idempotencyKey !== undefined) headers["idempotency-key"] = options.idempotencyKey;
  const answer = await exchangeText(`${c.baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    redirect: "error",
    timeoutMs: c.timeoutMs,
  });
  // Mollie is still running the first request with this Idempotency-Key.
  if (answer.kind === "answer" && answer.status === 409) return { kind: "unknown", reason: "in_progress" };
  return answer;
}

async function call(
  c: MollieConnection,
  method: "GET" | "POST" | "DELETE",
  path: string,
  options: { body?: object; idempotencyKey?: string } = {},
): Promise<MollieAnswer> {
  const answer = await exchange(c, method, path, options);
  if (answer.kind === "unknown") return answer;
  let body: unknown;
  if (answer.text.trim() !== "") {
    try {
      body = JSON.parse(answer.text) as unknown;
    } catch {
      if (answer.status < 300) return { kind: "unknown", reason: "malformed_response" };
    }
  } else if (answer.status < 300 && answer.status !== 204) {
    return { kind: "unknown", reason: "malformed_response" };
  }
  // The key was first used with another body: what became of that first request is not said here.
  if (
    answer.status === 422 &&
    typeof body === "object" &&
    body !== null &&
    (body as { field?: unknown }).field === "Idempotency-Key"
  ) {
    return { kind: "unknown", reason: "idempotency_key_reused" };
  }
  return { kind: "answer", status: answer.status, body };
}

const segment = encodeURIComponent;

function pageQuery(page: { from?: string | undefined; limit: number }): string {
  const query = new URLSearchParams({ limit: String(page.limit) });
  if (page.from !== undefined) query.set("from", page.from);
  return query.toString();
}

export const mollieClient = {
  createPayment: (c: MollieConnection, body: object, idempotencyKey: string) =>
    call(c, "POST", "/v2/payments", { body, idempotencyKey }),
  getPayment: (c: MollieConnection, id: string) => call(c, "GET", `/v2/payments/${segment(id)}`),
  listPayments: (c: MollieConnection, page: { from?: string | undefined; limit: number }) =>
    call(c, "GET", `/v2/payments?${pageQuery(page)}`),
  cancelPayment: (c: MollieConnection, id: string) => call(c, "DELETE", `/v2/payments/${segment(id)}`),
  createRefund: (c: MollieConnection, paymentId: string, body: object, idempotencyKey: string) =>
    call(c, "POST", `/v2/payments/${segment(paymentId)}/refunds`, { body, idempotencyKey }),
  getRefund: (c: MollieConnection, paymentId: string, refundId: string) =>
    call(c, "GET", `/v2/payments/${segment(paymentId)}/refunds/${segment(refundId)}`),
  listRefunds: (c: MollieConnection, paymentId: string, page: { from?: string | undefined; limit: number }) =>
    call(c, "GET", `/v2/payments/${segment(paymentId)}/refunds?${pageQuery(page)}`),
  listSettlements: (c: MollieConnection, page: { from?: string | undefined; limit: number }) =>
    call(c, "GET", `/v2/settlements?${pageQuery(page)}`),
  getSettlement: (c: MollieConnection, id: string) => call(c, "GET", `/v2/settlements/${segment(id)}`),
  /** The simulator's stand-in for the dashboard's "Download as CSV" (Mollie has no API for it). */
  exportCsv: (c: MollieConnection, path: string) => exchange(c, "GET", path, { accept: "text/csv" }),
};

/** The `from` cursor of a list page's `next` link: the next page is asked of our own base URL, not the link's host. */
export function nextCursor(next: { href: string } | null | undefined): string | undefined {
  if (!next || !URL.canParse(next.href)) return undefined;
  return new URL(next.href).searchParams.get("from") ?? undefined;
}
