/** The order bodies WeChat Pay takes for each way the shopper pays, built from Payrail's request. */
import type { LocalPaymentRequest, ShopperChannel } from "../contract.ts";
import type { OrderKind } from "./client.ts";
import { beijingRfc3339 } from "./time.ts";

/** WeChat's out_trade_no: 6 to 32 of these characters. */
const OUT_TRADE_NO = /^[0-9A-Za-z_\-*|]{6,32}$/;
const DESCRIPTION_MAX_BYTES = 127;

/** WeChat has no desktop redirect: a desktop page shows the Native QR code. */
export const ORDER_KIND_BY_CHANNEL: Record<ShopperChannel, OrderKind> = {
  qr: "native",
  web: "native",
  mobile_web: "h5",
  in_app: "jsapi",
  app: "app",
};

const H5_SCENE_TYPES = { ios: "iOS", android: "Android", wap: "Wap" } as const;

/** Cut to WeChat's byte limit without splitting a character (the same text on every retry). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  let out = "";
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, "utf8");
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}

export interface Merchant {
  mchid: string;
  appid: string;
}

export type OrderPlan =
  | { ok: true; kind: OrderKind; body: Record<string, unknown> }
  | { ok: false; declineCode: "currency_not_supported" | "processing_error"; message: string };

/** Amount in fen: our minor units for CNY, sent as a JSON integer. */
function fenTotal(amount: bigint): number | null {
  return amount >= 1n && amount <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(amount) : null;
}

export function orderPlan(request: LocalPaymentRequest, merchant: Merchant, notifyUrl: string): OrderPlan {
  if (request.method !== "wechat_pay") {
    return {
      ok: false,
      declineCode: "processing_error",
      message: `WeChat Pay does not take ${request.method}`,
    };
  }
  if (request.currency.toLowerCase() !== "cny") {
    return { ok: false, declineCode: "currency_not_supported", message: "WeChat Pay takes CNY only" };
  }
  const total = fenTotal(request.amount);
  if (total === null) return { ok: false, declineCode: "processing_error", message: "amount out of range" };
  if (!OUT_TRADE_NO.test(request.reference)) {
    return { ok: false, declineCode: "processing_error", message: "reference is not a valid out_trade_no" };
  }
  const kind = ORDER_KIND_BY_CHANNEL[request.channel];
  const body: Record<string, unknown> = {
    appid: merchant.appid,
    mchid: merchant.mchid,
    description: truncateUtf8(request.description, DESCRIPTION_MAX_BYTES),
    out_trade_no: request.reference,
    time_expire: beijingRfc3339(request.expiresAt),
    notify_url: notifyUrl,
    amount: { total, currency: "CNY" },
  };
  if (kind === "jsapi") {
    const openid = request.shopper.openId;
    if (!openid) {
      return {
        ok: false,
        declineCode: "processing_error",
        message: "openid is required: WeChat Pay in_app (JSAPI) needs the shopper's openid",
      };
    }
    body.payer = { openid };
  }
  if (kind === "h5") {
    body.scene_info = {
      payer_client_ip: request.shopper.ip ?? "127.0.0.1",
      h5_info: { type: H5_SCENE_TYPES[request.shopper.device ?? "wap"] },
    };
  }
  return { ok: true, kind, body };
}

/** The domestic refund body; `total` is the original order amount, which WeChat checks. */
export function refundBody(
  order: { outTradeNo?: string | undefined; transactionId?: string | undefined; total: bigint },
  refund: { reference: string; amount: bigint },
  notifyUrl: string,
): Record<string, unknown> {
  return {
    ...(order.transactionId ? { transaction_id: order.transactionId } : { out_trade_no: order.outTradeNo }),
    out_refund_no: refund.reference,
    notify_url: notifyUrl,
    amount: { refund: Number(refund.amount), total: Number(order.total), currency: "CNY" },
  };
}
