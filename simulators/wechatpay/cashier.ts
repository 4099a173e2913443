/**
 * The shopper's side for Native and H5: the page a scanned code_url or an opened h5_url leads to, where a
 * test approves (pays), declines (PAYERROR) or abandons (nothing changes) with a form POST.
 */
import type { Context } from "./context.ts";
import { html, type Reply, redirect } from "./http.ts";
import { expireIfDue, failOrder, type PayOutcome, payOrder } from "./lifecycle-rules.ts";
import type { Order } from "./store.ts";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const yuan = (fen: bigint) => `${fen / 100n}.${(fen % 100n).toString().padStart(2, "0")}`;

function page(title: string, body: string, status = 200): Reply {
  return html(
    status,
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>` +
      `<style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}button{display:block;width:100%;margin:.5rem 0;padding:.8rem;font-size:1rem}</style></head><body>${body}</body></html>`,
  );
}

function cashierPage(order: Order, redirectUrl: string | null): Reply {
  const summary =
    `<h1>微信支付</h1><p id="merchant">商户号 ${escapeHtml(order.mchid)}</p>` +
    `<p id="description">${escapeHtml(order.description)}</p><p id="amount">¥${yuan(order.total)}</p>` +
    `<p id="state" data-state="${order.state}">${order.state}</p>`;
  if (order.state !== "NOTPAY") return page("微信支付", summary);
  const hidden = redirectUrl
    ? `<input type="hidden" name="redirect_url" value="${escapeHtml(redirectUrl)}">`
    : "";
  const form = (action: string, label: string) =>
    `<form method="post" action="/simulator/cashier/${escapeHtml(order.prepayId)}">${hidden}<input type="hidden" name="action" value="${action}"><button type="submit" name="submit" value="${action}">${label}</button></form>`;
  return page(
    "微信支付",
    summary + form("approve", "确认支付") + form("decline", "支付失败") + form("abandon", "放弃支付"),
  );
}

const REFUSALS: Record<Exclude<PayOutcome, { ok: true }>["reason"], string> = {
  paid: "该订单已支付",
  closed: "该订单已关闭",
  expired: "该订单已过期",
  failed: "该订单支付失败，请重新下单",
};

export function showCashier(ctx: Context, prepayId: string, redirectUrl: string | null): Reply {
  const order = ctx.store.orderByPrepayId(prepayId);
  if (!order || (order.tradeType !== "NATIVE" && order.tradeType !== "MWEB")) {
    return page("微信支付", "<p>订单不存在</p>", 404);
  }
  expireIfDue(ctx, order);
  return cashierPage(order, redirectUrl);
}

/** Resolves `weixin://wxpay/bizpayurl?pr=…` to its order's cashier page. */
export function scan(ctx: Context, codeUrl: string | null): Reply {
  const token = codeUrl && URL.canParse(codeUrl) ? new URL(codeUrl).searchParams.get("pr") : null;
  const order = token ? ctx.store.orderByCodeToken(token) : undefined;
  if (order?.tradeType !== "NATIVE") return page("微信支付", "<p>二维码已失效</p>", 404);
  return redirect(`/simulator/cashier/${order.prepayId}`);
}

export function actOnCashier(ctx: Context, prepayId: string, form: URLSearchParams): Reply {
  const order = ctx.store.orderByPrepayId(prepayId);
  if (!order || (order.tradeType !== "NATIVE" && order.tradeType !== "MWEB")) {
    return page("微信支付", "<p>订单不存在</p>", 404);
  }
  const action = form.get("action");
  let outcome: PayOutcome;
  if (action === "approve") outcome = payOrder(ctx, order, { openid: form.get("openid") ?? undefined });
  else if (action === "decline") outcome = failOrder(ctx, order);
  else if (action === "abandon") outcome = { ok: true };
  else return page("微信支付", "<p>未知操作</p>", 400);
  if (!outcome.ok) return page("微信支付", `<p id="error">${REFUSALS[outcome.reason]}</p>`, 409);

  const redirectUrl = form.get("redirect_url");
  if (order.tradeType === "MWEB" && redirectUrl && /^https?:\/\//.test(redirectUrl))
    return redirect(redirectUrl);
  const messages = { approve: "支付成功", decline: "支付失败", abandon: "已放弃支付" } as const;
  return page("微信支付", `<p id="result" data-action="${action}">${messages[action]}</p>`);
}
