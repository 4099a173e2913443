import type { CheckoutAssets } from "./assets.ts";
import type { CheckoutLocale, CheckoutView } from "./view-types.ts";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a `<script type="application/json">`: `<` escaped so no string can close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The stylesheet is inlined under the response's nonce: on a phone network a separate file costs a round
 * trip before the first paint (about 400 ms on 3G), and the page's budget is one second.
 */
function inlineStyles(assets: CheckoutAssets, nonce: string): string {
  const css = assets.stylesheets.map((s) => s.body.toString("utf8")).join("\n");
  return `<style nonce="${nonce}">${css.replace(/<\/style/gi, "<\\/style")}</style>`;
}

export interface PageBootstrap {
  mode: "hosted" | "embed";
  intentId: string;
  /** Hosted page only: the embedded form takes it from the frame's URL fragment. */
  clientSecret?: string;
  parentOrigin?: string;
  locale: CheckoutLocale;
  messages: Record<string, string>;
  view?: CheckoutView;
}

export interface PageHtmlInput {
  nonce: string;
  assets: CheckoutAssets;
  locale: CheckoutLocale;
  title: string;
  bootstrap: PageBootstrap;
  /** Server-rendered first paint (merchant, amount, items) shown until the script takes over. */
  summaryHtml: string;
}

/** The document around a page's body: language and direction, our stylesheet under the nonce, no favicon fetch. */
function documentHtml(input: {
  nonce: string;
  assets: CheckoutAssets;
  locale: CheckoutLocale;
  title: string;
  head?: string;
  body: string;
}): string {
  const dir = input.locale === "ar" ? "rtl" : "ltr";
  return `<!doctype html>
<html lang="${input.locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(input.title)}</title>
${inlineStyles(input.assets, input.nonce)}
${input.head ?? ""}
</head>
<body>
${input.body}
</body>
</html>`;
}

/**
 * The page shell. Every script carries this response's nonce and an integrity hash; the data the script
 * needs is inert JSON. The summary is rendered here so the first paint does not wait for the script.
 */
export function checkoutPageHtml(input: PageHtmlInput): string {
  const { nonce, assets } = input;
  return documentHtml({
    ...input,
    head: `<script type="module" src="${assets.entryScript.path}" integrity="${assets.entryScript.integrity}" crossorigin="anonymous" nonce="${nonce}"></script>`,
    body: `<main id="app" class="pr-page" aria-busy="true">${input.summaryHtml}</main>
<script type="application/json" id="payrail-bootstrap" nonce="${nonce}">${scriptJson(input.bootstrap)}</script>`,
  });
}

/** A page without script (help, errors). */
export function simplePageHtml(input: {
  nonce: string;
  assets: CheckoutAssets;
  locale: CheckoutLocale;
  title: string;
  body: string;
}): string {
  return documentHtml({ ...input, body: `<main class="pr-page pr-doc">${input.body}</main>` });
}
