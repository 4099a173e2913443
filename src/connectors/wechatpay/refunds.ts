/** Domestic refunds: out_refund_no is our refund reference, WeChat's idempotency handle. */
import type { ModifyRequest, ModifyResult, RefundStatus, SyncRequest } from "../contract.ts";
import { type WechatPayConnection, wechatPayApi } from "./client.ts";
import { unexpectedAnswer } from "./errors.ts";
import { lookUpOrder } from "./payments.ts";
import { refundBody } from "./requests.ts";
import {
  isConfigurationError,
  isOrderNotFound,
  isRetryLater,
  refundToModifyResult,
  refundToRefundStatus,
} from "./transformers.ts";
import { parseError, parseRefund } from "./wire.ts";

/** WeChat's transaction_id is all digits (28 today); our out_trade_no always has letters. */
const TRANSACTION_ID = /^\d{16,32}$/;
const PAID = new Set(["SUCCESS", "REFUND"]);

export async function refund(
  c: WechatPayConnection,
  request: ModifyRequest,
  notificationUrl: string,
): Promise<ModifyResult> {
  if (request.currency.toLowerCase() !== "cny")
    return { outcome: "failed", reason: "currency_not_supported" };
  if (request.amount < 1n || request.amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { outcome: "failed", reason: "invalid_amount" };
  }
  // WeChat wants the order's total with every refund: read it from the order.
  const lookup = await lookUpOrder(
    c,
    request.connectorReference,
    TRANSACTION_ID.test(request.connectorReference),
  );
  if ("unknown" in lookup) return { outcome: "pending", reason: lookup.unknown };
  if ("notFound" in lookup) return { outcome: "failed", reason: "payment_not_found" };
  if ("unexpected" in lookup) throw unexpectedAnswer("refund", lookup.unexpected);
  const order = lookup.found;
  if (!PAID.has(order.tradeState)) return { outcome: "failed", reason: "payment_not_paid" };

  const answer = await wechatPayApi.createRefund(c, refundBody(order, request, notificationUrl));
  if (answer.kind === "unknown") return { outcome: "pending", reason: answer.reason };
  if (answer.status === 200) {
    const wechatRefund = parseRefund(answer.body);
    if (!wechatRefund || wechatRefund.outRefundNo !== request.reference) {
      return { outcome: "pending", reason: "malformed_response" };
    }
    return refundToModifyResult(wechatRefund);
  }
  const error = parseError(answer.body);
  if (isRetryLater(error)) return { outcome: "pending", reason: error?.code.toLowerCase() ?? "retry_later" };
  if (!error || isConfigurationError(error)) throw unexpectedAnswer("refund", answer);
  if (isOrderNotFound(answer.status, error)) return { outcome: "failed", reason: "payment_not_found" };
  // INVALID_REQUEST (more than is left, a changed retry), NOT_ENOUGH, USER_ACCOUNT_ABNORMAL, …: refused.
  return { outcome: "failed", reason: `wechat_${error.code.toLowerCase()}`, providerMessage: error.message };
}

export async function syncRefund(c: WechatPayConnection, request: SyncRequest): Promise<RefundStatus> {
  const known = request.connectorReference ?? undefined;
  const answer = await wechatPayApi.queryRefund(c, request.reference);
  if (answer.kind === "unknown") return { status: "pending", connectorReference: known };
  if (answer.status === 200) {
    const wechatRefund = parseRefund(answer.body);
    if (!wechatRefund || wechatRefund.outRefundNo !== request.reference) {
      return { status: "pending", connectorReference: known };
    }
    return refundToRefundStatus(wechatRefund);
  }
  const error = parseError(answer.body);
  if (isOrderNotFound(answer.status, error)) return { status: "not_found" };
  if (isRetryLater(error)) return { status: "pending", connectorReference: known };
  throw unexpectedAnswer("syncRefund", answer);
}
