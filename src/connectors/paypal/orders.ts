/**
 * Order-level steps shared by startPayment, completeRedirect, sync and closePayment: reading an order,
 * and completing an approved one (capture or authorize) exactly once under an id derived from our
 * reference, whoever gets there first — the shopper's return, a sync, or a sync after the approval
 * notification.
 */
import type { PaymentStatus } from "../contract.ts";
import { descriptionOf, issueOf, type PayPalSession, PayPalUnexpectedAnswer, paypalApi } from "./client.ts";
import { completionRefusal, orderStatus } from "./transformers.ts";
import { captureSchema, orderSchema, type PayPalOrder, parse } from "./wire.ts";

export type OrderLookup =
  | { kind: "order"; order: PayPalOrder }
  /** PayPal does not know it (an order nobody approved is forgotten after 3 hours). */
  | { kind: "missing" }
  | { kind: "unknown"; reason: string };

/** The PayPal-Request-Id of an order's capture or authorization: one per payment attempt. */
export function completionRequestId(reference: string): string {
  return `${reference}-complete`;
}

export async function fetchOrder(session: PayPalSession, orderId: string): Promise<OrderLookup> {
  const answer = await paypalApi.getOrder(session, orderId);
  if (answer.kind === "unknown") return answer;
  if (answer.status === 404) return { kind: "missing" };
  if (answer.status !== 200) throw new PayPalUnexpectedAnswer("get order", answer.status, answer.body);
  const order = parse(orderSchema, answer.body);
  return order ? { kind: "order", order } : { kind: "unknown", reason: "malformed_response" };
}

/** The order behind an order id, or behind a capture id (refunds and older records may hold one). */
export async function locateOrder(session: PayPalSession, reference: string): Promise<OrderLookup> {
  const direct = await fetchOrder(session, reference);
  if (direct.kind !== "missing") return direct;
  const answer = await paypalApi.getCapture(session, reference);
  if (answer.kind === "unknown") return answer;
  if (answer.status !== 200) return { kind: "missing" };
  const orderId = parse(captureSchema, answer.body)?.supplementary_data?.related_ids?.order_id;
  return orderId ? fetchOrder(session, orderId) : { kind: "unknown", reason: "malformed_response" };
}

/** False when the order carries another payment attempt's reference: it is not ours to complete. */
export function belongsTo(order: PayPalOrder, reference: string): boolean {
  const customId = order.purchase_units?.[0]?.custom_id;
  return customId === undefined || customId === reference;
}

/** What the order says now; an APPROVED order is completed first. */
export async function settleOrder(
  session: PayPalSession,
  order: PayPalOrder,
  reference: string,
  lookedUp = false,
): Promise<PaymentStatus> {
  if (order.status !== "APPROVED") return orderStatus(order);
  if (!order.intent) return { status: "pending", connectorReference: order.id };
  return completeOrder(session, order.id, order.intent, reference, lookedUp);
}

async function completeOrder(
  session: PayPalSession,
  orderId: string,
  intent: "CAPTURE" | "AUTHORIZE",
  reference: string,
  lookedUp: boolean,
): Promise<PaymentStatus> {
  const answer = await paypalApi.completeOrder(session, orderId, intent, completionRequestId(reference));
  if (answer.kind === "unknown") return { status: "pending", connectorReference: orderId };
  if (answer.status === 200 || answer.status === 201) {
    const order = parse(orderSchema, answer.body);
    return order ? orderStatus(order) : { status: "pending", connectorReference: orderId };
  }
  const refusal = completionRefusal(orderId, answer.status, issueOf(answer.body), descriptionOf(answer.body));
  if (refusal === "unexpected") {
    throw new PayPalUnexpectedAnswer(`order ${intent.toLowerCase()}`, answer.status, answer.body);
  }
  if (refusal !== "look_up") return refusal;
  // Completed meanwhile (by another caller, or with the other intent): the order tells. Once only.
  if (lookedUp) return { status: "pending", connectorReference: orderId };
  const current = await fetchOrder(session, orderId);
  if (current.kind === "missing") return { status: "expired", connectorReference: orderId };
  if (current.kind === "unknown") return { status: "pending", connectorReference: orderId };
  return settleOrder(session, current.order, reference, true);
}
