import {
  type CheckoutTheme,
  embedUrl,
  type FrameEvent,
  SDK_SOURCE,
  type SdkMessage,
} from "../../checkout/src/embed-protocol.ts";
import { acceptFrameMessage } from "./frame-messages.ts";
import { checkLocale, checkTheme, intentIdFromClientSecret } from "./inputs.ts";

export type CheckoutEventName = "ready" | "change" | "submit" | "success" | "error";
export type CheckoutEventMap = { [E in CheckoutEventName]: Extract<FrameEvent, { type: E }>["payload"] };
export type CheckoutEventHandler<E extends CheckoutEventName> = (payload: CheckoutEventMap[E]) => void;

export interface MountOptions {
  clientSecret: string;
  locale?: string;
  theme?: CheckoutTheme;
}

export interface UpdateOptions {
  locale?: string;
  theme?: CheckoutTheme;
}

export interface CheckoutElement {
  on<E extends CheckoutEventName>(event: E, handler: CheckoutEventHandler<E>): CheckoutElement;
  off<E extends CheckoutEventName>(event: E, handler: CheckoutEventHandler<E>): CheckoutElement;
  update(options: UpdateOptions): void;
  unmount(): void;
}

const EVENTS: readonly string[] = [
  "ready",
  "change",
  "submit",
  "success",
  "error",
] satisfies CheckoutEventName[];
/** How long the frame may take to say it is ready before the page is told (an `error` event). */
const READY_TIMEOUT_MS = 20_000;
/** Containers holding a form, so that mounting twice into one is refused rather than stacking frames. */
const occupied = new WeakSet<object>();

function findContainer(target: string | HTMLElement): HTMLElement {
  if (typeof target === "string") {
    let found: HTMLElement | null = null;
    try {
      found = document.querySelector<HTMLElement>(target);
    } catch {}
    if (!found) throw new Error(`Payrail: mount() found no element matching "${target}".`);
    return found;
  }
  if (target && typeof target.appendChild === "function") return target;
  throw new Error("Payrail: mount() needs an element, or a CSS selector of one, to put the form in.");
}

export function mountCheckout(
  account: { publishableKey: string; baseUrl: string },
  target: string | HTMLElement,
  options: MountOptions,
): CheckoutElement {
  if (!options || typeof options !== "object") {
    throw new Error("Payrail: mount() needs options: { clientSecret: paymentIntent.client_secret }.");
  }
  const intentId = intentIdFromClientSecret(options.clientSecret);
  let locale = checkLocale(options.locale);
  let theme = checkTheme(options.theme);
  const parentOrigin = location.origin;
  if (!parentOrigin || parentOrigin === "null") {
    throw new Error(
      "Payrail: the payment form needs a page served over http(s), not a file or sandboxed page.",
    );
  }
  const container = findContainer(target);
  if (occupied.has(container)) {
    throw new Error("Payrail: this element already holds a payment form; unmount() that one first.");
  }
  const payrailOrigin = new URL(account.baseUrl).origin;

  const iframe = document.createElement("iframe");
  iframe.src = embedUrl(account.baseUrl, {
    intentId,
    publishableKey: account.publishableKey,
    clientSecret: options.clientSecret,
    parentOrigin,
    ...(locale ? { locale } : {}),
  });
  iframe.title = "Secure payment form";
  // Payment Request (Apple Pay, Google Pay) and passkeys work in a cross-origin frame only when allowed.
  iframe.setAttribute("allow", "payment *; publickey-credentials-get *; publickey-credentials-create *");
  // Styles go through the CSSOM, which a page's strict style-src does not block (a style attribute would be).
  const style = iframe.style;
  style.display = "block";
  style.width = "100%";
  style.border = "0";
  style.height = "320px";
  style.overflow = "hidden";

  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  let ready = false;
  let mounted = true;

  const emit = (type: CheckoutEventName, payload: unknown) => {
    for (const handler of [...(handlers.get(type) ?? [])]) {
      try {
        handler(payload);
      } catch (error) {
        console.error(`Payrail: a "${type}" handler threw`, error);
      }
    }
  };

  const configure = () => {
    const message: SdkMessage = {
      source: SDK_SOURCE,
      type: "configure",
      payload: { ...(theme ? { theme } : {}), ...(locale ? { locale } : {}) },
    };
    iframe.contentWindow?.postMessage(message, payrailOrigin);
  };

  const timer = setTimeout(() => {
    console.warn(
      `Payrail: the payment form did not load. Is ${parentOrigin} among the checkout settings' embed_origins?`,
    );
    emit("error", { code: "frame_load_timeout", message: "The payment form could not be loaded." });
  }, READY_TIMEOUT_MS);

  const onMessage = (event: MessageEvent) => {
    const message = acceptFrameMessage(event, { payrailOrigin, frameWindow: iframe.contentWindow });
    if (!message) return;
    if (message.type === "ready" || message.type === "resize") {
      style.height = `${Math.ceil(message.payload.height)}px`;
    }
    if (message.type === "resize") return;
    if (message.type === "ready") {
      ready = true;
      clearTimeout(timer);
      configure();
    }
    emit(message.type, message.payload);
  };

  const checkEvent = (event: unknown) => {
    if (typeof event !== "string" || !EVENTS.includes(event)) {
      throw new Error(`Payrail: no event "${String(event)}"; the events are ${EVENTS.join(", ")}.`);
    }
  };

  window.addEventListener("message", onMessage);
  occupied.add(container);
  container.appendChild(iframe);

  const element: CheckoutElement = {
    on(event, handler) {
      checkEvent(event);
      if (typeof handler !== "function") throw new Error(`Payrail: on("${event}") needs a function.`);
      const set = handlers.get(event) ?? new Set();
      set.add(handler as (payload: unknown) => void);
      handlers.set(event, set);
      return element;
    },
    off(event, handler) {
      checkEvent(event);
      handlers.get(event)?.delete(handler as (payload: unknown) => void);
      return element;
    },
    update(changes) {
      if (!mounted) throw new Error("Payrail: update() on a payment form that was unmounted.");
      if (!changes || typeof changes !== "object")
        throw new Error("Payrail: update() needs { locale?, theme? }.");
      const nextLocale = checkLocale(changes.locale);
      const nextTheme = checkTheme(changes.theme);
      if (nextLocale) locale = nextLocale;
      if (nextTheme) theme = { ...theme, ...nextTheme };
      if (ready) configure();
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      clearTimeout(timer);
      window.removeEventListener("message", onMessage);
      handlers.clear();
      iframe.remove();
      occupied.delete(container);
    },
  };
  return element;
}
