/** Helpers for the Mollie connector tests that run against the real Mollie simulator. */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { newTestApiKey } from "../../../simulators/mollie/index.ts";
import type { CallContext, ConnectorAccount, LocalPaymentRequest } from "../contract.ts";

/** A call on a fresh simulator account (each test key is its own account there). */
export function newCall(
  overrides: Partial<CallContext> = {},
  config: Record<string, unknown> = {},
): CallContext {
  const account: ConnectorAccount = {
    id: "mca_mollie_test",
    merchantId: "acct_test",
    livemode: false,
    connector: "mollie",
    config: { api_key: newTestApiKey(), ...config },
  };
  return { account, notificationUrl: "http://127.0.0.1:9/hooks/mollie", timeoutMs: 2000, ...overrides };
}

export function apiKeyOf(call: CallContext): string {
  return String(call.account.config.api_key);
}

export function nextRef(prefix = "pa"): string {
  return `${prefix}_${randomBytes(8).toString("hex")}`;
}

export function localRequest(overrides: Partial<LocalPaymentRequest> = {}): LocalPaymentRequest {
  return {
    reference: nextRef(),
    paymentIntentId: nextRef("pi"),
    amount: 1000n,
    currency: "eur",
    method: "ideal",
    channel: "web",
    capture: true,
    returnUrl: "https://payrail.example/pay/return/pi_1",
    description: "Order 1001",
    expiresAt: new Date(Date.now() + 30 * 60 * 1000),
    shopper: { country: "NL", locale: "nl-NL" },
    ...overrides,
  };
}

/** What the shopper does on the iDEAL checkout page: the test-mode form POST with an outcome. */
export async function answerCheckout(
  href: string,
  status: string,
): Promise<{ status: number; location: string | null }> {
  const response = await fetch(href, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ status }).toString(),
    redirect: "manual",
  });
  await response.text();
  return { status: response.status, location: response.headers.get("location") };
}

/** Reads a payment straight from the simulator, to see what the connector sent. */
export async function simulatorPayment(baseUrl: string, call: CallContext, id: string) {
  const response = await fetch(`${baseUrl}/v2/payments/${id}`, {
    headers: { authorization: `Bearer ${apiKeyOf(call)}` },
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read the wire JSON as it is
  return (await response.json()) as any;
}

export interface Received {
  rawBody: Buffer;
  headers: Record<string, string>;
  at: Date;
}

/** A local webhook endpoint that keeps the exact bytes of every notification it gets. */
export async function startReceiver() {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ rawBody: Buffer.concat(chunks), headers: flatten(req.headers), at: new Date() });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async waitFor(count: number, timeoutMs = 5000): Promise<Received[]> {
      await waitUntil(() => received.length >= count, timeoutMs, `${count} notifications`);
      return received.slice(0, count);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = "condition",
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not met in ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** A clock the tests move by hand, shared by the simulator and the connector. */
export function manualClock(start: string) {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}
