/**
 * Mapping of a verified Stripe event to what Payrail looks at. The status comes from the object the
 * event carries, not from its type, so a late or repeated event never moves a payment further than
 * the object says. Events about objects Payrail did not create (no reference in their metadata) or
 * that it cannot read are `unknown`: stored, not dropped.
 */
import type { WebhookEvent } from "../contract.ts";
import { chargeToPaymentStatus, paymentIntentToPaymentStatus, refundToRefundStatus } from "./transformers.ts";
import { idOf, parseCharge, parsePaymentIntent, parseRefund, referenceOf, type WireEvent } from "./wire.ts";

/** What Payrail registers a Stripe webhook endpoint for (names as in Stripe's published enum). */
export const STRIPE_WEBHOOK_EVENTS = [
  "payment_intent.amount_capturable_updated",
  "payment_intent.canceled",
  "payment_intent.payment_failed",
  "payment_intent.processing",
  "payment_intent.requires_action",
  "payment_intent.succeeded",
  "charge.refunded",
  "charge.refund.updated",
] as const;

function isRefundEvent(type: string): boolean {
  return type.startsWith("refund.") || type.startsWith("charge.refund.");
}

function mapEvent(event: WireEvent): WebhookEvent | null {
  const { id: providerEventId, type, data } = event;
  if (type.startsWith("payment_intent.")) {
    const intent = parsePaymentIntent(data.object);
    const reference = intent && referenceOf(intent);
    if (!intent || !reference) return null;
    return {
      kind: "payment",
      providerEventId,
      reference,
      connectorReference: intent.id,
      status: paymentIntentToPaymentStatus(intent),
    };
  }
  if (isRefundEvent(type)) {
    const refund = parseRefund(data.object);
    const reference = refund && referenceOf(refund);
    if (!refund || !reference) return null;
    return {
      kind: "refund",
      providerEventId,
      reference,
      connectorReference: refund.id,
      status: refundToRefundStatus(refund),
    };
  }
  if (type.startsWith("charge.")) {
    const charge = parseCharge(data.object);
    const reference = charge && referenceOf(charge);
    const intentId = charge && idOf(charge.payment_intent);
    if (!charge || !reference || !intentId) return null;
    return {
      kind: "payment",
      providerEventId,
      reference,
      connectorReference: intentId,
      status: chargeToPaymentStatus(charge, intentId),
    };
  }
  return null;
}

export function eventToWebhookEvent(event: WireEvent): WebhookEvent {
  return mapEvent(event) ?? { kind: "unknown", providerEventId: event.id, providerType: event.type };
}
