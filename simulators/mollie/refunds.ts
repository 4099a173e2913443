/**
 * Refunds of paid payments, partial or full up to `amountRemaining`. A refund starts `pending`, becomes
 * `processing` and then `refunded`, one `resolveAfterMs` apart; an amount ending in 78 cents fails instead.
 * Mollie calls the payment's webhook (with the payment id) when a refund turns processing, refunded or
 * failed, not when it is created or canceled.
 */
import type { Context, Outcome } from "./context.ts";
import { ERRORS } from "./errors.ts";
import { api, DOCS, type Link } from "./links.ts";
import { listPage } from "./lists.ts";
import { eur } from "./money.ts";
import { readEurAmount, unknownParameter } from "./payment-input.ts";
import { amountRefunded, findPayment } from "./payments.ts";
import { paidOutSettlement, recordMovement } from "./settlement-days.ts";
import type { Account, Refund, RefundStatus } from "./store.ts";
import { isoTime } from "./time.ts";

const ALLOWED = new Set(["amount", "description", "metadata", "testmode"]);
const FAILING_CENTS = 78n;

export function serializeRefund(ctx: Context, r: Refund, documentation: Link = DOCS.getRefund): object {
  const settlement = r.status === "refunded" ? paidOutSettlement(ctx, r.payment.account, r.refundedAt) : null;
  const base = `${ctx.baseUrl()}/v2/payments/${r.payment.id}`;
  return {
    resource: "refund",
    id: r.id,
    mode: "test",
    description: r.description,
    amount: eur(r.amount),
    settlementAmount: eur(-r.amount),
    status: r.status,
    metadata: r.metadata,
    paymentId: r.payment.id,
    createdAt: isoTime(r.createdAt),
    ...(settlement ? { settlementId: settlement.id } : {}),
    _links: {
      self: api(`${base}/refunds/${r.id}`),
      payment: api(base),
      ...(settlement ? { settlement: api(`${ctx.baseUrl()}/v2/settlements/${settlement.id}`) } : {}),
      documentation,
    },
  };
}

function advance(ctx: Context, refund: Refund, status: RefundStatus): void {
  refund.status = status;
  if (status === "refunded") {
    refund.refundedAt = ctx.now();
    recordMovement(ctx, refund.payment.account, refund.refundedAt);
  }
  const webhookUrl = refund.payment.webhookUrl;
  if (webhookUrl && (status === "processing" || status === "refunded" || status === "failed")) {
    ctx.notifier.notify(webhookUrl, refund.payment.id);
  }
}

function scheduleProcessing(ctx: Context, refund: Refund): void {
  ctx.lifecycle.later(ctx.resolveAfterMs, () => {
    if (refund.status !== "pending") return;
    advance(ctx, refund, "processing");
    ctx.lifecycle.later(ctx.resolveAfterMs, () => {
      advance(ctx, refund, refund.amount % 100n === FAILING_CENTS ? "failed" : "refunded");
    });
  });
}

export function createRefund(ctx: Context, account: Account, paymentId: string, body: unknown): Outcome {
  const payment = findPayment(ctx, account, paymentId);
  if (!payment) return { status: 404, body: ERRORS.noPayment(paymentId) };
  const b = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const unknown = unknownParameter(b, ALLOWED);
  if (unknown) return { status: 422, body: unknown };
  const amount = readEurAmount(b.amount, "The amount is required for refunds.");
  if (!amount.ok) return { status: 422, body: amount.error };
  if (b.description !== undefined && typeof b.description !== "string") {
    return { status: 422, body: ERRORS.invalid("The description is invalid.", "description") };
  }
  if (payment.status !== "paid") {
    return {
      status: 422,
      body: ERRORS.unprocessable(`The payment ${payment.id} has not been paid and cannot be refunded.`),
    };
  }
  if (amount.cents < 1n)
    return { status: 422, body: ERRORS.invalid("The amount is lower than the minimum.", "amount") };
  const remaining = payment.amount - amountRefunded(payment);
  if (amount.cents > remaining) {
    return {
      status: 422,
      body: ERRORS.invalid(
        `The amount is higher than the amount remaining for this payment (EUR ${eur(remaining).value}).`,
        "amount",
      ),
    };
  }
  const refund: Refund = {
    id: ctx.ids.refund(),
    payment,
    amount: amount.cents,
    description: typeof b.description === "string" ? b.description : "",
    metadata: b.metadata ?? null,
    status: "pending",
    createdAt: ctx.now(),
    refundedAt: null,
  };
  payment.refunds.push(refund);
  scheduleProcessing(ctx, refund);
  return { status: 201, body: serializeRefund(ctx, refund, DOCS.createRefund) };
}

function findRefund(ctx: Context, account: Account, paymentId: string, refundId: string) {
  const payment = findPayment(ctx, account, paymentId);
  if (!payment) return { error: { status: 404, body: ERRORS.noPayment(paymentId) } as Outcome };
  const refund = payment.refunds.find((r) => r.id === refundId);
  if (!refund) return { error: { status: 404, body: ERRORS.noRefund(refundId) } as Outcome };
  return { refund };
}

export function getRefund(ctx: Context, account: Account, paymentId: string, refundId: string): Outcome {
  const found = findRefund(ctx, account, paymentId, refundId);
  if (found.error) return found.error;
  return { status: 200, body: serializeRefund(ctx, found.refund) };
}

/** Only a queued or pending refund can still be canceled; Mollie answers 204 without a body. */
export function cancelRefund(ctx: Context, account: Account, paymentId: string, refundId: string): Outcome {
  const found = findRefund(ctx, account, paymentId, refundId);
  if (found.error) return found.error;
  const { refund } = found;
  if (refund.status !== "pending" && refund.status !== "queued") {
    return { status: 422, body: ERRORS.unprocessable(`The refund ${refund.id} cannot be canceled anymore.`) };
  }
  refund.status = "canceled";
  return { status: 204, body: null };
}

export function listRefunds(
  ctx: Context,
  account: Account,
  paymentId: string,
  query: URLSearchParams,
): Outcome {
  const payment = findPayment(ctx, account, paymentId);
  if (!payment) return { status: 404, body: ERRORS.noPayment(paymentId) };
  return listPage(ctx, {
    path: `/v2/payments/${payment.id}/refunds`,
    name: "refunds",
    items: [...payment.refunds].reverse(),
    query,
    serialize: (r) => serializeRefund(ctx, r),
    documentation: DOCS.listRefunds,
  });
}
