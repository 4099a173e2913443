import type { Messages } from "./en.ts";

/** Spanish, neutral between Spain and Latin America, addressing the shopper as "tú". */
export const messages: Messages = {
  // Page frame
  "page.title": "Pagar a {merchant}",
  "page.total": "Total",
  "page.test_mode": "Modo de prueba: no se mueve dinero real",
  "page.language": "Idioma",
  "page.secure_note":
    "Los pagos se cifran y los procesa Payrail. La tienda nunca ve el número de tu tarjeta.",
  "page.help": "Ayuda con el pago",
  "page.back_to_shop": "Volver a {merchant}",
  "page.quantity": "Cantidad: {quantity}",
  "fx.show_in": "Mostrar el total en",
  "fx.quote":
    "≈ {amount} (1 {from} = {rate} {to}, tipo de cambio fijado hasta las {time}). Se te cobrará {charged}.",

  // Method picker
  "methods.heading": "Método de pago",
  "method.card": "Tarjeta",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "Alipay",
  "method.wechat_pay": "WeChat Pay",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "Cripto",

  // Card fields
  "card.number": "Número de tarjeta",
  "card.expiry": "Fecha de vencimiento (MM / AA)",
  "card.cvc": "Código de seguridad (CVC)",
  "card.cvc_hint": "3 dígitos en el reverso de la tarjeta; 4 en el frente si es American Express",
  "card.name": "Nombre del titular",
  "card.brand_detected": "Tarjeta detectada: {brand}",
  "card.save": "Guardar esta tarjeta para la próxima vez",
  "card.invalid_number": "Este número de tarjeta no es válido. Revisa los dígitos.",
  "card.incomplete_number": "El número de tarjeta está incompleto.",
  "card.invalid_expiry": "La fecha de vencimiento no es válida. Usa el formato MM / AA.",
  "card.expired": "Esta tarjeta está vencida. Usa otra tarjeta.",
  "card.invalid_cvc": "El código de seguridad está incompleto.",
  "card.unsupported_brand": "Esta marca de tarjeta no se acepta aquí. Usa otra tarjeta.",

  // Saved cards and passkeys
  "saved.heading": "Tus tarjetas guardadas",
  "saved.card": "{brand} terminada en {last4}, vence en {month}/{year}",
  "saved.use_new": "Usar una tarjeta nueva",
  "saved.confirm_with_passkey": "Pagar con llave de acceso",
  "saved.confirm_with_cvc": "Ingresa el código de seguridad para pagar",
  "passkey.offer_title": "Paga más rápido la próxima vez",
  "passkey.offer_body":
    "Crea una llave de acceso para confirmar tus próximos pagos con tu huella, tu rostro o el bloqueo de pantalla.",
  "passkey.create": "Crear una llave de acceso",
  "passkey.created": "Llave de acceso creada. La próxima vez, paga con un solo toque.",
  "passkey.not_now": "Ahora no",
  "passkey.failed": "No se pudo usar la llave de acceso. Ingresa el código de seguridad de tu tarjeta.",

  // Buttons
  "pay.button": "Pagar {amount}",
  "pay.with": "Continuar con {method}",
  "pay.cancel": "Cancelar y volver a la tienda",
  "pay.try_again": "Volver a intentarlo",
  "pay.choose_other": "Elegir otro método de pago",

  // Progress
  "progress.paying": "Procesando el pago…",
  "progress.confirming": "Confirmando con tu banco…",
  "progress.waiting_provider": "Esperando la confirmación de {method}…",
  "progress.paid": "Pagado",
  "progress.redirecting": "Volviendo a la tienda…",
  "progress.authenticating": "Tu banco quiere confirmar que eres tú.",
  "progress.resumed": "Encontramos tu pago en curso y estamos comprobando su estado.",

  // QR and redirect flows
  "qr.scan": "Escanea con {method} para pagar",
  "qr.expires_in": "Vence en {time}",
  "qr.expired": "Este código QR venció. Elige un método de pago para obtener uno nuevo.",
  "qr.open_app": "Abrir {method}",
  "redirect.notice": "Irás a {method} para aprobar el pago y después volverás aquí.",
  "redirect.continue": "Continuar a {method}",
  "threeds.title": "Confirma con tu banco",

  // Outcomes
  "outcome.succeeded": "Pago recibido. ¡Gracias!",
  "outcome.processing": "Estamos confirmando con tu banco; no se te cobrará dos veces.",
  "outcome.canceled": "Este pago se canceló. No se cobró nada.",
  "outcome.expired": "Este pago venció antes de completarse. No se cobró nada.",
  "outcome.session_expired": "Esta página de pago venció. Vuelve a la tienda para empezar de nuevo.",

  // Errors
  "error.card_declined": "Tu tarjeta fue rechazada. Usa otra tarjeta o comunícate con el banco emisor.",
  "error.insufficient_funds":
    "Tu tarjeta no tiene fondos suficientes. Usa otra tarjeta u otro método de pago.",
  "error.expired_card": "Tu tarjeta está vencida. Usa otra tarjeta.",
  "error.incorrect_cvc":
    "El código de seguridad es incorrecto. Revisa los 3 o 4 dígitos y vuelve a intentarlo.",
  "error.incorrect_number": "El número de tarjeta es incorrecto. Revísalo y vuelve a intentarlo.",
  "error.processing_error": "Tu banco no pudo procesar el pago. Vuelve a intentarlo en unos momentos.",
  "error.authentication_failed":
    "Tu banco no pudo confirmar que eras tú. Vuelve a intentarlo o usa otra tarjeta.",
  "error.card_not_supported": "Esta tarjeta no admite este tipo de compra. Usa otra tarjeta.",
  "error.currency_not_supported": "Esta tarjeta no permite pagar en esta moneda. Usa otra tarjeta.",
  "error.method_declined": "{method} rechazó el pago. Elige otro método de pago.",
  "error.timeout": "Estamos confirmando con tu banco; no se te cobrará dos veces.",
  "error.network": "Se perdió la conexión. Tu pago está a salvo: estamos comprobando su estado.",
  "error.rate_limited": "Demasiados intentos. Espera un minuto y vuelve a intentarlo.",
  "error.generic": "Algo salió mal de nuestro lado. No se te cobró nada. Vuelve a intentarlo.",
  "error.help_link": "¿Por qué pasó esto?",

  // Accessibility
  "a11y.required": "obligatorio",
  "a11y.loading": "Cargando",
  "a11y.close": "Cerrar",
};
