/** Refund operations. A charge amount ending in 77 refunds late; ending in 78, refunds fail late. */
import type { EventType } from "./notifier.ts";
import { apiError, notFound, type OperationContext, type Outcome, ok, unixNow } from "./responses.ts";
import { type Charge, newId, type Refund, refundToWire } from "./store.ts";
import { refundSchema, validate } from "./validation.ts";

function notify(ctx: OperationContext, charge: Charge, refund: Refund): void {
  if (charge.notificationUrl === null) return;
  const type: EventType = `refund.${refund.status}`;
  ctx.notifier.notify({ apiKey: charge.apiKey, url: charge.notificationUrl }, type, refundToWire(refund));
}

export function createRefund(ctx: OperationContext, apiKey: string, input: unknown): Outcome {
  const parsed = validate(refundSchema, input);
  if (!parsed.ok) return apiError(422, "invalid_request", parsed.message, parsed.param);
  const request = parsed.value;
  const account = ctx.store.account(apiKey);
  const existing = account.refundsByReference.get(request.reference);
  if (existing) return ok(refundToWire(existing));

  const charge = account.charges.get(request.charge);
  if (!charge) return notFound("charge", request.charge);
  const refundable = charge.amountCaptured - charge.amountRefunded;
  if (request.amount > refundable) {
    return apiError(
      400,
      "amount_too_large",
      `At most ${refundable} can be refunded on this charge.`,
      "amount",
    );
  }

  const late = charge.amount % 100 === 77 || charge.amount % 100 === 78;
  const refund: Refund = {
    id: newId("rf"),
    charge: charge.id,
    reference: request.reference,
    amount: request.amount,
    currency: charge.currency,
    status: late ? "pending" : "succeeded",
    failureReason: null,
    created: unixNow(ctx.now),
  };
  charge.amountRefunded += refund.amount;
  ctx.store.addRefund(apiKey, refund);
  notify(ctx, charge, refund);

  if (late) {
    const fails = charge.amount % 100 === 78;
    ctx.lifecycle.later(ctx.resolveAfterMs, () => {
      if (fails) {
        refund.status = "failed";
        refund.failureReason = "expired_or_canceled_card";
        charge.amountRefunded -= refund.amount;
      } else {
        refund.status = "succeeded";
      }
      notify(ctx, charge, refund);
    });
  }
  return ok(refundToWire(refund));
}

export function getRefund(ctx: OperationContext, apiKey: string, refundId: string): Outcome {
  const refund = ctx.store.account(apiKey).refunds.get(refundId);
  return refund ? ok(refundToWire(refund)) : notFound("refund", refundId);
}

export function listRefunds(ctx: OperationContext, apiKey: string, reference: string | null): Outcome {
  if (!reference) return apiError(422, "invalid_request", "reference is required", "reference");
  const refund = ctx.store.account(apiKey).refundsByReference.get(reference);
  return ok({ object: "list", data: refund ? [refundToWire(refund)] : [] });
}
