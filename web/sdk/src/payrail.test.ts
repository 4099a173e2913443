import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { afterEach, describe, test } from "node:test";
import { embedUrl, FRAME_SOURCE, SDK_SOURCE } from "../../checkout/src/embed-protocol.ts";
import type * as Declared from "../payrail.d.ts";
import { acceptFrameMessage } from "./frame-messages.ts";
import {
  baseUrlFromScript,
  checkLocale,
  checkPublishableKey,
  checkTheme,
  intentIdFromClientSecret,
  resolveBaseUrl,
} from "./inputs.ts";
import * as sdk from "./payrail.ts";

const PK = "pk_test_4eC39HqLyjWDarjtT1zdp7dc";
const SECRET = "pi_0Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op_secret_QrSt9UvWx8Yz7";
const INTENT = "pi_0Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op";
const PAYRAIL = "https://pay.example.com";

describe("input checks", () => {
  test("publishable keys pass; secret keys and anything else are refused by name", () => {
    assert.equal(checkPublishableKey(PK), PK);
    assert.equal(checkPublishableKey("pk_live_abc123"), "pk_live_abc123");
    assert.throws(() => checkPublishableKey("sk_test_4eC39HqLyjWDarjtT1zdp7dc"), {
      message: /^Payrail: Payrail\(\) was given a secret API key: it must never reach a web page/,
    });
    for (const bad of [undefined, "", "pk_prod_abc", "pk_test_", "pi_123_secret_456", 42]) {
      assert.throws(() => checkPublishableKey(bad), {
        message:
          "Payrail: Payrail() needs your publishable key (pk_test_… or pk_live_…) as its first argument.",
      });
    }
  });

  test("the client secret gives the intent id; each usual mistake gets its own message", () => {
    assert.equal(intentIdFromClientSecret(SECRET), INTENT);
    const needs = "Payrail: mount() needs the PaymentIntent's client_secret (pi_…_secret_…)";
    const cases: Array<[unknown, string]> = [
      ["sk_test_4eC39HqLyjWDarjtT1zdp7dc", `${needs}, not the secret API key.`],
      [PK, `${needs}, not the publishable key.`],
      [
        "cs_0Ab1Cd2Ef3",
        `${needs}, not a Checkout Session id: send the shopper to the session's url instead.`,
      ],
      [INTENT, `${needs}, not the PaymentIntent's id.`],
      [undefined, `${needs}.`],
      ["", `${needs}.`],
      ["pi_12_secret_<script>", `${needs}; "pi_12_secret…" is not one.`],
    ];
    for (const [input, message] of cases) assert.throws(() => intentIdFromClientSecret(input), { message });
  });

  test("locale: auto or a language tag", () => {
    assert.equal(checkLocale(undefined), undefined);
    for (const ok of ["auto", "en", "zh-CN", "zh-Hant-TW"]) assert.equal(checkLocale(ok), ok);
    for (const bad of ["", "english please", "en_US", 7]) {
      assert.throws(() => checkLocale(bad), { message: /^Payrail: locale must be "auto" or a language tag/ });
    }
  });

  test("theme: known settings with string values, copied", () => {
    const input = { colorPrimary: "#0a7", borderRadius: "8px", fontFamily: undefined };
    const copy = checkTheme(input);
    assert.deepEqual(copy, { colorPrimary: "#0a7", borderRadius: "8px" });
    assert.notEqual(copy, input);
    assert.throws(() => checkTheme({ colorPrimery: "#0a7" }), {
      message: /^Payrail: theme has no setting "colorPrimery"; the settings are colorPrimary, /,
    });
    assert.throws(() => checkTheme({ colorText: 0x333 }), {
      message: "Payrail: theme.colorText must be a string.",
    });
    assert.throws(() => checkTheme("dark"), { message: /^Payrail: theme must be an object/ });
    assert.throws(() => checkTheme({ toString: "x" }), { message: /no setting "toString"/ });
  });
});

