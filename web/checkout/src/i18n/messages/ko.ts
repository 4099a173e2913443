import type { Messages } from "./en.ts";

/** Korean. */
export const messages: Messages = {
  // Page frame
  "page.title": "{merchant} 결제",
  "page.total": "합계",
  "page.test_mode": "테스트 모드 — 실제로 결제되지 않습니다",
  "page.language": "언어",
  "page.secure_note":
    "결제 정보는 암호화되어 Payrail에서 처리합니다. 상점에는 카드 번호가 공개되지 않습니다.",
  "page.help": "결제 도움말",
  "page.back_to_shop": "{merchant}(으)로 돌아가기",
  "page.quantity": "수량 {quantity}",
  "fx.show_in": "총액 표시 통화",
  "fx.quote": "≈ {amount} (1 {from} = {rate} {to}, {time}까지 환율 고정). 결제 금액은 {charged}입니다.",

  // Method picker
  "methods.heading": "결제 수단",
  "method.card": "카드",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "Alipay",
  "method.wechat_pay": "WeChat Pay",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "암호화폐",

  // Card fields
  "card.number": "카드 번호",
  "card.expiry": "유효기간 (MM / YY)",
  "card.cvc": "보안 코드 (CVC)",
  "card.cvc_hint": "카드 뒷면의 숫자 3자리(American Express는 앞면의 4자리)",
  "card.name": "카드 소유자 이름",
  "card.brand_detected": "인식된 카드: {brand}",
  "card.save": "다음 결제를 위해 이 카드 저장",
  "card.invalid_number": "유효하지 않은 카드 번호입니다. 숫자를 확인하세요.",
  "card.incomplete_number": "카드 번호를 끝까지 입력하세요.",
  "card.invalid_expiry": "유효기간이 올바르지 않습니다. MM / YY 형식으로 입력하세요.",
  "card.expired": "유효기간이 지난 카드입니다. 다른 카드를 사용하세요.",
  "card.invalid_cvc": "보안 코드를 끝까지 입력하세요.",
  "card.unsupported_brand": "이 카드 브랜드는 사용할 수 없습니다. 다른 카드를 사용하세요.",

  // Saved cards and passkeys
  "saved.heading": "저장된 카드",
  "saved.card": "{brand} 끝자리 {last4}, 유효기간 {month}/{year}",
  "saved.use_new": "새 카드 사용",
  "saved.confirm_with_passkey": "패스키로 결제",
  "saved.confirm_with_cvc": "보안 코드를 입력하고 결제하세요",
  "passkey.offer_title": "다음에는 더 빠르게 결제하세요",
  "passkey.offer_body":
    "패스키를 만들면 다음부터 지문, 얼굴 인식 또는 화면 잠금으로 결제를 확인할 수 있습니다.",
  "passkey.create": "패스키 만들기",
  "passkey.created": "패스키를 만들었습니다. 다음에는 한 번의 터치로 결제하세요.",
  "passkey.not_now": "나중에",
  "passkey.failed": "패스키를 사용할 수 없습니다. 대신 카드 보안 코드를 입력하세요.",

  // Buttons
  "pay.button": "{amount} 결제",
  "pay.with": "{method}(으)로 계속",
  "pay.cancel": "취소하고 상점으로 돌아가기",
  "pay.try_again": "다시 시도",
  "pay.choose_other": "다른 결제 수단 선택",

  // Progress
  "progress.paying": "결제 중…",
  "progress.confirming": "은행에 확인하는 중…",
  "progress.waiting_provider": "{method}의 확인을 기다리는 중…",
  "progress.paid": "결제 완료",
  "progress.redirecting": "상점으로 돌아가는 중…",
  "progress.authenticating": "은행에서 본인 확인을 요청했습니다.",
  "progress.resumed": "진행 중이던 결제를 찾았습니다. 지금 상태를 확인하고 있습니다.",

  // QR and redirect flows
  "qr.scan": "{method}(으)로 스캔하여 결제하세요",
  "qr.expires_in": "{time} 후 만료",
  "qr.expired": "QR 코드가 만료되었습니다. 결제 수단을 선택하면 새 코드를 받을 수 있습니다.",
  "qr.open_app": "{method} 열기",
  "redirect.notice": "{method}(으)로 이동해 결제를 승인한 뒤 이 페이지로 돌아옵니다.",
  "redirect.continue": "{method}(으)로 이동",
  "threeds.title": "은행 본인 확인",

  // Outcomes
  "outcome.succeeded": "결제가 완료되었습니다. 감사합니다!",
  "outcome.processing": "은행에 확인하고 있습니다. 중복으로 청구되지 않습니다.",
  "outcome.canceled": "결제가 취소되었습니다. 청구된 금액은 없습니다.",
  "outcome.expired": "결제가 완료되기 전에 만료되었습니다. 청구된 금액은 없습니다.",
  "outcome.session_expired": "결제 페이지가 만료되었습니다. 상점으로 돌아가 다시 시작하세요.",

  // Errors
  "error.card_declined": "카드 결제가 거절되었습니다. 다른 카드를 사용하거나 카드사에 문의하세요.",
  "error.insufficient_funds": "카드 잔액 또는 한도가 부족합니다. 다른 카드나 다른 결제 수단을 사용하세요.",
  "error.expired_card": "카드 유효기간이 지났습니다. 다른 카드를 사용하세요.",
  "error.incorrect_cvc": "보안 코드가 올바르지 않습니다. 숫자 3자리 또는 4자리를 확인한 후 다시 시도하세요.",
  "error.incorrect_number": "카드 번호가 올바르지 않습니다. 확인한 후 다시 시도하세요.",
  "error.processing_error": "은행에서 결제를 처리하지 못했습니다. 잠시 후 다시 시도하세요.",
  "error.authentication_failed":
    "은행에서 본인 확인을 완료하지 못했습니다. 다시 시도하거나 다른 카드를 사용하세요.",
  "error.card_not_supported": "이 카드는 이 유형의 결제를 지원하지 않습니다. 다른 카드를 사용하세요.",
  "error.currency_not_supported": "이 카드로는 이 통화로 결제할 수 없습니다. 다른 카드를 사용하세요.",
  "error.method_declined": "{method}에서 결제를 거절했습니다. 다른 결제 수단을 선택하세요.",
  "error.timeout": "은행에 확인하고 있습니다. 중복으로 청구되지 않습니다.",
  "error.network": "연결이 끊어졌습니다. 결제는 안전하며, 지금 상태를 확인하고 있습니다.",
  "error.rate_limited": "시도 횟수가 너무 많습니다. 1분 후에 다시 시도하세요.",
  "error.generic": "시스템에 문제가 발생했습니다. 청구된 금액은 없습니다. 다시 시도하세요.",
  "error.help_link": "왜 이런 문제가 생겼나요?",

  // Accessibility
  "a11y.required": "필수",
  "a11y.loading": "로드 중",
  "a11y.close": "닫기",
};
