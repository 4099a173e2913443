/**
 * Pure mapping between PayPal's resources and Payrail's statuses. Payrail's handle on a PayPal payment is
 * the order id: the order holds the authorization and the capture, and `sync` reads them all from it.
 * An unmapped PayPal status is `pending`, never a success.
 */

import type { AuthorizeResult, DeclineCode, ModifyResult, PaymentStatus, RefundStatus } from "../contract.ts";
import { statusAsAuthorizeResult } from "../status-result.ts";
import { fromPayPalMoney } from "./amounts.ts";
import type {
  PayPalAuthorization,
  PayPalCapture,
  PayPalOrder,
  PayPalPurchaseUnit,
  PayPalRefund,
} from "./wire.ts";

/** PayPal forgets an order nobody approved after this long (its default; Orders v2 takes no expiry). */
export const ORDER_APPROVAL_WINDOW_MS = 3 * 3600_000;

/** Capture states in which the money was taken (and may since have been refunded). */
const MONEY_TAKEN = new Set(["COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED"]);

/** Issues PayPal answers when it will not pay an approved order: the shopper must pay another way. */
const COMPLETION_DECLINES: Record<string, DeclineCode> = {
  INSTRUMENT_DECLINED: "generic_decline",
  PAYER_CANNOT_PAY: "generic_decline",
  PAYER_ACCOUNT_RESTRICTED: "generic_decline",
  PAYER_ACCOUNT_LOCKED_OR_CLOSED: "generic_decline",
  TRANSACTION_REFUSED: "do_not_honor",
  COMPLIANCE_VIOLATION: "do_not_honor",
  MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED: "generic_decline",
  PAYEE_ACCOUNT_RESTRICTED: "processing_error",
  PAYEE_ACCOUNT_LOCKED_OR_CLOSED: "processing_error",
  PAYEE_BLOCKED_TRANSACTION: "processing_error",
};

function money(resource: { amount: { currency_code: string; value: string } }) {
  return fromPayPalMoney(resource.amount);
}

