/**
 * Payments v2 on a payment Payrail knows by its order id: capture and void of the order's authorization,
 * refunds of its capture, and refund status. Each accepts the resource's own id as well (an
 * authorization id for capture/void, a capture id for refunds), for records that hold one.
 */
import type { ModifyRequest, ModifyResult, RefundStatus } from "../contract.ts";
import { descriptionOf, issueOf, type PayPalSession, PayPalUnexpectedAnswer, paypalApi } from "./client.ts";
import { fetchOrder } from "./orders.ts";
import { captureRequestBody, refundRequestBody } from "./requests.ts";
import { captureToModifyResult, refundToModifyResult, refundToRefundStatus } from "./transformers.ts";
import { captureSchema, type PayPalCapture, type PayPalOrder, parse, refundSchema } from "./wire.ts";

type Target =
  | { kind: "found"; id: string; order?: PayPalOrder }
  | { kind: "none" }
  | { kind: "unknown"; reason: string };

function pending(request: ModifyRequest, reason: string): ModifyResult {
  return { outcome: "pending", connectorReference: request.connectorReference, reason };
}

function refused(answer: { status: number; body: unknown }): ModifyResult {
  if (answer.status === 404) return { outcome: "failed", reason: "not_found" };
  return {
    outcome: "failed",
    reason: (issueOf(answer.body) ?? `http_${answer.status}`).toLowerCase(),
    providerMessage: descriptionOf(answer.body),
  };
}

/** A definite refusal (404, 422) comes back as a value; any other 4xx is a bug. */
function refusedOrThrow(operation: string, answer: { status: number; body: unknown }): ModifyResult {
  if (answer.status === 404 || answer.status === 422) return refused(answer);
  throw new PayPalUnexpectedAnswer(operation, answer.status, answer.body);
}

async function authorizationOf(session: PayPalSession, reference: string): Promise<Target> {
  const lookup = await fetchOrder(session, reference);
  if (lookup.kind === "unknown") return lookup;
  if (lookup.kind === "missing") return { kind: "found", id: reference };
  const id = lookup.order.purchase_units?.[0]?.payments?.authorizations?.[0]?.id;
  return id ? { kind: "found", id, order: lookup.order } : { kind: "none" };
}

/** The capture a refund takes money back from: the one capture of a single-capture payment. */
async function captureOf(session: PayPalSession, reference: string): Promise<Target> {
  const lookup = await fetchOrder(session, reference);
  if (lookup.kind === "unknown") return lookup;
  if (lookup.kind === "missing") return { kind: "found", id: reference };
  const captures = lookup.order.purchase_units?.[0]?.payments?.captures ?? [];
  const capture =
    captures.find((c) => c.status === "COMPLETED" || c.status === "PARTIALLY_REFUNDED") ?? captures[0];
  return capture ? { kind: "found", id: capture.id, order: lookup.order } : { kind: "none" };
}

/** A PayPal-Request-Id replay repeats the first answer: a capture that was pending then is asked about now. */
async function currentCapture(session: PayPalSession, capture: PayPalCapture): Promise<PayPalCapture> {
  if (capture.status !== "PENDING") return capture;
  const answer = await paypalApi.getCapture(session, capture.id);
  const now = answer.kind === "answer" && answer.status === 200 ? parse(captureSchema, answer.body) : null;
  return now ?? capture;
}

export async function captureAuthorization(
  session: PayPalSession,
  request: ModifyRequest & { final: boolean },
): Promise<ModifyResult> {
  const body = captureRequestBody(request);
  if (!body) return { outcome: "failed", reason: "amount_not_supported" };
  const target = await authorizationOf(session, request.connectorReference);
  if (target.kind === "unknown") return pending(request, target.reason);
  if (target.kind === "none") return { outcome: "failed", reason: "not_authorized" };
  const answer = await paypalApi.captureAuthorization(session, target.id, body, request.reference);
  if (answer.kind === "unknown") return pending(request, answer.reason);
  if (answer.status === 200 || answer.status === 201) {
    const capture = parse(captureSchema, answer.body);
    if (!capture) return pending(request, "malformed_response");
    return captureToModifyResult(await currentCapture(session, capture));
  }
  if (issueOf(answer.body) === "AUTHORIZATION_ALREADY_CAPTURED") {
    // Our own capture, when PayPal no longer replays its Request-Id: its invoice_id is our reference.
    const ours = target.order?.purchase_units?.[0]?.payments?.captures?.find(
      (capture) => capture.invoice_id === request.reference,
    );
    if (ours) return captureToModifyResult(ours);
  }
  return refusedOrThrow("authorization capture", answer);
}

export async function voidAuthorization(
  session: PayPalSession,
  request: ModifyRequest,
): Promise<ModifyResult> {
  const target = await authorizationOf(session, request.connectorReference);
  if (target.kind === "unknown") return pending(request, target.reason);
  if (target.kind === "none") return { outcome: "failed", reason: "not_authorized" };
  const answer = await paypalApi.voidAuthorization(session, target.id, request.reference);
  if (answer.kind === "unknown") return pending(request, answer.reason);
  const issue = issueOf(answer.body);
  const voided =
    answer.status === 200 ||
    answer.status === 204 ||
    issue === "PREVIOUSLY_VOIDED" ||
    issue === "AUTHORIZATION_VOIDED";
  if (!voided) return refusedOrThrow("authorization void", answer);
  return {
    outcome: "succeeded",
    connectorReference: request.connectorReference,
    amount: request.amount,
    currency: request.currency,
  };
}

export async function refundCapture(session: PayPalSession, request: ModifyRequest): Promise<ModifyResult> {
  const body = refundRequestBody(request);
  if (!body) return { outcome: "failed", reason: "amount_not_supported" };
  const target = await captureOf(session, request.connectorReference);
  if (target.kind === "unknown") return { outcome: "pending", reason: target.reason };
  if (target.kind === "none") return { outcome: "failed", reason: "not_captured" };
  const answer = await paypalApi.refundCapture(session, target.id, body, request.reference);
  if (answer.kind === "unknown") return { outcome: "pending", reason: answer.reason };
  if (answer.status !== 200 && answer.status !== 201) return refusedOrThrow("capture refund", answer);
  const refund = parse(refundSchema, answer.body);
  if (!refund) return { outcome: "pending", reason: "malformed_response" };
  if (refund.status !== "PENDING") return refundToModifyResult(refund);
  // A replayed answer may be an old PENDING: the refund itself says how it is now.
  const current = await refundStatus(session, refund.id);
  if (current.status === "succeeded") {
    const { connectorReference, amount, currency } = current;
    return { outcome: "succeeded", connectorReference, amount, currency };
  }
  if (current.status === "failed") return { outcome: "failed", reason: current.reason };
  return { outcome: "pending", connectorReference: refund.id, reason: "refund_pending" };
}

export async function refundStatus(session: PayPalSession, refundId: string): Promise<RefundStatus> {
  const answer = await paypalApi.getRefund(session, refundId);
  if (answer.kind === "unknown") return { status: "pending", connectorReference: refundId };
  if (answer.status === 404) return { status: "not_found" };
  if (answer.status !== 200) throw new PayPalUnexpectedAnswer("get refund", answer.status, answer.body);
  const refund = parse(refundSchema, answer.body);
  return refund ? refundToRefundStatus(refund) : { status: "pending", connectorReference: refundId };
}
