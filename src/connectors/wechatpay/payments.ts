/** Placing, reading and closing orders: startPayment, sync and closePayment. */
import type {
  AuthorizeResult,
  CloseRequest,
  LocalPaymentRequest,
  ModifyResult,
  PaymentStatus,
  SyncRequest,
} from "../contract.ts";
import { type WechatAnswer, type WechatPayConnection, wechatPayApi } from "./client.ts";
import type { WechatPayConfig } from "./config.ts";
import { unexpectedAnswer } from "./errors.ts";
import { orderPlan } from "./requests.ts";
import { shopperAction } from "./shopper-actions.ts";
import {
  isConfigurationError,
  isOrderAlreadyPlaced,
  isOrderNotFound,
  isRetryLater,
  placedOrderToAuthorizeResult,
  transactionToPaymentStatus,
} from "./transformers.ts";
import { parseError, parseTransaction, type WechatTransaction } from "./wire.ts";

type OrderLookup =
  | { found: WechatTransaction }
  | { notFound: true }
  | { unknown: string }
  | { unexpected: WechatAnswer & { kind: "answer" } };

/** The order behind out_trade_no, when the answer is verified and about that order of this merchant. */
export async function lookUpOrder(
  c: WechatPayConnection,
  outTradeNo: string,
  byTransactionId = false,
): Promise<OrderLookup> {
  const answer = byTransactionId
    ? await wechatPayApi.queryTransaction(c, outTradeNo)
    : await wechatPayApi.queryOrder(c, outTradeNo);
  if (answer.kind === "unknown") return { unknown: answer.reason };
  if (answer.status === 200) {
    const transaction = parseTransaction(answer.body);
    if (!transaction) return { unknown: "malformed_response" };
    const matches = byTransactionId
      ? transaction.transactionId === outTradeNo
      : transaction.outTradeNo === outTradeNo;
    if (!matches || (transaction.mchid !== undefined && transaction.mchid !== c.signer.mchid)) {
      return { unknown: "answer_names_another_order" };
    }
    return { found: transaction };
  }
  const error = parseError(answer.body);
  if (isOrderNotFound(answer.status, error)) return { notFound: true };
  if (isRetryLater(error)) return { unknown: error?.code.toLowerCase() ?? "retry_later" };
  return { unexpected: answer };
}

export async function startPayment(
  c: WechatPayConnection,
  config: WechatPayConfig,
  request: LocalPaymentRequest,
  notificationUrl: string,
): Promise<AuthorizeResult> {
  const plan = orderPlan(request, config, notificationUrl);
  if (!plan.ok) return { outcome: "declined", declineCode: plan.declineCode, providerMessage: plan.message };
  const reference = request.reference;
  const answer = await wechatPayApi.createOrder(c, plan.kind, plan.body);
  if (answer.kind === "unknown")
    return { outcome: "pending", connectorReference: reference, reason: answer.reason };
  if (answer.status === 200) {
    const signer = { mchid: config.mchid, appid: config.appid, privateKey: c.signer.privateKey };
    const action = shopperAction(plan.kind, answer.body, {
      signer,
      returnUrl: request.returnUrl,
      now: c.now(),
    });
    if (!action) return { outcome: "pending", connectorReference: reference, reason: "malformed_response" };
    return { outcome: "requires_action", connectorReference: reference, action };
  }
  const error = parseError(answer.body);
  if (isOrderAlreadyPlaced(error)) {
    // Placed before with this reference (paid, closed, or asked differently): say what that order is.
    const lookup = await lookUpOrder(c, reference);
    const reason = error?.code.toLowerCase() ?? "order_exists";
    if (!("found" in lookup)) return { outcome: "pending", connectorReference: reference, reason };
    return placedOrderToAuthorizeResult(transactionToPaymentStatus(lookup.found), reason);
  }
  if (isRetryLater(error)) {
    return {
      outcome: "pending",
      connectorReference: reference,
      reason: error?.code.toLowerCase() ?? "retry_later",
    };
  }
  if (!error || isConfigurationError(error)) throw unexpectedAnswer("startPayment", answer);
  // A definite refusal (PARAM_ERROR, NO_AUTH, APPID_MCHID_NOT_MATCH, …): no order was placed.
  return {
    outcome: "declined",
    declineCode: "processing_error",
    providerMessage: `${error.code}${error.message ? `: ${error.message}` : ""}`,
  };
}

export async function syncPayment(c: WechatPayConnection, request: SyncRequest): Promise<PaymentStatus> {
  const known = request.connectorReference ?? undefined;
  const lookup = await lookUpOrder(c, request.reference);
  if ("found" in lookup) return transactionToPaymentStatus(lookup.found);
  if ("notFound" in lookup) return { status: "not_found" };
  if ("unknown" in lookup) return { status: "pending", connectorReference: known };
  throw unexpectedAnswer("sync", lookup.unexpected);
}

const PAID = new Set(["SUCCESS", "REFUND"]);
const CLOSED = new Set(["CLOSED", "REVOKED"]);

export async function closePayment(c: WechatPayConnection, request: CloseRequest): Promise<ModifyResult> {
  const reference = request.reference;
  const lookup = await lookUpOrder(c, reference);
  if ("notFound" in lookup)
    return { outcome: "succeeded", connectorReference: reference, amount: 0n, currency: "cny" };
  if ("unknown" in lookup)
    return { outcome: "pending", connectorReference: reference, reason: lookup.unknown };
  if ("unexpected" in lookup) throw unexpectedAnswer("closePayment", lookup.unexpected);
  const order = lookup.found;
  const closed = {
    outcome: "succeeded",
    connectorReference: reference,
    amount: order.total,
    currency: order.currency.toLowerCase(),
  } as const;
  if (PAID.has(order.tradeState)) return { outcome: "failed", reason: "order_paid" };
  if (CLOSED.has(order.tradeState)) return closed;

  const answer = await wechatPayApi.closeOrder(c, reference);
  if (answer.kind === "unknown")
    return { outcome: "pending", connectorReference: reference, reason: answer.reason };
  if (answer.status === 204 || answer.status === 200) return closed;
  const error = parseError(answer.body);
  if (error?.code === "ORDERPAID")
    return { outcome: "failed", reason: "order_paid", providerMessage: error.message };
  if (error?.code === "ORDER_CLOSED" || isOrderNotFound(answer.status, error)) return closed;
  if (isRetryLater(error)) {
    return {
      outcome: "pending",
      connectorReference: reference,
      reason: error?.code.toLowerCase() ?? "retry_later",
    };
  }
  throw unexpectedAnswer("closePayment", answer);
}
