/**
 * Messages between the SDK on the merchant's page and the checkout form in Payrail's iframe. Both sides
 * check the other's origin (the frame knows the parent origin the server validated against the
 * merchant's registered domains; the SDK knows Payrail's) and the `source` tag. No card data ever
 * crosses this channel: only events and presentation settings.
 */

export const FRAME_SOURCE = "payrail-checkout";
export const SDK_SOURCE = "payrail-sdk";

export interface CheckoutTheme {
  /** CSS colors (#rgb, #rrggbb, rgb()/hsl()); anything else is ignored by the frame. */
  colorPrimary?: string;
  colorBackground?: string;
  colorText?: string;
  colorDanger?: string;
  /** CSS length, e.g. "8px". */
  borderRadius?: string;
  /** A font family list of installed fonts (the frame loads no web fonts). */
  fontFamily?: string;
}

export type FrameEvent =
  | { type: "ready"; payload: { height: number } }
  | { type: "change"; payload: { method: string; complete: boolean } }
  | { type: "submit"; payload: { method: string } }
  | { type: "success"; payload: { paymentIntent: { id: string; status: string } } }
  | { type: "error"; payload: { code: string; message: string } }
  | { type: "resize"; payload: { height: number } };

export type FrameMessage = FrameEvent & { source: typeof FRAME_SOURCE };

export type SdkMessage = {
  source: typeof SDK_SOURCE;
  type: "configure";
  payload: { theme?: CheckoutTheme; locale?: string };
};

/** The iframe's address: the client secret travels in the fragment, which browsers never send to a server. */
export function embedUrl(
  base: string,
  input: {
    intentId: string;
    publishableKey: string;
    clientSecret: string;
    parentOrigin: string;
    locale?: string;
  },
): string {
  const url = new URL(`/pay/embed/${encodeURIComponent(input.intentId)}`, base);
  url.searchParams.set("key", input.publishableKey);
  url.searchParams.set("parent", input.parentOrigin);
  if (input.locale) url.searchParams.set("locale", input.locale);
  url.hash = input.clientSecret;
  return url.toString();
}
