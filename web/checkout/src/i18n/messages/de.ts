import type { Messages } from "./en.ts";

/** German, addressing the shopper as "Sie". */
export const messages: Messages = {
  // Page frame
  "page.title": "Zahlung an {merchant}",
  "page.total": "Gesamt",
  "page.test_mode": "Testmodus – es wird kein echtes Geld bewegt",
  "page.language": "Sprache",
  "page.secure_note":
    "Zahlungen werden verschlüsselt und von Payrail abgewickelt. Der Shop sieht Ihre Kartennummer nie.",
  "page.help": "Hilfe zur Zahlung",
  "page.back_to_shop": "Zurück zu {merchant}",
  "page.quantity": "Menge: {quantity}",
  "fx.show_in": "Gesamtbetrag anzeigen in",
  "fx.quote": "≈ {amount} (1 {from} = {rate} {to}, Kurs fest bis {time}). Belastet werden {charged}.",

  // Method picker
  "methods.heading": "Zahlungsmethode",
  "method.card": "Karte",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "Alipay",
  "method.wechat_pay": "WeChat Pay",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "Krypto",

  // Card fields
  "card.number": "Kartennummer",
  "card.expiry": "Ablaufdatum (MM / JJ)",
  "card.cvc": "Sicherheitscode (CVC)",
  "card.cvc_hint": "3 Ziffern auf der Rückseite Ihrer Karte; bei American Express 4 auf der Vorderseite",
  "card.name": "Name auf der Karte",
  "card.brand_detected": "Erkannte Karte: {brand}",
  "card.save": "Karte für das nächste Mal speichern",
  "card.invalid_number": "Diese Kartennummer ist ungültig. Bitte prüfen Sie die Ziffern.",
  "card.incomplete_number": "Die Kartennummer ist unvollständig.",
  "card.invalid_expiry": "Das Ablaufdatum ist ungültig. Bitte im Format MM / JJ eingeben.",
  "card.expired": "Diese Karte ist abgelaufen. Bitte verwenden Sie eine andere Karte.",
  "card.invalid_cvc": "Der Sicherheitscode ist unvollständig.",
  "card.unsupported_brand":
    "Diese Kartenart wird hier nicht akzeptiert. Bitte verwenden Sie eine andere Karte.",

  // Saved cards and passkeys
  "saved.heading": "Ihre gespeicherten Karten",
  "saved.card": "{brand} mit Endziffern {last4}, gültig bis {month}/{year}",
  "saved.use_new": "Neue Karte verwenden",
  "saved.confirm_with_passkey": "Mit Passkey bezahlen",
  "saved.confirm_with_cvc": "Sicherheitscode eingeben und bezahlen",
  "passkey.offer_title": "Nächstes Mal schneller bezahlen",
  "passkey.offer_body":
    "Erstellen Sie einen Passkey, um künftige Zahlungen per Fingerabdruck, Gesichtserkennung oder Displaysperre zu bestätigen.",
  "passkey.create": "Passkey erstellen",
  "passkey.created": "Passkey erstellt. Nächstes Mal bezahlen Sie mit einer Berührung.",
  "passkey.not_now": "Nicht jetzt",
  "passkey.failed":
    "Der Passkey konnte nicht verwendet werden. Bitte geben Sie stattdessen den Sicherheitscode Ihrer Karte ein.",

  // Buttons
  "pay.button": "{amount} bezahlen",
  "pay.with": "Weiter mit {method}",
  "pay.cancel": "Abbrechen und zurück zum Shop",
  "pay.try_again": "Erneut versuchen",
  "pay.choose_other": "Andere Zahlungsmethode wählen",

  // Progress
  "progress.paying": "Zahlung läuft…",
  "progress.confirming": "Ihre Bank bestätigt die Zahlung…",
  "progress.waiting_provider": "Warten auf Bestätigung durch {method}…",
  "progress.paid": "Bezahlt",
  "progress.redirecting": "Sie werden zum Shop zurückgeleitet…",
  "progress.authenticating": "Ihre Bank möchte bestätigen, dass Sie es sind.",
  "progress.resumed": "Wir haben Ihre laufende Zahlung gefunden und prüfen gerade ihren Status.",

  // QR and redirect flows
  "qr.scan": "Mit {method} scannen und bezahlen",
  "qr.expires_in": "Läuft ab in {time}",
  "qr.expired": "Dieser QR-Code ist abgelaufen. Wählen Sie eine Zahlungsmethode, um einen neuen zu erhalten.",
  "qr.open_app": "{method} öffnen",
  "redirect.notice":
    "Sie werden zu {method} weitergeleitet, um die Zahlung freizugeben, und kommen danach hierher zurück.",
  "redirect.continue": "Weiter zu {method}",
  "threeds.title": "Bei Ihrer Bank bestätigen",

  // Outcomes
  "outcome.succeeded": "Zahlung erhalten. Vielen Dank!",
  "outcome.processing": "Wir warten auf die Bestätigung Ihrer Bank. Sie werden nicht doppelt belastet.",
  "outcome.canceled": "Diese Zahlung wurde abgebrochen. Es wurde nichts abgebucht.",
  "outcome.expired":
    "Diese Zahlung ist abgelaufen, bevor sie abgeschlossen wurde. Es wurde nichts abgebucht.",
  "outcome.session_expired":
    "Diese Bezahlseite ist abgelaufen. Kehren Sie zum Shop zurück, um neu zu beginnen.",

  // Errors
  "error.card_declined":
    "Ihre Karte wurde abgelehnt. Verwenden Sie eine andere Karte oder wenden Sie sich an Ihre Bank.",
  "error.insufficient_funds":
    "Ihre Karte ist nicht ausreichend gedeckt. Verwenden Sie eine andere Karte oder Zahlungsmethode.",
  "error.expired_card": "Ihre Karte ist abgelaufen. Bitte verwenden Sie eine andere Karte.",
  "error.incorrect_cvc":
    "Der Sicherheitscode ist falsch. Prüfen Sie die 3 oder 4 Ziffern und versuchen Sie es erneut.",
  "error.incorrect_number": "Die Kartennummer ist falsch. Prüfen Sie sie und versuchen Sie es erneut.",
  "error.processing_error":
    "Ihre Bank konnte die Zahlung nicht verarbeiten. Versuchen Sie es in einem Moment noch einmal.",
  "error.authentication_failed":
    "Ihre Bank konnte nicht bestätigen, dass Sie es sind. Versuchen Sie es erneut oder verwenden Sie eine andere Karte.",
  "error.card_not_supported":
    "Diese Karte unterstützt diese Art von Kauf nicht. Bitte verwenden Sie eine andere Karte.",
  "error.currency_not_supported":
    "Mit dieser Karte kann nicht in dieser Währung bezahlt werden. Bitte verwenden Sie eine andere Karte.",
  "error.method_declined":
    "{method} hat die Zahlung abgelehnt. Bitte wählen Sie eine andere Zahlungsmethode.",
  "error.timeout": "Wir warten auf die Bestätigung Ihrer Bank. Sie werden nicht doppelt belastet.",
  "error.network": "Die Verbindung wurde unterbrochen. Ihre Zahlung ist sicher: Wir prüfen ihren Status.",
  "error.rate_limited": "Zu viele Versuche. Bitte warten Sie eine Minute und versuchen Sie es dann erneut.",
  "error.generic":
    "Bei uns ist ein Fehler aufgetreten. Ihnen wurde nichts berechnet. Bitte versuchen Sie es erneut.",
  "error.help_link": "Warum ist das passiert?",

  // Accessibility
  "a11y.required": "Pflichtfeld",
  "a11y.loading": "Wird geladen",
  "a11y.close": "Schließen",
};
