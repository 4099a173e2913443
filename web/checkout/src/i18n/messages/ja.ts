import type { Messages } from "./en.ts";

/** Japanese. */
export const messages: Messages = {
  // Page frame
  "page.title": "{merchant} へのお支払い",
  "page.total": "合計",
  "page.test_mode": "テストモード — 実際の決済は行われません",
  "page.language": "言語",
  "page.secure_note":
    "お支払い情報は暗号化され、Payrail が処理します。ショップにカード番号が伝わることはありません。",
  "page.help": "お支払いのヘルプ",
  "page.back_to_shop": "{merchant} に戻る",
  "page.quantity": "数量：{quantity}",
  "fx.show_in": "合計の表示通貨",
  "fx.quote": "≈ {amount}（1 {from} = {rate} {to}、レートは {time} まで固定）。請求額は {charged} です。",

  // Method picker
  "methods.heading": "お支払い方法",
  "method.card": "カード",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "Alipay",
  "method.wechat_pay": "WeChat Pay",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "暗号資産",

  // Card fields
  "card.number": "カード番号",
  "card.expiry": "有効期限（MM / YY）",
  "card.cvc": "セキュリティコード（CVC）",
  "card.cvc_hint": "カード裏面の 3 桁の数字（American Express は表面の 4 桁）",
  "card.name": "カード名義人",
  "card.brand_detected": "カードブランド：{brand}",
  "card.save": "次回のためにこのカードを保存する",
  "card.invalid_number": "カード番号が正しくありません。数字をご確認ください。",
  "card.incomplete_number": "カード番号が最後まで入力されていません。",
  "card.invalid_expiry": "有効期限が正しくありません。MM / YY の形式で入力してください。",
  "card.expired": "このカードは有効期限が切れています。別のカードをご利用ください。",
  "card.invalid_cvc": "セキュリティコードが最後まで入力されていません。",
  "card.unsupported_brand": "このカードブランドはご利用いただけません。別のカードをご利用ください。",

  // Saved cards and passkeys
  "saved.heading": "保存済みのカード",
  "saved.card": "{brand}（末尾 {last4}、有効期限 {month}/{year}）",
  "saved.use_new": "新しいカードを使う",
  "saved.confirm_with_passkey": "パスキーで支払う",
  "saved.confirm_with_cvc": "セキュリティコードを入力して支払う",
  "passkey.offer_title": "次回からもっとスムーズに",
  "passkey.offer_body":
    "パスキーを作成すると、次回から指紋、顔認証、または画面ロックでお支払いを確定できます。",
  "passkey.create": "パスキーを作成",
  "passkey.created": "パスキーを作成しました。次回はワンタッチでお支払いいただけます。",
  "passkey.not_now": "今はしない",
  "passkey.failed": "パスキーを使用できませんでした。代わりにカードのセキュリティコードを入力してください。",

  // Buttons
  "pay.button": "{amount} を支払う",
  "pay.with": "{method} で続ける",
  "pay.cancel": "キャンセルしてショップに戻る",
  "pay.try_again": "もう一度試す",
  "pay.choose_other": "別のお支払い方法を選ぶ",

  // Progress
  "progress.paying": "お支払い処理中…",
  "progress.confirming": "金融機関に確認しています…",
  "progress.waiting_provider": "{method} の確認を待っています…",
  "progress.paid": "支払い済み",
  "progress.redirecting": "ショップに戻ります…",
  "progress.authenticating": "金融機関がご本人確認を求めています。",
  "progress.resumed": "処理中のお支払いが見つかりました。現在の状況を確認しています。",

  // QR and redirect flows
  "qr.scan": "{method} でスキャンしてお支払いください",
  "qr.expires_in": "有効期限まで残り {time}",
  "qr.expired":
    "この QR コードは有効期限が切れました。お支払い方法を選び直すと、新しいコードが表示されます。",
  "qr.open_app": "{method} を開く",
  "redirect.notice": "{method} に移動してお支払いを承認すると、このページに戻ります。",
  "redirect.continue": "{method} に進む",
  "threeds.title": "金融機関での本人確認",

  // Outcomes
  "outcome.succeeded": "お支払いが完了しました。ありがとうございました。",
  "outcome.processing": "金融機関に確認しています。二重に請求されることはありません。",
  "outcome.canceled": "このお支払いはキャンセルされました。請求は発生していません。",
  "outcome.expired": "お支払いが完了する前に有効期限が切れました。請求は発生していません。",
  "outcome.session_expired":
    "このお支払いページは有効期限が切れました。ショップに戻って、最初からやり直してください。",

  // Errors
  "error.card_declined":
    "カードが承認されませんでした。別のカードをご利用いただくか、カード発行会社にお問い合わせください。",
  "error.insufficient_funds":
    "カードの残高または利用可能枠が不足しています。別のカードか、別のお支払い方法をご利用ください。",
  "error.expired_card": "カードの有効期限が切れています。別のカードをご利用ください。",
  "error.incorrect_cvc":
    "セキュリティコードが正しくありません。3 桁または 4 桁の数字を確認して、もう一度お試しください。",
  "error.incorrect_number": "カード番号が正しくありません。ご確認のうえ、もう一度お試しください。",
  "error.processing_error":
    "金融機関でお支払いを処理できませんでした。しばらくしてから、もう一度お試しください。",
  "error.authentication_failed":
    "金融機関でご本人確認ができませんでした。もう一度お試しいただくか、別のカードをご利用ください。",
  "error.card_not_supported":
    "このカードはこの種類のお支払いに対応していません。別のカードをご利用ください。",
  "error.currency_not_supported":
    "このカードはこの通貨でのお支払いに対応していません。別のカードをご利用ください。",
  "error.method_declined": "{method} でお支払いが承認されませんでした。別のお支払い方法を選んでください。",
  "error.timeout": "金融機関に確認しています。二重に請求されることはありません。",
  "error.network": "接続が途切れました。お支払いは安全です。現在の状況を確認しています。",
  "error.rate_limited": "試行回数が上限に達しました。1 分ほど待ってから、もう一度お試しください。",
  "error.generic": "システムで問題が発生しました。請求は発生していません。もう一度お試しください。",
  "error.help_link": "考えられる原因",

  // Accessibility
  "a11y.required": "必須",
  "a11y.loading": "読み込み中",
  "a11y.close": "閉じる",
};
