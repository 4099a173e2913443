/** Pure mapping from WeChat Pay's orders, refunds and errors to Payrail's statuses. */

import type { AuthorizeResult, ModifyResult, PaymentStatus, RefundStatus } from "../contract.ts";
import { statusAsAuthorizeResult } from "../status-result.ts";
import type { WechatError, WechatRefund, WechatTransaction } from "./wire.ts";

/** Closed before anything was paid: by us, by time_expire, or a revoked micropay order. */
const UNPAID_CLOSED_STATES = new Set(["CLOSED", "REVOKED"]);
/** Paid; REFUND only says a refund was asked for since, the payment itself stands. */
const PAID_STATES = new Set(["SUCCESS", "REFUND"]);

export function transactionToPaymentStatus(transaction: WechatTransaction): PaymentStatus {
  const reference = transaction.outTradeNo;
  const state = transaction.tradeState;
  if (PAID_STATES.has(state)) {
    if (!transaction.transactionId) return { status: "pending", connectorReference: reference };
    return {
      status: "authorized",
      connectorReference: transaction.transactionId,
      amount: transaction.total,
      currency: transaction.currency.toLowerCase(),
      captured: true,
      capturedAmount: transaction.total,
    };
  }
  if (UNPAID_CLOSED_STATES.has(state)) return { status: "expired", connectorReference: reference };
  if (state === "PAYERROR") {
    return {
      status: "declined",
      declineCode: "generic_decline",
      connectorReference: reference,
      providerMessage: transaction.tradeStateDesc ?? "PAYERROR",
    };
  }
  // NOTPAY and USERPAYING (the shopper can still pay), and any state this code does not know.
  return { status: "pending", connectorReference: reference };
}

export function refundToRefundStatus(refund: WechatRefund): RefundStatus {
  switch (refund.status) {
    case "SUCCESS":
      return {
        status: "succeeded",
        connectorReference: refund.refundId,
        amount: refund.refund,
        currency: refund.currency.toLowerCase(),
      };
    case "ABNORMAL":
      // The money could not go back (the shopper's card was closed, say): the merchant must act.
      return { status: "failed", reason: "refund_abnormal" };
    case "CLOSED":
      return { status: "failed", reason: "refund_closed" };
    default:
      return { status: "pending", connectorReference: refund.refundId };
  }
}

export function refundToModifyResult(refund: WechatRefund): ModifyResult {
  const status = refundToRefundStatus(refund);
  if (status.status === "succeeded") {
    const { connectorReference, amount, currency } = status;
    return { outcome: "succeeded", connectorReference, amount, currency };
  }
  if (status.status === "failed") return { outcome: "failed", reason: status.reason };
  return {
    outcome: "pending",
    connectorReference: refund.refundId,
    reason: `refund_${refund.status.toLowerCase()}`,
  };
}

/** The order does not exist: ORDER_NOT_EXIST in API v3, ORDERNOTEXIST as v2 (and some v3 answers) spell it. */
export function isOrderNotFound(status: number, error: WechatError | null): boolean {
  if (error?.code === "ORDER_NOT_EXIST" || error?.code === "ORDERNOTEXIST") return true;
  return (
    status === 404 && (error === null || error.code === "RESOURCE_NOT_EXISTS" || error.code === "NOT_FOUND")
  );
}

/** Errors that say our account configuration is wrong, not that this payment was refused. */
const CONFIGURATION_ERRORS = new Set(["SIGN_ERROR", "MCH_NOT_EXISTS"]);

export function isConfigurationError(error: WechatError | null): boolean {
  return error !== null && CONFIGURATION_ERRORS.has(error.code);
}

/** Placing the order again with this out_trade_no was refused because the order is already settled. */
const ORDER_ALREADY_PLACED = new Set(["ORDERPAID", "ORDER_CLOSED", "OUT_TRADE_NO_USED"]);

export function isOrderAlreadyPlaced(error: WechatError | null): boolean {
  return error !== null && ORDER_ALREADY_PLACED.has(error.code);
}

/** WeChat asks to retry these later; they do not say what happened. */
const RETRY_LATER = new Set(["SYSTEM_ERROR", "FREQUENCY_LIMITED", "BANK_ERROR", "SYSTEMERROR"]);

export function isRetryLater(error: WechatError | null): boolean {
  return error !== null && RETRY_LATER.has(error.code);
}

/**
 * What an order placed earlier with the same out_trade_no is, as the answer to placing it again: paid is
 * authorized, closed or failed is declined (nothing was or can be charged), anything else still waits.
 */
export function placedOrderToAuthorizeResult(status: PaymentStatus, reason: string): AuthorizeResult {
  if (status.status === "expired") {
    return {
      outcome: "declined",
      declineCode: "processing_error",
      connectorReference: status.connectorReference,
      providerMessage: "the order with this out_trade_no is closed",
    };
  }
  return statusAsAuthorizeResult(status, () => reason);
}
