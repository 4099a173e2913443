/**
 * Which payment methods the checkout page offers, in which order and through which channel, from what the
 * server knows about the shopper: the User-Agent (device, in-app browser), the country (session, edge
 * header, Accept-Language) and the intent's currency. Pure functions.
 */
import type { ShopperChannel } from "../connectors/contract.ts";
import { PAYPAL_CURRENCIES } from "../connectors/paypal/amounts.ts";
import type { CheckoutFlow, CheckoutMethod, CheckoutMethodType, ShopperDevice } from "./view-types.ts";

export type InAppBrowser = "wechat" | "alipay" | "other";

const WECHAT_UA = /MicroMessenger/i;
const ALIPAY_UA = /AlipayClient/i;
/**
 * Other apps' embedded browsers: Facebook (FBAN/FBAV/FB_IAB), Instagram, LINE, Grab, and any Android
 * WebView (`; wv)` in the platform part of the User-Agent).
 */
const OTHER_IN_APP_UA = [/FBAN|FBAV|FB_IAB/, /Instagram/, /\bLine\//i, /\bGrab(?:Pay)?\//i, /; wv\)/];
/** Phones and tablets: pay apps live on them, and a QR code shown on the same screen cannot be scanned. */
const MOBILE_UA = /iPhone|iPod|iPad|Android|Mobile/;

/** The in-app browser the page runs in, or null in an ordinary browser. */
export function inAppOf(userAgent: string | undefined): InAppBrowser | null {
  if (!userAgent) return null;
  if (WECHAT_UA.test(userAgent)) return "wechat";
  if (ALIPAY_UA.test(userAgent)) return "alipay";
  return OTHER_IN_APP_UA.some((pattern) => pattern.test(userAgent)) ? "other" : null;
}

/**
 * "in_app" inside another app's browser, "mobile" on phones and tablets (iPadOS Safari, which says
 * Macintosh, counts as desktop), "desktop" otherwise and when there is no User-Agent.
 */
export function detectDevice(userAgent: string | undefined): ShopperDevice {
  if (!userAgent) return "desktop";
  if (inAppOf(userAgent)) return "in_app";
  return MOBILE_UA.test(userAgent) ? "mobile" : "desktop";
}

const ALPHA_2 = /^[A-Za-z]{2}$/;
/** Cloudflare's CF-IPCountry values that are no country: unknown (XX) and Tor (T1). */
const NOT_COUNTRIES = new Set(["XX", "T1"]);

/**
 * The shopper's country (ISO 3166-1 alpha-2, upper case) or null: the session's country when the
 * merchant set one, then a trusted edge header (CF-IPCountry and the like), then the region of the
 * most preferred Accept-Language tag that names one ("zh-CN", "zh-Hans-CN", "en-SG"). A language alone
 * ("nl", "zh-Hans") says nothing about where the shopper is, and numeric regions ("es-419") are no country.
 */
export function shopperCountry(input: {
  countryHeader?: string | undefined;
  acceptLanguage?: string | undefined;
  sessionCountry?: string | null;
}): string | null {
  const session = input.sessionCountry?.trim();
  if (session && ALPHA_2.test(session)) return session.toUpperCase();
  const header = input.countryHeader?.trim().toUpperCase();
  if (header && ALPHA_2.test(header) && !NOT_COUNTRIES.has(header)) return header;
  for (const tag of languageTags(input.acceptLanguage)) {
    const region = tag
      .split("-")
      .slice(1)
      .find((subtag) => ALPHA_2.test(subtag));
    if (region) return region.toUpperCase();
  }
  return null;
}

/** Accept-Language's tags, most preferred first (by q, then by position); q=0 tags dropped. */
function languageTags(header: string | undefined): string[] {
  if (!header) return [];
  const tags: Array<{ tag: string; q: number; at: number }> = [];
  for (const [at, part] of header.split(",").entries()) {
    const [tag, ...params] = part.trim().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (tag && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) && Number.isFinite(q) && q > 0) {
      tags.push({ tag, q, at });
    }
  }
  return tags.sort((a, b) => b.q - a.q || a.at - b.at).map((t) => t.tag);
}

/**
 * Currencies Alipay and WeChat Pay take from shoppers abroad (their cross-border acquiring settles these
 * to the merchant; the shopper pays in CNY). Note: Payrail's built-in Alipay and WeChat Pay connectors
 * send CNY only, so with them other currencies fail at confirm time unless the merchant's routing sends
 * the method to an acquirer that takes them.
 */
export const CHINESE_WALLET_CURRENCIES: readonly string[] = [
  "CNY",
  "USD",
  "EUR",
  "GBP",
  "HKD",
  "SGD",
  "JPY",
  "AUD",
  "CAD",
  "NZD",
  "CHF",
  "KRW",
  "THB",
  "SEK",
  "DKK",
  "NOK",
];

/** GrabPay Online's markets' currencies: Singapore, Malaysia, the Philippines, Thailand, Vietnam, Indonesia. */
export const GRABPAY_CURRENCIES: readonly string[] = ["SGD", "MYR", "PHP", "THB", "VND", "IDR"];

const PAYPAL = new Set(PAYPAL_CURRENCIES.map((c) => c.toUpperCase()));

