import QRCode from "qrcode";
import type { ShopperAction } from "../connectors/contract.ts";
import { unixSeconds } from "../core/clock.ts";
import type { NextAction } from "../db/schema.ts";

/**
 * The `next_action` a page or an app needs for what the provider asked of the shopper. A QR code comes
 * with its image (a PNG data URL, so a page needs no QR library) and its expiry for a countdown.
 */
export async function toNextAction(
  action: ShopperAction,
  expiresAt: Date | null,
  returnUrl: string | null,
): Promise<NextAction> {
  const expires_at = expiresAt ? unixSeconds(expiresAt) : null;
  switch (action.type) {
    case "redirect_to_url":
      return { type: "redirect_to_url", redirect_to_url: { url: action.url, return_url: returnUrl } };
    case "display_qr_code":
      return {
        type: "display_qr_code",
        display_qr_code: {
          data: action.data,
          image_data_url: await qrCodeDataUrl(action.data),
          mobile_url: action.mobile_url ?? null,
          expires_at,
        },
      };
    case "wechat_pay_jsapi":
      return { type: "wechat_pay_jsapi", wechat_pay_jsapi: { ...action.params, expires_at } };
    case "wechat_pay_app":
      return { type: "wechat_pay_app", wechat_pay_app: { ...action.params, expires_at } };
    case "alipay_app":
      return { type: "alipay_app", alipay_app: { order_string: action.order_string, expires_at } };
    case "deep_link":
      return { type: "deep_link", deep_link: { url: action.url, expires_at } };
  }
}

/** Medium error correction and a one-module margin: scans from a phone screen at 256 px. */
export function qrCodeDataUrl(data: string): Promise<string> {
  return QRCode.toDataURL(data, { errorCorrectionLevel: "M", margin: 1, width: 256 });
}
