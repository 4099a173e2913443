/** Helpers for the simulator's own tests: a manual clock, apps with tokens, raw calls and a webhook receiver. */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { type PayPalSimulator, type PayPalSimulatorOptions, startPayPalSimulator } from "./index.ts";

export interface ManualClock {
  now: () => Date;
  advance(ms: number): void;
}

export function manualClock(start = "2024-03-15T10:00:00.000Z"): ManualClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
    },
  };
}

export interface TestApp {
  clientId: string;
  clientSecret: string;
  merchantId: string;
  token: string;
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
}

export async function newApp(sim: PayPalSimulator): Promise<TestApp> {
  const clientId = `A${randomBytes(30).toString("base64url")}`;
  const clientSecret = `E${randomBytes(30).toString("base64url")}`;
  const { merchantId } = sim.registerApp({ clientId, clientSecret });
  return newToken(sim, { clientId, clientSecret, merchantId, token: "" });
}

/** The app with a live token (the old one may have expired by the injected clock). */
export async function newToken(sim: PayPalSimulator, app: TestApp): Promise<TestApp> {
  const response = await fetch(`${sim.url}/v1/oauth2/token`, {
    method: "POST",
    headers: {
      authorization: basic(app.clientId, app.clientSecret),
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  const body = (await response.json()) as { access_token: string };
  return { ...app, token: body.access_token };
}

export interface RawResult {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the wire JSON
  json: any;
}

export async function call(
  sim: PayPalSimulator,
  app: TestApp | string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RawResult> {
  const all: Record<string, string> = { ...headers };
  const token = typeof app === "string" ? app : app?.token;
  if (token) all.authorization = `Bearer ${token}`;
  if (body !== undefined) all["content-type"] ??= "application/json";
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: all,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    redirect: "manual",
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function orderBody(overrides: Record<string, unknown> = {}, unit: Record<string, unknown> = {}) {
  return {
    intent: "CAPTURE",
    purchase_units: [
      {
        amount: { currency_code: "USD", value: "100.00" },
        custom_id: "cart-42",
        invoice_id: "INV-42",
        ...unit,
      },
    ],
    application_context: {
      return_url: "https://shop.example/return?x=1",
      cancel_url: "https://shop.example/cancel",
    },
    ...overrides,
  };
}

export async function createOrder(
  sim: PayPalSimulator,
  app: TestApp,
  overrides: Record<string, unknown> = {},
  unit: Record<string, unknown> = {},
): Promise<string> {
  const created = await call(sim, app, "POST", "/v2/checkout/orders", orderBody(overrides, unit));
  if (created.status !== 201) throw new Error(`create order answered ${created.status}: ${created.text}`);
  return created.json.id as string;
}

/** Submits the buyer page's form; answers the redirect location (or null) and the status. */
export async function buyer(
  sim: PayPalSimulator,
  action: "approve" | "cancel",
  orderId: string,
  funding = "balance",
): Promise<{ status: number; location: string | null; text: string }> {
  const response = await fetch(`${sim.url}/checkoutnow/${action}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: orderId, funding, email: "buyer@example.com" }).toString(),
    redirect: "manual",
  });
  return { status: response.status, location: response.headers.get("location"), text: await response.text() };
}

export async function approvedOrder(
  sim: PayPalSimulator,
  app: TestApp,
  overrides: Record<string, unknown> = {},
  funding = "balance",
): Promise<string> {
  const id = await createOrder(sim, app, overrides);
  const approved = await buyer(sim, "approve", id, funding);
  if (approved.status !== 302) throw new Error(`approval answered ${approved.status}`);
  return id;
}

export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the event JSON
  body: any;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers, in order, for the next deliveries: a status code, or "destroy" to drop the connection. */
  script(answers: Array<number | "destroy">): void;
  ofType(type: string): Received[];
  waitFor(predicate: (all: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(path = "/webhooks/paypal"): Promise<Receiver> {
  const received: Received[] = [];
  let answers: Array<number | "destroy"> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      let body: unknown = null;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        body = null;
      }
      received.push({ headers: req.headers, raw, body });
      const answer = answers.shift() ?? 200;
      if (answer === "destroy") {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    script(next) {
      answers = [...next];
    },
    ofType: (type) => received.filter((item) => item.body?.event_type === type),
    async waitFor(predicate, timeoutMs = 5000) {
      await waitUntil(() => predicate(received), timeoutMs);
      return received;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function subscribe(
  sim: PayPalSimulator,
  app: TestApp,
  url: string,
  names = ["*"],
): Promise<string> {
  const created = await call(sim, app, "POST", "/v1/notifications/webhooks", {
    url,
    event_types: names.map((name) => ({ name })),
  });
  if (created.status !== 201) throw new Error(`webhook create answered ${created.status}: ${created.text}`);
  return created.json.id as string;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

export async function startTestSimulator(options: PayPalSimulatorOptions = {}): Promise<PayPalSimulator> {
  return startPayPalSimulator({ notificationRetryDelaysMs: [20, 40, 80], resolveAfterMs: 20, ...options });
}
