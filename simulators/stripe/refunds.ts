/**
 * Refunds of captured charges, up to what was captured and not yet refunded. Test cards
 * 4000000000007726 (refund pending, succeeds later) and 4000000000005126 (refund succeeds, then fails)
 * change state after `resolveAfterMs` and send `charge.refund.updated`.
 */
import { addBalanceTransaction, emitCharge } from "./authorize.ts";
import { type Call, type SimContext, unixNow } from "./context.ts";
import { NO_REQUEST } from "./events.ts";
import { paginate } from "./lists.ts";
import { invalidParam, invalidState, notFound, type Outcome, ok, stripeError } from "./outcomes.ts";
import type { Account, ChargeRecord, RefundRecord } from "./store.ts";
import { refundWire } from "./wire.ts";

function formatMoney(amount: bigint, currency: string): string {
  try {
    const format = new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(Number(amount) / 10 ** digits);
  } catch {
    return `${amount} ${currency}`;
  }
}

function chargeToRefund(call: Call): ChargeRecord | Outcome {
  const { account, params } = call;
  const chargeId = typeof params.charge === "string" ? params.charge : null;
  const intentId = typeof params.payment_intent === "string" ? params.payment_intent : null;
  if (!chargeId && !intentId) {
    return invalidParam(
      "One of the following params should be provided for this request: payment_intent or charge.",
      "payment_intent",
      "parameter_missing",
    );
  }
  const missing = (what: string, id: string, param: string) =>
    stripeError(400, {
      type: "invalid_request_error",
      code: "resource_missing",
      message: `No such ${what}: '${id}'`,
      param,
    });
  if (intentId) {
    const intent = account.intents.get(intentId);
    if (!intent) return missing("payment_intent", intentId, "payment_intent");
    const charge = intent.latestChargeId ? account.charges.get(intent.latestChargeId) : undefined;
    if (charge?.status !== "succeeded" || (chargeId && chargeId !== charge.id)) {
      return invalidState(
        `This PaymentIntent (${intentId}) does not have a successful charge to refund.`,
        "charge_not_refundable",
        { param: "payment_intent" },
      );
    }
    return charge;
  }
  const charge = account.charges.get(chargeId ?? "");
  return charge ?? missing("charge", chargeId ?? "", "charge");
}

function settleLater(
  ctx: SimContext,
  account: Account,
  refund: RefundRecord,
  charge: ChargeRecord,
  to: "succeeded" | "failed",
) {
  ctx.lifecycle.later(ctx.resolveAfterMs, () => {
    const previous = refund.status;
    if (to === "failed") {
      refund.status = "failed";
      refund.failureReason = "expired_or_canceled_card";
      charge.amountRefundedByRefunds -= refund.amount;
      const reversal = addBalanceTransaction(ctx, account, {
        amount: refund.amount,
        fee: 0n,
        currency: refund.currency,
        type: "refund_failure",
        sourceId: refund.id,
        description: "REFUND FOR FAILED REFUND",
      });
      refund.failureBalanceTransactionId = reversal.id;
    } else {
      refund.status = "succeeded";
    }
    ctx.events.emit(account, "charge.refund.updated", refundWire(refund, account), NO_REQUEST, {
      status: previous,
    });
  });
}

export function createRefund(ctx: SimContext, call: Call): Outcome {
  const { account, params } = call;
  const charge = chargeToRefund(call);
  if ("kind" in charge) return charge;
  if (charge.status !== "succeeded" || !charge.captured) {
    return invalidState(
      `Charge ${charge.id} has not been captured; cancel its PaymentIntent to release the authorization.`,
      "charge_not_refundable",
    );
  }
  const refundable = charge.amountCaptured - charge.amountRefundedByRefunds;
  if (refundable <= 0n) {
    return invalidState(`Charge ${charge.id} has already been refunded.`, "charge_already_refunded");
  }
  const amount = typeof params.amount === "number" ? BigInt(params.amount) : refundable;
  if (amount <= 0n) return invalidParam("Invalid positive integer", "amount");
  if (amount > refundable) {
    return invalidState(
      `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge ` +
        `(${formatMoney(refundable, charge.currency)})`,
      "amount_too_large",
      { param: "amount" },
    );
  }
  const id = ctx.ids.id("re");
  const txn = addBalanceTransaction(ctx, account, {
    amount: -amount,
    fee: 0n,
    currency: charge.currency,
    type: "refund",
    sourceId: id,
    description: "REFUND FOR CHARGE",
  });
  const behavior = account.paymentMethods.get(charge.paymentMethodId)?.behavior.refund ?? "succeed";
  const refund: RefundRecord = {
    id,
    created: unixNow(ctx),
    chargeId: charge.id,
    paymentIntentId: charge.paymentIntentId,
    amount,
    currency: charge.currency,
    status: behavior === "pending" ? "pending" : "succeeded",
    reason: typeof params.reason === "string" ? params.reason : null,
    metadata: { ...(params.metadata as Record<string, string> | undefined) },
    balanceTransactionId: txn.id,
    failureReason: null,
    failureBalanceTransactionId: null,
  };
  account.refunds.set(refund.id, refund);
  charge.refundIds.push(refund.id);
  charge.amountRefundedByRefunds += amount;
  emitCharge(ctx, account, charge, "refunded", call.request);
  if (behavior === "pending") settleLater(ctx, account, refund, charge, "succeeded");
  if (behavior === "fail") settleLater(ctx, account, refund, charge, "failed");
  return ok(refundWire(refund, account));
}

export function retrieveRefund(_ctx: SimContext, call: Call): Outcome {
  const id = call.path.refund ?? "";
  const refund = call.account.refunds.get(id);
  return refund ? ok(refundWire(refund, call.account)) : notFound("refund", id, "refund");
}

export function listRefunds(_ctx: SimContext, call: Call): Outcome {
  const { params, account } = call;
  const charge = typeof params.charge === "string" ? params.charge : null;
  const intent = typeof params.payment_intent === "string" ? params.payment_intent : null;
  return paginate({
    items: account.refunds.values(),
    params,
    url: "/v1/refunds",
    what: "refund",
    render: (refund) => refundWire(refund, account),
    keep: (refund) =>
      (!charge || refund.chargeId === charge) && (!intent || refund.paymentIntentId === intent),
  });
}
