/** Shared by this connector's tests: requests, accounts on the simulator, the shopper, a webhook receiver. */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { PayPalSimulator } from "../../../simulators/paypal/index.ts";
import type { CallContext, ConnectorAccount, LocalPaymentRequest } from "../contract.ts";
import { simulatedAccounts } from "./simulated.ts";

/** Where Payrail publishes PayPal's specs; read in place, never copied. */
export const SPEC_DIR = new URL("../../../../shared/specs/paypal/", import.meta.url);

let counter = 0;

/** An authorize reference as Payrail makes them: `<intent id>_a<attempt>`. */
export function nextReference(): string {
  counter += 1;
  return `pi_${randomBytes(8).toString("hex")}${counter}_a1`;
}

export function paymentRequest(overrides: Partial<LocalPaymentRequest> = {}): LocalPaymentRequest {
  const reference = overrides.reference ?? nextReference();
  return {
    reference,
    paymentIntentId: reference.replace(/_a\d+$/, ""),
    method: "paypal",
    channel: "web",
    capture: true,
    amount: 10_000n,
    currency: "usd",
    returnUrl: `https://payrail.example/pay/return/${reference.replace(/_a\d+$/, "")}`,
    description: "Order 42 at the test shop",
    expiresAt: new Date(Date.now() + 24 * 3600_000),
    shopper: { locale: "en-US", country: "US" },
    ...overrides,
  };
}

/** A fresh merchant's account on the simulator; saveConfig writes into it as Payrail's repository would. */
export function newCall(
  sim: PayPalSimulator,
  options: { notificationUrl?: string; timeoutMs?: number; config?: Record<string, unknown> } = {},
): CallContext & { account: ConnectorAccount } {
  const accounts = simulatedAccounts(sim);
  const config = { ...accounts.config(randomBytes), ...options.config };
  accounts.register(config);
  const account: ConnectorAccount = {
    id: `mca_${randomBytes(6).toString("hex")}`,
    merchantId: "acct_test",
    livemode: false,
    connector: "paypal",
    config,
  };
  return {
    account,
    notificationUrl: options.notificationUrl ?? "",
    timeoutMs: options.timeoutMs ?? 2_000,
    saveConfig: async (patch) => {
      account.config = { ...account.config, ...patch };
    },
  };
}

/**
 * The shopper on PayPal's approval page: opens the link, then approves (with a funding source) or
 * cancels. Answers the query parameters PayPal puts on the URL it sends the shopper back to.
 */
export async function shopper(
  approvalUrl: string,
  action: "approve" | "cancel",
  funding = "balance",
): Promise<{ location: string; params: Record<string, string> }> {
  const page = await fetch(approvalUrl);
  if (page.status !== 200) throw new Error(`approval page answered ${page.status}`);
  await page.text();
  const url = new URL(approvalUrl);
  const response = await fetch(`${url.origin}/checkoutnow/${action}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      token: url.searchParams.get("token") ?? "",
      funding,
      email: "buyer@example.com",
    }).toString(),
    redirect: "manual",
  });
  await response.text();
  const location = response.headers.get("location");
  if (response.status !== 302 || !location) throw new Error(`${action} answered ${response.status}`);
  return { location, params: Object.fromEntries(new URL(location).searchParams) };
}

export interface Delivery {
  headers: Record<string, string>;
  raw: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the event's fields
  body: any;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  waitFor(predicate: (delivery: Delivery) => boolean, timeoutMs?: number): Promise<Delivery>;
  close(): Promise<void>;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Payrail's inbound route, reduced: keeps the exact bytes and headers, answers 200. */
export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
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
      deliveries.push({ headers: flatHeaders(req.headers), raw, body });
      res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/hooks/paypal/mca_test`,
    deliveries,
    async waitFor(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = deliveries.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error("no such delivery in time");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
