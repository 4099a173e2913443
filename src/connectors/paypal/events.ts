/**
 * Mapping of verified PayPal webhook events. Payment events name our reference through what PayPal
 * echoes: a capture's `invoice_id` (our capture reference for a capture of an authorization, the payment
 * reference otherwise), an authorization's `custom_id`, a refund's `custom_id`. The payment's
 * connectorReference is always the order id (`supplementary_data.related_ids.order_id`).
 */
import type { PaymentStatus, RefundStatus, WebhookEvent } from "../contract.ts";
import { fromPayPalMoney } from "./amounts.ts";
import { authorizationStatus, captureStatus, refundToRefundStatus } from "./transformers.ts";
import {
  authorizationSchema,
  captureSchema,
  type PayPalCapture,
  type PayPalEvent,
  parse,
  refundSchema,
} from "./wire.ts";

/** What Payrail subscribes to when it registers the account's webhook. */
export const PAYPAL_WEBHOOK_EVENTS = [
  "CHECKOUT.ORDER.APPROVED",
  "PAYMENT.AUTHORIZATION.CREATED",
  "PAYMENT.AUTHORIZATION.VOIDED",
  "PAYMENT.CAPTURE.COMPLETED",
  "PAYMENT.CAPTURE.PENDING",
  "PAYMENT.CAPTURE.DENIED",
  "PAYMENT.CAPTURE.REFUNDED",
] as const;

const REFUND_EVENTS = new Set([
  "PAYMENT.CAPTURE.REFUNDED",
  "PAYMENT.REFUND.PENDING",
  "PAYMENT.REFUND.FAILED",
]);

function unknown(event: PayPalEvent): WebhookEvent {
  return { kind: "unknown", providerEventId: event.id, providerType: event.event_type };
}

/**
 * A capture of an authorization settles that capture: taken, or refused while the authorization stands
 * (`captured: false`, for the capture Payrail asked for; `amount` is the capture's).
 */
function authorizationCaptureStatus(orderId: string, capture: PayPalCapture): PaymentStatus {
  const status = captureStatus(orderId, capture);
  const asked = fromPayPalMoney(capture.amount);
  if (status.status !== "declined" || !asked) return status;
  return {
    status: "authorized",
    connectorReference: orderId,
    amount: asked.amount,
    currency: asked.currency,
    captured: false,
    capturedAmount: 0n,
  };
}

function captureEvent(event: PayPalEvent): WebhookEvent {
  const capture = parse(captureSchema, event.resource);
  const reference = capture?.invoice_id ?? capture?.custom_id;
  if (!capture || !reference) return unknown(event);
  const related = capture.supplementary_data?.related_ids;
  const orderId = related?.order_id ?? capture.id;
  return {
    kind: "payment",
    providerEventId: event.id,
    reference,
    connectorReference: orderId,
    status: related?.authorization_id
      ? authorizationCaptureStatus(orderId, capture)
      : captureStatus(orderId, capture),
  };
}

function authorizationEvent(event: PayPalEvent): WebhookEvent {
  const authorization = parse(authorizationSchema, event.resource);
  const reference = authorization?.custom_id ?? authorization?.invoice_id;
  if (!authorization || !reference) return unknown(event);
  const orderId = authorization.supplementary_data?.related_ids?.order_id ?? authorization.id;
  // Without its captures an authorization that was (partly) captured says too little: sync tells.
  const captured = authorization.status === "CAPTURED" || authorization.status === "PARTIALLY_CAPTURED";
  return {
    kind: "payment",
    providerEventId: event.id,
    reference,
    connectorReference: orderId,
    status: captured
      ? { status: "pending", connectorReference: orderId }
      : authorizationStatus(orderId, authorization, []),
  };
}

function refundEvent(event: PayPalEvent): WebhookEvent {
  const refund = parse(refundSchema, event.resource);
  const reference = refund?.custom_id;
  if (!refund || !reference) return unknown(event);
  const status: RefundStatus = refundToRefundStatus(refund);
  return { kind: "refund", providerEventId: event.id, reference, connectorReference: refund.id, status };
}

export function eventToWebhookEvent(event: PayPalEvent): WebhookEvent {
  if (REFUND_EVENTS.has(event.event_type)) return refundEvent(event);
  switch (event.event_type) {
    case "CHECKOUT.ORDER.APPROVED": {
      // The shopper approved but nobody has taken the money yet: sync completes the order.
      const orderId = (event.resource as { id?: unknown } | null)?.id;
      return typeof orderId === "string" && /^[A-Za-z0-9-]{1,64}$/.test(orderId)
        ? { kind: "payment_lookup", providerEventId: event.id, connectorReference: orderId }
        : unknown(event);
    }
    case "PAYMENT.CAPTURE.COMPLETED":
    case "PAYMENT.CAPTURE.PENDING":
    case "PAYMENT.CAPTURE.DENIED":
      return captureEvent(event);
    case "PAYMENT.AUTHORIZATION.CREATED":
    case "PAYMENT.AUTHORIZATION.VOIDED":
      return authorizationEvent(event);
    default:
      return unknown(event);
  }
}
