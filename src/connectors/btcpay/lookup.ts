/** Finding what BTCPay holds for one of our references: the invoice of a payment, the pull payment of a refund. */
import { type BtcpayAnswer, type BtcpayConnection, btcpayClient } from "./client.ts";
import { chooseInvoice, findRefundPullPayment } from "./transformers.ts";
import {
  invoiceSchema,
  parseList,
  parseOne,
  problemMessage,
  pullPaymentSchema,
  type WireInvoice,
  type WirePullPayment,
} from "./wire.ts";

export type Found<T> = { kind: "found"; object: T } | { kind: "none" } | { kind: "unknown"; reason: string };

/** An answer that no retry would change and that Payrail has no value for: the account is misconfigured. */
export function unexpectedAnswer(operation: string, answer: BtcpayAnswer & { kind: "answer" }): Error {
  const detail = problemMessage(answer.body) ?? "unreadable error body";
  return new Error(`btcpay ${operation}: unexpected HTTP ${answer.status} (${detail})`);
}

/**
 * Our reference is the invoice's orderId; BTCPay lists invoices by it. `refused`: BTCPay would not list
 * them (a revoked key, a missing permission), which no retry changes.
 */
export async function findInvoiceByReference(
  c: BtcpayConnection,
  reference: string,
): Promise<Found<WireInvoice> | { kind: "refused"; error: Error }> {
  const answer = await btcpayClient.findInvoicesByOrderId(c, reference);
  if (answer.kind === "unknown") return answer;
  if (answer.status !== 200) return { kind: "refused", error: unexpectedAnswer("invoice lookup", answer) };
  const invoices = parseList(invoiceSchema, answer.body);
  if (!invoices) return { kind: "unknown", reason: "malformed_response" };
  const invoice = chooseInvoice(invoices, reference);
  return invoice ? { kind: "found", object: invoice } : { kind: "none" };
}

export async function findInvoice(
  c: BtcpayConnection,
  request: { reference: string; connectorReference?: string | null | undefined },
): Promise<Found<WireInvoice>> {
  if (!request.connectorReference) {
    const found = await findInvoiceByReference(c, request.reference);
    if (found.kind === "refused") throw found.error;
    return found;
  }
  const answer = await btcpayClient.getInvoice(c, request.connectorReference);
  if (answer.kind === "unknown") return answer;
  if (answer.status === 404) return { kind: "none" };
  if (answer.status !== 200) throw unexpectedAnswer("invoice read", answer);
  const invoice = parseOne(invoiceSchema, answer.body);
  return invoice ? { kind: "found", object: invoice } : { kind: "unknown", reason: "malformed_response" };
}

/**
 * The pull payment a refund made, by the name it carries. `unavailable`: this BTCPay (or this API key)
 * cannot list the store's pull payments, so a refund cannot be found again by its reference.
 */
export async function findRefundByReference(
  c: BtcpayConnection,
  reference: string,
): Promise<Found<WirePullPayment> | { kind: "unavailable" }> {
  const answer = await btcpayClient.listPullPayments(c);
  if (answer.kind === "unknown") return answer;
  if (answer.status !== 200) return { kind: "unavailable" };
  const pullPayments = parseList(pullPaymentSchema, answer.body);
  if (!pullPayments) return { kind: "unknown", reason: "malformed_response" };
  const found = findRefundPullPayment(pullPayments, reference);
  return found ? { kind: "found", object: found } : { kind: "none" };
}
