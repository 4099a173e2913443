/** alipay.trade.precreate, query, close, refund and fastpay.refund.query: the JSON-answering methods. */
import { beijingDateTime } from "./clock.ts";
import type { Context } from "./context.ts";
import { type AlipayError, errors } from "./errors.ts";
import { type Biz, bizString } from "./gateway.ts";
import { formatYuan, MIN_AMOUNT_FEN, parseYuan } from "./money.ts";
import { placeOrder } from "./orders.ts";
import { type App, refundedFen, type Trade } from "./store.ts";
import { closeTrade, expireIfDue, refundTrade } from "./trade-events.ts";
import { SUCCESS } from "./wire.ts";

export type Answer = Record<string, unknown>;
type Found = { ok: true; trade: Trade } | { ok: false; error: AlipayError };

/** trade_no wins over out_trade_no; an order the buyer never reached does not exist yet. */
function findTrade(ctx: Context, app: App, biz: Biz): Found {
  const tradeNo = bizString(biz, "trade_no");
  const outTradeNo = bizString(biz, "out_trade_no");
  if (!tradeNo && !outTradeNo)
    return { ok: false, error: errors.invalidBizParameter("out_trade_no, trade_no") };
  const trade = tradeNo
    ? ctx.store.byTradeNo(app.appId, tradeNo)
    : ctx.store.byOutTradeNo(app.appId, outTradeNo!);
  if (!trade) return { ok: false, error: errors.tradeNotExist() };
  expireIfDue(ctx, trade);
  if (trade.tradeNo === null) return { ok: false, error: errors.tradeNotExist() };
  return { ok: true, trade };
}

export function precreate(
  ctx: Context,
  app: App,
  params: Record<string, string>,
  biz: Biz,
): Answer | AlipayError {
  const placed = placeOrder(ctx, app, "alipay.trade.precreate", params, biz);
  if (!placed.ok) return placed.error;
  return {
    ...SUCCESS,
    out_trade_no: placed.trade.outTradeNo,
    qr_code: `${ctx.baseUrl()}/qr/${placed.trade.token}`,
  };
}

export function query(ctx: Context, app: App, biz: Biz): Answer | AlipayError {
  const found = findTrade(ctx, app, biz);
  if (!found.ok) return found.error;
  const trade = found.trade;
  const paid = trade.gmtPayment !== null;
  const amount = formatYuan(trade.totalFen);
  const answer: Answer = {
    ...SUCCESS,
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    buyer_logon_id: trade.buyer?.logonId,
    trade_status: trade.status,
    total_amount: amount,
    buyer_pay_amount: paid ? amount : "0.00",
    point_amount: "0.00",
    invoice_amount: paid ? amount : "0.00",
    receipt_amount: paid ? amount : "0.00",
  };
  if (paid) answer.send_pay_date = beijingDateTime(trade.gmtPayment!);
  answer.buyer_user_id = trade.buyer?.userId;
  answer.buyer_user_type = "PRIVATE";
  if (paid) answer.fund_bill_list = [{ fund_channel: "ALIPAYACCOUNT", amount }];
  return answer;
}

export function close(ctx: Context, app: App, biz: Biz): Answer | AlipayError {
  const found = findTrade(ctx, app, biz);
  if (!found.ok) return found.error;
  const trade = found.trade;
  if (trade.status !== "WAIT_BUYER_PAY") return errors.tradeStatusError();
  closeTrade(ctx, trade);
  return { ...SUCCESS, trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo };
}

function refundAnswer(trade: Trade, fundChange: boolean, sendBackFen: bigint, at: Date): Answer {
  return {
    ...SUCCESS,
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    buyer_logon_id: trade.buyer?.logonId,
    fund_change: fundChange ? "Y" : "N",
    refund_fee: formatYuan(refundedFen(trade)),
    gmt_refund_pay: beijingDateTime(at),
    buyer_user_id: trade.buyer?.userId,
    send_back_fee: formatYuan(sendBackFen),
  };
}

/**
 * Without out_request_no the request number is the trade's out_trade_no, so a single refund per trade;
 * partial refunds each need their own. A repeated out_request_no answers the first refund again with
 * fund_change "N" and moves no money.
 */
export function refund(ctx: Context, app: App, biz: Biz): Answer | AlipayError {
  const amountFen = parseYuan(biz.refund_amount);
  if (amountFen === null || amountFen < MIN_AMOUNT_FEN) return errors.invalidBizParameter("refund_amount");
  const found = findTrade(ctx, app, biz);
  if (!found.ok) return found.error;
  const trade = found.trade;
  const outRequestNo = bizString(biz, "out_request_no") || trade.outTradeNo;
  const previous = trade.refunds.find((r) => r.outRequestNo === outRequestNo);
  if (previous) return refundAnswer(trade, false, previous.amountFen, previous.at);
  if (trade.status === "TRADE_FINISHED") return errors.tradeHasFinished();
  if (trade.status !== "TRADE_SUCCESS") return errors.tradeStatusError();
  if (refundedFen(trade) + amountFen > trade.totalFen) return errors.refundAmountExceeded();
  const done = refundTrade(ctx, trade, outRequestNo, amountFen);
  return refundAnswer(trade, true, done.amountFen, done.at);
}

export function refundQuery(ctx: Context, app: App, biz: Biz): Answer | AlipayError {
  const outRequestNo = bizString(biz, "out_request_no");
  if (!outRequestNo) return errors.invalidBizParameter("out_request_no");
  const found = findTrade(ctx, app, biz);
  if (!found.ok) return found.error;
  const trade = found.trade;
  const done = trade.refunds.find((r) => r.outRequestNo === outRequestNo);
  // Alipay answers 10000 without refund fields when no such refund succeeded.
  if (!done) return { ...SUCCESS, trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo };
  const answer: Answer = {
    ...SUCCESS,
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    out_request_no: done.outRequestNo,
    total_amount: formatYuan(trade.totalFen),
    refund_amount: formatYuan(done.amountFen),
    refund_status: "REFUND_SUCCESS",
  };
  const options = Array.isArray(biz.query_options) ? biz.query_options : [];
  if (options.includes("gmt_refund_pay")) answer.gmt_refund_pay = beijingDateTime(done.at);
  return answer;
}
