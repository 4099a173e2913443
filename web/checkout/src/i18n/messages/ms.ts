import type { Messages } from "./en.ts";

/** Malay (Malaysia). */
export const messages: Messages = {
  // Page frame
  "page.title": "Bayar kepada {merchant}",
  "page.total": "Jumlah",
  "page.test_mode": "Mod ujian — tiada wang sebenar dipindahkan",
  "page.language": "Bahasa",
  "page.secure_note":
    "Pembayaran disulitkan dan diproses oleh Payrail. Kedai tidak dapat melihat nombor kad anda.",
  "page.help": "Bantuan pembayaran",
  "page.back_to_shop": "Kembali ke {merchant}",
  "page.quantity": "Kuantiti {quantity}",
  "fx.show_in": "Tunjukkan jumlah dalam",
  "fx.quote": "≈ {amount} (1 {from} = {rate} {to}, kadar dikunci hingga {time}). Anda dicaj {charged}.",

  // Method picker
  "methods.heading": "Kaedah pembayaran",
  "method.card": "Kad",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "Alipay",
  "method.wechat_pay": "WeChat Pay",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "Kripto",

  // Card fields
  "card.number": "Nombor kad",
  "card.expiry": "Tarikh luput (BB / TT)",
  "card.cvc": "Kod keselamatan (CVC)",
  "card.cvc_hint": "3 digit di belakang kad anda; 4 digit di hadapan bagi American Express",
  "card.name": "Nama pada kad",
  "card.brand_detected": "Kad dikesan: {brand}",
  "card.save": "Simpan kad ini untuk kali seterusnya",
  "card.invalid_number": "Nombor kad ini tidak sah. Semak semula digitnya.",
  "card.incomplete_number": "Nombor kad tidak lengkap.",
  "card.invalid_expiry": "Tarikh luput tidak sah. Gunakan format BB / TT.",
  "card.expired": "Kad ini telah luput. Gunakan kad lain.",
  "card.invalid_cvc": "Kod keselamatan tidak lengkap.",
  "card.unsupported_brand": "Jenama kad ini tidak diterima di sini. Gunakan kad lain.",

  // Saved cards and passkeys
  "saved.heading": "Kad anda yang disimpan",
  "saved.card": "{brand} berakhir dengan {last4}, luput {month}/{year}",
  "saved.use_new": "Gunakan kad baharu",
  "saved.confirm_with_passkey": "Bayar dengan kunci laluan",
  "saved.confirm_with_cvc": "Masukkan kod keselamatan untuk membayar",
  "passkey.offer_title": "Bayar lebih pantas lain kali",
  "passkey.offer_body":
    "Cipta kunci laluan untuk mengesahkan pembayaran akan datang dengan cap jari, wajah atau kunci skrin anda.",
  "passkey.create": "Cipta kunci laluan",
  "passkey.created": "Kunci laluan telah dicipta. Lain kali, bayar dengan satu sentuhan.",
  "passkey.not_now": "Bukan sekarang",
  "passkey.failed": "Kunci laluan tidak dapat digunakan. Masukkan kod keselamatan kad anda sebagai ganti.",

  // Buttons
  "pay.button": "Bayar {amount}",
  "pay.with": "Teruskan dengan {method}",
  "pay.cancel": "Batal dan kembali ke kedai",
  "pay.try_again": "Cuba lagi",
  "pay.choose_other": "Pilih kaedah pembayaran lain",

  // Progress
  "progress.paying": "Membuat pembayaran…",
  "progress.confirming": "Mengesahkan dengan bank anda…",
  "progress.waiting_provider": "Menunggu pengesahan daripada {method}…",
  "progress.paid": "Telah dibayar",
  "progress.redirecting": "Membawa anda kembali ke kedai…",
  "progress.authenticating": "Bank anda perlu mengesahkan bahawa ini memang anda.",
  "progress.resumed": "Kami menemui pembayaran anda yang sedang diproses dan sedang menyemak statusnya.",

  // QR and redirect flows
  "qr.scan": "Imbas dengan {method} untuk membayar",
  "qr.expires_in": "Luput dalam {time}",
  "qr.expired": "Kod QR ini telah luput. Pilih kaedah pembayaran untuk mendapatkan kod baharu.",
  "qr.open_app": "Buka {method}",
  "redirect.notice":
    "Anda akan dibawa ke {method} untuk meluluskan pembayaran, kemudian dibawa kembali ke sini.",
  "redirect.continue": "Teruskan ke {method}",
  "threeds.title": "Sahkan dengan bank anda",

  // Outcomes
  "outcome.succeeded": "Pembayaran diterima. Terima kasih!",
  "outcome.processing": "Kami sedang mengesahkan dengan bank anda; anda tidak akan dicaj dua kali.",
  "outcome.canceled": "Pembayaran ini telah dibatalkan. Tiada caj dikenakan.",
  "outcome.expired": "Pembayaran ini luput sebelum selesai. Tiada caj dikenakan.",
  "outcome.session_expired": "Halaman pembayaran ini telah luput. Kembali ke kedai untuk bermula semula.",

  // Errors
  "error.card_declined": "Kad anda ditolak. Gunakan kad lain atau hubungi pengeluar kad anda.",
  "error.insufficient_funds": "Baki kad anda tidak mencukupi. Gunakan kad lain atau kaedah pembayaran lain.",
  "error.expired_card": "Kad anda telah luput. Gunakan kad lain.",
  "error.incorrect_cvc": "Kod keselamatan tidak betul. Semak 3 atau 4 digit itu dan cuba lagi.",
  "error.incorrect_number": "Nombor kad tidak betul. Semak dan cuba lagi.",
  "error.processing_error": "Bank anda tidak dapat memproses pembayaran ini. Cuba lagi sebentar lagi.",
  "error.authentication_failed":
    "Bank anda tidak dapat mengesahkan bahawa ini anda. Cuba lagi atau gunakan kad lain.",
  "error.card_not_supported": "Kad ini tidak menyokong jenis pembelian ini. Gunakan kad lain.",
  "error.currency_not_supported":
    "Kad ini tidak boleh digunakan untuk membayar dalam mata wang ini. Gunakan kad lain.",
  "error.method_declined": "{method} menolak pembayaran ini. Pilih kaedah pembayaran lain.",
  "error.timeout": "Kami sedang mengesahkan dengan bank anda; anda tidak akan dicaj dua kali.",
  "error.network": "Sambungan terputus. Pembayaran anda selamat: kami sedang menyemak statusnya.",
  "error.rate_limited": "Terlalu banyak percubaan. Tunggu seminit, kemudian cuba lagi.",
  "error.generic": "Berlaku masalah di pihak kami. Anda tidak dicaj. Cuba lagi.",
  "error.help_link": "Mengapa ini berlaku?",

  // Accessibility
  "a11y.required": "wajib",
  "a11y.loading": "Memuatkan",
  "a11y.close": "Tutup",
};
