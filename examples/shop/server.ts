/**
 * Payrail's demo shop: a merchant's web server in one file of routes, on node:http alone, showing both ways
 * to take a payment with Payrail.
 *
 * - Hosted checkout: the shop creates a Checkout Session on its server and redirects the shopper to Payrail's
 *   payment page (`session.url`); Payrail sends the shopper back to `/orders/<session id>`.
 * - Pay on this page: the shop creates a PaymentIntent on its server and hands its client secret to
 *   Payrail.js, which shows Payrail's payment form in an iframe on the shop's page.
 *
 * Either way the order page asks Payrail whether the order is paid: a shopper arriving on a success URL
 * proves nothing. The secret key never leaves this server; pages get the publishable key only.
 *
 * Run on its own: PAYRAIL_SECRET_KEY=sk_test_… PAYRAIL_PUBLISHABLE_KEY=pk_test_… npx tsx examples/shop/server.ts
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { findItem, type Item } from "./catalog.ts";
import { embeddedPage, homePage, messagePage, type OrderView, orderPage } from "./pages.ts";
import { PayrailApiError, type PayrailClient, payrailClient } from "./payrail-client.ts";

export interface DemoShopOptions {
  /** Payrail's address, e.g. http://127.0.0.1:8080. */
  payrailUrl: string;
  /** The merchant's secret key (sk_test_…): used by this server only. */
  secretKey: string;
  /** The merchant's publishable key (pk_test_…): the one that goes into pages. */
  publishableKey: string;
  host?: string;
  /** 8081 unless given; 0 picks a free port. */
  port?: number;
  fetch?: typeof fetch;
}

export interface DemoShop {
  url: string;
  close(): Promise<void>;
}

interface CheckoutSession {
  id: string;
  url: string;
  status: string;
  payment_status: string;
  amount_total?: number;
  currency?: string;
  merchant_reference?: string | null;
}

interface PaymentIntent {
  id: string;
  client_secret: string;
  status: string;
  amount?: number;
  currency?: string;
  merchant_reference?: string | null;
}

interface ScriptList {
  data: Array<{ url: string; integrity: string; purpose?: string }>;
}

const SDK_PATH = "/sdk/v1/payrail.js";
const MAX_FORM_BYTES = 4096;

export async function startDemoShop(options: DemoShopOptions): Promise<DemoShop> {
  const payrail = new URL(options.payrailUrl);
  const api = payrailClient(options);
  const host = options.host ?? "127.0.0.1";
  let shop: Shop | undefined;

  const server = createServer((request, response) => {
    if (!shop) {
      response.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "1" });
      response.end("The demo shop is starting.\n");
      return;
    }
    shop.handle(request, response).catch((error) => {
      console.error("demo shop:", error);
      if (!response.headersSent) {
        const nonce = newNonce();
        const payrailSaid = error instanceof PayrailApiError;
        send(
          response,
          payrailSaid ? 502 : 500,
          pageHeaders(nonce, payrail.origin),
          messagePage(
            nonce,
            "Something went wrong",
            payrailSaid ? error.message : "The shop could not handle this request.",
          ),
        );
      } else {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8081, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });

  try {
    const sdk = await connectToPayrail(api, payrail, embedOrigins(url, port));
    shop = new Shop({ url, payrailOrigin: payrail.origin, publishableKey: options.publishableKey, api, sdk });
  } catch (error) {
    await close();
    throw error;
  }
  return { url, close };
}

/**
 * What the shop does once at start: tells Payrail which origins may frame its payment form (its own), and
 * reads where Payrail.js is and the hash that pins its content (Subresource Integrity).
 */
async function connectToPayrail(
  api: PayrailClient,
  payrail: URL,
  origins: string[],
): Promise<{ src: string; integrity: string }> {
  await api.post("/v1/checkout/settings", { embed_origins: origins });
  const scripts = await api.get<ScriptList>("/v1/checkout/scripts");
  const script = scripts.data?.find((entry) => new URL(entry.url, payrail).pathname === SDK_PATH);
  if (!script || !/^sha(256|384|512)-[0-9A-Za-z+/=]+$/.test(script.integrity)) {
    throw new Error(`Payrail's GET /v1/checkout/scripts lists no ${SDK_PATH} with an integrity hash`);
  }
  return { src: new URL(script.url, payrail).href, integrity: script.integrity };
}

class Shop {
  constructor(
    private readonly config: {
      url: string;
      payrailOrigin: string;
      publishableKey: string;
      api: PayrailClient;
      sdk: { src: string; integrity: string };
    },
  ) {}

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname, searchParams } = new URL(request.url ?? "/", this.config.url);
    const nonce = newNonce();
    const page = (status: number, html: string, embed = false) =>
      send(response, status, pageHeaders(nonce, this.config.payrailOrigin, embed), html);
    const allow = (method: string) => {
      if (request.method === method) return true;
      response.setHeader("allow", method);
      page(405, messagePage(nonce, "Method not allowed", `Use ${method} here.`));
      return false;
    };
    const unknownItem = () =>
      page(400, messagePage(nonce, "No such item", "The shop does not sell that item."));

    if (pathname === "/") {
      if (allow("GET")) page(200, homePage(nonce));
      return;
    }

    if (pathname === "/checkout") {
      if (!allow("POST")) return;
      const form = await readForm(request);
      if (!form) {
        page(400, messagePage(nonce, "Bad request", "Send the order form from the shop's page."));
        return;
      }
      const item = findItem(form.get("item"));
      if (!item) return unknownItem();
      const session = await this.createCheckoutSession(item);
      response.writeHead(303, { location: session.url, "cache-control": "no-store" });
      response.end();
      return;
    }

    if (pathname === "/embedded") {
      if (!allow("GET")) return;
      const item = findItem(searchParams.get("item"));
      if (!item) return unknownItem();
      const intent = await this.createPaymentIntent(item);
      const html = embeddedPage({
        nonce,
        item,
        sdk: this.config.sdk,
        publishableKey: this.config.publishableKey,
        clientSecret: intent.client_secret,
      });
      page(200, html, true);
      return;
    }

    const order = /^\/orders\/([^/]+)$/.exec(pathname);
    if (order) {
      if (!allow("GET")) return;
      const { status, view } = await this.lookUpOrder(safeDecode(order[1] as string));
      page(status, orderPage(nonce, view));
      return;
    }

    page(404, messagePage(nonce, "Page not found", "There is no such page in the demo shop."));
  }

  private createCheckoutSession(item: Item): Promise<CheckoutSession> {
    const reference = newOrderReference();
    return this.config.api.post<CheckoutSession>(
      "/v1/checkout/sessions",
      {
        line_items: [{ name: item.name, quantity: 1, unit_amount: item.amount }],
        currency: item.currency,
        merchant_reference: reference,
        // Payrail puts the session's id in place of {CHECKOUT_SESSION_ID}.
        success_url: `${this.config.url}/orders/{CHECKOUT_SESSION_ID}`,
        cancel_url: `${this.config.url}/`,
        locale: "auto",
      },
      `${reference}-checkout-session`,
    );
  }

  private createPaymentIntent(item: Item): Promise<PaymentIntent> {
    const reference = newOrderReference();
    return this.config.api.post<PaymentIntent>(
      "/v1/payment_intents",
      { amount: item.amount, currency: item.currency, merchant_reference: reference },
      `${reference}-payment-intent`,
    );
  }

  /** Asks Payrail, with the secret key, what became of a session or an intent. */
  private async lookUpOrder(id: string): Promise<{ status: number; view: OrderView }> {
    try {
      if (/^cs_[0-9A-Za-z]+$/.test(id)) {
        const session = await this.config.api.get<CheckoutSession>(`/v1/checkout/sessions/${id}`);
        const state =
          session.payment_status === "paid"
            ? "paid"
            : session.payment_status === "processing"
              ? "processing"
              : "unpaid";
        return {
          status: 200,
          view: {
            id,
            state,
            status: session.payment_status,
            amount: session.amount_total,
            currency: session.currency,
            reference: session.merchant_reference,
          },
        };
      }
      if (/^pi_[0-9A-Za-z]+$/.test(id)) {
        const intent = await this.config.api.get<PaymentIntent>(`/v1/payment_intents/${id}`);
        const state =
          intent.status === "succeeded" || intent.status === "requires_capture"
            ? "paid"
            : intent.status === "processing"
              ? "processing"
              : "unpaid";
        return {
          status: 200,
          view: {
            id,
            state,
            status: intent.status,
            amount: intent.amount,
            currency: intent.currency,
            reference: intent.merchant_reference,
          },
        };
      }
    } catch (error) {
      if (!(error instanceof PayrailApiError && error.status === 404)) throw error;
    }
    return { status: 404, view: { id, state: "unpaid", status: "no such order" } };
  }
}

