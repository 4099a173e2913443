/** Helpers for the simulator's own tests: raw HTTP calls, request bodies, a notification receiver. */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export function newApiKey(): string {
  return `sbx_sk_${randomBytes(24)
    .toString("base64")
    .replace(/[^0-9A-Za-z]/g, "")
    .padEnd(24, "x")}`;
}

export function uniqueRef(prefix = "ref"): string {
  return `${prefix}_${randomBytes(8).toString("hex")}`;
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
  options: { key?: string | null; body?: unknown; rawBody?: string; idempotencyKey?: string | null } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = {};
  if (options.key !== null && options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method === "POST" && options.idempotencyKey !== null) {
    headers["idempotency-key"] = options.idempotencyKey ?? uniqueRef("idem");
  }
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

export function chargeBody(overrides: Record<string, unknown> = {}, card: Record<string, unknown> = {}) {
  return {
    reference: uniqueRef("order"),
    amount: 1000,
    currency: "usd",
    capture: false,
    card: { number: "4242424242424242", exp_month: 12, exp_year: 2040, cvc: "123", ...card },
    return_url: "https://shop.example/return?order=1",
    ...overrides,
  };
}

/** Appends the Luhn check digit to `body`. */
export function withLuhnDigit(body: string): string {
  for (let check = 0; check < 10; check++) {
    const candidate = `${body}${check}`;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let digit = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error("unreachable");
}

export interface Received {
  path: string;
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
      const raw = Buffer.concat(chunks);
      let body: unknown = null;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        body = null;
      }
      received.push({ path: req.url ?? "/", headers: req.headers, raw, body });
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
    url: `http://127.0.0.1:${port}`,
    received,
    script(next) {
      answers = [...next];
    },
    async waitFor(count, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} notifications, got ${received.length}`);
        }
        await sleep(10);
      }
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

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}
