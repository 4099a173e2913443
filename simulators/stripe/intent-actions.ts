/** PaymentIntent capture (full or partial; the rest of the authorization is released) and cancel. */
import { captureFunds, emitCharge, emitIntent } from "./authorize.ts";
import { type Call, type SimContext, unixNow } from "./context.ts";
import { findIntent, unexpectedState } from "./intents.ts";
import { invalidParam, invalidState, type Outcome, ok } from "./outcomes.ts";
import type { IntentStatus } from "./store.ts";
import { paymentIntentWire } from "./wire.ts";

export function captureIntent(ctx: SimContext, call: Call): Outcome {
  const intent = findIntent(call);
  if ("kind" in intent) return intent;
  for (const name of ["application_fee_amount", "transfer_data"]) {
    if (call.params[name] !== undefined) {
      return invalidParam(`The Stripe simulator does not support the parameter ${name}.`, name);
    }
  }
  if (intent.status !== "requires_capture") return unexpectedState(intent, "capture", ["requires_capture"]);
  const charge = intent.latestChargeId ? call.account.charges.get(intent.latestChargeId) : undefined;
  if (!charge) return unexpectedState(intent, "capture", ["requires_capture"]);
  const requested = call.params.amount_to_capture;
  const amount = typeof requested === "number" ? BigInt(requested) : intent.amountCapturable;
  if (amount <= 0n)
    return invalidParam("This value must be greater than or equal to 1.", "amount_to_capture");
  if (amount > intent.amountCapturable) {
    return invalidState(
      `The amount to capture (${amount}) is greater than the amount capturable (${intent.amountCapturable}).`,
      "amount_too_large",
      { param: "amount_to_capture", payment_intent: paymentIntentWire(intent) },
    );
  }
  if (typeof call.params.statement_descriptor === "string")
    charge.statementDescriptor = call.params.statement_descriptor;
  if (typeof call.params.statement_descriptor_suffix === "string") {
    charge.statementDescriptorSuffix = call.params.statement_descriptor_suffix;
  }
  captureFunds(ctx, call.account, intent, charge, amount);
  emitCharge(ctx, call.account, charge, "captured", call.request);
  emitIntent(ctx, call.account, intent, "succeeded", call.request);
  return ok(paymentIntentWire(intent));
}

const CANCELABLE: IntentStatus[] = [
  "requires_payment_method",
  "requires_capture",
  "requires_confirmation",
  "requires_action",
];

export function cancelIntent(ctx: SimContext, call: Call): Outcome {
  const intent = findIntent(call);
  if ("kind" in intent) return intent;
  if (!CANCELABLE.includes(intent.status)) return unexpectedState(intent, "cancel", CANCELABLE);
  const heldCharge =
    intent.status === "requires_capture" && intent.latestChargeId
      ? call.account.charges.get(intent.latestChargeId)
      : undefined;
  intent.status = "canceled";
  intent.canceledAt = unixNow(ctx);
  intent.cancellationReason =
    typeof call.params.cancellation_reason === "string" ? call.params.cancellation_reason : null;
  intent.amountCapturable = 0n;
  intent.nextAction = null;
  intent.challengeToken = null;
  if (heldCharge) {
    heldCharge.amountReleased = heldCharge.amount;
    emitCharge(ctx, call.account, heldCharge, "refunded", call.request);
  }
  emitIntent(ctx, call.account, intent, "canceled", call.request);
  return ok(paymentIntentWire(intent));
}
