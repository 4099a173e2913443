import type { Messages } from "./en.ts";

/** Thai. Sentences are separated by a space, as Thai writes them, not by full stops. */
export const messages: Messages = {
  // Page frame
  "page.title": "ชำระเงินให้ {merchant}",
  "page.total": "ยอดรวม",
  "page.test_mode": "โหมดทดสอบ — ไม่มีการตัดเงินจริง",
  "page.language": "ภาษา",
  "page.secure_note": "การชำระเงินได้รับการเข้ารหัสและดำเนินการโดย Payrail ร้านค้าจะไม่เห็นหมายเลขบัตรของคุณ",
  "page.help": "ความช่วยเหลือเรื่องการชำระเงิน",
  "page.back_to_shop": "กลับไปที่ {merchant}",
  "page.quantity": "จำนวน {quantity}",
  "fx.show_in": "แสดงยอดรวมเป็นสกุลเงิน",
  "fx.quote": "≈ {amount} (1 {from} = {rate} {to} ล็อกอัตราแลกเปลี่ยนถึง {time}) ยอดที่เรียกเก็บคือ {charged}",

  // Method picker
  "methods.heading": "วิธีการชำระเงิน",
  "method.card": "บัตรเครดิต/เดบิต",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "Alipay",
  "method.wechat_pay": "WeChat Pay",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "คริปโทเคอร์เรนซี",

  // Card fields
  "card.number": "หมายเลขบัตร",
  "card.expiry": "วันหมดอายุ (MM / YY)",
  "card.cvc": "รหัสความปลอดภัย (CVC)",
  "card.cvc_hint": "ตัวเลข 3 หลักด้านหลังบัตร หรือ 4 หลักด้านหน้าบัตรสำหรับ American Express",
  "card.name": "ชื่อบนบัตร",
  "card.brand_detected": "ประเภทบัตรที่ตรวจพบ: {brand}",
  "card.save": "บันทึกบัตรนี้ไว้ใช้ครั้งถัดไป",
  "card.invalid_number": "หมายเลขบัตรไม่ถูกต้อง โปรดตรวจสอบตัวเลข",
  "card.incomplete_number": "หมายเลขบัตรไม่ครบ",
  "card.invalid_expiry": "วันหมดอายุไม่ถูกต้อง โปรดกรอกในรูปแบบ MM / YY",
  "card.expired": "บัตรนี้หมดอายุแล้ว โปรดใช้บัตรอื่น",
  "card.invalid_cvc": "รหัสความปลอดภัยไม่ครบ",
  "card.unsupported_brand": "ไม่รับบัตรประเภทนี้ โปรดใช้บัตรอื่น",

  // Saved cards and passkeys
  "saved.heading": "บัตรที่บันทึกไว้",
  "saved.card": "{brand} ลงท้ายด้วย {last4} หมดอายุ {month}/{year}",
  "saved.use_new": "ใช้บัตรใหม่",
  "saved.confirm_with_passkey": "ชำระเงินด้วยพาสคีย์",
  "saved.confirm_with_cvc": "กรอกรหัสความปลอดภัยเพื่อชำระเงิน",
  "passkey.offer_title": "ครั้งหน้าชำระเงินได้เร็วขึ้น",
  "passkey.offer_body": "สร้างพาสคีย์เพื่อยืนยันการชำระเงินครั้งต่อไปด้วยลายนิ้วมือ ใบหน้า หรือการล็อกหน้าจอ",
  "passkey.create": "สร้างพาสคีย์",
  "passkey.created": "สร้างพาสคีย์แล้ว ครั้งหน้าชำระเงินได้ในแตะเดียว",
  "passkey.not_now": "ไว้ทีหลัง",
  "passkey.failed": "ใช้พาสคีย์ไม่ได้ โปรดกรอกรหัสความปลอดภัยของบัตรแทน",

  // Buttons
  "pay.button": "ชำระ {amount}",
  "pay.with": "ดำเนินการต่อด้วย {method}",
  "pay.cancel": "ยกเลิกและกลับไปที่ร้านค้า",
  "pay.try_again": "ลองอีกครั้ง",
  "pay.choose_other": "เลือกวิธีการชำระเงินอื่น",

  // Progress
  "progress.paying": "กำลังชำระเงิน…",
  "progress.confirming": "กำลังยืนยันกับธนาคารของคุณ…",
  "progress.waiting_provider": "กำลังรอการยืนยันจาก {method}…",
  "progress.paid": "ชำระเงินแล้ว",
  "progress.redirecting": "กำลังพาคุณกลับไปที่ร้านค้า…",
  "progress.authenticating": "ธนาคารของคุณต้องการยืนยันว่าเป็นคุณจริง",
  "progress.resumed": "เราพบการชำระเงินของคุณที่ยังดำเนินการอยู่ และกำลังตรวจสอบสถานะ",

  // QR and redirect flows
  "qr.scan": "สแกนด้วย {method} เพื่อชำระเงิน",
  "qr.expires_in": "หมดอายุใน {time}",
  "qr.expired": "คิวอาร์โค้ดนี้หมดอายุแล้ว โปรดเลือกวิธีการชำระเงินเพื่อรับโค้ดใหม่",
  "qr.open_app": "เปิด {method}",
  "redirect.notice": "ระบบจะพาคุณไปที่ {method} เพื่ออนุมัติการชำระเงิน แล้วพากลับมาที่หน้านี้",
  "redirect.continue": "ไปที่ {method}",
  "threeds.title": "ยืนยันตัวตนกับธนาคาร",

  // Outcomes
  "outcome.succeeded": "ได้รับการชำระเงินแล้ว ขอบคุณ",
  "outcome.processing": "เรากำลังยืนยันกับธนาคารของคุณ คุณจะไม่ถูกเรียกเก็บเงินซ้ำ",
  "outcome.canceled": "การชำระเงินนี้ถูกยกเลิกแล้ว ไม่มีการเรียกเก็บเงิน",
  "outcome.expired": "การชำระเงินนี้หมดอายุก่อนทำรายการเสร็จ ไม่มีการเรียกเก็บเงิน",
  "outcome.session_expired": "หน้าชำระเงินนี้หมดอายุแล้ว โปรดกลับไปที่ร้านค้าเพื่อเริ่มใหม่",

  // Errors
  "error.card_declined": "บัตรของคุณถูกปฏิเสธ โปรดใช้บัตรอื่นหรือติดต่อผู้ออกบัตร",
  "error.insufficient_funds": "ยอดเงินหรือวงเงินในบัตรไม่พอ โปรดใช้บัตรอื่นหรือวิธีการชำระเงินอื่น",
  "error.expired_card": "บัตรของคุณหมดอายุแล้ว โปรดใช้บัตรอื่น",
  "error.incorrect_cvc": "รหัสความปลอดภัยไม่ถูกต้อง โปรดตรวจสอบตัวเลข 3 หรือ 4 หลักแล้วลองอีกครั้ง",
  "error.incorrect_number": "หมายเลขบัตรไม่ถูกต้อง โปรดตรวจสอบแล้วลองอีกครั้ง",
  "error.processing_error": "ธนาคารของคุณดำเนินการชำระเงินไม่สำเร็จ โปรดลองอีกครั้งในอีกสักครู่",
  "error.authentication_failed": "ธนาคารของคุณยืนยันตัวตนไม่สำเร็จ โปรดลองอีกครั้งหรือใช้บัตรอื่น",
  "error.card_not_supported": "บัตรนี้ไม่รองรับการซื้อประเภทนี้ โปรดใช้บัตรอื่น",
  "error.currency_not_supported": "บัตรนี้ชำระเงินด้วยสกุลเงินนี้ไม่ได้ โปรดใช้บัตรอื่น",
  "error.method_declined": "{method} ปฏิเสธการชำระเงิน โปรดเลือกวิธีการชำระเงินอื่น",
  "error.timeout": "เรากำลังยืนยันกับธนาคารของคุณ คุณจะไม่ถูกเรียกเก็บเงินซ้ำ",
  "error.network": "การเชื่อมต่อขาดหาย การชำระเงินของคุณปลอดภัย เรากำลังตรวจสอบสถานะ",
  "error.rate_limited": "ลองหลายครั้งเกินไป โปรดรอหนึ่งนาทีแล้วลองอีกครั้ง",
  "error.generic": "เกิดข้อผิดพลาดในระบบของเรา คุณยังไม่ถูกเรียกเก็บเงิน โปรดลองอีกครั้ง",
  "error.help_link": "ทำไมจึงเกิดปัญหานี้",

  // Accessibility
  "a11y.required": "จำเป็น",
  "a11y.loading": "กำลังโหลด",
  "a11y.close": "ปิด",
};