export function approvalLinkOf(order: PayPalOrder): string | undefined {
  const link = order.links?.find(
    (candidate) => candidate.rel === "payer-action" || candidate.rel === "approve",
  );
  if (!link) return undefined;
  try {
    const url = new URL(link.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** When PayPal will forget the order, if that is before what was asked (undefined otherwise). */
export function orderExpiry(order: PayPalOrder, requested: Date, now: Date): Date | undefined {
  const created = order.create_time ? Date.parse(order.create_time) : Number.NaN;
  const lapses = (Number.isNaN(created) ? now.getTime() : created) + ORDER_APPROVAL_WINDOW_MS;
  return lapses < requested.getTime() ? new Date(lapses) : undefined;
}

function captureDeclined(capture: PayPalCapture, orderId: string): PaymentStatus {
  const reason = capture.status_details?.reason;
  return {
    status: "declined",
    declineCode: "generic_decline",
    connectorReference: orderId,
    providerMessage: `capture ${capture.status}${reason ? ` (${reason})` : ""}`,
  };
}

/** A capture of a CAPTURE-intent order: the money is taken, coming (eCheck), or refused. */
export function captureStatus(orderId: string, capture: PayPalCapture): PaymentStatus {
  if (capture.status === "DECLINED" || capture.status === "FAILED") return captureDeclined(capture, orderId);
  const amount = money(capture);
  if (!MONEY_TAKEN.has(capture.status) || !amount) return { status: "pending", connectorReference: orderId };
  return {
    status: "authorized",
    connectorReference: orderId,
    amount: amount.amount,
    currency: amount.currency,
    captured: true,
    capturedAmount: amount.amount,
  };
}

/** An authorization and the captures taken from it. */
export function authorizationStatus(
  orderId: string,
  authorization: PayPalAuthorization,
  captures: readonly PayPalCapture[],
): PaymentStatus {
  const authorized = money(authorization);
  if (!authorized) return { status: "pending", connectorReference: orderId };
  let capturedAmount = 0n;
  for (const capture of captures) {
    const taken = money(capture);
    if (!MONEY_TAKEN.has(capture.status) || !taken) continue;
    if (taken.currency !== authorized.currency) return { status: "pending", connectorReference: orderId };
    capturedAmount += taken.amount;
  }
  const standing = (captured: boolean): PaymentStatus => ({
    status: "authorized",
    connectorReference: orderId,
    amount: authorized.amount,
    currency: authorized.currency,
    captured,
    capturedAmount,
  });
  if (capturedAmount > 0n) return standing(true);
  switch (authorization.status) {
    case "CREATED":
      return standing(false);
    // Released by us, or lapsed after its 29 days: nothing was taken.
    case "VOIDED":
    case "EXPIRED":
      return { status: "voided", connectorReference: orderId };
    case "DENIED":
      return {
        status: "declined",
        declineCode: "generic_decline",
        connectorReference: orderId,
        providerMessage: "authorization DENIED",
      };
    default:
      return { status: "pending", connectorReference: orderId };
  }
}

/** One purchase unit of a COMPLETED order: its authorization if it has one, else its capture. */
export function purchaseUnitStatus(orderId: string, unit: PayPalPurchaseUnit | undefined): PaymentStatus {
  const captures = unit?.payments?.captures ?? [];
  const authorization = unit?.payments?.authorizations?.[0];
  if (authorization) return authorizationStatus(orderId, authorization, captures);
  const capture = captures[0];
  return capture ? captureStatus(orderId, capture) : { status: "pending", connectorReference: orderId };
}

/**
 * What an order says now. APPROVED (the shopper approved, nobody captured yet) is `pending` here: the
 * connector completes such an order before mapping it.
 */
export function orderStatus(order: PayPalOrder): PaymentStatus {
  switch (order.status) {
    case "COMPLETED":
      return purchaseUnitStatus(order.id, order.purchase_units?.[0]);
    case "VOIDED":
      return { status: "expired", connectorReference: order.id };
    default:
      return { status: "pending", connectorReference: order.id };
  }
}

/** What a refused order capture or authorization means; `look_up` when only the order can tell. */
export function completionRefusal(
  orderId: string,
  status: number,
  issue: string | undefined,
  description: string | undefined,
): PaymentStatus | "look_up" | "unexpected" {
  if (status === 404) return { status: "expired", connectorReference: orderId };
  if (status !== 422 || !issue) return "unexpected";
  switch (issue) {
    case "ORDER_EXPIRED":
      return { status: "expired", connectorReference: orderId };
    case "ORDER_ALREADY_CAPTURED":
    case "ORDER_ALREADY_AUTHORIZED":
    case "ACTION_DOES_NOT_MATCH_INTENT":
    case "ORDER_COMPLETED_OR_VOIDED":
      return "look_up";
  }
  const declineCode = COMPLETION_DECLINES[issue];
  if (declineCode) {
    return {
      status: "declined",
      declineCode,
      connectorReference: orderId,
      providerMessage: description ? `${issue}: ${description}` : issue,
    };
  }
  // ORDER_NOT_APPROVED, PAYER_ACTION_REQUIRED and issues we do not know: the order may still be paid.
  return { status: "pending", connectorReference: orderId };
}

/** A status as the answer to startPayment or completeRedirect. */
export function statusToAuthorizeResult(status: PaymentStatus): AuthorizeResult {
  return statusAsAuthorizeResult(status, ({ status }) =>
    status === "pending" ? "paypal_pending" : status === "not_found" ? "order_not_found" : `order_${status}`,
  );
}

/** A capture taken from an authorization, as the answer to capture(). */
export function captureToModifyResult(capture: PayPalCapture): ModifyResult {
  if (capture.status === "DECLINED" || capture.status === "FAILED") {
    return { outcome: "failed", reason: "capture_declined", providerMessage: `capture ${capture.status}` };
  }
  const amount = money(capture);
  if (!MONEY_TAKEN.has(capture.status) || !amount) {
    return {
      outcome: "pending",
      connectorReference: capture.id,
      reason: `capture_${capture.status.toLowerCase()}`,
    };
  }
  return {
    outcome: "succeeded",
    connectorReference: capture.id,
    amount: amount.amount,
    currency: amount.currency,
  };
}

export function refundToRefundStatus(refund: PayPalRefund): RefundStatus {
  if (refund.status === "FAILED" || refund.status === "CANCELLED") {
    const reason = refund.status_details?.reason;
    return {
      status: "failed",
      reason: `refund_${refund.status.toLowerCase()}${reason ? `: ${reason}` : ""}`,
    };
  }
  const amount = money(refund);
  if (refund.status !== "COMPLETED" || !amount) return { status: "pending", connectorReference: refund.id };
  return {
    status: "succeeded",
    connectorReference: refund.id,
    amount: amount.amount,
    currency: amount.currency,
  };
}

export function refundToModifyResult(refund: PayPalRefund): ModifyResult {
  const status = refundToRefundStatus(refund);
  switch (status.status) {
    case "succeeded":
      return {
        outcome: "succeeded",
        connectorReference: status.connectorReference,
        amount: status.amount,
        currency: status.currency,
      };
    case "failed":
      return { outcome: "failed", reason: status.reason };
    default:
      return { outcome: "pending", connectorReference: refund.id, reason: "refund_pending" };
  }
}