/** Whether a method can take the currency at all. Cards, wallets and crypto (converted by BTCPay) take any. */
function fitsCurrency(type: CheckoutMethodType, currency: string): boolean {
  switch (type) {
    case "ideal":
      return currency === "EUR";
    case "alipay":
    case "wechat_pay":
      return CHINESE_WALLET_CURRENCIES.includes(currency);
    case "grabpay":
      return GRABPAY_CURRENCIES.includes(currency);
    case "paypal":
      return PAYPAL.has(currency);
    case "card":
    case "apple_pay":
    case "google_pay":
    case "crypto":
      return true;
  }
}

/** Where each country's shoppers expect to pay first. */
const LOCAL_FIRST: Record<string, readonly CheckoutMethodType[]> = {
  CN: ["alipay", "wechat_pay"],
  NL: ["ideal"],
  SG: ["grabpay"],
  MY: ["grabpay"],
  PH: ["grabpay"],
  TH: ["grabpay"],
  VN: ["grabpay"],
  ID: ["grabpay"],
};

/** The order after the shopper's local methods: wallets, card, PayPal, other local methods, crypto last. */
const DEFAULT_ORDER: readonly CheckoutMethodType[] = [
  "apple_pay",
  "google_pay",
  "card",
  "paypal",
  "alipay",
  "wechat_pay",
  "ideal",
  "grabpay",
  "crypto",
];

/**
 * How the page completes a method on this device, with the `channel` the confirm sends (the API's
 * ShopperChannel values):
 * - Alipay: on a desktop, a QR code on our page (`qr`, precreate); on phones and in apps, Alipay's mobile
 *   page (`mobile_web`, wap pay), which opens the Alipay app or runs inside it.
 * - WeChat Pay: on a desktop, a Native QR code (`qr`); in a mobile browser, H5 (`mobile_web`). Inside WeChat,
 *   H5 is refused by WeChat and JSAPI (`in_app`) needs the shopper's openid, which the page does not have, so
 *   the page shows the Native QR code for the shopper to long-press and recognise.
 * - PayPal, iDEAL, GrabPay, crypto: a redirect to the provider's page (`web` on a desktop, `mobile_web`).
 */
function methodFor(
  type: CheckoutMethodType,
  device: ShopperDevice,
  inApp: InAppBrowser | null,
): CheckoutMethod {
  const via = (flow: CheckoutFlow, channel: ShopperChannel): CheckoutMethod => ({ type, flow, channel });
  const desktop = device === "desktop";
  switch (type) {
    case "card":
      return { type, flow: "card_fields" };
    case "apple_pay":
    case "google_pay":
      return { type, flow: "wallet", needs_browser_support: true };
    case "alipay":
      return desktop ? via("qr_code", "qr") : via("redirect", "mobile_web");
    case "wechat_pay":
      return desktop || inApp === "wechat" ? via("qr_code", "qr") : via("redirect", "mobile_web");
    case "paypal":
    case "ideal":
    case "grabpay":
    case "crypto":
      return via("redirect", desktop ? "web" : "mobile_web");
  }
}

export interface OrderMethodsInput {
  /** The methods the intent allows (payment_method_types that have a connector). */
  enabled: CheckoutMethodType[];
  /** ISO 4217, any case. */
  currency: string;
  /** Integer minor units. No method here has amount limits yet; kept for those that will. */
  amount: number;
  /** ISO 3166-1 alpha-2 (see shopperCountry), or null when unknown. */
  country: string | null;
  device: ShopperDevice;
  inApp: InAppBrowser | null;
  /**
   * The merchant's own order: it replaces the default order (methods it leaves out follow in the default
   * order); filtering still applies.
   */
  merchantOrder?: CheckoutMethodType[] | null;
}

/**
 * The methods to show, best first.
 *
 * Filtering (always applies, merchant order or not): each method must take the currency (iDEAL only EUR,
 * GrabPay only its markets' currencies, Alipay and WeChat Pay CHINESE_WALLET_CURRENCIES, PayPal its REST
 * currencies), and inside WeChat Alipay is hidden (WeChat blocks Alipay's pages).
 *
 * Default order: the in-app browser's own wallet first (WeChat Pay in WeChat, Alipay in Alipay), then the
 * shopper's country's local methods (CN: Alipay, WeChat Pay; NL: iDEAL; SG, MY, PH, TH, VN, ID: GrabPay),
 * then Apple Pay, Google Pay, card, PayPal, the other local methods, and crypto last. A merchant order goes
 * before all of that, the in-app wallet included.
 */
export function orderMethods(input: OrderMethodsInput): CheckoutMethod[] {
  const currency = input.currency.toUpperCase();
  const enabled = new Set(input.enabled);
  const shown = (type: CheckoutMethodType): boolean =>
    enabled.has(type) && fitsCurrency(type, currency) && !(type === "alipay" && input.inApp === "wechat");

  const defaults: CheckoutMethodType[] = [];
  if (input.inApp === "wechat") defaults.push("wechat_pay");
  if (input.inApp === "alipay") defaults.push("alipay");
  defaults.push(...(LOCAL_FIRST[input.country?.toUpperCase() ?? ""] ?? []), ...DEFAULT_ORDER);

  const order = new Set<CheckoutMethodType>();
  for (const type of [...(input.merchantOrder ?? []), ...defaults]) if (shown(type)) order.add(type);
  return [...order].map((type) => methodFor(type, input.device, input.inApp));
}
