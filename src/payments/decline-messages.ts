import type { DeclineCode } from "../connectors/contract.ts";
import type { LastPaymentError } from "../db/schema.ts";

type Locale = "en" | "zh-CN" | "zh-TW";

/** Our decline code → the API's `code` (Stripe's vocabulary). */
const API_CODE: Record<DeclineCode, string> = {
  generic_decline: "card_declined",
  insufficient_funds: "card_declined",
  lost_card: "card_declined",
  stolen_card: "card_declined",
  do_not_honor: "card_declined",
  fraudulent: "card_declined",
  card_not_supported: "card_declined",
  currency_not_supported: "card_declined",
  expired_card: "expired_card",
  incorrect_cvc: "incorrect_cvc",
  processing_error: "processing_error",
  incorrect_number: "incorrect_number",
  authentication_required: "authentication_required",
  authentication_failed: "payment_intent_authentication_failure",
};

// Lost and stolen cards get the generic wording on purpose: telling a fraudster why helps them.
const MESSAGES: Record<DeclineCode, Record<Locale, string>> = {
  generic_decline: {
    en: "Your card was declined. Please use another card or contact your card issuer.",
    "zh-CN": "您的银行卡被拒绝。请使用其他银行卡，或联系您的发卡银行。",
    "zh-TW": "您的信用卡遭到拒絕。請使用其他卡片，或聯絡您的發卡銀行。",
  },
  do_not_honor: {
    en: "Your card was declined. Please use another card or contact your card issuer.",
    "zh-CN": "您的银行卡被拒绝。请使用其他银行卡，或联系您的发卡银行。",
    "zh-TW": "您的信用卡遭到拒絕。請使用其他卡片，或聯絡您的發卡銀行。",
  },
  fraudulent: {
    en: "Your card was declined. Please use another card or contact your card issuer.",
    "zh-CN": "您的银行卡被拒绝。请使用其他银行卡，或联系您的发卡银行。",
    "zh-TW": "您的信用卡遭到拒絕。請使用其他卡片，或聯絡您的發卡銀行。",
  },
  lost_card: {
    en: "Your card was declined. Please use another card or contact your card issuer.",
    "zh-CN": "您的银行卡被拒绝。请使用其他银行卡，或联系您的发卡银行。",
    "zh-TW": "您的信用卡遭到拒絕。請使用其他卡片，或聯絡您的發卡銀行。",
  },
  stolen_card: {
    en: "Your card was declined. Please use another card or contact your card issuer.",
    "zh-CN": "您的银行卡被拒绝。请使用其他银行卡，或联系您的发卡银行。",
    "zh-TW": "您的信用卡遭到拒絕。請使用其他卡片，或聯絡您的發卡銀行。",
  },
  insufficient_funds: {
    en: "Your card has insufficient funds. Please use another card or another payment method.",
    "zh-CN": "您的银行卡余额不足。请使用其他银行卡或其他支付方式。",
    "zh-TW": "您的卡片餘額不足。請使用其他卡片或其他付款方式。",
  },
  expired_card: {
    en: "Your card has expired. Please use another card.",
    "zh-CN": "您的银行卡已过期。请使用其他银行卡。",
    "zh-TW": "您的卡片已過期。請使用其他卡片。",
  },
  incorrect_cvc: {
    en: "Your card's security code is incorrect. Check the 3 or 4 digits on the card and try again.",
    "zh-CN": "您的银行卡安全码不正确。请核对卡上的 3 位或 4 位数字后重试。",
    "zh-TW": "您的卡片安全碼不正確。請核對卡片上的 3 或 4 位數字後再試一次。",
  },
  processing_error: {
    en: "An error occurred while processing your card. Please try again in a moment; you have not been charged.",
    "zh-CN": "处理您的银行卡时出错。请稍后重试，您未被扣款。",
    "zh-TW": "處理您的卡片時發生錯誤。請稍後再試，您並未被扣款。",
  },
  incorrect_number: {
    en: "Your card number is incorrect. Please check it and try again.",
    "zh-CN": "您的卡号不正确。请核对后重试。",
    "zh-TW": "您的卡號不正確。請核對後再試一次。",
  },
  authentication_required: {
    en: "Your bank needs you to confirm this payment. Please try again and complete the verification.",
    "zh-CN": "您的银行需要您确认此笔付款。请重试并完成验证。",
    "zh-TW": "您的銀行需要您確認此筆付款。請再試一次並完成驗證。",
  },
  authentication_failed: {
    en: "We could not verify this payment with your bank. Please try again or use another card.",
    "zh-CN": "无法通过您的银行验证此笔付款。请重试或使用其他银行卡。",
    "zh-TW": "無法透過您的銀行驗證此筆付款。請再試一次或使用其他卡片。",
  },
  card_not_supported: {
    en: "Your card does not support this type of purchase. Please use another card.",
    "zh-CN": "您的银行卡不支持此类消费。请使用其他银行卡。",
    "zh-TW": "您的卡片不支援此類消費。請使用其他卡片。",
  },
  currency_not_supported: {
    en: "Your card does not support this currency. Please use another card.",
    "zh-CN": "您的银行卡不支持该币种。请使用其他银行卡。",
    "zh-TW": "您的卡片不支援此幣別。請使用其他卡片。",
  },
};

/** Picks the best supported locale from an Accept-Language header (quality values honoured). */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return "en";
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag === "zh-tw" || tag === "zh-hk" || tag === "zh-mo" || tag.startsWith("zh-hant")) return "zh-TW";
    if (tag.startsWith("zh")) return "zh-CN";
    if (tag.startsWith("en")) return "en";
  }
  return "en";
}

export function declineError(code: DeclineCode, locale: Locale = "en"): LastPaymentError {
  const apiCode = API_CODE[code];
  return {
    type: "card_error",
    code: apiCode,
    ...(apiCode === "card_declined" ? { decline_code: code } : { decline_code: code }),
    message: MESSAGES[code][locale],
  };
}

export function localizeDecline(error: LastPaymentError, locale: Locale): LastPaymentError {
  const code = error.decline_code as DeclineCode | undefined;
  if (!code || !(code in MESSAGES)) return error;
  return { ...error, message: MESSAGES[code][locale] };
}