describe("Payrail's address", () => {
  test("is the origin of the script when it is one of Payrail's SDK paths", () => {
    assert.equal(baseUrlFromScript(`${PAYRAIL}/sdk/v1/payrail.js`), PAYRAIL);
    assert.equal(baseUrlFromScript(`${PAYRAIL}/sdk/v1/payrail.mjs?v=3#x`), PAYRAIL);
    assert.equal(baseUrlFromScript("http://127.0.0.1:8080/sdk/v1/payrail.js"), "http://127.0.0.1:8080");
    assert.equal(
      baseUrlFromScript("https://shop.example/payrail/sdk/v2/payrail.min.js"),
      "https://shop.example",
    );
  });

  test("is unknown for anything else", () => {
    for (const url of [
      undefined,
      null,
      "",
      "not a url",
      "https://shop.example/assets/app-3f2a.js",
      "https://shop.example/sdk/v1/payrail.js.map",
      "file:///work/web/sdk/src/payrail.ts",
      "blob:https://shop.example/6c1d",
    ]) {
      assert.equal(baseUrlFromScript(url), undefined, String(url));
    }
  });

  test("the baseUrl option wins, is checked, and only its origin counts", () => {
    assert.equal(
      resolveBaseUrl("https://pay.example.com/some/path", "https://x.example/sdk/v1/payrail.js"),
      PAYRAIL,
    );
    assert.equal(resolveBaseUrl(undefined, `${PAYRAIL}/sdk/v1/payrail.js`), PAYRAIL);
    for (const bad of ["pay.example.com", "javascript:alert(1)", 8080]) {
      assert.throws(() => resolveBaseUrl(bad, undefined), {
        message: /^Payrail: options.baseUrl must be Payrail's http\(s\) address/,
      });
    }
    assert.throws(() => resolveBaseUrl(undefined, "https://shop.example/bundle.js"), {
      message: /^Payrail: cannot tell Payrail's address: .* Pass it: Payrail\(key, \{ baseUrl: /,
    });
  });

  test("in Node the module is not at an SDK path, so Payrail() asks for baseUrl", () => {
    assert.throws(() => sdk.Payrail(PK), { message: /^Payrail: cannot tell Payrail's address/ });
    assert.equal(typeof sdk.Payrail(PK, { baseUrl: PAYRAIL }).mount, "function");
  });
});

describe("messages from the frame", () => {
  const frameWindow = { name: "payrail frame" };
  const expected = { payrailOrigin: PAYRAIL, frameWindow };
  const from = (data: unknown, overrides: Partial<{ origin: string; source: unknown }> = {}) => ({
    origin: PAYRAIL,
    source: frameWindow,
    data,
    ...overrides,
  });
  const valid = [
    { type: "ready", payload: { height: 412 } },
    { type: "resize", payload: { height: 0 } },
    { type: "change", payload: { method: "card", complete: false } },
    { type: "submit", payload: { method: "card" } },
    { type: "success", payload: { paymentIntent: { id: INTENT, status: "succeeded" } } },
    { type: "error", payload: { code: "card_declined", message: "Your card was declined." } },
  ];

  test("every known event from Payrail's origin and this frame is accepted", () => {
    for (const event of valid) {
      assert.deepEqual(acceptFrameMessage(from({ source: FRAME_SOURCE, ...event }), expected), event);
    }
  });

  test("payloads are copied without whatever else the sender added", () => {
    const accepted = acceptFrameMessage(
      from({
        source: FRAME_SOURCE,
        type: "success",
        extra: 1,
        payload: { paymentIntent: { id: INTENT, status: "succeeded", client_secret: SECRET }, more: true },
      }),
      expected,
    );
    assert.deepEqual(accepted, {
      type: "success",
      payload: { paymentIntent: { id: INTENT, status: "succeeded" } },
    });
  });

  test("another origin, another window, another tag or an unknown type is ignored", () => {
    const good = { source: FRAME_SOURCE, ...valid[0] };
    assert.equal(acceptFrameMessage(from(good, { origin: "https://evil.example" }), expected), null);
    assert.equal(acceptFrameMessage(from(good, { origin: "https://pay.example.com:444" }), expected), null);
    assert.equal(acceptFrameMessage(from(good, { origin: "null" }), expected), null);
    assert.equal(acceptFrameMessage(from(good, { source: { name: "another frame" } }), expected), null);
    assert.equal(
      acceptFrameMessage(from(good, { source: null }), { payrailOrigin: PAYRAIL, frameWindow: null }),
      null,
    );
    assert.equal(acceptFrameMessage(from({ ...good, source: SDK_SOURCE }), expected), null);
    assert.equal(acceptFrameMessage(from({ ...good, source: undefined }), expected), null);
    assert.equal(
      acceptFrameMessage(from({ source: FRAME_SOURCE, type: "configure", payload: {} }), expected),
      null,
    );
    assert.equal(
      acceptFrameMessage(from({ source: FRAME_SOURCE, type: "toString", payload: {} }), expected),
      null,
    );
    for (const data of [null, "ready", 42, [], JSON.stringify(good)]) {
      assert.equal(acceptFrameMessage(from(data), expected), null);
    }
  });

  test("a malformed payload is ignored", () => {
    const bad = [
      { type: "ready", payload: { height: "412px" } },
      { type: "resize", payload: { height: Number.POSITIVE_INFINITY } },
      { type: "resize", payload: { height: -1 } },
      { type: "resize" },
      { type: "change", payload: { method: "card" } },
      { type: "submit", payload: { method: 1 } },
      { type: "success", payload: { paymentIntent: INTENT } },
      { type: "success", payload: { paymentIntent: { id: INTENT } } },
      { type: "error", payload: { message: "declined" } },
    ];
    for (const data of bad) {
      assert.equal(
        acceptFrameMessage(from({ source: FRAME_SOURCE, ...data }), expected),
        null,
        JSON.stringify(data),
      );
    }
  });
});

describe("the published types", () => {
  // Compile-time: the hand-written declarations and the source describe the same API, both ways.
  type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
  const checks: [
    Same<typeof Declared.Payrail, typeof sdk.Payrail>,
    Same<typeof Declared.default, typeof sdk.default>,
    Same<Declared.CheckoutElement, sdk.CheckoutElement>,
    Same<Declared.CheckoutEventMap, sdk.CheckoutEventMap>,
    Same<Declared.CheckoutTheme, sdk.CheckoutTheme>,
    Same<Declared.MountOptions, sdk.MountOptions>,
    Same<Declared.UpdateOptions, sdk.UpdateOptions>,
    Same<Declared.PayrailOptions, sdk.PayrailOptions>,
    Same<Declared.PayrailInstance, sdk.PayrailInstance>,
  ] = [true, true, true, true, true, true, true, true, true];

  test("every function payrail.d.ts declares is in the module, and the default export is Payrail", () => {
    assert.ok(checks.every(Boolean));
    const declarations = readFileSync(new URL("../payrail.d.ts", import.meta.url), "utf8");
    const functions = [...declarations.matchAll(/^export declare function (\w+)/gm)].map(
      (m) => m[1] as string,
    );
    assert.deepEqual(functions, ["Payrail"]);
    const module = sdk as unknown as Record<string, unknown>;
    for (const name of functions) assert.equal(typeof module[name], "function", name);
    assert.match(declarations, /^export default Payrail;$/m);
    assert.equal(sdk.default, sdk.Payrail);
    const runtime = Object.keys(sdk).sort();
    assert.deepEqual(
      runtime,
      ["Payrail", "default"],
      "the module exports nothing the declarations leave out",
    );
  });

  test("the methods CheckoutElement declares are the ones a mounted form has", () => {
    const declarations = readFileSync(new URL("../payrail.d.ts", import.meta.url), "utf8");
    const body = /export interface CheckoutElement \{([\s\S]*?)\n\}/.exec(declarations)?.[1] ?? "";
    const declared = [...body.matchAll(/^ {2}(\w+)[<(]/gm)].map((m) => m[1]).sort();
    const dom = fakeDom();
    const element = sdk.Payrail(PK, { baseUrl: PAYRAIL }).mount("#pay", { clientSecret: SECRET });
    assert.deepEqual(declared, Object.keys(element).sort());
    element.unmount();
    dom.restore();
  });
});

/** Just enough of a browser for mount(): one container, iframes that get a window when attached. */
function fakeDom(pageOrigin = "https://shop.example") {
  const listeners = new Set<(event: unknown) => void>();
  const posted: Array<{ message: any; targetOrigin: string }> = [];
  const errors: unknown[][] = [];
  const frames: any[] = [];
  const container = {
    children: [] as any[],
    appendChild(child: any) {
      this.children.push(child);
      child.parent = this;
      child.contentWindow = {
        postMessage: (message: unknown, targetOrigin: string) => posted.push({ message, targetOrigin }),
      };
      return child;
    },
  };
  const saved = { window: (globalThis as any).window, document: (globalThis as any).document };
  const savedLocation = Object.getOwnPropertyDescriptor(globalThis, "location");
  const savedConsoleError = console.error;
  const savedConsoleWarn = console.warn;
  console.error = (...args: unknown[]) => errors.push(args);
  console.warn = (...args: unknown[]) => errors.push(args);
  (globalThis as any).window = {
    addEventListener: (type: string, listener: any) => type === "message" && listeners.add(listener),
    removeEventListener: (type: string, listener: any) => type === "message" && listeners.delete(listener),
  };
  Object.defineProperty(globalThis, "location", { value: { origin: pageOrigin }, configurable: true });
  (globalThis as any).document = {
    querySelector: (selector: string) => {
      if (selector === "#pay") return container;
      if (selector.includes("[")) throw new SyntaxError("bad selector");
      return null;
    },
    createElement(tag: string) {
      assert.equal(tag, "iframe");
      const frame: any = {
        style: {},
        attributes: {} as Record<string, string>,
        contentWindow: null,
        setAttribute(name: string, value: string) {
          this.attributes[name] = value;
        },
        remove() {
          container.children = container.children.filter((c) => c !== frame);
          frame.contentWindow = null;
        },
      };
      frames.push(frame);
      return frame;
    },
  };
  return {
    container,
    frames,
    posted,
    errors,
    listeners,
    /** Delivers a message event to every listener, as the browser would. */
    dispatch(event: { origin: string; source: unknown; data: unknown }) {
      for (const listener of [...listeners]) listener(event);
    },
    restore() {
      (globalThis as any).window = saved.window;
      (globalThis as any).document = saved.document;
      if (savedLocation) Object.defineProperty(globalThis, "location", savedLocation);
      else delete (globalThis as any).location;
      console.error = savedConsoleError;
      console.warn = savedConsoleWarn;
    },
  };
}

describe("a mounted form (on a stand-in DOM)", () => {
  let dom: ReturnType<typeof fakeDom> | undefined;
  afterEach(() => {
    dom?.restore();
    dom = undefined;
  });
  const frameEvent = (type: string, payload: unknown) => ({ source: FRAME_SOURCE, type, payload });

  test("the iframe points at the embed URL, with a title, the permissions it needs and no sandbox", () => {
    dom = fakeDom();
    const element = sdk
      .Payrail(PK, { baseUrl: `${PAYRAIL}/` })
      .mount("#pay", { clientSecret: SECRET, locale: "zh-CN" });
    const [frame] = dom.frames;
    assert.equal(dom.container.children[0], frame);
    assert.equal(
      frame.src,
      embedUrl(PAYRAIL, {
        intentId: INTENT,
        publishableKey: PK,
        clientSecret: SECRET,
        parentOrigin: "https://shop.example",
        locale: "zh-CN",
      }),
    );
    assert.equal(new URL(frame.src).hash, `#${SECRET}`, "the secret travels in the fragment only");
    assert.equal(frame.title, "Secure payment form");
    assert.equal(
      frame.attributes.allow,
      "payment *; publickey-credentials-get *; publickey-credentials-create *",
    );
    assert.equal(frame.attributes.sandbox, undefined);
    assert.equal(frame.style.width, "100%");
    assert.equal(frame.style.border, "0");
    element.unmount();
  });

  test("on ready it configures the frame for Payrail's origin only, then follows resizes", () => {
    dom = fakeDom();
    const element = sdk
      .Payrail(PK, { baseUrl: PAYRAIL })
      .mount("#pay", { clientSecret: SECRET, theme: { colorPrimary: "#0a7" }, locale: "en" });
    const frame = dom.frames[0];
    const seen: unknown[] = [];
    element.on("ready", (payload) => seen.push(payload));
    dom.dispatch({
      origin: PAYRAIL,
      source: frame.contentWindow,
      data: frameEvent("ready", { height: 401.2 }),
    });
    assert.deepEqual(seen, [{ height: 401.2 }]);
    assert.equal(frame.style.height, "402px");
    assert.deepEqual(dom.posted, [
      {
        message: {
          source: SDK_SOURCE,
          type: "configure",
          payload: { theme: { colorPrimary: "#0a7" }, locale: "en" },
        },
        targetOrigin: PAYRAIL,
      },
    ]);
    dom.dispatch({
      origin: PAYRAIL,
      source: frame.contentWindow,
      data: frameEvent("resize", { height: 560 }),
    });
    assert.equal(frame.style.height, "560px");

    element.update({ theme: { colorText: "#222" }, locale: "de" });
    assert.deepEqual(dom.posted[1], {
      message: {
        source: SDK_SOURCE,
        type: "configure",
        payload: { theme: { colorPrimary: "#0a7", colorText: "#222" }, locale: "de" },
      },
      targetOrigin: PAYRAIL,
    });
    element.unmount();
  });

  test("messages from elsewhere reach no handler and change nothing", () => {
    dom = fakeDom();
    const element = sdk.Payrail(PK, { baseUrl: PAYRAIL }).mount("#pay", { clientSecret: SECRET });
    const frame = dom.frames[0];
    const seen: unknown[] = [];
    element.on("success", (payload) => seen.push(payload));
    const success = frameEvent("success", { paymentIntent: { id: INTENT, status: "succeeded" } });
    dom.dispatch({ origin: "https://evil.example", source: frame.contentWindow, data: success });
    dom.dispatch({ origin: PAYRAIL, source: { other: "window" }, data: success });
    dom.dispatch({
      origin: PAYRAIL,
      source: frame.contentWindow,
      data: frameEvent("resize", { height: "9e9" }),
    });
    assert.deepEqual(seen, []);
    assert.equal(frame.style.height, "320px");
    assert.deepEqual(dom.posted, []);
    dom.dispatch({ origin: PAYRAIL, source: frame.contentWindow, data: success });
    assert.deepEqual(seen, [{ paymentIntent: { id: INTENT, status: "succeeded" } }]);
    element.unmount();
  });

  test("a handler that throws is logged, and the other handlers still run", () => {
    dom = fakeDom();
    const element = sdk.Payrail(PK, { baseUrl: PAYRAIL }).mount("#pay", { clientSecret: SECRET });
    const frame = dom.frames[0];
    const seen: string[] = [];
    const broken = () => {
      throw new Error("merchant bug");
    };
    element.on("error", broken).on("error", ({ code }) => seen.push(code));
    const declined = frameEvent("error", { code: "card_declined", message: "Your card was declined." });
    dom.dispatch({ origin: PAYRAIL, source: frame.contentWindow, data: declined });
    assert.deepEqual(seen, ["card_declined"]);
    assert.equal(dom.errors.length, 1);
    assert.equal(dom.errors[0]?.[0], 'Payrail: a "error" handler threw');
    assert.equal((dom.errors[0] as [string, Error])[1].message, "merchant bug");

    element.off("error", broken);
    dom.dispatch({ origin: PAYRAIL, source: frame.contentWindow, data: declined });
    assert.deepEqual(seen, ["card_declined", "card_declined"]);
    assert.equal(dom.errors.length, 1);
    element.unmount();
  });

  test("unmount removes the frame and the listener; the container can take a new form", () => {
    dom = fakeDom();
    const payrail = sdk.Payrail(PK, { baseUrl: PAYRAIL });
    const element = payrail.mount("#pay", { clientSecret: SECRET });
    assert.throws(() => payrail.mount("#pay", { clientSecret: SECRET }), {
      message: "Payrail: this element already holds a payment form; unmount() that one first.",
    });
    assert.equal(dom.listeners.size, 1);
    element.unmount();
    element.unmount();
    assert.equal(dom.listeners.size, 0);
    assert.deepEqual(dom.container.children, []);
    assert.throws(() => element.update({ locale: "en" }), { message: /unmounted/ });
    payrail.mount(dom.container as unknown as HTMLElement, { clientSecret: SECRET }).unmount();
  });

  test("mistakes in mount() and on() are explained", () => {
    dom = fakeDom();
    const payrail = sdk.Payrail(PK, { baseUrl: PAYRAIL });
    assert.throws(() => payrail.mount("#missing", { clientSecret: SECRET }), {
      message: 'Payrail: mount() found no element matching "#missing".',
    });
    assert.throws(() => payrail.mount("[", { clientSecret: SECRET }), {
      message: /found no element matching "\["/,
    });
    assert.throws(() => payrail.mount("#pay", { clientSecret: "sk_test_4eC39HqLyjWDarjtT1zdp7dc" }), {
      message:
        "Payrail: mount() needs the PaymentIntent's client_secret (pi_…_secret_…), not the secret API key.",
    });
    assert.throws(() => payrail.mount("#pay", undefined as any), { message: /mount\(\) needs options/ });
    assert.deepEqual(dom.frames, [], "nothing was created for a refused mount");
    const element = payrail.mount("#pay", { clientSecret: SECRET });
    assert.throws(() => element.on("paid" as any, () => {}), {
      message: 'Payrail: no event "paid"; the events are ready, change, submit, success, error.',
    });
    element.unmount();
  });

  test("a page without an origin cannot host the form", () => {
    dom = fakeDom("null");
    assert.throws(() => sdk.Payrail(PK, { baseUrl: PAYRAIL }).mount("#pay", { clientSecret: SECRET }), {
      message: /needs a page served over http\(s\)/,
    });
  });
});
