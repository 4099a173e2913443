/** Helpers for the simulator's own tests: HTTP calls, request bodies, a webhook receiver. */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
// The official library's validator, imported from its own file: the package index loads every API client.
import hmacValidatorModule from "@adyen/api-library/lib/src/utils/hmacValidator.js";

const HmacValidator = hmacValidatorModule.default;

export const MERCHANT = "PayrailECOM";

export function newApiKey(): string {
  return `AQE${randomBytes(24).toString("base64url")}`;
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
  options: { key?: string | null; body?: unknown; rawBody?: string; idempotencyKey?: string } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = {};
  if (options.key) headers["x-api-key"] = options.key;
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

export function card(number = "4242424242424242", overrides: Record<string, unknown> = {}) {
  return {
    type: "scheme",
    number,
    expiryMonth: "03",
    expiryYear: "2030",
    cvc: "737",
    holderName: "Jo Doe",
    ...overrides,
  };
}

export function paymentBody(overrides: Record<string, unknown> = {}) {
  return {
    amount: { value: 1000, currency: "EUR" },
    reference: uniqueRef("order"),
    merchantAccount: MERCHANT,
    returnUrl: "https://shop.example/return?order=1",
    paymentMethod: card(),
    ...overrides,
  };
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the webhook JSON
  body: any;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the webhook JSON
  item: any;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers for the next deliveries: a body (status 200), a status code, or "destroy". */
  script(answers: Array<string | number | "destroy">): void;
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  /** Waits for a webhook matching the event code (and PSP reference). */
  waitForEvent(eventCode: string, pspReference?: string, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let answers: Array<string | number | "destroy"> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: { notificationItems?: Array<{ NotificationRequestItem?: unknown }> } | null = null;
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
      const item = body?.notificationItems?.[0]?.NotificationRequestItem ?? null;
      received.push({ path: req.url ?? "/", headers: req.headers, raw, body, item });
      const answer = answers.shift() ?? "[accepted]";
      if (answer === "destroy") {
        req.socket.destroy();
        return;
      }
      res.writeHead(typeof answer === "number" ? answer : 200, { "content-type": "text/plain" });
      res.end(typeof answer === "number" ? "" : answer);
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
      await waitUntil(() => received.length >= count, timeoutMs, `expected ${count} webhooks`);
      return received.slice(0, count);
    },
    async waitForEvent(eventCode, pspReference, timeoutMs = 3000) {
      const find = () =>
        received.find(
          (r) =>
            r.item?.eventCode === eventCode &&
            (pspReference === undefined ||
              r.item?.pspReference === pspReference ||
              r.item?.originalReference === pspReference),
        );
      await waitUntil(() => find() !== undefined, timeoutMs, `expected a ${eventCode} webhook`);
      return find() as Received;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Checks a webhook's `additionalData.hmacSignature` with Adyen's official Node library. */
export function officiallySigned(received: Received, hmacKey: string): boolean {
  return new HmacValidator().validateHMAC(received.item, hmacKey);
}

const issuedHmacKeys = new Set<string>();

/** Keys handed out by generateHmac in this test process. */
export function rememberHmacKey(hmacKey: string): void {
  issuedHmacKeys.add(hmacKey);
}

/** Every signed webhook a receiver got must verify, with the official validator, under an issued key. */
export function assertEveryWebhookOfficiallySigned(receiver: Receiver): void {
  for (const received of receiver.received) {
    if (received.item?.additionalData?.hmacSignature === undefined) continue;
    const verified = [...issuedHmacKeys].some((key) => officiallySigned(received, key));
    if (!verified) {
      throw new Error(
        `${received.item.eventCode} ${received.item.pspReference} fails the official HMAC check`,
      );
    }
  }
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

/** Creates a standard JSON webhook for `merchantId` pointing at `url`, and its HMAC key. */
export async function configureWebhook(
  baseUrl: string,
  key: string,
  url: string,
  merchantId = MERCHANT,
): Promise<{ id: string; hmacKey: string }> {
  const created = await api(baseUrl, "POST", `/v3/merchants/${merchantId}/webhooks`, {
    key,
    body: { type: "standard", url, active: true, communicationFormat: "json" },
  });
  if (created.status !== 200) throw new Error(`webhook setup failed: ${created.text}`);
  const hmac = await api(
    baseUrl,
    "POST",
    `/v3/merchants/${merchantId}/webhooks/${created.json.id}/generateHmac`,
    {
      key,
    },
  );
  rememberHmacKey(hmac.json.hmacKey);
  return { id: created.json.id, hmacKey: hmac.json.hmacKey };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitUntil(check: () => boolean, timeoutMs = 3000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not met in ${timeoutMs} ms`);
    await sleep(10);
  }
}
