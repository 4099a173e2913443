import type { Messages } from "./en.ts";

/**
 * Modern Standard Arabic, shown right to left. "MM / YY" stays in Latin letters because that is how the
 * date is printed on cards and typed into the field.
 */
export const messages: Messages = {
  // Page frame
  "page.title": "الدفع إلى {merchant}",
  "page.total": "الإجمالي",
  "page.test_mode": "وضع الاختبار — لا تُحوَّل أي أموال حقيقية",
  "page.language": "اللغة",
  "page.secure_note": "المدفوعات مشفّرة وتعالجها Payrail. لا يرى المتجر رقم بطاقتك أبدًا.",
  "page.help": "المساعدة في الدفع",
  "page.back_to_shop": "العودة إلى {merchant}",
  "page.quantity": "الكمية: {quantity}",
  "fx.show_in": "عرض الإجمالي بعملة",
  "fx.quote": "≈ {amount} (1 {from} = {rate} {to}، السعر مثبت حتى {time}). المبلغ المخصوم {charged}.",

  // Method picker
  "methods.heading": "طريقة الدفع",
  "method.card": "بطاقة",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "Alipay",
  "method.wechat_pay": "WeChat Pay",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "العملات المشفّرة",

  // Card fields
  "card.number": "رقم البطاقة",
  "card.expiry": "تاريخ الانتهاء (MM / YY)",
  "card.cvc": "رمز الأمان (CVC)",
  "card.cvc_hint": "3 أرقام على ظهر البطاقة، أو 4 أرقام على وجهها لبطاقات American Express",
  "card.name": "الاسم على البطاقة",
  "card.brand_detected": "نوع البطاقة: {brand}",
  "card.save": "حفظ هذه البطاقة للمرة القادمة",
  "card.invalid_number": "رقم البطاقة هذا غير صالح. تحقّق من الأرقام.",
  "card.incomplete_number": "رقم البطاقة غير مكتمل.",
  "card.invalid_expiry": "تاريخ الانتهاء غير صالح. أدخله بالصيغة MM / YY.",
  "card.expired": "انتهت صلاحية هذه البطاقة. استخدم بطاقة أخرى.",
  "card.invalid_cvc": "رمز الأمان غير مكتمل.",
  "card.unsupported_brand": "نوع البطاقة هذا غير مقبول هنا. استخدم بطاقة أخرى.",

  // Saved cards and passkeys
  "saved.heading": "بطاقاتك المحفوظة",
  "saved.card": "{brand} المنتهية بالرقم {last4}، تنتهي صلاحيتها في {month}/{year}",
  "saved.use_new": "استخدام بطاقة جديدة",
  "saved.confirm_with_passkey": "الدفع باستخدام مفتاح المرور",
  "saved.confirm_with_cvc": "أدخل رمز الأمان لإتمام الدفع",
  "passkey.offer_title": "ادفع أسرع في المرة القادمة",
  "passkey.offer_body": "أنشئ مفتاح مرور لتأكيد مدفوعاتك القادمة ببصمة إصبعك أو وجهك أو قفل الشاشة.",
  "passkey.create": "إنشاء مفتاح مرور",
  "passkey.created": "تم إنشاء مفتاح المرور. في المرة القادمة، ادفع بلمسة واحدة.",
  "passkey.not_now": "ليس الآن",
  "passkey.failed": "تعذّر استخدام مفتاح المرور. أدخل رمز الأمان الخاص ببطاقتك بدلًا من ذلك.",

  // Buttons
  "pay.button": "ادفع {amount}",
  "pay.with": "المتابعة باستخدام {method}",
  "pay.cancel": "الإلغاء والعودة إلى المتجر",
  "pay.try_again": "إعادة المحاولة",
  "pay.choose_other": "اختيار طريقة دفع أخرى",

  // Progress
  "progress.paying": "جارٍ الدفع…",
  "progress.confirming": "جارٍ التأكيد مع بنكك…",
  "progress.waiting_provider": "في انتظار تأكيد {method}…",
  "progress.paid": "تم الدفع",
  "progress.redirecting": "جارٍ إعادتك إلى المتجر…",
  "progress.authenticating": "يريد بنكك التحقق من هويتك.",
  "progress.resumed": "وجدنا عملية دفع جارية لك، ونتحقق الآن من حالتها.",

  // QR and redirect flows
  "qr.scan": "امسح الرمز باستخدام {method} للدفع",
  "qr.expires_in": "تنتهي صلاحيته خلال {time}",
  "qr.expired": "انتهت صلاحية رمز QR هذا. اختر طريقة دفع للحصول على رمز جديد.",
  "qr.open_app": "فتح {method}",
  "redirect.notice": "سننقلك إلى {method} للموافقة على الدفع، ثم نعيدك إلى هنا.",
  "redirect.continue": "المتابعة إلى {method}",
  "threeds.title": "التأكيد مع بنكك",

  // Outcomes
  "outcome.succeeded": "تم استلام الدفعة. شكرًا لك!",
  "outcome.processing": "نتحقق من الدفعة مع بنكك، ولن يُخصم المبلغ مرتين.",
  "outcome.canceled": "أُلغيت هذه الدفعة. لم يُخصم أي مبلغ.",
  "outcome.expired": "انتهت صلاحية هذه الدفعة قبل إتمامها. لم يُخصم أي مبلغ.",
  "outcome.session_expired": "انتهت صلاحية صفحة الدفع هذه. عُد إلى المتجر للبدء من جديد.",

  // Errors
  "error.card_declined": "رُفضت بطاقتك. استخدم بطاقة أخرى أو تواصل مع الجهة المُصدِرة لبطاقتك.",
  "error.insufficient_funds": "الرصيد المتاح في بطاقتك غير كافٍ. استخدم بطاقة أخرى أو طريقة دفع أخرى.",
  "error.expired_card": "انتهت صلاحية بطاقتك. استخدم بطاقة أخرى.",
  "error.incorrect_cvc": "رمز الأمان غير صحيح. تحقّق من الأرقام الثلاثة أو الأربعة وحاول مرة أخرى.",
  "error.incorrect_number": "رقم البطاقة غير صحيح. تحقّق منه وحاول مرة أخرى.",
  "error.processing_error": "تعذّر على بنكك معالجة الدفعة. حاول مرة أخرى بعد قليل.",
  "error.authentication_failed": "تعذّر على بنكك التحقق من هويتك. حاول مرة أخرى أو استخدم بطاقة أخرى.",
  "error.card_not_supported": "لا تدعم هذه البطاقة هذا النوع من المشتريات. استخدم بطاقة أخرى.",
  "error.currency_not_supported": "لا يمكن الدفع بهذه البطاقة بهذه العملة. استخدم بطاقة أخرى.",
  "error.method_declined": "رفض {method} الدفعة. اختر طريقة دفع أخرى.",
  "error.timeout": "نتحقق من الدفعة مع بنكك، ولن يُخصم المبلغ مرتين.",
  "error.network": "انقطع الاتصال. دفعتك في أمان، ونتحقق الآن من حالتها.",
  "error.rate_limited": "محاولات كثيرة جدًا. انتظر دقيقة ثم حاول مرة أخرى.",
  "error.generic": "حدث خطأ من جانبنا. لم يُخصم منك أي مبلغ. حاول مرة أخرى.",
  "error.help_link": "لماذا حدث هذا؟",

  // Accessibility
  "a11y.required": "مطلوب",
  "a11y.loading": "جارٍ التحميل",
  "a11y.close": "إغلاق",
};
