/** The order state machine: payment by the shopper, failure, expiry at time_expire, closing. */
import type { Context } from "./context.ts";
import type { Order } from "./store.ts";
import { transactionJson } from "./wire.ts";

export type PayOutcome = { ok: true } | { ok: false; reason: "closed" | "paid" | "failed" | "expired" };

/**
 * time_expire has passed on an unpaid order: it is closed. Checked whenever the order is looked at (query,
 * cashier, client, refund, close), so it follows an injected clock exactly and needs no timer.
 */
export function expireIfDue(ctx: Context, order: Order): void {
  if (order.expireAt === null || ctx.now().getTime() < order.expireAt.getTime()) return;
  if (order.state === "NOTPAY" || order.state === "USERPAYING") order.state = "CLOSED";
}

function payable(ctx: Context, order: Order): PayOutcome {
  expireIfDue(ctx, order);
  if (order.state === "SUCCESS" || order.state === "REFUND") return { ok: false, reason: "paid" };
  if (order.state === "CLOSED" || order.state === "REVOKED") {
    return { ok: false, reason: order.expireAt && ctx.now() >= order.expireAt ? "expired" : "closed" };
  }
  if (order.state === "PAYERROR") return { ok: false, reason: "failed" };
  return { ok: true };
}

/** The shopper paid: SUCCESS, a transaction_id, and TRANSACTION.SUCCESS to the order's notify_url. */
export function payOrder(
  ctx: Context,
  order: Order,
  payer: { openid?: string | undefined } = {},
): PayOutcome {
  const check = payable(ctx, order);
  if (!check.ok) return check;
  const at = ctx.now();
  order.state = "SUCCESS";
  order.transactionId = ctx.ids.transactionId(at);
  order.successTime = at;
  order.bankType = "OTHERS";
  order.payerOpenid = order.payerOpenid ?? payer.openid ?? ctx.ids.openid();
  ctx.store.indexTransaction(order);
  const merchant = ctx.merchants.get(order.mchid);
  if (merchant) {
    ctx.notifier.notify({
      merchant,
      url: order.notifyUrl,
      eventType: "TRANSACTION.SUCCESS",
      summary: "支付成功",
      originalType: "transaction",
      resource: transactionJson(order),
    });
  }
  return { ok: true };
}

/** The payment failed on the shopper's side. WeChat notifies successes only, so nothing is sent. */
export function failOrder(ctx: Context, order: Order): PayOutcome {
  const check = payable(ctx, order);
  if (!check.ok) return check;
  order.state = "PAYERROR";
  return { ok: true };
}
