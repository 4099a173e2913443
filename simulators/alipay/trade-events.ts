/**
 * Every state change of a trade, and the trade_status_sync notification Alipay sends for it: payment
 * (TRADE_SUCCESS), close or unpaid timeout (TRADE_CLOSED, only for trades the buyer had reached),
 * refunds (TRADE_SUCCESS with refund fields, TRADE_CLOSED once fully refunded) and TRADE_FINISHED.
 */
import { beijingDateTime, beijingDateTimeMillis } from "./clock.ts";
import type { Context } from "./context.ts";
import { formatYuan } from "./money.ts";
import { type Refund, refundedFen, type Trade } from "./store.ts";

/** The buyer reached the order (cashier opened, QR scanned, app opened): it becomes a trade. */
export function reachTrade(ctx: Context, trade: Trade): void {
  expireIfDue(ctx, trade);
  if (trade.tradeNo !== null || trade.status !== "WAIT_BUYER_PAY") return;
  const now = ctx.now();
  trade.tradeNo = ctx.ids.tradeNo(now);
  trade.gmtCreate = now;
  const userId = ctx.ids.userId();
  trade.buyer = { userId, logonId: `${userId.slice(-3)}***@sandbox.com` };
  ctx.store.indexTradeNo(trade);
}

export function expireIfDue(ctx: Context, trade: Trade): void {
  if (trade.status === "WAIT_BUYER_PAY" && ctx.now().getTime() >= trade.expiresAt.getTime()) {
    closeTrade(ctx, trade);
  }
}

export function payTrade(ctx: Context, trade: Trade): boolean {
  reachTrade(ctx, trade);
  if (trade.status !== "WAIT_BUYER_PAY") return false;
  trade.status = "TRADE_SUCCESS";
  trade.gmtPayment = ctx.now();
  notify(ctx, trade);
  return true;
}

export function closeTrade(ctx: Context, trade: Trade): void {
  trade.status = "TRADE_CLOSED";
  trade.gmtClose = ctx.now();
  if (trade.tradeNo !== null) notify(ctx, trade);
}

export function finishTrade(ctx: Context, trade: Trade): boolean {
  if (trade.status !== "TRADE_SUCCESS") return false;
  trade.status = "TRADE_FINISHED";
  notify(ctx, trade);
  return true;
}

export function refundTrade(ctx: Context, trade: Trade, outRequestNo: string, amountFen: bigint): Refund {
  const refund: Refund = {
    outRequestNo,
    amountFen,
    at: ctx.now(),
    refundFeeAfterFen: refundedFen(trade) + amountFen,
  };
  trade.refunds.push(refund);
  if (refund.refundFeeAfterFen === trade.totalFen) {
    trade.status = "TRADE_CLOSED";
    trade.gmtClose = refund.at;
  }
  notify(ctx, trade, refund);
  return refund;
}

export function fundBillListJson(trade: Trade): string {
  return JSON.stringify([{ amount: formatYuan(trade.totalFen), fundChannel: "ALIPAYACCOUNT" }]);
}

function notify(ctx: Context, trade: Trade, refund?: Refund): void {
  if (!trade.notifyUrl || trade.tradeNo === null) return;
  const now = ctx.now();
  const paid = trade.gmtPayment !== null;
  const params: Record<string, string> = {
    notify_time: beijingDateTime(now),
    notify_type: "trade_status_sync",
    notify_id: ctx.ids.notifyId(now),
    charset: "utf-8",
    version: "1.0",
    sign_type: "RSA2",
    app_id: trade.appId,
    auth_app_id: trade.appId,
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    trade_status: trade.status,
    total_amount: formatYuan(trade.totalFen),
    subject: trade.subject,
    seller_id: trade.sellerId,
    seller_email: trade.sellerEmail,
    gmt_create: beijingDateTime(trade.gmtCreate ?? trade.placedAt),
  };
  if (trade.buyer) {
    params.buyer_id = trade.buyer.userId;
    params.buyer_logon_id = trade.buyer.logonId;
  }
  if (trade.body) params.body = trade.body;
  if (trade.passbackParams) params.passback_params = trade.passbackParams;
  if (paid) {
    const amount = formatYuan(trade.totalFen);
    Object.assign(params, {
      gmt_payment: beijingDateTime(trade.gmtPayment!),
      receipt_amount: amount,
      invoice_amount: amount,
      buyer_pay_amount: amount,
      point_amount: "0.00",
      fund_bill_list: fundBillListJson(trade),
    });
  }
  if (trade.gmtClose) params.gmt_close = beijingDateTime(trade.gmtClose);
  if (refund) {
    params.out_biz_no = refund.outRequestNo;
    params.refund_fee = formatYuan(refund.refundFeeAfterFen);
    params.gmt_refund = beijingDateTimeMillis(refund.at);
  }
  ctx.notifier.send(trade.notifyUrl, params);
}
