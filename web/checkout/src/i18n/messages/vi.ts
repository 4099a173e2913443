import type { Messages } from "./en.ts";

/** Vietnamese. */
export const messages: Messages = {
  // Page frame
  "page.title": "Thanh toán cho {merchant}",
  "page.total": "Tổng cộng",
  "page.test_mode": "Chế độ thử nghiệm — không có giao dịch tiền thật",
  "page.language": "Ngôn ngữ",
  "page.secure_note":
    "Thanh toán được mã hóa và do Payrail xử lý. Cửa hàng không bao giờ thấy số thẻ của bạn.",
  "page.help": "Trợ giúp thanh toán",
  "page.back_to_shop": "Quay lại {merchant}",
  "page.quantity": "Số lượng: {quantity}",
  "fx.show_in": "Hiển thị tổng tiền bằng",
  "fx.quote":
    "≈ {amount} (1 {from} = {rate} {to}, tỷ giá được khóa đến {time}). Số tiền bị trừ là {charged}.",

  // Method picker
  "methods.heading": "Phương thức thanh toán",
  "method.card": "Thẻ",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "Alipay",
  "method.wechat_pay": "WeChat Pay",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "Tiền mã hóa",

  // Card fields
  "card.number": "Số thẻ",
  "card.expiry": "Ngày hết hạn (MM / YY)",
  "card.cvc": "Mã bảo mật (CVC)",
  "card.cvc_hint": "3 chữ số ở mặt sau thẻ; 4 chữ số ở mặt trước đối với thẻ American Express",
  "card.name": "Tên in trên thẻ",
  "card.brand_detected": "Loại thẻ: {brand}",
  "card.save": "Lưu thẻ này cho lần sau",
  "card.invalid_number": "Số thẻ không hợp lệ. Hãy kiểm tra lại các chữ số.",
  "card.incomplete_number": "Số thẻ chưa đầy đủ.",
  "card.invalid_expiry": "Ngày hết hạn không hợp lệ. Hãy nhập theo dạng MM / YY.",
  "card.expired": "Thẻ này đã hết hạn. Hãy dùng thẻ khác.",
  "card.invalid_cvc": "Mã bảo mật chưa đầy đủ.",
  "card.unsupported_brand": "Loại thẻ này không được chấp nhận tại đây. Hãy dùng thẻ khác.",

  // Saved cards and passkeys
  "saved.heading": "Thẻ đã lưu của bạn",
  "saved.card": "{brand} có số cuối {last4}, hết hạn {month}/{year}",
  "saved.use_new": "Dùng thẻ mới",
  "saved.confirm_with_passkey": "Thanh toán bằng khóa truy cập",
  "saved.confirm_with_cvc": "Nhập mã bảo mật để thanh toán",
  "passkey.offer_title": "Lần sau thanh toán nhanh hơn",
  "passkey.offer_body":
    "Tạo khóa truy cập để xác nhận các lần thanh toán sau bằng vân tay, khuôn mặt hoặc phương thức khóa màn hình.",
  "passkey.create": "Tạo khóa truy cập",
  "passkey.created": "Đã tạo khóa truy cập. Lần sau, chỉ cần một chạm để thanh toán.",
  "passkey.not_now": "Để sau",
  "passkey.failed": "Không dùng được khóa truy cập. Thay vào đó, hãy nhập mã bảo mật của thẻ.",

  // Buttons
  "pay.button": "Thanh toán {amount}",
  "pay.with": "Tiếp tục với {method}",
  "pay.cancel": "Hủy và quay lại cửa hàng",
  "pay.try_again": "Thử lại",
  "pay.choose_other": "Chọn phương thức thanh toán khác",

  // Progress
  "progress.paying": "Đang thanh toán…",
  "progress.confirming": "Đang xác nhận với ngân hàng của bạn…",
  "progress.waiting_provider": "Đang chờ {method} xác nhận…",
  "progress.paid": "Đã thanh toán",
  "progress.redirecting": "Đang đưa bạn quay lại cửa hàng…",
  "progress.authenticating": "Ngân hàng của bạn cần xác minh đúng là bạn.",
  "progress.resumed": "Chúng tôi tìm thấy khoản thanh toán đang xử lý của bạn và đang kiểm tra trạng thái.",

  // QR and redirect flows
  "qr.scan": "Quét bằng {method} để thanh toán",
  "qr.expires_in": "Hết hạn sau {time}",
  "qr.expired": "Mã QR này đã hết hạn. Hãy chọn phương thức thanh toán để nhận mã mới.",
  "qr.open_app": "Mở {method}",
  "redirect.notice": "Bạn sẽ được chuyển đến {method} để chấp thuận thanh toán, sau đó quay lại trang này.",
  "redirect.continue": "Tiếp tục đến {method}",
  "threeds.title": "Xác minh với ngân hàng",

  // Outcomes
  "outcome.succeeded": "Đã nhận thanh toán. Cảm ơn bạn!",
  "outcome.processing": "Chúng tôi đang xác nhận với ngân hàng của bạn; bạn sẽ không bị trừ tiền hai lần.",
  "outcome.canceled": "Khoản thanh toán này đã bị hủy. Bạn không bị trừ tiền.",
  "outcome.expired": "Khoản thanh toán này đã hết hạn trước khi hoàn tất. Bạn không bị trừ tiền.",
  "outcome.session_expired": "Trang thanh toán này đã hết hạn. Hãy quay lại cửa hàng để bắt đầu lại.",

  // Errors
  "error.card_declined": "Thẻ của bạn bị từ chối. Hãy dùng thẻ khác hoặc liên hệ ngân hàng phát hành thẻ.",
  "error.insufficient_funds":
    "Thẻ của bạn không đủ số dư. Hãy dùng thẻ khác hoặc phương thức thanh toán khác.",
  "error.expired_card": "Thẻ của bạn đã hết hạn. Hãy dùng thẻ khác.",
  "error.incorrect_cvc": "Mã bảo mật không đúng. Hãy kiểm tra 3 hoặc 4 chữ số rồi thử lại.",
  "error.incorrect_number": "Số thẻ không đúng. Hãy kiểm tra rồi thử lại.",
  "error.processing_error": "Ngân hàng của bạn không thể xử lý khoản thanh toán. Hãy thử lại sau giây lát.",
  "error.authentication_failed":
    "Ngân hàng của bạn không thể xác minh đúng là bạn. Hãy thử lại hoặc dùng thẻ khác.",
  "error.card_not_supported": "Thẻ này không hỗ trợ loại giao dịch này. Hãy dùng thẻ khác.",
  "error.currency_not_supported": "Thẻ này không thanh toán được bằng loại tiền tệ này. Hãy dùng thẻ khác.",
  "error.method_declined": "{method} đã từ chối khoản thanh toán. Hãy chọn phương thức thanh toán khác.",
  "error.timeout": "Chúng tôi đang xác nhận với ngân hàng của bạn; bạn sẽ không bị trừ tiền hai lần.",
  "error.network": "Mất kết nối. Khoản thanh toán của bạn vẫn an toàn: chúng tôi đang kiểm tra trạng thái.",
  "error.rate_limited": "Bạn đã thử quá nhiều lần. Hãy đợi một phút rồi thử lại.",
  "error.generic": "Đã xảy ra lỗi từ phía chúng tôi. Bạn không bị trừ tiền. Hãy thử lại.",
  "error.help_link": "Vì sao lại xảy ra lỗi này?",

  // Accessibility
  "a11y.required": "bắt buộc",
  "a11y.loading": "Đang tải",
  "a11y.close": "Đóng",
};
