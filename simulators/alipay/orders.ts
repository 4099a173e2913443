/**
 * Placing an order: alipay.trade.page.pay, wap.pay, app.pay and precreate share the same biz_content
 * rules. A repeated out_trade_no returns the open order when nothing changed, and is refused when the
 * amount or subject differ or the trade is already paid or closed.
 */
import { expiryFromTimeoutExpress, parseBeijingDateTime } from "./clock.ts";
import type { Context } from "./context.ts";
import { type AlipayError, errors } from "./errors.ts";
import { type Biz, bizString } from "./gateway.ts";
import { MAX_AMOUNT_FEN, MIN_AMOUNT_FEN, parseYuan } from "./money.ts";
import type { App, PayMethod, Trade } from "./store.ts";
import { expireIfDue } from "./trade-events.ts";

const PRODUCT_CODES: Record<PayMethod, { code: string; required: boolean }> = {
  "alipay.trade.page.pay": { code: "FAST_INSTANT_TRADE_PAY", required: true },
  "alipay.trade.wap.pay": { code: "QUICK_WAP_WAY", required: true },
  "alipay.trade.app.pay": { code: "QUICK_MSECURITY_PAY", required: false },
  "alipay.trade.precreate": { code: "FACE_TO_FACE_PAYMENT", required: false },
};

/** Alipay's default for unpaid trades when neither timeout_express nor time_expire is given. */
const DEFAULT_TIMEOUT = "15d";
const OUT_TRADE_NO = /^[A-Za-z0-9_-]{1,64}$/;

export type Placed = { ok: true; trade: Trade } | { ok: false; error: AlipayError };

export function placeOrder(
  ctx: Context,
  app: App,
  method: PayMethod,
  params: Readonly<Record<string, string>>,
  biz: Biz,
): Placed {
  const fail = (detail: string): Placed => ({ ok: false, error: errors.invalidBizParameter(detail) });
  const outTradeNo = bizString(biz, "out_trade_no");
  if (!outTradeNo || !OUT_TRADE_NO.test(outTradeNo)) return fail("out_trade_no");
  const totalFen = parseYuan(biz.total_amount);
  if (totalFen === null || totalFen < MIN_AMOUNT_FEN || totalFen > MAX_AMOUNT_FEN)
    return fail("total_amount");
  const subject = bizString(biz, "subject");
  if (!subject || subject.length > 256) return fail("subject");
  const product = PRODUCT_CODES[method];
  const productCode = bizString(biz, "product_code");
  if (productCode === undefined ? product.required : productCode !== product.code)
    return fail("product_code");

  const now = ctx.now();
  let expiresAt = expiryFromTimeoutExpress(DEFAULT_TIMEOUT, now)!;
  const timeoutExpress = bizString(biz, "timeout_express");
  if (timeoutExpress !== undefined) {
    const parsed = expiryFromTimeoutExpress(timeoutExpress, now);
    if (!parsed) return fail("timeout_express");
    expiresAt = parsed;
  }
  const timeExpire = bizString(biz, "time_expire");
  if (timeExpire !== undefined) {
    const parsed = parseBeijingDateTime(timeExpire);
    if (!parsed || parsed.getTime() <= now.getTime()) return fail("time_expire");
    expiresAt = parsed;
  }

  const existing = ctx.store.byOutTradeNo(app.appId, outTradeNo);
  if (existing) {
    expireIfDue(ctx, existing);
    if (existing.status === "TRADE_SUCCESS" || existing.status === "TRADE_FINISHED") {
      return { ok: false, error: errors.tradeHasSuccess() };
    }
    if (existing.status === "TRADE_CLOSED") return { ok: false, error: errors.tradeHasClose() };
    if (existing.totalFen !== totalFen || existing.subject !== subject) {
      return { ok: false, error: errors.contextInconsistent() };
    }
    return { ok: true, trade: existing };
  }

  const trade: Trade = {
    appId: app.appId,
    sellerId: app.sellerId,
    sellerEmail: app.sellerEmail,
    outTradeNo,
    method,
    productCode: productCode ?? product.code,
    subject,
    body: bizString(biz, "body"),
    totalFen,
    passbackParams: bizString(biz, "passback_params"),
    notifyUrl: params.notify_url || undefined,
    returnUrl: params.return_url || undefined,
    quitUrl: bizString(biz, "quit_url"),
    token: ctx.ids.token(),
    placedAt: now,
    expiresAt,
    status: "WAIT_BUYER_PAY",
    tradeNo: null,
    gmtCreate: null,
    gmtPayment: null,
    gmtClose: null,
    buyer: null,
    refunds: [],
  };
  ctx.store.addTrade(trade);
  return { ok: true, trade };
}
