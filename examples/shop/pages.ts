/**
 * The shop's pages as HTML strings. Every value goes through `escapeHtml` (text and attributes) or
 * `scriptValue` (inside a script); the one stylesheet and the one script are inline, allowed by the page's
 * CSP nonce, and the pages have no inline event handlers.
 */
import { formatAmount, ITEMS, type Item } from "./catalog.ts";

export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A JSON literal that is safe inside <script>: it cannot close the element or open a comment. */
export function scriptValue(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const STYLES = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f5f6f8}
header,main{max-width:46rem;margin:0 auto;padding:1rem}
header{padding-top:2rem}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 .25rem}
h2{font-size:1.15rem;margin:0 0 .25rem}
a{color:#0b5cad}
.lead{margin:0;color:#4a5263}
.items{list-style:none;margin:0;padding:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr))}
.card{background:#fff;border:1px solid #dde1e8;border-radius:12px;padding:1.25rem}
.price{font-size:1.25rem;font-weight:600;margin:.5rem 0 1rem}
.actions{display:grid;gap:.5rem}
.actions form{margin:0}
.button{display:block;width:100%;padding:.7rem 1rem;border:1px solid #0b5cad;border-radius:8px;font:inherit;font-weight:600;text-align:center;text-decoration:none;cursor:pointer;background:#0b5cad;color:#fff}
.button.secondary{background:#fff;color:#0b5cad}
.button:focus-visible,a:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.note{margin-top:1.5rem;background:#fffbea;border-color:#f0d98a}
.note ul{padding-left:1.25rem;margin:.5rem 0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.95em;white-space:nowrap}
.status{font-size:.95rem;color:#4a5263}
.message{color:#b3261e;font-weight:600}
.paid h1{color:#1b7a3d}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:1rem 0}
dt{color:#4a5263}
dd{margin:0;overflow-wrap:anywhere}
#payment-form{min-height:8rem;margin:1rem 0}
`;

export function layout(page: { title: string; nonce: string; body: string; head?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(page.title)} · Payrail demo shop</title>
<style nonce="${escapeHtml(page.nonce)}">${STYLES}</style>
${page.head ?? ""}
</head>
<body>
${page.body}
</body>
</html>
`;
}

const TEST_CARDS = `<ul>
<li><code>4242 4242 4242 4242</code> pays (any future expiry date, any CVC)</li>
<li><code>4000 0000 0000 0002</code> is declined</li>
<li><code>4000 0027 6000 3184</code> asks for 3-D Secure, where you approve or fail it</li>
</ul>`;

export function homePage(nonce: string): string {
  const items = ITEMS.map(
    (item) => `<li class="card">
<h2>${escapeHtml(item.name)}</h2>
<p class="lead">${escapeHtml(item.description)}</p>
<p class="price">${escapeHtml(formatAmount(item.amount, item.currency))}</p>
<div class="actions">
<form method="post" action="/checkout">
<input type="hidden" name="item" value="${escapeHtml(item.id)}">
<button class="button" type="submit">Buy — hosted checkout</button>
</form>
<a class="button secondary" href="/embedded?item=${encodeURIComponent(item.id)}">Buy — pay on this page</a>
</div>
</li>`,
  ).join("\n");
  return layout({
    title: "Home",
    nonce,
    body: `<header>
<h1>Payrail demo shop</h1>
<p class="lead">A small shop that takes its payments through Payrail, in the two ways Payrail offers.</p>
</header>
<main>
<ul class="items">
${items}
</ul>
<section class="card note" aria-labelledby="test-mode">
<h2 id="test-mode">Test mode: no real money moves</h2>
<p>Everything here runs on Payrail's simulated payment providers. Pay with a test card:</p>
${TEST_CARDS}
<p><strong>Hosted checkout</strong> sends you to Payrail's payment page and back here.
<strong>Pay on this page</strong> puts Payrail's payment form into this shop's page with Payrail.js.</p>
</section>
</main>`,
  });
}

export function embeddedPage(page: {
  nonce: string;
  item: Item;
  sdk: { src: string; integrity: string };
  publishableKey: string;
  clientSecret: string;
}): string {
  const nonce = escapeHtml(page.nonce);
  // Runs once Payrail.js (the script before it, checked against its integrity hash) has set window.Payrail.
  const script = `(() => {
  const message = document.getElementById("payment-message");
  const show = (text) => {
    message.textContent = text;
    message.hidden = false;
  };
  if (typeof window.Payrail !== "function") {
    show("The payment form could not be loaded. Please reload the page.");
    return;
  }
  const form = window.Payrail(${scriptValue(page.publishableKey)}).mount("#payment-form", {
    clientSecret: ${scriptValue(page.clientSecret)},
  });
  form.on("change", () => {
    message.hidden = true;
  });
  form.on("error", (error) => show(error.message));
  form.on("success", (result) => {
    window.location.assign("/orders/" + encodeURIComponent(result.paymentIntent.id));
  });
})();`;
  return layout({
    title: `Pay for ${page.item.name}`,
    nonce: page.nonce,
    body: `<header>
<p><a href="/">← Back to the shop</a></p>
<h1>${escapeHtml(page.item.name)}</h1>
<p class="price">${escapeHtml(formatAmount(page.item.amount, page.item.currency))}</p>
</header>
<main>
<div id="payment-form"></div>
<p id="payment-message" class="message" role="alert" hidden></p>
<section class="card note" aria-labelledby="test-cards">
<h2 id="test-cards">Test cards</h2>
${TEST_CARDS}
</section>
</main>
<script src="${escapeHtml(page.sdk.src)}" integrity="${escapeHtml(page.sdk.integrity)}" crossorigin="anonymous" nonce="${nonce}"></script>
<script nonce="${nonce}">
${script}
</script>`,
  });
}

export type OrderState = "paid" | "processing" | "unpaid";

export interface OrderView {
  id: string;
  state: OrderState;
  /** Payrail's own word for it: the session's payment_status or the intent's status. */
  status: string;
  amount?: number | undefined;
  currency?: string | undefined;
  reference?: string | null | undefined;
}

export function orderPage(nonce: string, order: OrderView): string {
  const heading = {
    paid: "Paid — thank you",
    processing: "Payment still being confirmed",
    unpaid: "Not paid",
  }[order.state];
  const explanation = {
    paid: "Your payment went through. This page asked Payrail, so it is not just the way back from checkout that says so.",
    processing: "Payrail is waiting for the payment provider's answer. This page refreshes by itself.",
    unpaid: "No payment was taken for this order. You can try again from the shop.",
  }[order.state];
  const rows: Array<[string, string]> = [];
  if (order.reference) rows.push(["Order", order.reference]);
  if (order.amount !== undefined && order.currency)
    rows.push(["Amount", formatAmount(order.amount, order.currency)]);
  rows.push([order.id.startsWith("cs_") ? "Checkout session" : "Payment", order.id]);
  rows.push(["Status", order.status]);
  return layout({
    title: heading,
    nonce,
    // A meta refresh needs no script: the processing page checks again every few seconds.
    ...(order.state === "processing" ? { head: '<meta http-equiv="refresh" content="3">' } : {}),
    body: `<header class="${order.state}">
<h1>${escapeHtml(heading)}</h1>
<p class="lead">${escapeHtml(explanation)}</p>
</header>
<main>
<dl class="card">
${rows.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join("\n")}
</dl>
<p><a href="/">${order.state === "paid" ? "Back to the shop" : "← Back to the shop to try again"}</a></p>
</main>`,
  });
}

export function messagePage(nonce: string, title: string, text: string): string {
  return layout({
    title,
    nonce,
    body: `<header>
<h1>${escapeHtml(title)}</h1>
<p class="lead">${escapeHtml(text)}</p>
</header>
<main><p><a href="/">← Back to the shop</a></p></main>`,
  });
}
