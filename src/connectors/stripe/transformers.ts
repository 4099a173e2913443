/**
 * Pure mapping from Stripe's objects to the connector contract. Whatever is not understood maps to
 * pending; whatever does not confirm the reference, amount and currency we asked for is not a success.
 */
import {
  type AuthorizeResult,
  confirmsRequest,
  type Declined,
  type ModifyResult,
  type Money,
  type PaymentStatus,
  type RefundStatus,
} from "../contract.ts";
import { mapStripeDecline } from "./declines.ts";
import type { StripeFailure } from "./errors.ts";
import { idOf, referenceOf, type WireCharge, type WirePaymentIntent, type WireRefund } from "./wire.ts";

function confirmed(intent: WirePaymentIntent): Money {
  return { amount: BigInt(intent.amount), currency: intent.currency };
}

export function paymentIntentToPaymentStatus(intent: WirePaymentIntent): PaymentStatus {
  const connectorReference = intent.id;
  switch (intent.status) {
    case "requires_capture":
    case "succeeded":
      return {
        status: "authorized",
        connectorReference,
        amount: BigInt(intent.amount),
        currency: intent.currency,
        captured: intent.status === "succeeded",
        capturedAmount: intent.status === "succeeded" ? BigInt(intent.amount_received ?? intent.amount) : 0n,
      };
    case "requires_action": {
      const url = intent.next_action?.redirect_to_url?.url;
      return url
        ? { status: "requires_action", connectorReference, action: { type: "redirect_to_url", url } }
        : { status: "pending", connectorReference };
    }
    case "requires_payment_method": {
      // Without an error this intent was never attempted: nothing is decided yet.
      const error = intent.last_payment_error;
      if (!error) return { status: "pending", connectorReference };
      return {
        status: "declined",
        declineCode: mapStripeDecline(error),
        connectorReference,
        providerMessage: error.message ?? undefined,
      };
    }
    case "canceled":
      return { status: "voided", connectorReference };
    default:
      return { status: "pending", connectorReference };
  }
}

export function networkTransactionIdOf(intent: WirePaymentIntent): string | undefined {
  const charge = intent.latest_charge;
  if (!charge || typeof charge === "string") return undefined;
  return charge.payment_method_details?.card?.network_transaction_id ?? undefined;
}

export function paymentIntentToAuthorizeResult(
  asked: Money & { reference: string },
  intent: WirePaymentIntent,
): AuthorizeResult {
  const connectorReference = intent.id;
  if (referenceOf(intent) !== asked.reference) {
    return { outcome: "pending", connectorReference, reason: "reference_mismatch" };
  }
  if (!confirmsRequest(asked, confirmed(intent))) {
    return { outcome: "pending", connectorReference, reason: "amount_mismatch" };
  }
  const status = paymentIntentToPaymentStatus(intent);
  switch (status.status) {
    case "authorized":
      return {
        outcome: "authorized",
        connectorReference,
        amount: status.amount,
        currency: status.currency,
        captured: status.captured,
        networkTransactionId: networkTransactionIdOf(intent),
      };
    case "requires_action":
      return { outcome: "requires_action", connectorReference, action: status.action };
    case "declined":
      return {
        outcome: "declined",
        declineCode: status.declineCode,
        providerMessage: status.providerMessage,
        connectorReference,
      };
    default:
      return { outcome: "pending", connectorReference, reason: `status_${intent.status}` };
  }
}

export function declineFromFailure(failure: StripeFailure & { kind: "declined" }): Declined {
  return {
    outcome: "declined",
    declineCode: mapStripeDecline({ code: failure.code, decline_code: failure.declineCode }),
    providerMessage: failure.message,
    connectorReference: failure.paymentIntent?.id,
  };
}

/** Stripe captures once: the answer confirms our capture when it received exactly what we asked. */
export function paymentIntentToCaptureResult(asked: Money, intent: WirePaymentIntent): ModifyResult {
  const connectorReference = intent.id;
  switch (intent.status) {
    case "succeeded": {
      const received: Money = { amount: BigInt(intent.amount_received ?? -1), currency: intent.currency };
      if (!confirmsRequest(asked, received)) {
        return { outcome: "pending", connectorReference, reason: "amount_mismatch" };
      }
      return { outcome: "succeeded", connectorReference, amount: asked.amount, currency: intent.currency };
    }
    case "canceled":
      return { outcome: "failed", reason: "payment_intent_canceled" };
    case "requires_payment_method":
      return { outcome: "failed", reason: "payment_intent_not_authorized" };
    default:
      return { outcome: "pending", connectorReference, reason: `status_${intent.status}` };
  }
}

export function paymentIntentToVoidResult(asked: Money, intent: WirePaymentIntent): ModifyResult {
  const connectorReference = intent.id;
  switch (intent.status) {
    case "canceled":
      if (!confirmsRequest(asked, confirmed(intent))) {
        return { outcome: "pending", connectorReference, reason: "amount_mismatch" };
      }
      return { outcome: "succeeded", connectorReference, amount: asked.amount, currency: intent.currency };
    case "succeeded":
      return { outcome: "failed", reason: "payment_intent_captured" };
    default:
      return { outcome: "pending", connectorReference, reason: `status_${intent.status}` };
  }
}

export function refundToRefundStatus(refund: WireRefund): RefundStatus {
  switch (refund.status) {
    case "succeeded":
      return {
        status: "succeeded",
        connectorReference: refund.id,
        amount: BigInt(refund.amount),
        currency: refund.currency,
      };
    case "failed":
    case "canceled":
      return { status: "failed", reason: refund.failure_reason ?? `refund_${refund.status}` };
    default:
      return { status: "pending", connectorReference: refund.id };
  }
}

export function refundToModifyResult(
  asked: Money & { reference: string; connectorReference: string },
  refund: WireRefund,
): ModifyResult {
  const connectorReference = refund.id;
  const intent = idOf(refund.payment_intent);
  if (referenceOf(refund) !== asked.reference || (intent && intent !== asked.connectorReference)) {
    return { outcome: "pending", connectorReference, reason: "reference_mismatch" };
  }
  if (!confirmsRequest(asked, { amount: BigInt(refund.amount), currency: refund.currency })) {
    return { outcome: "pending", connectorReference, reason: "amount_mismatch" };
  }
  const status = refundToRefundStatus(refund);
  switch (status.status) {
    case "succeeded":
      return { outcome: "succeeded", connectorReference, amount: status.amount, currency: status.currency };
    case "failed":
      return { outcome: "failed", reason: status.reason };
    default:
      return { outcome: "pending", connectorReference, reason: `refund_${refund.status ?? "unknown"}` };
  }
}

/** A charge seen in a `charge.*` event, as the status of the payment intent it belongs to. */
export function chargeToPaymentStatus(charge: WireCharge, connectorReference: string): PaymentStatus {
  switch (charge.status) {
    case "succeeded":
      // Cancelling an uncaptured payment intent refunds its charge in full without capturing it.
      if (!charge.captured && charge.refunded) return { status: "voided", connectorReference };
      return {
        status: "authorized",
        connectorReference,
        amount: BigInt(charge.amount),
        currency: charge.currency,
        captured: charge.captured,
        capturedAmount: charge.captured ? BigInt(charge.amount_captured ?? charge.amount) : 0n,
      };
    case "failed":
      return {
        status: "declined",
        declineCode: mapStripeDecline({ code: charge.failure_code, decline_code: charge.outcome?.reason }),
        connectorReference,
        providerMessage: charge.failure_message ?? undefined,
      };
    default:
      return { status: "pending", connectorReference };
  }
}
