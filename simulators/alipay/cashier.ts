/**
 * The shopper's side. The cashier page (where page.pay and wap.pay redirect, and what a precreate QR
 * code opens when "scanned") lets a test pay, fail an attempt or abandon; the app endpoint stands in for
 * the Alipay app receiving an app.pay order string from the app SDK.
 *
 * Alipay has no "declined" trade: a failed or abandoned attempt leaves the trade WAIT_BUYER_PAY until the
 * buyer pays, the merchant closes it or its timeout_express/time_expire closes it (TRADE_CLOSED).
 */
import { beijingDateTime } from "./clock.ts";
import type { Context } from "./context.ts";
import type { AlipayError } from "./errors.ts";
import { APP_METHOD, checkCommon } from "./gateway.ts";
import { formatYuan } from "./money.ts";
import { placeOrder } from "./orders.ts";
import { signOutgoing } from "./signing.ts";
import type { Trade } from "./store.ts";
import { payTrade, reachTrade } from "./trade-events.ts";
import { signedResponseBody } from "./wire.ts";

export type PageAnswer =
  | { kind: "html"; status: number; html: string }
  | { kind: "redirect"; location: string };

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

function page(title: string, content: string, status = 200): PageAnswer {
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body>${content}</body></html>`;
  return { kind: "html", status, html };
}

/** Alipay's error page for a page/wap request it refuses (the browser gets HTML, not JSON). */
export function errorPage(error: AlipayError): PageAnswer {
  return page(
    "支付宝 - 错误",
    `<h1>错误代码 <span id="sub_code">${escapeHtml(error.sub_code)}</span></h1><p id="sub_msg">${escapeHtml(error.sub_msg)}</p>`,
  );
}

function statusPage(trade: Trade): PageAnswer {
  const text = trade.status === "TRADE_CLOSED" ? "交易已关闭" : "交易已支付";
  return page("支付宝", `<p id="trade_status" data-status="${trade.status}">${text}</p>`);
}

export function showCashier(ctx: Context, token: string): PageAnswer {
  const trade = ctx.store.byToken(token);
  if (!trade) return page("支付宝", "<p>页面不存在</p>", 404);
  reachTrade(ctx, trade);
  if (trade.status !== "WAIT_BUYER_PAY") return statusPage(trade);
  const amount = formatYuan(trade.totalFen);
  return page(
    "支付宝 - 网上支付 安全快速！",
    `<h1 id="subject">${escapeHtml(trade.subject)}</h1>
<p>订单号 <span id="out_trade_no">${escapeHtml(trade.outTradeNo)}</span></p>
<p>交易号 <span id="trade_no">${trade.tradeNo}</span></p>
<p>应付金额 <strong id="total_amount">${amount}</strong> 元</p>
<form method="post" action="/cashier/${encodeURIComponent(token)}">
<button name="action" value="pay">确认付款</button>
<button name="action" value="fail">余额不足（支付失败）</button>
<button name="action" value="abandon">放弃付款</button>
</form>`,
  );
}

function returnLocation(ctx: Context, trade: Trade): string {
  const params = signOutgoing(
    {
      charset: "utf-8",
      out_trade_no: trade.outTradeNo,
      method: `${trade.method}.return`,
      total_amount: formatYuan(trade.totalFen),
      trade_no: trade.tradeNo!,
      auth_app_id: trade.appId,
      version: "1.0",
      app_id: trade.appId,
      sign_type: "RSA2",
      seller_id: trade.sellerId,
      timestamp: beijingDateTime(ctx.now()),
    },
    ctx.alipayPrivateKey,
  );
  const target = new URL(trade.returnUrl!);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  return target.toString();
}

export function actOnCashier(ctx: Context, token: string, action: string | undefined): PageAnswer {
  const trade = ctx.store.byToken(token);
  if (!trade) return page("支付宝", "<p>页面不存在</p>", 404);
  reachTrade(ctx, trade);
  if (trade.status !== "WAIT_BUYER_PAY") return statusPage(trade);
  if (action === "pay") {
    payTrade(ctx, trade);
    if (trade.returnUrl && URL.canParse(trade.returnUrl)) {
      return { kind: "redirect", location: returnLocation(ctx, trade) };
    }
    return statusPage(trade);
  }
  if (action === "fail")
    return page("支付宝", '<p id="result" data-result="fail">支付失败，请更换付款方式</p>');
  if (action === "abandon") {
    if (trade.quitUrl && URL.canParse(trade.quitUrl)) return { kind: "redirect", location: trade.quitUrl };
    return page("支付宝", '<p id="result" data-result="abandon">已放弃付款</p>');
  }
  return page("支付宝", "<p>未知操作</p>", 400);
}

/** What the Alipay app hands back to the app SDK (`resultStatus`, `memo`, `result`). */
export interface AppPayResult {
  resultStatus: "9000" | "8000" | "4000" | "6001";
  memo: string;
  result: string;
}

export function appPay(
  ctx: Context,
  params: Record<string, string>,
  action: string | undefined,
): AppPayResult {
  const failed = (memo: string): AppPayResult => ({ resultStatus: "4000", memo, result: "" });
  if (params.method !== APP_METHOD) return failed("订单信息错误: method");
  const checked = checkCommon(ctx, params);
  if (!checked.ok) return failed(`${checked.error.sub_code}: ${checked.error.sub_msg}`);
  const placed = placeOrder(ctx, checked.app, APP_METHOD, params, checked.biz);
  if (!placed.ok) return failed(`${placed.error.sub_code}: ${placed.error.sub_msg}`);
  const trade = placed.trade;
  reachTrade(ctx, trade);
  if (action === "cancel") return { resultStatus: "6001", memo: "用户中途取消", result: "" };
  if (action === "fail") return failed("订单支付失败");
  if (action === "processing") {
    ctx.lifecycle.later(ctx.resolveAfterMs, () => {
      payTrade(ctx, trade);
    });
    return { resultStatus: "8000", memo: "正在处理中", result: "" };
  }
  if (action !== "pay" && action !== undefined) return failed(`unknown action ${action}`);
  if (!payTrade(ctx, trade) && trade.status !== "TRADE_SUCCESS") return failed("订单支付失败");
  const body = signedResponseBody(
    "alipay_trade_app_pay_response",
    {
      code: "10000",
      msg: "Success",
      app_id: trade.appId,
      auth_app_id: trade.appId,
      charset: "utf-8",
      timestamp: beijingDateTime(ctx.now()),
      out_trade_no: trade.outTradeNo,
      total_amount: formatYuan(trade.totalFen),
      trade_no: trade.tradeNo,
      seller_id: trade.sellerId,
    },
    ctx.alipayPrivateKey,
  );
  return { resultStatus: "9000", memo: "", result: `${body.slice(0, -1)},"sign_type":"RSA2"}` };
}
