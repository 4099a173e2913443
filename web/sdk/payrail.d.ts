/**
 * Payrail.js — Payrail's payment form on your page, in an iframe served by Payrail, so card data never
 * touches your page.
 *
 * Hand-written; kept in step with src/payrail.ts by src/payrail.test.ts (checked by the type checker).
 */

/** How the payment form looks. Anything the frame cannot use safely is ignored by it. */
export interface CheckoutTheme {
  /** CSS colors (#rgb, #rrggbb, rgb()/hsl()). */
  colorPrimary?: string;
  colorBackground?: string;
  colorText?: string;
  colorDanger?: string;
  /** A CSS length, e.g. "8px". */
  borderRadius?: string;
  /** A font family list of installed fonts (the frame loads no web fonts). */
  fontFamily?: string;
}

export type CheckoutEventName = "ready" | "change" | "submit" | "success" | "error";

export type CheckoutEventMap = {
  /** The form is shown; `height` is its height in CSS pixels. */
  ready: { height: number };
  /** The shopper picked a method or typed; `complete` says whether the form could be submitted. */
  change: { method: string; complete: boolean };
  /** The shopper pressed pay. */
  submit: { method: string };
  /**
   * The payment went through (`status` "succeeded", or "requires_capture" for a manual capture). Confirm
   * it from your server (GET /v1/payment_intents/:id) before fulfilling the order.
   */
  success: { paymentIntent: { id: string; status: string } };
  /** Something the shopper should know: a declined card, a failed 3-D Secure check, a form that did not load. */
  error: { code: string; message: string };
};

export type CheckoutEventHandler<E extends CheckoutEventName> = (payload: CheckoutEventMap[E]) => void;

export interface MountOptions {
  /** The PaymentIntent's `client_secret` (pi_…_secret_…), which your server got when creating it. */
  clientSecret: string;
  /** "auto" (the shopper's browser language) or a language tag such as "en" or "zh-CN". */
  locale?: string;
  theme?: CheckoutTheme;
}

export interface UpdateOptions {
  locale?: string;
  /** Merged into the current theme. */
  theme?: CheckoutTheme;
}

/** The payment form in its iframe. */
export interface CheckoutElement {
  /** Calls `handler` on each `event`; a handler that throws is reported on the console and skipped. */
  on<E extends CheckoutEventName>(event: E, handler: CheckoutEventHandler<E>): CheckoutElement;
  off<E extends CheckoutEventName>(event: E, handler: CheckoutEventHandler<E>): CheckoutElement;
  /** Changes the form's language or look in place. */
  update(options: UpdateOptions): void;
  /** Removes the iframe and every handler; the container can take a new form. */
  unmount(): void;
}

export interface PayrailOptions {
  /**
   * Payrail's address, e.g. "https://pay.example.com"; only its origin is used. Defaults to the origin
   * the script was loaded from (its /sdk/v1/payrail.js or .mjs); pass it when the SDK is bundled into your
   * own scripts.
   */
  baseUrl?: string;
}

export interface PayrailInstance {
  /**
   * Puts the payment form for one PaymentIntent into `target` (an element or a CSS selector). Your page's
   * origin must be among the checkout settings' `embed_origins` (POST /v1/checkout/settings).
   */
  mount(target: string | HTMLElement, options: MountOptions): CheckoutElement;
}

/** Payrail.js for one merchant, with its publishable key (pk_test_… or pk_live_…), never its secret key. */
export declare function Payrail(publishableKey: string, options?: PayrailOptions): PayrailInstance;

export default Payrail;
