/**
 * Pure mapping between GrabPay's wire objects and the connector contract. A status we do not know is
 * pending; a success whose amount we cannot state exactly is pending too.
 */

import type {
  AuthorizeResult,
  DeclineCode,
  ModifyResult,
  PaymentStatus,
  RefundStatus,
  WebhookEvent,
} from "../contract.ts";
import { refundStatusAsModifyResult, statusAsAuthorizeResult } from "../status-result.ts";
import { fromGrabPayAmount } from "./amounts.ts";
import { type ChargeHandle, formatChargeHandle, referenceOf } from "./references.ts";
import type { WireCharge, WireNotification, WireRefund } from "./wire.ts";

const EXPIRED_REASON = /expired/i;

export type ChargeState = "success" | "failed" | "expired" | "processing";

export function chargeState(txStatus: string, reason: string): ChargeState {
  switch (txStatus.toLowerCase()) {
    case "success":
      return "success";
    case "failed":
      return EXPIRED_REASON.test(reason) ? "expired" : "failed";
    default:
      return "processing";
  }
}

/** The shopper had too little in the wallet, or the charge failed for a reason GrabPay does not detail. */
export function declineCodeFor(reason: string): DeclineCode {
  return /balance|insufficient/i.test(reason) ? "insufficient_funds" : "generic_decline";
}

/** What GrabPay says of a charge. `handle` knows the amount GrabPay was asked for (its answer does not). */
export function chargeToPaymentStatus(
  charge: WireCharge,
  handle: ChargeHandle | undefined,
  currency: string,
): PaymentStatus {
  const state = chargeState(charge.txStatus, charge.reason);
  const settled = handle ? formatChargeHandle({ ...handle, txID: charge.txID }) : charge.txID;
  switch (state) {
    case "success": {
      const amount = handle ? fromGrabPayAmount(handle.amount, currency) : undefined;
      // Paid, but only our handle says how much: never a success of an amount we cannot state.
      if (amount === undefined) return { status: "pending" };
      return {
        status: "authorized",
        connectorReference: settled,
        amount,
        currency: currency.toLowerCase(),
        captured: true,
        capturedAmount: amount,
      };
    }
    case "expired":
      return { status: "expired", connectorReference: settled };
    case "failed":
      return {
        status: "declined",
        declineCode: declineCodeFor(charge.reason),
        connectorReference: settled,
        providerMessage: charge.reason || undefined,
      };
    case "processing":
      return { status: "pending", connectorReference: handle ? formatChargeHandle(handle) : undefined };
  }
}

/** A status seen on the way back from the shopper, as the answer to the payment attempt. */
export function paymentStatusToAuthorizeResult(status: PaymentStatus, reason: string): AuthorizeResult {
  // Expired and not-yet-known charges come back pending: Payrail's sync tells them apart.
  return statusAsAuthorizeResult(status, () => reason);
}

/** GrabPay keeps our `echo` with the refund and answers with it; its refund answers carry no amount. */
export function refundEcho(amount: bigint, currency: string): string {
  return `${amount} ${currency.toUpperCase()}`;
}

export function parseRefundEcho(echo: string | undefined): { amount: bigint; currency: string } | undefined {
  const match = /^(\d{1,16}) ([A-Z]{3})$/.exec(echo ?? "");
  return match ? { amount: BigInt(match[1] ?? "0"), currency: (match[2] ?? "").toLowerCase() } : undefined;
}

/** `grabPayAmount`: what GrabPay holds for the refund, in its units (from our echo or a notification). */
export function refundToRefundStatus(
  refund: WireRefund,
  grabPayAmount: { amount: bigint; currency: string } | undefined,
): RefundStatus {
  const state = chargeState(refund.txStatus, refund.reason);
  if (state === "failed" || state === "expired") {
    return { status: "failed", reason: refund.reason || "refund_failed" };
  }
  const currency = grabPayAmount?.currency.toLowerCase();
  const amount = grabPayAmount && currency ? fromGrabPayAmount(grabPayAmount.amount, currency) : undefined;
  if (state === "success" && currency && amount !== undefined) {
    return { status: "succeeded", connectorReference: refund.txID, amount, currency };
  }
  return { status: "pending", connectorReference: refund.txID };
}

export function refundStatusToModifyResult(status: RefundStatus): ModifyResult {
  return refundStatusAsModifyResult(status);
}

function eventId(notification: WireNotification): string {
  return `${notification.txType}:${notification.txID}:${notification.status.toLowerCase()}`;
}

function paymentEvent(notification: WireNotification): WebhookEvent {
  const providerEventId = eventId(notification);
  const currency = notification.currency?.toLowerCase() ?? "";
  const handle =
    notification.amount !== undefined
      ? { partnerTxID: notification.partnerTxID, amount: notification.amount }
      : undefined;
  const reference = referenceOf(notification.partnerTxID);
  if (!reference || !handle) {
    // The partnerTxID is a digest of our reference (or the amount is missing): Payrail asks with sync.
    return {
      kind: "payment_lookup",
      providerEventId,
      connectorReference: handle ? formatChargeHandle(handle) : notification.partnerTxID,
    };
  }
  const status = chargeToPaymentStatus(
    { txID: notification.txID, txStatus: notification.status, reason: notification.reason },
    handle,
    currency,
  );
  return {
    kind: "payment",
    providerEventId,
    reference,
    connectorReference: formatChargeHandle({ ...handle, txID: notification.txID }),
    status,
  };
}

function refundEvent(notification: WireNotification): WebhookEvent {
  const providerEventId = eventId(notification);
  const reference = referenceOf(notification.partnerTxID);
  if (!reference) return { kind: "unknown", providerEventId, providerType: notification.txType };
  const { amount, currency } = notification;
  const status = refundToRefundStatus(
    { txID: notification.txID, txStatus: notification.status, reason: notification.reason },
    amount !== undefined && currency ? { amount, currency } : undefined,
  );
  return { kind: "refund", providerEventId, reference, connectorReference: notification.txID, status };
}

export function notificationToEvent(notification: WireNotification): WebhookEvent {
  switch (notification.txType.toLowerCase()) {
    case "payment":
      return paymentEvent(notification);
    case "refund":
      return refundEvent(notification);
    default:
      return { kind: "unknown", providerEventId: eventId(notification), providerType: notification.txType };
  }
}
