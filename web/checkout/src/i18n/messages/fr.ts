import type { Messages } from "./en.ts";

/**
 * French. French typography puts a no-break space (\u00a0) before ":", ";", "!" and "?"; it is written as
 * an escape so it cannot be mistaken for (or "fixed" into) an ordinary space.
 */
export const messages: Messages = {
  // Page frame
  "page.title": "Payer {merchant}",
  "page.total": "Total",
  "page.test_mode": "Mode test — aucun argent réel n’est débité",
  "page.language": "Langue",
  "page.secure_note":
    "Les paiements sont chiffrés et traités par Payrail. La boutique ne voit jamais votre numéro de carte.",
  "page.help": "Aide au paiement",
  "page.back_to_shop": "Retour à {merchant}",
  "page.quantity": "Quantité\u00a0: {quantity}",
  "fx.show_in": "Afficher le total en",
  "fx.quote": "≈ {amount} (1 {from} = {rate} {to}, taux garanti jusqu’à {time}). Montant débité : {charged}.",

  // Method picker
  "methods.heading": "Moyen de paiement",
  "method.card": "Carte",
  "method.apple_pay": "Apple Pay",
  "method.google_pay": "Google Pay",
  "method.alipay": "Alipay",
  "method.wechat_pay": "WeChat Pay",
  "method.paypal": "PayPal",
  "method.ideal": "iDEAL",
  "method.grabpay": "GrabPay",
  "method.crypto": "Crypto",

  // Card fields
  "card.number": "Numéro de carte",
  "card.expiry": "Date d’expiration (MM / AA)",
  "card.cvc": "Code de sécurité (CVC)",
  "card.cvc_hint": "3 chiffres au dos de votre carte\u00a0; 4 au recto pour American Express",
  "card.name": "Nom du titulaire de la carte",
  "card.brand_detected": "Carte détectée\u00a0: {brand}",
  "card.save": "Enregistrer cette carte pour la prochaine fois",
  "card.invalid_number": "Ce numéro de carte n’est pas valide. Vérifiez les chiffres.",
  "card.incomplete_number": "Le numéro de carte est incomplet.",
  "card.invalid_expiry": "La date d’expiration n’est pas valide. Utilisez le format MM / AA.",
  "card.expired": "Cette carte a expiré. Utilisez une autre carte.",
  "card.invalid_cvc": "Le code de sécurité est incomplet.",
  "card.unsupported_brand": "Ce type de carte n’est pas accepté ici. Utilisez une autre carte.",

  // Saved cards and passkeys
  "saved.heading": "Vos cartes enregistrées",
  "saved.card": "{brand} se terminant par {last4}, expire fin {month}/{year}",
  "saved.use_new": "Utiliser une nouvelle carte",
  "saved.confirm_with_passkey": "Payer avec une clé d’accès",
  "saved.confirm_with_cvc": "Saisissez le code de sécurité pour payer",
  "passkey.offer_title": "Payez plus vite la prochaine fois",
  "passkey.offer_body":
    "Créez une clé d’accès pour confirmer vos prochains paiements avec votre empreinte digitale, votre visage ou le verrouillage de l’écran.",
  "passkey.create": "Créer une clé d’accès",
  "passkey.created": "Clé d’accès créée. La prochaine fois, payez d’une simple touche.",
  "passkey.not_now": "Pas maintenant",
  "passkey.failed":
    "La clé d’accès n’a pas pu être utilisée. Saisissez plutôt le code de sécurité de votre carte.",

  // Buttons
  "pay.button": "Payer {amount}",
  "pay.with": "Continuer avec {method}",
  "pay.cancel": "Annuler et revenir à la boutique",
  "pay.try_again": "Réessayer",
  "pay.choose_other": "Choisir un autre moyen de paiement",

  // Progress
  "progress.paying": "Paiement en cours…",
  "progress.confirming": "Confirmation auprès de votre banque…",
  "progress.waiting_provider": "En attente de la confirmation de {method}…",
  "progress.paid": "Payé",
  "progress.redirecting": "Retour à la boutique…",
  "progress.authenticating": "Votre banque souhaite vérifier qu’il s’agit bien de vous.",
  "progress.resumed": "Nous avons retrouvé votre paiement en cours et vérifions son statut.",

  // QR and redirect flows
  "qr.scan": "Scannez avec {method} pour payer",
  "qr.expires_in": "Expire dans {time}",
  "qr.expired": "Ce code QR a expiré. Choisissez un moyen de paiement pour en obtenir un nouveau.",
  "qr.open_app": "Ouvrir {method}",
  "redirect.notice":
    "Vous allez passer par {method} pour approuver le paiement, puis revenir sur cette page.",
  "redirect.continue": "Continuer vers {method}",
  "threeds.title": "Confirmez auprès de votre banque",

  // Outcomes
  "outcome.succeeded": "Paiement reçu. Merci\u00a0!",
  "outcome.processing":
    "Nous attendons la confirmation de votre banque. Le montant ne sera débité qu’une fois.",
  "outcome.canceled": "Ce paiement a été annulé. Aucun montant n’a été débité.",
  "outcome.expired": "Ce paiement a expiré avant d’être finalisé. Aucun montant n’a été débité.",
  "outcome.session_expired": "Cette page de paiement a expiré. Revenez à la boutique pour recommencer.",

  // Errors
  "error.card_declined": "Votre carte a été refusée. Utilisez une autre carte ou contactez votre banque.",
  "error.insufficient_funds":
    "Les fonds disponibles sur votre carte sont insuffisants. Utilisez une autre carte ou un autre moyen de paiement.",
  "error.expired_card": "Votre carte a expiré. Utilisez une autre carte.",
  "error.incorrect_cvc": "Le code de sécurité est incorrect. Vérifiez les 3 ou 4 chiffres et réessayez.",
  "error.incorrect_number": "Le numéro de carte est incorrect. Vérifiez-le et réessayez.",
  "error.processing_error": "Votre banque n’a pas pu traiter le paiement. Réessayez dans un instant.",
  "error.authentication_failed":
    "Votre banque n’a pas pu confirmer votre identité. Réessayez ou utilisez une autre carte.",
  "error.card_not_supported": "Cette carte ne permet pas ce type d’achat. Utilisez une autre carte.",
  "error.currency_not_supported":
    "Cette carte ne permet pas de payer dans cette devise. Utilisez une autre carte.",
  "error.method_declined": "{method} a refusé le paiement. Choisissez un autre moyen de paiement.",
  "error.timeout": "Nous attendons la confirmation de votre banque. Le montant ne sera débité qu’une fois.",
  "error.network":
    "La connexion a été interrompue. Votre paiement est en sécurité\u00a0: nous vérifions son statut.",
  "error.rate_limited": "Trop de tentatives. Patientez une minute, puis réessayez.",
  "error.generic": "Un problème est survenu de notre côté. Aucun montant n’a été débité. Réessayez.",
  "error.help_link": "Pourquoi cela s’est-il produit\u00a0?",

  // Accessibility
  "a11y.required": "obligatoire",
  "a11y.loading": "Chargement",
  "a11y.close": "Fermer",
};
