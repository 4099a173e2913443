/**
 * Payrail.js: puts Payrail's payment form on a merchant's page, in an iframe served by Payrail, so card
 * data never touches the merchant's page.
 *
 *   <script src="https://pay.example.com/sdk/v1/payrail.js" integrity="sha384-…" crossorigin="anonymous"></script>
 *   const form = Payrail("pk_test_…").mount("#payment", { clientSecret });
 *   form.on("success", ({ paymentIntent }) => location.assign(`/orders/${paymentIntent.id}`));
 *
 * One entry for both builds. As a classic script (payrail.js) it sets `window.Payrail`; as a module
 * (payrail.mjs) it exports `Payrail`, also as the default export. Either way Payrail's address defaults
 * to the origin the script was loaded from, read while the script runs: a classic script is
 * `document.currentScript` then (and only then), a module knows its own `import.meta.url`.
 */
import type { CheckoutTheme } from "../../checkout/src/embed-protocol.ts";
import { type CheckoutElement, type MountOptions, mountCheckout } from "./element.ts";
import { checkPublishableKey, resolveBaseUrl } from "./inputs.ts";

export type {
  CheckoutElement,
  CheckoutEventHandler,
  CheckoutEventMap,
  CheckoutEventName,
  MountOptions,
  UpdateOptions,
} from "./element.ts";
export type { CheckoutTheme };

export interface PayrailOptions {
  /** Payrail's address, e.g. "https://pay.example.com"; only its origin is used. */
  baseUrl?: string;
}

export interface PayrailInstance {
  mount(target: string | HTMLElement, options: MountOptions): CheckoutElement;
}

/** Null for a module (and outside browsers): `currentScript` is set only while a classic script runs. */
const classicScript: HTMLScriptElement | null =
  typeof document === "undefined" ? null : (document.currentScript as HTMLScriptElement | null);

const loadedFrom: string = classicScript?.src || import.meta.url;

export function Payrail(publishableKey: string, options: PayrailOptions = {}): PayrailInstance {
  const key = checkPublishableKey(publishableKey);
  const baseUrl = resolveBaseUrl(options?.baseUrl, loadedFrom);
  return {
    mount: (target, mountOptions) => mountCheckout({ publishableKey: key, baseUrl }, target, mountOptions),
  };
}

export default Payrail;

if (classicScript && typeof window !== "undefined") {
  const global = window as unknown as { Payrail: typeof Payrail };
  global.Payrail = Payrail;
  // An IIFE build named "Payrail" assigns its export object to the same global once this script's body
  // has run; the microtask after it (before any later script) puts the function back.
  queueMicrotask(() => {
    global.Payrail = Payrail;
  });
}
