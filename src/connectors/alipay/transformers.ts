/**
 * Pure mapping from Alipay's answers to the connector contract. An unmapped status is pending, never a
 * success; an amount that does not parse is never a success either.
 */

import type { AuthorizeResult, DeclineCode, Declined, PaymentStatus, RefundStatus } from "../contract.ts";
import { statusAsAuthorizeResult } from "../status-result.ts";
import { ALIPAY_CURRENCY, fromYuan } from "./amounts.ts";

const str = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** What trade.query and trade_status_sync both say about a trade. */
export interface TradeFacts {
  tradeNo: string;
  tradeStatus: string | undefined;
  totalAmount: unknown;
  /** Whether the buyer ever paid (send_pay_date / gmt_payment, or a received amount). */
  paid: boolean;
}

export function tradeFactsToPaymentStatus(facts: TradeFacts): PaymentStatus {
  const connectorReference = facts.tradeNo;
  switch (facts.tradeStatus) {
    case "TRADE_SUCCESS":
    case "TRADE_FINISHED": {
      const amount = fromYuan(facts.totalAmount);
      if (amount === null || amount === 0n) return { status: "pending", connectorReference };
      return {
        status: "authorized",
        connectorReference,
        amount,
        currency: ALIPAY_CURRENCY,
        captured: true,
        capturedAmount: amount,
      };
    }
    case "WAIT_BUYER_PAY":
      return { status: "pending", connectorReference };
    case "TRADE_CLOSED": {
      if (!facts.paid) return { status: "expired", connectorReference };
      // Paid, then fully refunded (or closed some other way): money moved, so a person looks.
      const amount = fromYuan(facts.totalAmount) ?? undefined;
      return {
        status: "requires_review",
        connectorReference,
        reason: "alipay_trade_closed_after_payment",
        amount,
        currency: amount === undefined ? undefined : ALIPAY_CURRENCY,
      };
    }
    default:
      return { status: "pending", connectorReference };
  }
}

function positive(value: unknown): boolean {
  const amount = fromYuan(value);
  return amount !== null && amount > 0n;
}

/** alipay.trade.query's answer (code 10000) about the trade we named by `reference`. */
export function tradeQueryToPaymentStatus(reference: string, body: Record<string, unknown>): PaymentStatus {
  const tradeNo = str(body.trade_no);
  if (!tradeNo || str(body.out_trade_no) !== reference)
    return { status: "pending", connectorReference: tradeNo };
  return tradeFactsToPaymentStatus({
    tradeNo,
    tradeStatus: str(body.trade_status),
    totalAmount: body.total_amount,
    paid:
      str(body.send_pay_date) !== undefined ||
      positive(body.receipt_amount) ||
      positive(body.buyer_pay_amount),
  });
}

/** alipay.trade.fastpay.refund.query's answer (code 10000) for our refund `reference`. */
export function refundQueryToRefundStatus(
  reference: string,
  tradeReference: string,
  body: Record<string, unknown>,
): RefundStatus {
  const connectorReference = str(body.trade_no) ?? tradeReference;
  // Alipay answers 10000 without the refund's fields when it has no such (successful) refund.
  if (str(body.refund_amount) === undefined) return { status: "not_found" };
  const requestNo = str(body.out_request_no);
  if (requestNo !== undefined && requestNo !== reference) return { status: "pending", connectorReference };
  const refundStatus = str(body.refund_status);
  if (refundStatus !== undefined && refundStatus !== "REFUND_SUCCESS") {
    return { status: "pending", connectorReference };
  }
  const amount = fromYuan(body.refund_amount);
  if (amount === null || amount === 0n) return { status: "pending", connectorReference };
  return { status: "succeeded", connectorReference, amount, currency: ALIPAY_CURRENCY };
}

/** The provider's words for a refusal, without the canonical string Alipay echoes on a bad signature. */
export function refusalMessage(refusal: { code: string; subCode: string; subMsg: string }): string {
  if (refusal.subCode === "isv.invalid-signature") {
    return "isv.invalid-signature: Alipay could not verify the request signature (check app_private_key and the app public key registered at Alipay)";
  }
  const head = refusal.subCode || refusal.code;
  return refusal.subMsg ? `${head}: ${refusal.subMsg}` : head;
}

const ORDER_REFUSALS: Record<string, DeclineCode> = {
  "ACQ.TRADE_HAS_CLOSE": "generic_decline",
  "ACQ.BUYER_BALANCE_NOT_ENOUGH": "insufficient_funds",
  "ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH": "insufficient_funds",
  "ACQ.BUYER_ENABLE_STATUS_FORBID": "do_not_honor",
  "ACQ.BUYER_SELLER_EQUAL": "do_not_honor",
};

/** Alipay refused to create the order: nothing was charged. Unlisted refusals are Payrail's or the account's. */
export function orderRefusalToDecline(refusal: { code: string; subCode: string; subMsg: string }): Declined {
  return {
    outcome: "declined",
    declineCode: ORDER_REFUSALS[refusal.subCode] ?? "processing_error",
    providerMessage: refusalMessage(refusal),
  };
}

const REFUND_REFUSALS: Record<string, string> = {
  "ACQ.TRADE_NOT_EXIST": "not_found",
  "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL": "amount_exceeds_refundable",
  "ACQ.REFUND_FEE_ERROR": "invalid_amount",
  "ACQ.TRADE_HAS_FINISHED": "refund_period_over",
  "ACQ.TRADE_HAS_CLOSE": "payment_closed",
  "ACQ.TRADE_STATUS_ERROR": "payment_not_refundable",
  "ACQ.SELLER_BALANCE_NOT_ENOUGH": "insufficient_merchant_balance",
  "ACQ.INVALID_PARAMETER": "invalid_request",
};

export function refundRefusalReason(subCode: string, code: string): string {
  return REFUND_REFUSALS[subCode] ?? (subCode || `alipay_${code}`);
}

/**
 * A status seen while starting or finishing a payment, as an authorize result. An order closed unpaid
 * (or one the shopper has not reached) stays pending here: `sync` then reports it as it is.
 */
export function paymentStatusToAuthorizeResult(status: PaymentStatus): AuthorizeResult {
  return statusAsAuthorizeResult(status, ({ status }) =>
    status === "not_found" ? "alipay_trade_not_reached" : `alipay_${status}`,
  );
}
