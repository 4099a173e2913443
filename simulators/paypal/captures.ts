/**
 * Taking money: a capture is COMPLETED at once, or PENDING (eCheck) and later COMPLETED or DECLINED. Each
 * state sends its PAYMENT.CAPTURE.* webhook, and completed money lands in the settlement ledger.
 */
import type { Context } from "./context.ts";
import { formatAmount } from "./money.ts";
import type { CaptureRecord, Funding } from "./store.ts";
import { captureWire } from "./wire.ts";

export interface NewCapture {
  clientId: string;
  orderId: string;
  authorizationId?: string | undefined;
  currency: string;
  amountMinor: bigint;
  finalCapture: boolean;
  funding: Funding;
  invoiceId?: string | undefined;
  customId?: string | undefined;
  noteToPayer?: string | undefined;
  payerEmail?: string | undefined;
}

function amountText(capture: CaptureRecord): string {
  return `${formatAmount(capture.currency, capture.amountMinor)} ${capture.currency}`;
}

function settle(ctx: Context, capture: CaptureRecord, payerEmail: string | undefined): void {
  ctx.store.ledger.push({
    clientId: capture.clientId,
    transactionId: capture.id,
    eventCode: "T0006",
    direction: "CR",
    currency: capture.currency,
    grossMinor: capture.amountMinor,
    feeMinor: capture.feeMinor,
    feeDirection: "DR",
    initiatedAt: capture.createdAt,
    completedAt: ctx.now(),
    invoiceId: capture.invoiceId,
    customId: capture.customId,
    referenceId: capture.authorizationId,
    referenceType: capture.authorizationId ? "TXN" : undefined,
    consumerId: payerEmail,
  });
}

function publish(ctx: Context, capture: CaptureRecord, eventType: string, summary: string): void {
  ctx.events.publish(capture.clientId, eventType, "capture", captureWire(ctx, capture, true), summary);
}

export function createCapture(ctx: Context, input: NewCapture): CaptureRecord {
  const now = ctx.now();
  const pending = input.funding === "echeck" || input.funding === "echeck_denied";
  const capture: CaptureRecord = {
    id: ctx.ids.resource(),
    clientId: input.clientId,
    orderId: input.orderId,
    authorizationId: input.authorizationId,
    status: pending ? "PENDING" : "COMPLETED",
    statusReason: pending ? "ECHECK" : undefined,
    currency: input.currency,
    amountMinor: input.amountMinor,
    feeMinor: ctx.fee(input.currency, input.amountMinor),
    refundedMinor: 0n,
    refundIds: [],
    finalCapture: input.finalCapture,
    invoiceId: input.invoiceId,
    customId: input.customId,
    noteToPayer: input.noteToPayer,
    createdAt: now,
    updatedAt: now,
  };
  ctx.store.captures.set(capture.id, capture);
  if (!pending) {
    settle(ctx, capture, input.payerEmail);
    publish(ctx, capture, "PAYMENT.CAPTURE.COMPLETED", `Payment completed for ${amountText(capture)}`);
    return capture;
  }
  publish(ctx, capture, "PAYMENT.CAPTURE.PENDING", `Payment pending for ${amountText(capture)}`);
  ctx.lifecycle.later(ctx.resolveAfterMs, () => {
    if (capture.status !== "PENDING") return;
    capture.updatedAt = ctx.now();
    capture.statusReason = undefined;
    if (input.funding === "echeck_denied") {
      capture.status = "DECLINED";
      publish(ctx, capture, "PAYMENT.CAPTURE.DENIED", `A ${amountText(capture)} capture payment was denied`);
      return;
    }
    capture.status = "COMPLETED";
    settle(ctx, capture, input.payerEmail);
    publish(ctx, capture, "PAYMENT.CAPTURE.COMPLETED", `Payment completed for ${amountText(capture)}`);
  });
  return capture;
}
