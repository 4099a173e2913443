/**
 * HTTP calls to BTCPay Server's Greenfield API v1 (`Authorization: token <api key>`). Nothing here decides
 * what an answer means, except that every answer that does not say what happened (network error,
 * timeout, 5xx, 429, an unreadable 2xx body) is `unknown`, never a failure, and never thrown.
 */

import { exchangeText, type TextAnswer } from "../http-exchange.ts";

export interface BtcpayConnection {
  baseUrl: string;
  apiKey: string;
  storeId: string;
  timeoutMs: number;
}

export type BtcpayAnswer =
  /** BTCPay answered: a 2xx with its JSON body, or a definite 4xx (body null when it was not JSON). */
  { kind: "answer"; status: number; body: unknown } | { kind: "unknown"; reason: string };

export type BtcpayTextAnswer = TextAnswer;

function send(
  c: BtcpayConnection,
  method: "GET" | "POST" | "PUT",
  path: string,
  body?: object,
): Promise<BtcpayTextAnswer> {
  const headers: Record<string, string> = { authorization: `token ${c.apiKey}`, accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  return exchangeText(`${c.baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    timeoutMs: c.timeoutMs,
  });
}

async function call(
  c: BtcpayConnection,
  method: "GET" | "POST" | "PUT",
  path: string,
  body?: object,
): Promise<BtcpayAnswer> {
  const answer = await send(c, method, path, body);
  if (answer.kind === "unknown") return answer;
  let parsed: unknown = null;
  try {
    parsed = answer.text === "" ? null : (JSON.parse(answer.text) as unknown);
  } catch {
    // A 2xx we cannot read may still have acted (a truncated answer): unknown, not failed.
    if (answer.status < 300) return { kind: "unknown", reason: "malformed_response" };
  }
  return { kind: "answer", status: answer.status, body: parsed };
}

const segment = encodeURIComponent;
const store = (c: BtcpayConnection) => `/api/v1/stores/${segment(c.storeId)}`;

export const btcpayClient = {
  createInvoice: (c: BtcpayConnection, body: object) => call(c, "POST", `${store(c)}/invoices`, body),
  findInvoicesByOrderId: (c: BtcpayConnection, orderId: string) =>
    call(c, "GET", `${store(c)}/invoices?orderId=${segment(orderId)}`),
  getInvoice: (c: BtcpayConnection, invoiceId: string) =>
    call(c, "GET", `${store(c)}/invoices/${segment(invoiceId)}`),
  markInvoiceStatus: (c: BtcpayConnection, invoiceId: string, status: "Invalid" | "Settled") =>
    call(c, "POST", `${store(c)}/invoices/${segment(invoiceId)}/status`, { status }),
  refundInvoice: (c: BtcpayConnection, invoiceId: string, body: object) =>
    call(c, "POST", `${store(c)}/invoices/${segment(invoiceId)}/refund`, body),
  listPullPayments: (c: BtcpayConnection) => call(c, "GET", `${store(c)}/pull-payments?includeArchived=true`),
  getPullPayment: (c: BtcpayConnection, pullPaymentId: string) =>
    call(c, "GET", `/api/v1/pull-payments/${segment(pullPaymentId)}`),
  getPullPaymentPayouts: (c: BtcpayConnection, pullPaymentId: string) =>
    call(c, "GET", `/api/v1/pull-payments/${segment(pullPaymentId)}/payouts?includeCancelled=true`),
  listWebhooks: (c: BtcpayConnection) => call(c, "GET", `${store(c)}/webhooks`),
  createWebhook: (c: BtcpayConnection, body: object) => call(c, "POST", `${store(c)}/webhooks`, body),
  updateWebhook: (c: BtcpayConnection, webhookId: string, body: object) =>
    call(c, "PUT", `${store(c)}/webhooks/${segment(webhookId)}`, body),
  /** The invoice export (`btcpay-export-….csv`) of the invoices created in [start, end), UTC. */
  exportInvoicesCsv: (c: BtcpayConnection, period: { start: Date; end: Date }) => {
    const at = (date: Date) => date.toISOString().slice(0, 19).replace("T", " ");
    const searchTerm = `startdate:${at(period.start)},enddate:${at(period.end)}`;
    return send(
      c,
      "GET",
      `/stores/${segment(c.storeId)}/invoices/export/csv?searchTerm=${segment(searchTerm)}&timezoneOffset=0`,
    );
  },
};
