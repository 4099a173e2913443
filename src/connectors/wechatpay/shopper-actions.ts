/**
 * What the shopper's side gets from a placed order: the Native code_url to draw as a QR code, the H5 page
 * with the return address WeChat sends the browser back to, or the parameters the merchant signs for the
 * WeChat client (JSAPI `wx.requestPayment`, the App SDK's `PayReq`).
 */
import type { KeyObject } from "node:crypto";
import type { ShopperAction } from "../contract.ts";
import type { OrderKind } from "./client.ts";
import { newNonce, signingMessage, signSha256Rsa, unixSeconds } from "./crypto.ts";

export interface ActionSigner {
  mchid: string;
  appid: string;
  privateKey: KeyObject;
}

function text(body: unknown, key: string): string | undefined {
  const value =
    body !== null && typeof body === "object" ? (body as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** WeChat documents appending `redirect_url` (URL-encoded) to h5_url; the browser comes back there. */
export function h5RedirectUrl(h5Url: string, returnUrl: string): string {
  const separator = h5Url.includes("?") ? "&" : "?";
  return `${h5Url}${separator}redirect_url=${encodeURIComponent(returnUrl)}`;
}

export function jsapiAction(
  signer: ActionSigner,
  prepayId: string,
  now: Date,
  nonce = newNonce(),
): ShopperAction {
  const timeStamp = String(unixSeconds(now));
  const pkg = `prepay_id=${prepayId}`;
  const paySign = signSha256Rsa(signingMessage(signer.appid, timeStamp, nonce, pkg), signer.privateKey);
  return {
    type: "wechat_pay_jsapi",
    params: { appId: signer.appid, timeStamp, nonceStr: nonce, package: pkg, signType: "RSA", paySign },
  };
}

export function appAction(
  signer: ActionSigner,
  prepayId: string,
  now: Date,
  nonce = newNonce(),
): ShopperAction {
  const timestamp = String(unixSeconds(now));
  const sign = signSha256Rsa(signingMessage(signer.appid, timestamp, nonce, prepayId), signer.privateKey);
  return {
    type: "wechat_pay_app",
    params: {
      appid: signer.appid,
      partnerid: signer.mchid,
      prepayid: prepayId,
      package: "Sign=WXPay",
      noncestr: nonce,
      timestamp,
      sign,
    },
  };
}

/** The action for a prepay answer, or null when the answer lacks what this kind of order returns. */
export function shopperAction(
  kind: OrderKind,
  answer: unknown,
  context: { signer: ActionSigner; returnUrl: string; now: Date },
): ShopperAction | null {
  if (kind === "native") {
    const codeUrl = text(answer, "code_url");
    return codeUrl ? { type: "display_qr_code", data: codeUrl } : null;
  }
  if (kind === "h5") {
    const h5Url = text(answer, "h5_url");
    return h5Url ? { type: "redirect_to_url", url: h5RedirectUrl(h5Url, context.returnUrl) } : null;
  }
  const prepayId = text(answer, "prepay_id");
  if (!prepayId) return null;
  return kind === "jsapi"
    ? jsapiAction(context.signer, prepayId, context.now)
    : appAction(context.signer, prepayId, context.now);
}
