/** Placing orders (Native, H5, JSAPI, App), querying them by out_trade_no or transaction_id, closing them. */
import type { ApiCall, ApiHandler } from "./api.ts";
import { ERRORS } from "./errors.ts";
import { canonicalJson, json, noContent } from "./http.ts";
import { expireIfDue } from "./lifecycle-rules.ts";
import type { Order, TradeType } from "./store.ts";
import { parseRfc3339 } from "./time.ts";
import { Fields, isNotifyUrl } from "./validation.ts";
import { transactionJson } from "./wire.ts";

const OUT_TRADE_NO = /^[0-9A-Za-z_\-*|]{6,32}$/;

function prepayAnswer(call: ApiCall, order: Order): Record<string, string> {
  switch (order.tradeType) {
    case "NATIVE":
      return { code_url: `weixin://wxpay/bizpayurl?pr=${order.codeToken}` };
    case "MWEB":
      return {
        h5_url: `${call.ctx.baseUrl()}/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${order.prepayId}&package=${call.ctx.ids.digits(10)}`,
      };
    default:
      return { prepay_id: order.prepayId };
  }
}

function readOrder(call: ApiCall, tradeType: TradeType) {
  const body = new Fields("body", call.body);
  const appid = body.string("appid", "应用ID", { required: true, maxBytes: 32 });
  const mchid = body.string("mchid", "直连商户号", { required: true, maxBytes: 32 });
  const description = body.string("description", "商品描述", { required: true, maxBytes: 127 });
  const outTradeNo = body.string("out_trade_no", "商户订单号", {
    required: true,
    maxBytes: 32,
    pattern: OUT_TRADE_NO,
  });
  const timeExpire = body.string("time_expire", "交易结束时间", { maxBytes: 64 });
  const attach = body.string("attach", "附加数据", { maxBytes: 128 });
  const notifyUrl = body.string("notify_url", "通知地址", { required: true, maxBytes: 255 });
  body.string("goods_tag", "订单优惠标记", { maxBytes: 32 });
  body.boolean("support_fapiao", "电子发票入口开放标识");
  const amount = body.object("amount", "订单金额", true);
  const total = amount.integer("total", "总金额", { required: true, min: 1 });
  amount.string("currency", "货币类型", { maxBytes: 16, oneOf: ["CNY"] });
  const payer = body.object("payer", "支付者", tradeType === "JSAPI");
  const openid = payer?.string("openid", "用户标识", { required: tradeType === "JSAPI", maxBytes: 128 });
  const scene = body.object("scene_info", "场景信息", tradeType === "MWEB");
  if (scene) {
    scene.string("payer_client_ip", "用户终端IP", { required: true, maxBytes: 45 });
    const h5 = scene.object("h5_info", "H5场景信息", tradeType === "MWEB");
    h5?.string("type", "场景类型", { required: true, maxBytes: 32 });
  }
  body.object("detail", "优惠功能");
  body.object("settle_info", "结算信息");

  if (!isNotifyUrl(notifyUrl))
    body.reject("notify_url", "通知地址", "URL格式校验失败，须为不带参数的http(s)地址");
  let expireAt: Date | null = null;
  if (timeExpire !== undefined) {
    expireAt = parseRfc3339(timeExpire);
    if (!expireAt) body.reject("time_expire", "交易结束时间", "时间格式校验失败，须为RFC3339格式");
  }
  if (mchid !== call.merchant.mchid) throw ERRORS.mchidMismatch("body");
  if (call.merchant.appIds && !call.merchant.appIds.has(appid)) throw ERRORS.appidMismatch();
  return { appid, description, outTradeNo, expireAt, attach, notifyUrl, total, openid };
}

export function createOrderHandler(tradeType: TradeType): ApiHandler {
  return (call) => {
    const { ctx, merchant } = call;
    const fields = readOrder(call, tradeType);
    const fingerprint = `${tradeType} ${canonicalJson(call.body)}`;
    const existing = ctx.store.order(merchant.mchid, fields.outTradeNo);
    if (existing) {
      expireIfDue(ctx, existing);
      if (existing.state === "SUCCESS" || existing.state === "REFUND") throw ERRORS.orderPaid();
      if (existing.state === "CLOSED" || existing.state === "REVOKED") throw ERRORS.orderClosed();
      if (existing.fingerprint !== fingerprint) throw ERRORS.outTradeNoUsed();
      return json(200, prepayAnswer(call, existing));
    }
    const now = ctx.now();
    const order: Order = {
      mchid: merchant.mchid,
      appid: fields.appid,
      outTradeNo: fields.outTradeNo,
      tradeType,
      description: fields.description,
      attach: fields.attach,
      notifyUrl: fields.notifyUrl,
      total: fields.total,
      currency: "CNY",
      payerOpenid: fields.openid,
      createdAt: now,
      expireAt: fields.expireAt,
      prepayId: ctx.ids.prepayId(now),
      codeToken: ctx.ids.token(7),
      fingerprint,
      state: "NOTPAY",
      transactionId: undefined,
      successTime: undefined,
      bankType: undefined,
      refunds: [],
    };
    ctx.store.addOrder(order);
    expireIfDue(ctx, order);
    return json(200, prepayAnswer(call, order));
  };
}

function requireQueryMchid(call: ApiCall): void {
  const query = new Fields("query", Object.fromEntries(call.query));
  const mchid = query.string("mchid", "直连商户号", { required: true, maxBytes: 32 });
  if (mchid !== call.merchant.mchid) throw ERRORS.mchidMismatch("query");
}

export const queryByOutTradeNo: ApiHandler = (call) => {
  requireQueryMchid(call);
  const order = call.ctx.store.order(call.merchant.mchid, call.params[0] ?? "");
  if (!order) throw ERRORS.orderNotExist();
  expireIfDue(call.ctx, order);
  return json(200, transactionJson(order));
};

export const queryByTransactionId: ApiHandler = (call) => {
  requireQueryMchid(call);
  const order = call.ctx.store.orderByTransactionId(call.merchant.mchid, call.params[0] ?? "");
  if (!order) throw ERRORS.orderNotExist();
  return json(200, transactionJson(order));
};

export const closeOrder: ApiHandler = (call) => {
  const body = new Fields("body", call.body);
  const mchid = body.string("mchid", "直连商户号", { required: true, maxBytes: 32 });
  if (mchid !== call.merchant.mchid) throw ERRORS.mchidMismatch("body");
  const order = call.ctx.store.order(call.merchant.mchid, call.params[0] ?? "");
  if (!order) throw ERRORS.orderNotExist();
  expireIfDue(call.ctx, order);
  if (order.state === "SUCCESS" || order.state === "REFUND") throw ERRORS.orderPaid();
  order.state = "CLOSED";
  return noContent();
};
