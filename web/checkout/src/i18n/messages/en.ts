/**
 * The checkout page's English strings: the source every other locale translates. `{name}` placeholders
 * are filled by `format()`; amounts arrive already formatted with Intl.
 */
export const en = {
  // Page frame
  "page.title": "Pay {merchant}",
  "page.total": "Total",
  "page.test_mode": "Test mode — no real money moves",
  "page.language": "Language",
  "page.secure_note":
    "Payments are encrypted and processed by Payrail. The shop never sees your card number.",
  "page.help": "Help with paying",
  "page.back_to_shop": "Back to {merchant}",
  "page.quantity": "Qty {quantity}",
  "fx.show_in": "Show the total in",
  "fx.quote": "≈ {amount} at 1 {from} = {rate} {to}, rate locked until {time}. You are charged {charged}.",

  // Method picker
  "methods.heading": "Payment method",
  "method.card": "Card",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "Alipay",
  "method.wechat_pay": "WeChat Pay",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "Crypto",

  // Card fields
  "card.number": "Card number",
  "card.expiry": "Expiry date (MM / YY)",
  "card.cvc": "Security code (CVC)",
  "card.cvc_hint": "3 digits on the back of your card; 4 on the front for American Express",
  "card.name": "Name on card",
  "card.brand_detected": "Detected card: {brand}",
  "card.save": "Save this card for next time",
  "card.invalid_number": "This card number is not valid. Check the digits.",
  "card.incomplete_number": "The card number is incomplete.",
  "card.invalid_expiry": "The expiry date is not valid. Use MM / YY.",
  "card.expired": "This card has expired. Use another card.",
  "card.invalid_cvc": "The security code is incomplete.",
  "card.unsupported_brand": "This card brand is not accepted here. Use another card.",

  // Saved cards and passkeys
  "saved.heading": "Your saved cards",
  "saved.card": "{brand} ending in {last4}, expires {month}/{year}",
  "saved.use_new": "Use a new card",
  "saved.confirm_with_passkey": "Pay with passkey",
  "saved.confirm_with_cvc": "Enter the security code to pay",
  "passkey.offer_title": "Pay faster next time",
  "passkey.offer_body":
    "Create a passkey to confirm future payments with your fingerprint, face or screen lock.",
  "passkey.create": "Create a passkey",
  "passkey.created": "Passkey created. Next time, pay with one touch.",
  "passkey.not_now": "Not now",
  "passkey.failed": "The passkey could not be used. Enter your card's security code instead.",

  // Buttons
  "pay.button": "Pay {amount}",
  "pay.with": "Continue with {method}",
  "pay.cancel": "Cancel and return to the shop",
  "pay.try_again": "Try again",
  "pay.choose_other": "Choose another payment method",

  // Progress (always honest)
  "progress.paying": "Paying…",
  "progress.confirming": "Confirming with your bank…",
  "progress.waiting_provider": "Waiting for {method} to confirm…",
  "progress.paid": "Paid",
  "progress.redirecting": "Taking you back to the shop…",
  "progress.authenticating": "Your bank wants to confirm it is you.",
  "progress.resumed": "We found your payment in progress and are checking its status.",

  // QR and redirect flows
  "qr.scan": "Scan with {method} to pay",
  "qr.expires_in": "Expires in {time}",
  "qr.expired": "This QR code has expired. Choose a payment method to get a new one.",
  "qr.open_app": "Open {method}",
  "redirect.notice": "You will be taken to {method} to approve the payment, then brought back here.",
  "redirect.continue": "Continue to {method}",
  "threeds.title": "Confirm with your bank",

  // Outcomes
  "outcome.succeeded": "Payment received. Thank you!",
  "outcome.processing": "We are confirming with your bank; you will not be charged twice.",
  "outcome.canceled": "This payment was canceled. Nothing was charged.",
  "outcome.expired": "This payment expired before it was completed. Nothing was charged.",
  "outcome.session_expired": "This checkout page has expired. Return to the shop to start again.",

  // Errors, each with what to do
  "error.card_declined": "Your card was declined. Use another card or contact your card issuer.",
  "error.insufficient_funds": "Your card has insufficient funds. Use another card or another payment method.",
  "error.expired_card": "Your card has expired — use another card.",
  "error.incorrect_cvc": "The security code is incorrect. Check the 3 or 4 digits and try again.",
  "error.incorrect_number": "The card number is incorrect. Check it and try again.",
  "error.processing_error": "Your bank could not process the payment. Try again in a moment.",
  "error.authentication_failed": "Your bank could not confirm it was you. Try again or use another card.",
  "error.card_not_supported": "This card does not support this kind of purchase. Use another card.",
  "error.currency_not_supported": "This card cannot pay in this currency. Use another card.",
  "error.method_declined": "{method} declined the payment. Choose another payment method.",
  "error.timeout": "We are confirming with your bank; you will not be charged twice.",
  "error.network": "The connection dropped. Your payment is safe: we are checking its status.",
  "error.rate_limited": "Too many attempts. Wait a minute, then try again.",
  "error.generic": "Something went wrong on our side. You have not been charged. Try again.",
  "error.help_link": "Why did this happen?",

  // Accessibility
  "a11y.required": "required",
  "a11y.loading": "Loading",
  "a11y.close": "Close",
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

/** The same catalog under the name every locale module exports. */
export const messages: Messages = en;
