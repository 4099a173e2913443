/** Helpers for the connector tests that run against a real GrabPay simulator. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { GrabPaySimulator } from "../../../simulators/grabpay/index.ts";
import type { AuthorizeResult, CallContext, Connector, LocalPaymentRequest } from "../contract.ts";
import { newTestAccountConfig } from "./config.ts";
import { simulatedAccounts } from "./simulated.ts";

/** The one return URL test payments use; GrabID only takes registered redirect URIs. */
export const RETURN_URL = "https://shop.example/pay/return/pi_test";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A Payrail-shaped reference: `pi_` + 24 characters + `_a1`. */
export function newReference(): string {
  const id = Array.from(randomBytes(24), (byte) => BASE62[byte % 62]).join("");
  return `pi_${id}_a1`;
}

export interface Received {
  path: string;
  headers: Record<string, string>;
  raw: Buffer;
}

export interface Receiver {
  url: string;
  received: Received[];
  waitFor(match: (received: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
      }
      received.push({ path: req.url ?? "/", headers, raw: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async waitFor(match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error("no matching notification arrived");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A fresh merchant account registered with the simulator, its notifications sent to `receiver` at
 * Payrail's hook path of the account.
 */
export function newCall(
  sim: GrabPaySimulator,
  options: {
    country?: string;
    receiver?: Receiver;
    timeoutMs?: number;
    config?: Record<string, unknown>;
  } = {},
): CallContext {
  const id = `mca_${randomBytes(8).toString("hex")}`;
  const notificationUrl = `${options.receiver?.url ?? "http://127.0.0.1:9"}/v1/hooks/grabpay/${id}`;
  const config = {
    ...newTestAccountConfig(randomBytes),
    country: options.country ?? "SG",
    ...options.config,
  };
  simulatedAccounts(sim).register({ ...config, redirect_uri: RETURN_URL, notification_url: notificationUrl });
  return {
    account: { id, merchantId: "acct_test", livemode: false, connector: "grabpay", config },
    notificationUrl,
    timeoutMs: options.timeoutMs ?? 2000,
  };
}

export function localRequest(overrides: Partial<LocalPaymentRequest> = {}): LocalPaymentRequest {
  const reference = overrides.reference ?? newReference();
  return {
    reference,
    paymentIntentId: reference.slice(0, -3),
    method: "grabpay",
    channel: "web",
    capture: true,
    amount: 1500n,
    currency: "sgd",
    returnUrl: RETURN_URL,
    description: "Order 42",
    expiresAt: new Date(Date.now() + 15 * 60_000),
    shopper: { country: "SG" },
    ...overrides,
  };
}

export function redirectUrlOf(result: AuthorizeResult): URL {
  assert.equal(result.outcome, "requires_action");
  assert.ok(result.outcome === "requires_action" && "action" in result);
  assert.equal(result.action.type, "redirect_to_url");
  return new URL(result.action.type === "redirect_to_url" ? result.action.url : "");
}

export type ShopperChoice = "approve" | "fail" | "decline" | "abandon";

/** The shopper opens GrabPay's page and presses a button; the query GrabID sends back, if any. */
export async function shopperAnswers(
  authorizeUrl: URL,
  choice: ShopperChoice,
): Promise<Record<string, string> | null> {
  const page = await fetch(authorizeUrl, { redirect: "manual" });
  const html = await page.text();
  if (page.status === 302)
    return Object.fromEntries(new URL(page.headers.get("location") ?? "").searchParams);
  assert.equal(page.status, 200, html);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, "the consent page has a form");
  const answer = await fetch(new URL(action, authorizeUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ action: choice, paymentMethod: "GPWALLET" }).toString(),
    redirect: "manual",
  });
  await answer.text();
  const location = answer.headers.get("location");
  return location ? Object.fromEntries(new URL(location).searchParams) : null;
}

/** Start, let the shopper choose, and come back to Payrail's return route with GrabID's parameters. */
export async function payAndReturn(
  connector: Connector,
  call: CallContext,
  request: LocalPaymentRequest,
  choice: ShopperChoice,
): Promise<{ started: AuthorizeResult; returned: AuthorizeResult | null }> {
  const started = await connector.startPayment?.(call, request);
  assert.ok(started);
  const params = await shopperAnswers(redirectUrlOf(started), choice);
  if (!params) return { started, returned: null };
  assert.ok(started.outcome === "requires_action");
  const returned = await connector.completeRedirect?.(call, {
    connectorReference: started.connectorReference,
    reference: request.reference,
    params,
    amount: request.amount,
    currency: request.currency,
    capture: true,
  });
  assert.ok(returned);
  return { started, returned };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
