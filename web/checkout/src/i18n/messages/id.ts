import type { Messages } from "./en.ts";

/** Indonesian. */
export const messages: Messages = {
  // Page frame
  "page.title": "Bayar ke {merchant}",
  "page.total": "Total",
  "page.test_mode": "Mode uji — tidak ada uang sungguhan yang berpindah",
  "page.language": "Bahasa",
  "page.secure_note":
    "Pembayaran dienkripsi dan diproses oleh Payrail. Toko tidak pernah melihat nomor kartu Anda.",
  "page.help": "Bantuan pembayaran",
  "page.back_to_shop": "Kembali ke {merchant}",
  "page.quantity": "Jumlah {quantity}",
  "fx.show_in": "Tampilkan total dalam",
  "fx.quote": "≈ {amount} (1 {from} = {rate} {to}, kurs dikunci hingga {time}). Anda ditagih {charged}.",

  // Method picker
  "methods.heading": "Metode pembayaran",
  "method.card": "Kartu",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "Alipay",
  "method.wechat_pay": "WeChat Pay",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "Kripto",

  // Card fields
  "card.number": "Nomor kartu",
  "card.expiry": "Masa berlaku (BB / TT)",
  "card.cvc": "Kode keamanan (CVC)",
  "card.cvc_hint": "3 digit di bagian belakang kartu; 4 digit di bagian depan untuk American Express",
  "card.name": "Nama di kartu",
  "card.brand_detected": "Kartu terdeteksi: {brand}",
  "card.save": "Simpan kartu ini untuk pembayaran berikutnya",
  "card.invalid_number": "Nomor kartu ini tidak valid. Periksa kembali digitnya.",
  "card.incomplete_number": "Nomor kartu belum lengkap.",
  "card.invalid_expiry": "Masa berlaku tidak valid. Gunakan format BB / TT.",
  "card.expired": "Kartu ini sudah kedaluwarsa. Gunakan kartu lain.",
  "card.invalid_cvc": "Kode keamanan belum lengkap.",
  "card.unsupported_brand": "Jenis kartu ini tidak diterima di sini. Gunakan kartu lain.",

  // Saved cards and passkeys
  "saved.heading": "Kartu tersimpan Anda",
  "saved.card": "{brand} berakhiran {last4}, berlaku hingga {month}/{year}",
  "saved.use_new": "Gunakan kartu baru",
  "saved.confirm_with_passkey": "Bayar dengan kunci sandi",
  "saved.confirm_with_cvc": "Masukkan kode keamanan untuk membayar",
  "passkey.offer_title": "Bayar lebih cepat lain kali",
  "passkey.offer_body":
    "Buat kunci sandi untuk mengonfirmasi pembayaran berikutnya dengan sidik jari, wajah, atau kunci layar Anda.",
  "passkey.create": "Buat kunci sandi",
  "passkey.created": "Kunci sandi sudah dibuat. Lain kali, bayar dengan sekali sentuh.",
  "passkey.not_now": "Nanti saja",
  "passkey.failed": "Kunci sandi tidak dapat digunakan. Masukkan kode keamanan kartu Anda sebagai gantinya.",

  // Buttons
  "pay.button": "Bayar {amount}",
  "pay.with": "Lanjutkan dengan {method}",
  "pay.cancel": "Batalkan dan kembali ke toko",
  "pay.try_again": "Coba lagi",
  "pay.choose_other": "Pilih metode pembayaran lain",

  // Progress
  "progress.paying": "Memproses pembayaran…",
  "progress.confirming": "Mengonfirmasi dengan bank Anda…",
  "progress.waiting_provider": "Menunggu konfirmasi dari {method}…",
  "progress.paid": "Lunas",
  "progress.redirecting": "Mengarahkan Anda kembali ke toko…",
  "progress.authenticating": "Bank Anda perlu memastikan bahwa ini benar-benar Anda.",
  "progress.resumed": "Kami menemukan pembayaran Anda yang sedang diproses dan sedang memeriksa statusnya.",

  // QR and redirect flows
  "qr.scan": "Pindai dengan {method} untuk membayar",
  "qr.expires_in": "Kedaluwarsa dalam {time}",
  "qr.expired": "Kode QR ini sudah kedaluwarsa. Pilih metode pembayaran untuk mendapatkan kode baru.",
  "qr.open_app": "Buka {method}",
  "redirect.notice":
    "Anda akan diarahkan ke {method} untuk menyetujui pembayaran, lalu kembali ke halaman ini.",
  "redirect.continue": "Lanjutkan ke {method}",
  "threeds.title": "Konfirmasi dengan bank Anda",

  // Outcomes
  "outcome.succeeded": "Pembayaran diterima. Terima kasih!",
  "outcome.processing": "Kami sedang mengonfirmasi dengan bank Anda; Anda tidak akan ditagih dua kali.",
  "outcome.canceled": "Pembayaran ini dibatalkan. Tidak ada dana yang ditagih.",
  "outcome.expired": "Pembayaran ini kedaluwarsa sebelum selesai. Tidak ada dana yang ditagih.",
  "outcome.session_expired": "Halaman pembayaran ini sudah kedaluwarsa. Kembali ke toko untuk memulai lagi.",

  // Errors
  "error.card_declined": "Kartu Anda ditolak. Gunakan kartu lain atau hubungi penerbit kartu Anda.",
  "error.insufficient_funds":
    "Saldo atau limit kartu Anda tidak mencukupi. Gunakan kartu lain atau metode pembayaran lain.",
  "error.expired_card": "Kartu Anda sudah kedaluwarsa. Gunakan kartu lain.",
  "error.incorrect_cvc": "Kode keamanan salah. Periksa 3 atau 4 digit tersebut, lalu coba lagi.",
  "error.incorrect_number": "Nomor kartu salah. Periksa kembali, lalu coba lagi.",
  "error.processing_error": "Bank Anda tidak dapat memproses pembayaran ini. Coba lagi sebentar lagi.",
  "error.authentication_failed":
    "Bank Anda tidak dapat memastikan bahwa ini Anda. Coba lagi atau gunakan kartu lain.",
  "error.card_not_supported": "Kartu ini tidak mendukung jenis pembelian ini. Gunakan kartu lain.",
  "error.currency_not_supported":
    "Kartu ini tidak dapat digunakan untuk membayar dalam mata uang ini. Gunakan kartu lain.",
  "error.method_declined": "{method} menolak pembayaran ini. Pilih metode pembayaran lain.",
  "error.timeout": "Kami sedang mengonfirmasi dengan bank Anda; Anda tidak akan ditagih dua kali.",
  "error.network": "Koneksi terputus. Pembayaran Anda aman: kami sedang memeriksa statusnya.",
  "error.rate_limited": "Terlalu banyak percobaan. Tunggu satu menit, lalu coba lagi.",
  "error.generic": "Terjadi kesalahan di sistem kami. Anda belum ditagih. Coba lagi.",
  "error.help_link": "Mengapa ini terjadi?",

  // Accessibility
  "a11y.required": "wajib diisi",
  "a11y.loading": "Memuat",
  "a11y.close": "Tutup",
};
