/** Helpers for the simulator's own tests: API calls, the shopper's checkout answer, a webhook receiver. */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { newTestApiKey } from "./index.ts";

export const newKey = (): string => newTestApiKey();

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
  options: { key?: string | null; body?: unknown; rawBody?: string; idempotencyKey?: string } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  if (options.idempotencyKey !== undefined) headers["idempotency-key"] = options.idempotencyKey;
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

export function paymentBody(overrides: Record<string, unknown> = {}) {
  return {
    amount: { currency: "EUR", value: "10.00" },
    description: `Order ${randomBytes(4).toString("hex")}`,
    redirectUrl: "https://shop.example/return?order=1",
    method: "ideal",
    metadata: { order_id: "1234" },
    ...overrides,
  };
}

/** What the shopper does on the checkout page: a form POST with the chosen outcome. */
export async function answerCheckout(
  checkoutHref: string,
  status: string,
  issuer?: string,
): Promise<{ status: number; location: string | null }> {
  const form = new URLSearchParams({ status, ...(issuer ? { issuer } : {}) });
  const response = await fetch(checkoutHref, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
  await response.text();
  return { status: response.status, location: response.headers.get("location") };
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  id: string | null;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status codes (or "destroy") for the next deliveries; then 200. */
  script(answers: Array<number | "destroy">): void;
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let answers: Array<number | "destroy"> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({
        path: req.url ?? "/",
        headers: req.headers,
        raw,
        id: new URLSearchParams(raw).get("id"),
      });
      const answer = answers.shift() ?? 200;
      if (answer === "destroy") return void req.socket.destroy();
      res.writeHead(answer, { "content-type": "text/plain" });
      res.end("");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script(next) {
      answers = [...next];
    },
    async waitFor(count, timeoutMs = 5000) {
      await waitUntil(() => received.length >= count, timeoutMs, `expected ${count} webhooks`);
      return received.slice(0, count);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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

/** A clock tests move by hand. */
export function manualClock(start: string) {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
    set(iso: string) {
      t = Date.parse(iso);
    },
  };
}
