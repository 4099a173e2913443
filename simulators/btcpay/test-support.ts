/** Helpers for the simulator's own tests: a settable clock, HTTP calls, a webhook receiver. */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { type BtcpaySimulator, type BtcpaySimulatorOptions, startBtcpaySimulator } from "./index.ts";

export interface Clock {
  now: () => Date;
  advance(ms: number): void;
}

export function createClock(start = "2025-03-14T10:00:00Z"): Clock {
  let at = Date.parse(start);
  return {
    now: () => new Date(at),
    advance(ms) {
      at += ms;
    },
  };
}

export function newApiKey(): string {
  return randomBytes(20).toString("hex");
}

export interface ApiResult {
  status: number;
  text: string;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the wire JSON
  json: any;
}

export async function api(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown; rawBody?: string } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `token ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: "manual" });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, text, headers: response.headers, json };
}

/** Posts the checkout page form, as a shopper's browser would. */
export async function checkout(
  checkoutLink: string,
  fields: Record<string, string>,
): Promise<{ status: number; location: string | null; text: string }> {
  const response = await fetch(checkoutLink, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
  return { status: response.status, location: response.headers.get("location"), text: await response.text() };
}

export interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the webhook JSON
  body: any;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers for the next deliveries: a status code or "destroy"; 200 afterwards. */
  script(answers: Array<number | "destroy">): void;
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  waitForType(type: string, invoiceId?: string, timeoutMs?: number): Promise<Received>;
  types(invoiceId?: string): string[];
  close(): Promise<void>;
}

export async function startReceiver(path = "/btcpay/webhook"): Promise<Receiver> {
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
      res.writeHead(answer);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const find = (type: string, invoiceId?: string) =>
    received.find(
      (r) => r.body?.type === type && (invoiceId === undefined || r.body?.invoiceId === invoiceId),
    );
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    script(next) {
      answers = [...next];
    },
    async waitFor(count, timeoutMs = 5000) {
      await waitUntil(() => received.length >= count, timeoutMs, `expected ${count} webhooks`);
      return received.slice(0, count);
    },
    async waitForType(type, invoiceId, timeoutMs = 5000) {
      await waitUntil(() => find(type, invoiceId) !== undefined, timeoutMs, `expected a ${type} webhook`);
      return find(type, invoiceId) as Received;
    },
    types(invoiceId) {
      return received
        .filter((r) => invoiceId === undefined || r.body?.invoiceId === invoiceId)
        .map((r) => r.body?.type);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Verifies `BTCPay-Sig` the way a merchant does: HMAC-SHA256 over the raw bytes, constant-time compare. */
export function verifySignature(received: Received, secret: string): boolean {
  const header = received.headers["btcpay-sig"];
  if (typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const expected = createHmac("sha256", secret).update(received.raw).digest();
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitUntil(check: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not met in ${timeoutMs} ms`);
    await sleep(10);
  }
}

export interface Harness {
  sim: BtcpaySimulator;
  clock: Clock;
  key: string;
  storeId: string;
  receiver: Receiver;
  webhookSecret: string;
  createInvoice(body?: Record<string, unknown>): Promise<ApiResult>;
  getInvoice(id: string): Promise<ApiResult>;
  close(): Promise<void>;
}

/** A simulator with one store, its key, and a webhook for every event pointing at a receiver. */
export async function startHarness(
  options: BtcpaySimulatorOptions = {},
  store: { speedPolicy?: "HighSpeed" | "MediumSpeed" | "LowMediumSpeed" | "LowSpeed" } = {},
): Promise<Harness> {
  const clock = createClock();
  const sim = await startBtcpaySimulator({
    now: clock.now,
    notificationRetryDelaysMs: [50, 50],
    resolveAfterMs: 60_000,
    sweepIntervalMs: 20,
    ...options,
  });
  const key = newApiKey();
  const { storeId } = sim.registerStore({ apiKey: key, ...store });
  const receiver = await startReceiver();
  const created = await api(sim.url, "POST", `/api/v1/stores/${storeId}/webhooks`, {
    key,
    body: { url: receiver.url },
  });
  if (created.status !== 200) throw new Error(`webhook setup failed: ${created.text}`);
  return {
    sim,
    clock,
    key,
    storeId,
    receiver,
    webhookSecret: created.json.secret,
    createInvoice: (body = {}) =>
      api(sim.url, "POST", `/api/v1/stores/${storeId}/invoices`, {
        key,
        body: { amount: "25.00", currency: "USD", metadata: { orderId: "order-1" }, ...body },
      }),
    getInvoice: (id) => api(sim.url, "GET", `/api/v1/stores/${storeId}/invoices/${id}`, { key }),
    async close() {
      await sim.close();
      await receiver.close();
    },
  };
}

/** Polls an async check until it holds (generous limit; no assertion on how fast). */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 5000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not met in ${timeoutMs} ms`);
    await sleep(20);
  }
}
