import { render } from "preact";
import type { CheckoutView } from "../../../src/checkout/view-types.ts";
import { App } from "./App.tsx";
import { createPageApi } from "./api.ts";
import { THREEDS_FRAME_NAME } from "./components/ThreeDS.tsx";
import {
  type CheckoutTheme,
  FRAME_SOURCE,
  type FrameEvent,
  SDK_SOURCE,
  type SdkMessage,
} from "./embed-protocol.ts";
import { textDirection } from "./i18n/index.ts";
import { type T, translator } from "./t.ts";
import "./styles.css";

interface Bootstrap {
  mode: "hosted" | "embed" | "frame-return";
  intentId: string;
  clientSecret?: string;
  parentOrigin?: string;
  locale: string;
  messages: Record<string, string>;
  view?: CheckoutView;
}

const root = document.getElementById("app") as HTMLElement;
const boot = JSON.parse(document.getElementById("payrail-bootstrap")?.textContent ?? "{}") as Bootstrap;

// A bank's 3-D Secure page sent this frame back to us: tell the page that holds the frame, and stop.
if (window.name === THREEDS_FRAME_NAME && window.parent !== window) {
  window.parent.postMessage({ source: THREEDS_FRAME_NAME, type: "done" }, location.origin);
  root.textContent = "";
} else {
  void start();
}

const COLOR = /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([0-9.,%\s/]+\))$/i;
const LENGTH = /^[0-9]{1,2}(\.[0-9]+)?(px|rem|em)$/;
const FONT = /^[\w\s,"'-]{1,200}$/;

function applyTheme(theme: CheckoutTheme | undefined) {
  if (!theme) return;
  const style = document.documentElement.style;
  const set = (name: string, value: string | undefined, pattern: RegExp) => {
    if (value && pattern.test(value)) style.setProperty(name, value);
  };
  set("--pr-color-primary", theme.colorPrimary, COLOR);
  set("--pr-color-background", theme.colorBackground, COLOR);
  set("--pr-color-text", theme.colorText, COLOR);
  set("--pr-color-danger", theme.colorDanger, COLOR);
  set("--pr-radius", theme.borderRadius, LENGTH);
  set("--pr-font", theme.fontFamily, FONT);
}

function setLanguage(locale: string) {
  document.documentElement.lang = locale;
  document.documentElement.dir = textDirection(locale as never);
}

async function start() {
  const embedded = boot.mode === "embed";
  let secret = boot.clientSecret ?? "";
  if (embedded) {
    // The SDK passes the client secret in the fragment; drop it from the address bar and history.
    secret = decodeURIComponent(location.hash.slice(1));
    history.replaceState(null, "", location.pathname + location.search);
  }
  const parentOrigin = boot.parentOrigin;
  const emit = (event: FrameEvent) => {
    if (embedded && parentOrigin) window.parent.postMessage({ source: FRAME_SOURCE, ...event }, parentOrigin);
  };
  const api = createPageApi(boot.intentId, secret);
  let t: T = translator(boot.messages);
  const attemptKey = `payrail:attempt:${boot.intentId}`;
  const storage = (() => {
    try {
      return window.sessionStorage;
    } catch {
      return null;
    }
  })();
  const pending = storage?.getItem(attemptKey);
  const resumedAttempt =
    pending !== null && pending !== undefined && Date.now() - Number(pending.split(":")[1]) < 120_000;

  let view = boot.view;
  if (!view) {
    try {
      view = await api.view(boot.locale);
    } catch {
      root.innerHTML = "";
      const p = document.createElement("p");
      p.setAttribute("role", "alert");
      p.textContent = t("error.generic");
      root.append(p);
      emit({ type: "error", payload: { code: "client_secret_invalid", message: t("error.generic") } });
      return;
    }
  }
  setLanguage(view.locale);

  if (embedded && parentOrigin) {
    addEventListener("message", (event: MessageEvent) => {
      const data = event.data as SdkMessage | undefined;
      if (event.origin !== parentOrigin || event.source !== window.parent || data?.source !== SDK_SOURCE)
        return;
      if (data.type === "configure") applyTheme(data.payload.theme);
    });
    new ResizeObserver(() =>
      emit({ type: "resize", payload: { height: document.documentElement.scrollHeight } }),
    ).observe(document.body);
  }

  root.innerHTML = "";
  root.removeAttribute("aria-busy");
  render(
    <App
      api={api}
      initial={view}
      t={t}
      mode={embedded ? "embed" : "hosted"}
      emit={emit}
      resumedAttempt={resumedAttempt}
      rememberAttempt={(key) => {
        if (key) storage?.setItem(attemptKey, `${key}:${Date.now()}`);
        else storage?.removeItem(attemptKey);
      }}
      switchLocale={async (locale) => {
        const response = await fetch(`/pay/i18n/${encodeURIComponent(locale)}`);
        t = translator((await response.json()) as Record<string, string>);
        setLanguage(locale);
        return t;
      }}
    />,
    root,
  );
  emit({ type: "ready", payload: { height: document.documentElement.scrollHeight } });
}
