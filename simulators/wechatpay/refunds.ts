/**
 * Domestic refunds: accepted as PROCESSING, settled after `resolveAfterMs` (SUCCESS, or ABNORMAL / CLOSED
 * when the reason asks for it), then REFUND.* sent to the refund's notify_url.
 */
import type { ApiHandler } from "./api.ts";
import type { Context } from "./context.ts";
import { ERRORS } from "./errors.ts";
import { json } from "./http.ts";
import type { Refund, RefundStatus } from "./store.ts";
import { Fields, isNotifyUrl } from "./validation.ts";
import { refundJson, refundNotificationJson } from "./wire.ts";

const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const MAX_REFUNDS_PER_ORDER = 50;

/** Test triggers in `reason`; anything else succeeds. */
export const REFUND_TRIGGERS = { abnormal: "SIMULATE_ABNORMAL", closed: "SIMULATE_CLOSED" } as const;

const SUMMARIES: Record<Exclude<RefundStatus, "PROCESSING">, string> = {
  SUCCESS: "退款成功",
  ABNORMAL: "退款异常",
  CLOSED: "退款关闭",
};

function outcomeFor(refund: Refund): Exclude<RefundStatus, "PROCESSING"> {
  if (refund.reason?.includes(REFUND_TRIGGERS.abnormal)) return "ABNORMAL";
  if (refund.reason?.includes(REFUND_TRIGGERS.closed)) return "CLOSED";
  return "SUCCESS";
}

function settle(ctx: Context, refund: Refund): void {
  if (refund.status !== "PROCESSING") return;
  const status = outcomeFor(refund);
  refund.status = status;
  if (status === "SUCCESS") refund.successTime = ctx.now();
  if (status === "CLOSED") refund.order.refunds = refund.order.refunds.filter((other) => other !== refund);
  const merchant = ctx.merchants.get(refund.order.mchid);
  if (!merchant || !refund.notifyUrl) return;
  ctx.notifier.notify({
    merchant,
    url: refund.notifyUrl,
    eventType: `REFUND.${status}`,
    summary: SUMMARIES[status],
    originalType: "refund",
    resource: refundNotificationJson(refund),
  });
}

function refundedSoFar(refunds: readonly Refund[]): bigint {
  return refunds.reduce((sum, refund) => sum + refund.amount, 0n);
}

export const createRefund: ApiHandler = ({ ctx, merchant, body: raw }) => {
  const body = new Fields("body", raw);
  const transactionId = body.string("transaction_id", "微信支付订单号", { maxBytes: 32 });
  const outTradeNo = body.string("out_trade_no", "商户订单号", { maxBytes: 32 });
  const outRefundNo = body.string("out_refund_no", "商户退款单号", {
    required: true,
    maxBytes: 64,
    pattern: OUT_REFUND_NO,
  });
  const reason = body.string("reason", "退款原因", { maxBytes: 80 });
  const notifyUrl = body.string("notify_url", "退款结果回调url", { minBytes: 8, maxBytes: 256 });
  const fundsAccount = body.string("funds_account", "退款资金来源", { maxBytes: 32, oneOf: ["AVAILABLE"] });
  const amount = body.object("amount", "金额信息", true);
  const refundAmount = amount.integer("refund", "退款金额", { required: true, min: 1 });
  const total = amount.integer("total", "原订单金额", { required: true, min: 1 });
  amount.string("currency", "退款币种", { required: true, maxBytes: 16, oneOf: ["CNY"] });
  body.array("goods_detail", "退款商品");
  if (transactionId === undefined && outTradeNo === undefined) {
    body.reject("out_trade_no", "商户订单号", "必填性规则校验失败，transaction_id与out_trade_no须二选一");
  }
  if (notifyUrl !== undefined && !isNotifyUrl(notifyUrl)) {
    body.reject("notify_url", "退款结果回调url", "URL格式校验失败，须为不带参数的http(s)地址");
  }

  const order =
    transactionId !== undefined
      ? ctx.store.orderByTransactionId(merchant.mchid, transactionId)
      : ctx.store.order(merchant.mchid, outTradeNo ?? "");
  if (!order || (order.state !== "SUCCESS" && order.state !== "REFUND")) throw ERRORS.refundOrderNotExist();

  const existing = ctx.store.refund(merchant.mchid, outRefundNo);
  if (existing) {
    if (existing.order !== order || existing.amount !== refundAmount || total !== order.total) {
      throw ERRORS.refundConflict();
    }
    return json(200, refundJson(existing));
  }
  if (total !== order.total) throw ERRORS.refundTotalMismatch();
  if (order.refunds.length >= MAX_REFUNDS_PER_ORDER) throw ERRORS.refundTooMany();
  if (refundedSoFar(order.refunds) + refundAmount > order.total) throw ERRORS.refundTooMuch();

  const now = ctx.now();
  const refund: Refund = {
    refundId: ctx.ids.refundId(now),
    outRefundNo,
    order,
    amount: refundAmount,
    reason,
    notifyUrl: notifyUrl ?? merchant.refundNotifyUrl,
    fundsAccount: fundsAccount === "AVAILABLE" ? "AVAILABLE" : "UNSETTLED",
    status: "PROCESSING",
    createdAt: now,
    successTime: undefined,
  };
  ctx.store.addRefund(refund);
  order.state = "REFUND";
  ctx.lifecycle.later(ctx.resolveAfterMs, () => settle(ctx, refund));
  return json(200, refundJson(refund));
};

export const queryRefund: ApiHandler = ({ ctx, merchant, params }) => {
  const refund = ctx.store.refund(merchant.mchid, params[0] ?? "");
  if (!refund) throw ERRORS.refundNotExist();
  return json(200, refundJson(refund));
};
