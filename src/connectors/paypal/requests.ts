/** The bodies Payrail sends to PayPal, built from our requests; pure, so tables can test them. */
import type { LocalPaymentRequest, ModifyRequest } from "../contract.ts";
import { type PayPalMoney, toPayPalMoney } from "./amounts.ts";

/** Added to the cancel URL so the return route can tell a cancellation from an approval. */
export const CANCEL_PARAM = "paypal_cancel";
const DESCRIPTION_MAX = 127;
const LOCALE = /^[a-z]{2}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$/;

/** Where PayPal sends a shopper who cancels: our return URL with `paypal_cancel=1`. */
export function cancelUrlOf(returnUrl: string): string {
  const hash = returnUrl.indexOf("#");
  const base = hash < 0 ? returnUrl : returnUrl.slice(0, hash);
  const fragment = hash < 0 ? "" : returnUrl.slice(hash);
  return `${base}${base.includes("?") ? "&" : "?"}${CANCEL_PARAM}=1${fragment}`;
}

/** `en_us`, `en-US`, `zh-Hant-TW` → PayPal's BCP 47 form, or undefined when it is not one. */
export function paypalLocale(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  const parts = locale.trim().replaceAll("_", "-").split("-");
  const normalized = parts
    .map((part, index) => {
      if (index === 0) return part.toLowerCase();
      if (part.length === 4) return `${part[0]?.toUpperCase()}${part.slice(1).toLowerCase()}`;
      return part.toUpperCase();
    })
    .join("-");
  return LOCALE.test(normalized) ? normalized : undefined;
}

function truncate(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : characters.slice(0, max).join("");
}

/**
 * POST /v2/checkout/orders. Our reference is the order's `custom_id` and `invoice_id` (PayPal echoes both
 * on its captures, authorizations and webhooks) and its PayPal-Request-Id. Orders v2 has no field for an
 * expiry: PayPal forgets an order nobody approved after 3 hours.
 */
export function orderRequestBody(request: LocalPaymentRequest, amount: PayPalMoney): object {
  const locale = paypalLocale(request.shopper.locale);
  return {
    intent: request.capture ? "CAPTURE" : "AUTHORIZE",
    purchase_units: [
      {
        amount,
        custom_id: request.reference,
        invoice_id: request.reference,
        description: truncate(request.description, DESCRIPTION_MAX),
      },
    ],
    payment_source: {
      paypal: {
        experience_context: {
          return_url: request.returnUrl,
          cancel_url: cancelUrlOf(request.returnUrl),
          // Payrail captures on the shopper's return, with no review page of its own in between.
          user_action: "PAY_NOW",
          ...(locale ? { locale } : {}),
        },
      },
    },
  };
}

/**
 * POST /v2/payments/authorizations/{id}/capture. The capture's `invoice_id` is our capture reference, so
 * its PAYMENT.CAPTURE.* notifications name the capture Payrail asked for.
 */
export function captureRequestBody(request: ModifyRequest & { final: boolean }): object | null {
  const amount = toPayPalMoney(request.amount, request.currency);
  if (!amount) return null;
  return { amount, final_capture: request.final, invoice_id: request.reference };
}

/** POST /v2/payments/captures/{id}/refund; `custom_id` carries our refund reference into notifications. */
export function refundRequestBody(request: ModifyRequest): object | null {
  const amount = toPayPalMoney(request.amount, request.currency);
  if (!amount) return null;
  return { amount, custom_id: request.reference };
}
