/**
 * The shopper's side for JSAPI and App: what the WeChat client does with the parameters the merchant signs.
 * It checks paySign (SHA256withRSA with the merchant's key) over "appId\ntimeStamp\nnonceStr\npackage\n"
 * (JSAPI, package "prepay_id=…") or "appid\ntimestamp\nnoncestr\nprepayid\n" (App), then pays the order.
 */
import type { Context } from "./context.ts";
import { signingMessage, verifySha256Rsa } from "./crypto.ts";
import { json, type Sent } from "./http.ts";
import { failOrder, payOrder } from "./lifecycle-rules.ts";
import type { Order } from "./store.ts";
import type { JsonObject } from "./validation.ts";

type Outcome = "approve" | "decline" | "cancel";

function outcomeOf(body: JsonObject): Outcome | null {
  const outcome = body.outcome ?? "approve";
  return outcome === "approve" || outcome === "decline" || outcome === "cancel" ? outcome : null;
}

const text = (value: unknown) => (typeof value === "string" ? value : "");

function signatureValid(ctx: Context, order: Order, lines: string[], signature: string): boolean {
  const merchant = ctx.merchants.get(order.mchid);
  return merchant !== undefined && verifySha256Rsa(signingMessage(...lines), signature, merchant.publicKey);
}

function settle(ctx: Context, order: Order, outcome: Outcome): "ok" | "cancel" | string {
  if (outcome === "cancel") return "cancel";
  const result = outcome === "approve" ? payOrder(ctx, order) : failOrder(ctx, order);
  if (result.ok) return outcome === "approve" ? "ok" : "payment failed";
  return `order ${result.reason}`;
}

/** wx.requestPayment / WeixinJSBridge getBrandWCPayRequest; answers like its callbacks' errMsg. */
export function jsapiPay(ctx: Context, body: JsonObject): Sent {
  const fail = (status: number, reason: string) => json(status, { errMsg: `requestPayment:fail ${reason}` });
  const outcome = outcomeOf(body);
  if (!outcome) return fail(400, "unknown outcome");
  const pkg = text(body.package);
  const order = pkg.startsWith("prepay_id=") ? ctx.store.orderByPrepayId(pkg.slice(10)) : undefined;
  if (order?.tradeType !== "JSAPI") return fail(400, "prepay_id invalid");
  if (text(body.signType) !== "RSA") return fail(400, "signType must be RSA");
  if (text(body.appId) !== order.appid) return fail(400, "appId mismatch");
  const lines = [text(body.appId), text(body.timeStamp), text(body.nonceStr), pkg];
  if (lines.some((line) => line === "") || !signatureValid(ctx, order, lines, text(body.paySign))) {
    return fail(400, "paySign invalid");
  }
  const result = settle(ctx, order, outcome);
  if (result === "ok") return json(200, { errMsg: "requestPayment:ok" });
  return fail(result === "cancel" ? 200 : 409, result);
}

/** The App SDK's PayReq; answers like PayResp: errCode 0 paid, -1 error, -2 cancelled. */
export function appPay(ctx: Context, body: JsonObject): Sent {
  const fail = (status: number, errStr: string) => json(status, { errCode: -1, errStr });
  const outcome = outcomeOf(body);
  if (!outcome) return fail(400, "unknown outcome");
  const order = ctx.store.orderByPrepayId(text(body.prepayid));
  if (order?.tradeType !== "APP") return fail(400, "prepayid invalid");
  if (text(body.appid) !== order.appid) return fail(400, "appid mismatch");
  if (text(body.partnerid) !== order.mchid) return fail(400, "partnerid mismatch");
  if (text(body.package) !== "Sign=WXPay") return fail(400, "package must be Sign=WXPay");
  const lines = [text(body.appid), text(body.timestamp), text(body.noncestr), text(body.prepayid)];
  if (lines.some((line) => line === "") || !signatureValid(ctx, order, lines, text(body.sign))) {
    return fail(400, "sign invalid");
  }
  const result = settle(ctx, order, outcome);
  if (result === "ok") return json(200, { errCode: 0, errStr: "" });
  if (result === "cancel") return json(200, { errCode: -2, errStr: "用户取消" });
  return fail(409, result);
}
