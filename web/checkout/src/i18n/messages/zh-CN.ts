import type { Messages } from "./en.ts";

/** Simplified Chinese (mainland China, Singapore, Malaysia). */
export const messages: Messages = {
  // Page frame
  "page.title": "向 {merchant} 付款",
  "page.total": "总计",
  "page.test_mode": "测试模式 — 不会产生真实扣款",
  "page.language": "语言",
  "page.secure_note": "付款信息经过加密，由 Payrail 处理。商家不会看到您的卡号。",
  "page.help": "付款帮助",
  "page.back_to_shop": "返回 {merchant}",
  "page.quantity": "数量：{quantity}",
  "fx.show_in": "显示总额的货币",
  "fx.quote": "≈ {amount}（1 {from} = {rate} {to}，汇率锁定至 {time}）。实际扣款 {charged}。",

  // Method picker
  "methods.heading": "付款方式",
  "method.card": "银行卡",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "支付宝",
  "method.wechat_pay": "微信支付",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "加密货币",

  // Card fields
  "card.number": "卡号",
  "card.expiry": "有效期（MM / YY）",
  "card.cvc": "安全码（CVC）",
  "card.cvc_hint": "卡背面的 3 位数字；American Express 卡为正面的 4 位数字",
  "card.name": "持卡人姓名",
  "card.brand_detected": "已识别卡组织：{brand}",
  "card.save": "保存此卡，方便下次使用",
  "card.invalid_number": "卡号无效，请检查数字是否正确。",
  "card.incomplete_number": "卡号不完整。",
  "card.invalid_expiry": "有效期无效，请按 MM / YY 格式填写。",
  "card.expired": "此卡已过期，请换用其他卡。",
  "card.invalid_cvc": "安全码不完整。",
  "card.unsupported_brand": "此处不支持该卡组织的卡，请换用其他卡。",

  // Saved cards and passkeys
  "saved.heading": "已保存的卡",
  "saved.card": "{brand}，尾号 {last4}，有效期至 {month}/{year}",
  "saved.use_new": "使用新卡",
  "saved.confirm_with_passkey": "使用通行密钥付款",
  "saved.confirm_with_cvc": "输入安全码以付款",
  "passkey.offer_title": "下次付款更快捷",
  "passkey.offer_body": "创建通行密钥后，以后可以用指纹、面容或屏幕锁确认付款。",
  "passkey.create": "创建通行密钥",
  "passkey.created": "通行密钥已创建。下次轻触一下即可付款。",
  "passkey.not_now": "以后再说",
  "passkey.failed": "无法使用通行密钥，请改为输入卡的安全码。",

  // Buttons
  "pay.button": "支付 {amount}",
  "pay.with": "使用 {method} 继续",
  "pay.cancel": "取消并返回商家",
  "pay.try_again": "重试",
  "pay.choose_other": "选择其他付款方式",

  // Progress
  "progress.paying": "正在付款…",
  "progress.confirming": "正在与您的银行确认…",
  "progress.waiting_provider": "正在等待 {method} 确认…",
  "progress.paid": "已付款",
  "progress.redirecting": "正在返回商家…",
  "progress.authenticating": "您的银行需要验证是否为您本人操作。",
  "progress.resumed": "我们找到了您正在处理中的付款，正在查询其状态。",

  // QR and redirect flows
  "qr.scan": "使用 {method} 扫码付款",
  "qr.expires_in": "{time} 后过期",
  "qr.expired": "此二维码已过期。请选择付款方式以获取新的二维码。",
  "qr.open_app": "打开 {method}",
  "redirect.notice": "您将跳转到 {method} 确认付款，完成后会回到此页面。",
  "redirect.continue": "前往 {method}",
  "threeds.title": "银行验证",

  // Outcomes
  "outcome.succeeded": "付款成功，谢谢！",
  "outcome.processing": "我们正在与您的银行确认，不会重复扣款。",
  "outcome.canceled": "此笔付款已取消，未产生任何扣款。",
  "outcome.expired": "此笔付款未在有效期内完成，未产生任何扣款。",
  "outcome.session_expired": "此付款页面已过期。请返回商家重新下单。",

  // Errors
  "error.card_declined": "您的卡被拒绝。请换用其他卡，或联系发卡银行。",
  "error.insufficient_funds": "卡内余额或额度不足。请换用其他卡或其他付款方式。",
  "error.expired_card": "您的卡已过期，请换用其他卡。",
  "error.incorrect_cvc": "安全码不正确。请核对这 3 位或 4 位数字后重试。",
  "error.incorrect_number": "卡号不正确。请核对后重试。",
  "error.processing_error": "您的银行暂时无法处理此笔付款。请稍后重试。",
  "error.authentication_failed": "您的银行未能验证您的身份。请重试或换用其他卡。",
  "error.card_not_supported": "此卡不支持此类消费。请换用其他卡。",
  "error.currency_not_supported": "此卡无法以该币种付款。请换用其他卡。",
  "error.method_declined": "{method} 拒绝了此笔付款。请选择其他付款方式。",
  "error.timeout": "我们正在与您的银行确认，不会重复扣款。",
  "error.network": "网络连接中断。您的付款是安全的，我们正在查询其状态。",
  "error.rate_limited": "尝试次数过多。请等待一分钟后重试。",
  "error.generic": "我们这边出了点问题。您未被扣款，请重试。",
  "error.help_link": "为什么会这样？",

  // Accessibility
  "a11y.required": "必填",
  "a11y.loading": "正在加载",
  "a11y.close": "关闭",
};
