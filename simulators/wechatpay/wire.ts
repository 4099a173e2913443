/** The JSON WeChat Pay sends for an order (query answer, payment notification) and for a refund. */
import type { Order, Refund, TradeState } from "./store.ts";
import { rfc3339 } from "./time.ts";

const STATE_DESCRIPTIONS: Record<TradeState, string> = {
  SUCCESS: "支付成功",
  REFUND: "转入退款",
  NOTPAY: "订单未支付",
  CLOSED: "订单已关闭",
  REVOKED: "已撤销（刷卡支付）",
  USERPAYING: "用户支付中",
  PAYERROR: "支付失败，请重新下单支付",
};

const paid = (order: Order) => order.successTime !== undefined && order.transactionId !== undefined;

export function transactionJson(order: Order): Record<string, unknown> {
  const base: Record<string, unknown> = {
    appid: order.appid,
    mchid: order.mchid,
    out_trade_no: order.outTradeNo,
  };
  if (!paid(order)) {
    return {
      ...base,
      trade_state: order.state,
      trade_state_desc: STATE_DESCRIPTIONS[order.state],
      amount: { total: Number(order.total), currency: order.currency, payer_currency: order.currency },
      promotion_detail: [],
    };
  }
  return {
    ...base,
    transaction_id: order.transactionId,
    trade_type: order.tradeType,
    trade_state: order.state,
    trade_state_desc: STATE_DESCRIPTIONS[order.state],
    bank_type: order.bankType,
    attach: order.attach ?? "",
    success_time: rfc3339(order.successTime as Date),
    payer: { openid: order.payerOpenid },
    amount: {
      total: Number(order.total),
      payer_total: Number(order.total),
      currency: order.currency,
      payer_currency: order.currency,
    },
    promotion_detail: [],
  };
}

export const USER_RECEIVED_ACCOUNT = "支付用户零钱";

export function refundJson(refund: Refund): Record<string, unknown> {
  const order = refund.order;
  const total = Number(order.total);
  const amount = Number(refund.amount);
  const body: Record<string, unknown> = {
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    transaction_id: order.transactionId,
    out_trade_no: order.outTradeNo,
    channel: "ORIGINAL",
    user_received_account: USER_RECEIVED_ACCOUNT,
    create_time: rfc3339(refund.createdAt),
    status: refund.status,
    funds_account: refund.fundsAccount,
    amount: {
      total,
      refund: amount,
      from: [],
      payer_total: total,
      payer_refund: amount,
      settlement_refund: amount,
      settlement_total: total,
      discount_refund: 0,
      currency: order.currency,
      refund_fee: 0,
    },
    promotion_detail: [],
  };
  if (refund.successTime) body.success_time = rfc3339(refund.successTime);
  return body;
}

/** The decrypted `resource` of a REFUND.* notification. */
export function refundNotificationJson(refund: Refund): Record<string, unknown> {
  const order = refund.order;
  const body: Record<string, unknown> = {
    mchid: order.mchid,
    out_trade_no: order.outTradeNo,
    transaction_id: order.transactionId,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_status: refund.status,
    user_received_account: USER_RECEIVED_ACCOUNT,
    amount: {
      total: Number(order.total),
      refund: Number(refund.amount),
      payer_total: Number(order.total),
      payer_refund: Number(refund.amount),
    },
  };
  if (refund.successTime) body.success_time = rfc3339(refund.successTime);
  return body;
}