function newNonce(): string {
  return randomBytes(16).toString("base64");
}

function newOrderReference(): string {
  return `order_${randomBytes(8).toString("hex")}`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A strict Content Security Policy: scripts and styles only with this response's nonce; only the payment
 * page may load Payrail.js and frame Payrail's form; forms post to the shop, which redirects to Payrail.
 */
function pageHeaders(nonce: string, payrailOrigin: string, embed = false): Record<string, string> {
  const csp = [
    "default-src 'self'",
    embed ? `script-src 'nonce-${nonce}' ${payrailOrigin}` : "script-src 'none'",
    embed ? `frame-src ${payrailOrigin}` : "frame-src 'none'",
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action 'self' ${payrailOrigin}`,
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    // The payment page holds a client secret: keep it out of every cache.
    "cache-control": "no-store",
  };
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, html: string) {
  response.writeHead(status, { ...headers, "content-length": Buffer.byteLength(html) });
  response.end(html);
}

/** The urlencoded body of a form post, or null for anything else (another type, too large). */
async function readForm(request: IncomingMessage): Promise<URLSearchParams | null> {
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    request.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/** The shop's origin; on this machine also its other loopback name, so either address shows the form. */
function embedOrigins(url: string, port: number): string[] {
  const origins = [new URL(url).origin];
  if (/^(127\.0\.0\.1|localhost)$/.test(new URL(url).hostname)) {
    origins.push(`http://127.0.0.1:${port}`, `http://localhost:${port}`);
  }
  return [...new Set(origins)];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { PAYRAIL_URL, PAYRAIL_SECRET_KEY, PAYRAIL_PUBLISHABLE_KEY, SHOP_PORT } = process.env;
  if (!PAYRAIL_SECRET_KEY || !PAYRAIL_PUBLISHABLE_KEY) {
    console.error("Set PAYRAIL_SECRET_KEY and PAYRAIL_PUBLISHABLE_KEY (as printed by npm start).");
    process.exit(1);
  }
  const shop = await startDemoShop({
    payrailUrl: PAYRAIL_URL ?? "http://127.0.0.1:8080",
    secretKey: PAYRAIL_SECRET_KEY,
    publishableKey: PAYRAIL_PUBLISHABLE_KEY,
    ...(SHOP_PORT ? { port: Number(SHOP_PORT) } : {}),
  });
  console.log(`Payrail demo shop: ${shop.url}`);
}
