/** What Payrail sends Alipay: the order for each shopper channel, and which trade a call is about. */
import type { LocalPaymentRequest, ShopperChannel } from "../contract.ts";
import { beijingDateTime, toYuan } from "./amounts.ts";

export interface ChannelMethod {
  method: string;
  productCode?: string;
}

/** Alipay's method (and product code) per shopper channel; `in_app` has none here. */
export const CHANNEL_METHODS: Partial<Record<ShopperChannel, ChannelMethod>> = {
  web: { method: "alipay.trade.page.pay", productCode: "FAST_INSTANT_TRADE_PAY" },
  mobile_web: { method: "alipay.trade.wap.pay", productCode: "QUICK_WAP_WAY" },
  app: { method: "alipay.trade.app.pay", productCode: "QUICK_MSECURITY_PAY" },
  qr: { method: "alipay.trade.precreate" },
};

const MAX_SUBJECT_LENGTH = 256;

/** Alipay's subject: at most 256 characters, and Alipay's documentation forbids `/`, `=` and `&`. */
export function subjectOf(description: string): string {
  const cleaned = description.replace(/[/=&]/g, " ").replace(/\s+/g, " ").trim();
  return [...(cleaned || "Payment")].slice(0, MAX_SUBJECT_LENGTH).join("");
}

export function orderBiz(request: LocalPaymentRequest, channel: ChannelMethod): Record<string, string> {
  const biz: Record<string, string> = {
    out_trade_no: request.reference,
    total_amount: toYuan(request.amount, request.currency),
    subject: subjectOf(request.description),
    time_expire: beijingDateTime(request.expiresAt),
  };
  if (channel.productCode) biz.product_code = channel.productCode;
  // Where an abandoning mobile shopper goes: Payrail's return route asks Alipay what happened.
  if (channel.method === "alipay.trade.wap.pay") biz.quit_url = request.returnUrl;
  return biz;
}

/**
 * A trade is named by Alipay's trade_no (all digits) or by our out_trade_no (Payrail references always
 * carry a letter prefix, like `pi_..._a1`), so a connector reference tells which one it is.
 */
export function tradeSelector(connectorReference: string): { trade_no: string } | { out_trade_no: string } {
  return /^\d+$/.test(connectorReference)
    ? { trade_no: connectorReference }
    : { out_trade_no: connectorReference };
}

/** The deep link that opens a QR order in the Alipay app on the shopper's phone. */
export function alipayAppLink(qrCode: string): string {
  return `alipays://platformapi/startapp?saId=10000007&qrcode=${encodeURIComponent(qrCode)}`;
}
