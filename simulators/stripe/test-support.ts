/** Helpers for the simulator's own tests: SDK clients, card parameters, raw calls and a webhook receiver. */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import type { StripeSimulator } from "./index.ts";

export function newSecretKey(): string {
  return `sk_test_${randomBytes(32)
    .toString("base64")
    .replace(/[^0-9A-Za-z]/g, "")
    .slice(0, 32)
    .padEnd(32, "x")}`;
}

export function sdk(sim: StripeSimulator, key: string): Stripe {
  const stripe = new Stripe(key, { host: sim.host, port: sim.port, protocol: "http", maxNetworkRetries: 0 });
  // The SDK retries a dropped connection once, after at least half a second; a shorter wait keeps tests fast.
  Object.assign(stripe, { getInitialNetworkRetryDelay: () => 0.05 });
  return stripe;
}

export const FUTURE_YEAR = new Date().getUTCFullYear() + 3;

export function cardData(number: string, card: Record<string, unknown> = {}) {
  return { type: "card", card: { number, exp_month: 12, exp_year: FUTURE_YEAR, cvc: "123", ...card } };
}

/**
 * Parameters for `paymentIntents.create`. Raw card data is gated at Stripe and absent from the SDK's
 * types, so the object is cast.
 */
export function paymentParams(
  number: string,
  extra: Record<string, unknown> = {},
  card: Record<string, unknown> = {},
): Stripe.PaymentIntentCreateParams {
  return {
    amount: 1000,
    currency: "usd",
    confirm: true,
    payment_method_data: cardData(number, card),
    return_url: "https://shop.example/return?order=1",
    ...extra,
  } as unknown as Stripe.PaymentIntentCreateParams;
}

/** The SDK's error for a failed call, so tests can read its fields. */
// biome-ignore lint/suspicious/noExplicitAny: tests read the raw fields Stripe puts on its errors
export async function stripeFailure(call: Promise<unknown>): Promise<any> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

export interface RawResult {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the wire JSON
  json: any;
}

/** A call without the SDK, to see exactly what goes over the wire. */
export async function raw(
  sim: StripeSimulator,
  method: string,
  path: string,
  options: {
    key?: string | null;
    form?: string;
    idempotencyKey?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<RawResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.form !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    body: options.form,
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

export function cardForm(number: string, extra = ""): string {
  return (
    `amount=1000&currency=usd&confirm=true&payment_method_data[type]=card&payment_method_data[card][number]=${number}` +
    `&payment_method_data[card][exp_month]=12&payment_method_data[card][exp_year]=${FUTURE_YEAR}` +
    `&payment_method_data[card][cvc]=123${extra}`
  );
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
  headers: IncomingHttpHeaders;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the event JSON
  body: any;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers, in order, for the next deliveries: a status code, or "destroy" to drop the connection. */
  script(answers: Array<number | "destroy">): void;
  waitFor(predicate: (all: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  ofType(type: string): Received[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let answers: Array<number | "destroy"> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      received.push({ headers: req.headers, raw: text, body });
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
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received,
    script(next) {
      answers = [...next];
    },
    async waitFor(predicate, timeoutMs = 3000) {
      await waitUntil(() => predicate(received), timeoutMs);
      return received;
    },
    ofType: (type) => received.filter((item) => item.body?.type === type),
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
