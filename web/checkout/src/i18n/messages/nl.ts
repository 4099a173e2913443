import type { Messages } from "./en.ts";

/** Dutch, addressing the shopper as "je" like Dutch payment products do. */
export const messages: Messages = {
  // Page frame
  "page.title": "Betalen aan {merchant}",
  "page.total": "Totaal",
  "page.test_mode": "Testmodus — er wordt geen echt geld overgemaakt",
  "page.language": "Taal",
  "page.secure_note":
    "Betalingen worden versleuteld en verwerkt door Payrail. De winkel ziet je kaartnummer nooit.",
  "page.help": "Hulp bij betalen",
  "page.back_to_shop": "Terug naar {merchant}",
  "page.quantity": "Aantal: {quantity}",
  "fx.show_in": "Toon het totaal in",
  "fx.quote": "≈ {amount} (1 {from} = {rate} {to}, koers vastgezet tot {time}). Je betaalt {charged}.",

  // Method picker
  "methods.heading": "Betaalmethode",
  "method.card": "Kaart",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "Alipay",
  "method.wechat_pay": "WeChat Pay",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "Crypto",

  // Card fields
  "card.number": "Kaartnummer",
  "card.expiry": "Vervaldatum (MM / JJ)",
  "card.cvc": "Beveiligingscode (CVC)",
  "card.cvc_hint": "3 cijfers op de achterkant van je kaart; 4 op de voorkant bij American Express",
  "card.name": "Naam op de kaart",
  "card.brand_detected": "Herkende kaart: {brand}",
  "card.save": "Deze kaart bewaren voor de volgende keer",
  "card.invalid_number": "Dit kaartnummer is ongeldig. Controleer de cijfers.",
  "card.incomplete_number": "Het kaartnummer is onvolledig.",
  "card.invalid_expiry": "De vervaldatum is ongeldig. Gebruik MM / JJ.",
  "card.expired": "Deze kaart is verlopen. Gebruik een andere kaart.",
  "card.invalid_cvc": "De beveiligingscode is onvolledig.",
  "card.unsupported_brand": "Dit kaartmerk wordt hier niet geaccepteerd. Gebruik een andere kaart.",

  // Saved cards and passkeys
  "saved.heading": "Je opgeslagen kaarten",
  "saved.card": "{brand} eindigend op {last4}, geldig tot {month}/{year}",
  "saved.use_new": "Nieuwe kaart gebruiken",
  "saved.confirm_with_passkey": "Betalen met toegangssleutel",
  "saved.confirm_with_cvc": "Vul de beveiligingscode in om te betalen",
  "passkey.offer_title": "Volgende keer sneller betalen",
  "passkey.offer_body":
    "Maak een toegangssleutel aan en bevestig volgende betalingen met je vingerafdruk, gezicht of schermvergrendeling.",
  "passkey.create": "Toegangssleutel aanmaken",
  "passkey.created": "Toegangssleutel aangemaakt. Volgende keer betaal je met één aanraking.",
  "passkey.not_now": "Niet nu",
  "passkey.failed":
    "De toegangssleutel kon niet worden gebruikt. Vul in plaats daarvan de beveiligingscode van je kaart in.",

  // Buttons
  "pay.button": "Betaal {amount}",
  "pay.with": "Doorgaan met {method}",
  "pay.cancel": "Annuleren en terug naar de winkel",
  "pay.try_again": "Opnieuw proberen",
  "pay.choose_other": "Andere betaalmethode kiezen",

  // Progress
  "progress.paying": "Bezig met betalen…",
  "progress.confirming": "Bezig met bevestigen bij je bank…",
  "progress.waiting_provider": "Wachten op bevestiging van {method}…",
  "progress.paid": "Betaald",
  "progress.redirecting": "Je gaat terug naar de winkel…",
  "progress.authenticating": "Je bank wil bevestigen dat jij het bent.",
  "progress.resumed": "We hebben je lopende betaling gevonden en controleren de status.",

  // QR and redirect flows
  "qr.scan": "Scan met {method} om te betalen",
  "qr.expires_in": "Verloopt over {time}",
  "qr.expired": "Deze QR-code is verlopen. Kies een betaalmethode om een nieuwe te krijgen.",
  "qr.open_app": "{method} openen",
  "redirect.notice": "Je gaat naar {method} om de betaling goed te keuren en komt daarna hier terug.",
  "redirect.continue": "Doorgaan naar {method}",
  "threeds.title": "Bevestigen bij je bank",

  // Outcomes
  "outcome.succeeded": "Betaling ontvangen. Bedankt!",
  "outcome.processing": "We wachten op bevestiging van je bank. Er wordt niet twee keer afgeschreven.",
  "outcome.canceled": "Deze betaling is geannuleerd. Er is niets afgeschreven.",
  "outcome.expired": "Deze betaling is verlopen voordat ze was afgerond. Er is niets afgeschreven.",
  "outcome.session_expired": "Deze betaalpagina is verlopen. Ga terug naar de winkel om opnieuw te beginnen.",

  // Errors
  "error.card_declined":
    "Je kaart is geweigerd. Gebruik een andere kaart of neem contact op met je kaartuitgever.",
  "error.insufficient_funds":
    "Er is onvoldoende saldo op je kaart. Gebruik een andere kaart of betaalmethode.",
  "error.expired_card": "Je kaart is verlopen. Gebruik een andere kaart.",
  "error.incorrect_cvc":
    "De beveiligingscode klopt niet. Controleer de 3 of 4 cijfers en probeer het opnieuw.",
  "error.incorrect_number": "Het kaartnummer klopt niet. Controleer het en probeer het opnieuw.",
  "error.processing_error": "Je bank kon de betaling niet verwerken. Probeer het zo nog eens.",
  "error.authentication_failed":
    "Je bank kon niet bevestigen dat jij het was. Probeer het opnieuw of gebruik een andere kaart.",
  "error.card_not_supported":
    "Deze kaart is niet geschikt voor dit soort aankopen. Gebruik een andere kaart.",
  "error.currency_not_supported":
    "Met deze kaart kun je niet in deze valuta betalen. Gebruik een andere kaart.",
  "error.method_declined": "{method} heeft de betaling geweigerd. Kies een andere betaalmethode.",
  "error.timeout": "We wachten op bevestiging van je bank. Er wordt niet twee keer afgeschreven.",
  "error.network": "De verbinding is verbroken. Je betaling is veilig: we controleren de status.",
  "error.rate_limited": "Te veel pogingen. Wacht een minuut en probeer het dan opnieuw.",
  "error.generic": "Er ging bij ons iets mis. Er is niets afgeschreven. Probeer het opnieuw.",
  "error.help_link": "Waarom gebeurde dit?",

  // Accessibility
  "a11y.required": "verplicht",
  "a11y.loading": "Laden",
  "a11y.close": "Sluiten",
};
