import { messages as ar } from "../../web/checkout/src/i18n/messages/ar.ts";
import { messages as de } from "../../web/checkout/src/i18n/messages/de.ts";
import { messages as en, type MessageKey, type Messages } from "../../web/checkout/src/i18n/messages/en.ts";
import { messages as es } from "../../web/checkout/src/i18n/messages/es.ts";
import { messages as fr } from "../../web/checkout/src/i18n/messages/fr.ts";
import { messages as id } from "../../web/checkout/src/i18n/messages/id.ts";
import { messages as ja } from "../../web/checkout/src/i18n/messages/ja.ts";
import { messages as ko } from "../../web/checkout/src/i18n/messages/ko.ts";
import { messages as ms } from "../../web/checkout/src/i18n/messages/ms.ts";
import { messages as nl } from "../../web/checkout/src/i18n/messages/nl.ts";
import { messages as th } from "../../web/checkout/src/i18n/messages/th.ts";
import { messages as vi } from "../../web/checkout/src/i18n/messages/vi.ts";
import { messages as zhCN } from "../../web/checkout/src/i18n/messages/zh-CN.ts";
import { messages as zhTW } from "../../web/checkout/src/i18n/messages/zh-TW.ts";
import type { CheckoutLocale } from "./view-types.ts";

/**
 * Every language's strings on the server: the page gets its language's catalog inlined in its HTML (no
 * script chunk to load, so every script keeps its integrity hash), and errors are worded here.
 */
export const CATALOGS: Record<CheckoutLocale, Messages> = {
  en,
  "zh-CN": zhCN,
  "zh-TW": zhTW,
  ja,
  ko,
  th,
  ms,
  id,
  vi,
  nl,
  de,
  fr,
  es,
  ar,
};

export function translate(
  locale: CheckoutLocale,
  key: MessageKey,
  vars: Record<string, string> = {},
): string {
  const template = CATALOGS[locale][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

const METHOD_KEYS: Record<string, MessageKey> = {
  card: "method.card",
  apple_pay: "method.apple_pay",
  google_pay: "method.google_pay",
  alipay: "method.alipay",
  wechat_pay: "method.wechat_pay",
  paypal: "method.paypal",
  ideal: "method.ideal",
  grabpay: "method.grabpay",
  crypto: "method.crypto",
};

const DECLINE_KEYS: Record<string, MessageKey> = {
  insufficient_funds: "error.insufficient_funds",
  expired_card: "error.expired_card",
  incorrect_cvc: "error.incorrect_cvc",
  incorrect_number: "error.incorrect_number",
  processing_error: "error.processing_error",
  authentication_failed: "error.authentication_failed",
  authentication_required: "error.authentication_failed",
  card_not_supported: "error.card_not_supported",
  currency_not_supported: "error.currency_not_supported",
};

/**
 * The shopper's message for a failed attempt: the specific remedy for each decline code, generic on
 * purpose for lost, stolen and fraud-flagged cards (telling a fraudster why helps them).
 */
export function shopperErrorMessage(
  locale: CheckoutLocale,
  error: { code?: string | null; decline_code?: string | null },
  methodType: string | null,
): string {
  const code = error.decline_code ?? error.code ?? "";
  const key = DECLINE_KEYS[code] ?? DECLINE_KEYS[error.code ?? ""];
  if (key) return translate(locale, key);
  if (methodType && methodType !== "card" && METHOD_KEYS[methodType])
    return translate(locale, "error.method_declined", { method: translate(locale, METHOD_KEYS[methodType]) });
  if (error.code === "payment_intent_authentication_failure")
    return translate(locale, "error.authentication_failed");
  return translate(locale, "error.card_declined");
}
