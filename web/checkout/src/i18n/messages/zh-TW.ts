import type { Messages } from "./en.ts";

/** Traditional Chinese, in Taiwan usage (also served to Hong Kong and Macau). */
export const messages: Messages = {
  // Page frame
  "page.title": "付款給 {merchant}",
  "page.total": "總計",
  "page.test_mode": "測試模式 — 不會實際扣款",
  "page.language": "語言",
  "page.secure_note": "付款資料經過加密，並由 Payrail 處理。商店不會看到您的卡號。",
  "page.help": "付款說明",
  "page.back_to_shop": "返回 {merchant}",
  "page.quantity": "數量：{quantity}",
  "fx.show_in": "以此貨幣顯示總額",
  "fx.quote": "≈ {amount}（1 {from} = {rate} {to}，匯率鎖定至 {time}）。實際扣款 {charged}。",

  // Method picker
  "methods.heading": "付款方式",
  "method.card": "信用卡",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "支付寶",
  "method.wechat_pay": "微信支付",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "加密貨幣",

  // Card fields
  "card.number": "卡號",
  "card.expiry": "有效期限（MM / YY）",
  "card.cvc": "安全碼（CVC）",
  "card.cvc_hint": "卡片背面的 3 位數字；American Express 為正面的 4 位數字",
  "card.name": "持卡人姓名",
  "card.brand_detected": "已辨識卡別：{brand}",
  "card.save": "儲存這張卡片，下次付款更方便",
  "card.invalid_number": "卡號無效，請檢查號碼是否正確。",
  "card.incomplete_number": "卡號不完整。",
  "card.invalid_expiry": "有效期限無效，請以 MM / YY 格式輸入。",
  "card.expired": "這張卡片已過期，請改用其他卡片。",
  "card.invalid_cvc": "安全碼不完整。",
  "card.unsupported_brand": "這裡不接受此卡別，請改用其他卡片。",

  // Saved cards and passkeys
  "saved.heading": "您儲存的卡片",
  "saved.card": "{brand}，末四碼 {last4}，有效期限 {month}/{year}",
  "saved.use_new": "使用新卡片",
  "saved.confirm_with_passkey": "使用密碼金鑰付款",
  "saved.confirm_with_cvc": "輸入安全碼以付款",
  "passkey.offer_title": "下次付款更快速",
  "passkey.offer_body": "建立密碼金鑰後，日後可用指紋、臉部辨識或螢幕鎖定確認付款。",
  "passkey.create": "建立密碼金鑰",
  "passkey.created": "已建立密碼金鑰。下次輕觸一下即可付款。",
  "passkey.not_now": "稍後再說",
  "passkey.failed": "無法使用密碼金鑰，請改為輸入卡片的安全碼。",

  // Buttons
  "pay.button": "支付 {amount}",
  "pay.with": "使用 {method} 繼續",
  "pay.cancel": "取消並返回商店",
  "pay.try_again": "再試一次",
  "pay.choose_other": "選擇其他付款方式",

  // Progress
  "progress.paying": "付款中…",
  "progress.confirming": "正在向您的銀行確認…",
  "progress.waiting_provider": "正在等待 {method} 確認…",
  "progress.paid": "已付款",
  "progress.redirecting": "正在帶您返回商店…",
  "progress.authenticating": "您的銀行需要確認是您本人。",
  "progress.resumed": "我們找到您處理中的付款，正在查詢狀態。",

  // QR and redirect flows
  "qr.scan": "使用 {method} 掃描付款",
  "qr.expires_in": "{time} 後失效",
  "qr.expired": "此 QR 碼已失效。請選擇付款方式以取得新的 QR 碼。",
  "qr.open_app": "開啟 {method}",
  "redirect.notice": "您將前往 {method} 核准付款，完成後會再回到此頁面。",
  "redirect.continue": "前往 {method}",
  "threeds.title": "銀行身分驗證",

  // Outcomes
  "outcome.succeeded": "付款成功，謝謝！",
  "outcome.processing": "我們正在向您的銀行確認，不會重複扣款。",
  "outcome.canceled": "這筆付款已取消，未產生任何扣款。",
  "outcome.expired": "這筆付款未在期限內完成，未產生任何扣款。",
  "outcome.session_expired": "此付款頁面已逾期。請返回商店重新開始。",

  // Errors
  "error.card_declined": "您的卡片遭到拒絕。請改用其他卡片，或聯絡發卡銀行。",
  "error.insufficient_funds": "卡片餘額或額度不足。請改用其他卡片或其他付款方式。",
  "error.expired_card": "您的卡片已過期，請改用其他卡片。",
  "error.incorrect_cvc": "安全碼不正確。請檢查這 3 或 4 位數字後再試一次。",
  "error.incorrect_number": "卡號不正確。請檢查後再試一次。",
  "error.processing_error": "您的銀行暫時無法處理這筆付款。請稍後再試。",
  "error.authentication_failed": "您的銀行無法確認是您本人。請再試一次，或改用其他卡片。",
  "error.card_not_supported": "這張卡片不支援此類消費。請改用其他卡片。",
  "error.currency_not_supported": "這張卡片無法以此幣別付款。請改用其他卡片。",
  "error.method_declined": "{method} 拒絕了這筆付款。請選擇其他付款方式。",
  "error.timeout": "我們正在向您的銀行確認，不會重複扣款。",
  "error.network": "連線中斷。您的付款很安全，我們正在查詢狀態。",
  "error.rate_limited": "嘗試次數過多。請等候一分鐘後再試。",
  "error.generic": "我們這邊發生問題。您並未被扣款，請再試一次。",
  "error.help_link": "為什麼會這樣？",

  // Accessibility
  "a11y.required": "必填",
  "a11y.loading": "載入中",
  "a11y.close": "關閉",
};
