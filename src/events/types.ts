export const EVENT_TYPES = [
  "payment_intent.created",
  "payment_intent.processing",
  "payment_intent.requires_action",
  "payment_intent.amount_capturable_updated",
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
  "payment_intent.requires_review",
  "payment_intent.partially_captured",
  "refund.created",
  "refund.updated",
  "refund.failed",
  "customer.created",
  "customer.updated",
  "customer.deleted",
  "webhook_endpoint.disabled",
  "account.updated",
  "payout.created",
  "payout.updated",
  "payout.paid",
  "payout.failed",
  "payout.canceled",
  "transfer.created",
  "transfer.reversed",
  "payment_method.attached",
  "payment_method.detached",
  "checkout.session.completed",
  "checkout.session.expired",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** The request that caused an event, as Stripe reports it. */
export interface EventCause {
  requestId?: string | null;
  idempotencyKey?: string | null;
}
