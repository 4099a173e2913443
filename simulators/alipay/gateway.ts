/**
 * The gateway's checks common to every method, in Alipay's order: method, app_id, signature fields,
 * charset/format/timestamp/version, then the RSA2 signature over the canonical string (only `sign`
 * left out), then biz_content as a JSON object.
 */
import { parseBeijingDateTime } from "./clock.ts";
import type { Context } from "./context.ts";
import { type AlipayError, errors } from "./errors.ts";
import { isSupportedCharset } from "./form.ts";
import { canonicalString, REQUEST_UNSIGNED_KEYS, verifyParams } from "./signing.ts";
import type { App } from "./store.ts";

export const API_METHODS = [
  "alipay.trade.precreate",
  "alipay.trade.query",
  "alipay.trade.refund",
  "alipay.trade.fastpay.refund.query",
  "alipay.trade.close",
  "alipay.data.dataservice.bill.downloadurl.query",
] as const;
export const PAGE_METHODS = ["alipay.trade.page.pay", "alipay.trade.wap.pay"] as const;
export const APP_METHOD = "alipay.trade.app.pay";

export type ApiMethod = (typeof API_METHODS)[number];
export type PageMethod = (typeof PAGE_METHODS)[number];

export type Biz = Record<string, unknown>;

export type Checked = { ok: true; app: App; biz: Biz } | { ok: false; error: AlipayError };

export function checkCommon(ctx: Context, params: Readonly<Record<string, string>>): Checked {
  const fail = (error: AlipayError): Checked => ({ ok: false, error });
  if (!params.app_id) return fail(errors.missingAppId());
  const app = ctx.store.apps.get(params.app_id);
  if (!app) return fail(errors.invalidAppId());
  if (!params.sign) return fail(errors.missingSignature());
  if (!params.sign_type) return fail(errors.missingSignType());
  if (params.sign_type !== "RSA2") return fail(errors.invalidSignType());
  if (params.charset !== undefined && !isSupportedCharset(params.charset))
    return fail(errors.invalidCharset());
  if (params.format !== undefined && params.format.toLowerCase() !== "json")
    return fail(errors.invalidFormat());
  if (!params.timestamp) return fail(errors.missingTimestamp());
  if (parseBeijingDateTime(params.timestamp) === null) return fail(errors.invalidTimestamp());
  if (!params.version) return fail(errors.missingVersion());
  if (params.version !== "1.0") return fail(errors.invalidVersion());
  if (!verifyParams(params, app.publicKey, REQUEST_UNSIGNED_KEYS)) {
    return fail(errors.invalidSignature(canonicalString(params, REQUEST_UNSIGNED_KEYS)));
  }
  let biz: unknown = {};
  if (params.biz_content) {
    try {
      biz = JSON.parse(params.biz_content);
    } catch {
      return fail(errors.invalidParameter("biz_content"));
    }
  }
  if (typeof biz !== "object" || biz === null || Array.isArray(biz)) {
    return fail(errors.invalidParameter("biz_content"));
  }
  return { ok: true, app, biz: biz as Biz };
}

/** A biz_content field that must be a string (numbers are accepted and stringified, as Alipay does). */
export function bizString(biz: Biz, key: string): string | undefined {
  const value = biz[key];
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}
