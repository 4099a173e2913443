/**
 * What the checkout page (hosted at `/pay/<session>` or embedded through the SDK) receives from the
 * page API (`/pay/api/intents/:id`). Types only: the browser bundle imports them too.
 */

export const CHECKOUT_LOCALES = [
  "en",
  "zh-CN",
  "zh-TW",
  "ja",
  "ko",
  "th",
  "ms",
  "id",
  "vi",
  "nl",
  "de",
  "fr",
  "es",
  "ar",
] as const;
export type CheckoutLocale = (typeof CHECKOUT_LOCALES)[number];

export const CHECKOUT_METHOD_TYPES = [
  "card",
  "apple_pay",
  "google_pay",
  "alipay",
  "wechat_pay",
  "paypal",
  "ideal",
  "grabpay",
  "crypto",
] as const;
export type CheckoutMethodType = (typeof CHECKOUT_METHOD_TYPES)[number];

/** How the page completes a method: card fields, a wallet sheet, a redirect or a QR code to scan. */
export type CheckoutFlow = "card_fields" | "wallet" | "redirect" | "qr_code";

export interface CheckoutMethod {
  type: CheckoutMethodType;
  flow: CheckoutFlow;
  /** The `channel` sent with the confirm for local methods (web, h5, qr_code, …), chosen for the device. */
  channel?: string | undefined;
  /** Shown only if the browser says it can (Apple Pay: ApplePaySession.canMakePayments). */
  needs_browser_support?: boolean | undefined;
}

export type ShopperDevice = "mobile" | "desktop" | "in_app";

export type CheckoutNextAction =
  | { type: "redirect_to_url"; redirect_to_url: { url: string; return_url: string | null } }
  | {
      type: "display_qr_code";
      display_qr_code: {
        data: string;
        image_data_url: string;
        mobile_url: string | null;
        expires_at: number | null;
      };
    }
  | { type: "deep_link"; deep_link: { url: string; expires_at: number | null } }
  | { type: string; [key: string]: unknown };

export type CheckoutIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "requires_capture"
  | "succeeded"
  | "canceled";

export interface CheckoutError {
  /** The API's error code (`card_declined`, `expired_card`, …) and the decline code when a card was declined. */
  code: string;
  decline_code?: string | null | undefined;
  /** Already in the shopper's language. */
  message: string;
}

/** The total shown in another currency at a locked quote: for information, the charge is unchanged. */
export interface DisplayQuote {
  quote: string;
  currency: string;
  /** Integer minor units of `currency`. */
  amount: number;
  /** Units of `currency` per unit of the intent's currency (display rounding). */
  rate: string;
  expires_at: number | null;
}

export interface SavedCard {
  id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}

export interface CheckoutView {
  intent: {
    id: string;
    status: CheckoutIntentStatus;
    /** Integer minor units. */
    amount: number;
    currency: string;
    next_action: CheckoutNextAction | null;
    last_payment_error: CheckoutError | null;
    cancellation_reason: string | null;
    /** The payment method type of the latest attempt, when there was one. */
    payment_method_type: string | null;
  };
  /** Present on the hosted page (a checkout session), absent when embedded with a client secret. */
  session: {
    id: string;
    status: "open" | "complete" | "expired";
    success_url: string;
    cancel_url: string | null;
    expires_at: number;
    line_items: Array<{ name: string; quantity: number; amount: number }>;
  } | null;
  merchant: { name: string };
  livemode: boolean;
  locale: CheckoutLocale;
  /** What the shopper can pay with here, best first. */
  methods: CheckoutMethod[];
  device: ShopperDevice;
  /** The shopper's country as far as known (ISO 3166-1 alpha-2), for display. */
  country: string | null;
  customer: { id: string; saved_cards: SavedCard[]; has_passkey: boolean } | null;
  /** Currencies the merchant lets the shopper see the total in (lower case); the charge stays in the intent's. */
  display_currencies: string[];
  /** What the page needs to open Apple Pay's or Google Pay's sheet, when the merchant set them up. */
  wallets: {
    google_pay: {
      environment: "TEST" | "PRODUCTION";
      merchant_id: string;
      merchant_name: string;
      /** DIRECT tokenization: the merchant's ECv2 public key (base64, uncompressed point). */
      public_key: string;
    } | null;
    apple_pay: { merchant_identifier: string; display_name: string } | null;
  };
}
