/** Helpers for the Alipay connector tests: a simulator per file, fresh accounts, a notify receiver. */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type AlipaySimulator,
  type AlipaySimulatorOptions,
  startAlipaySimulator,
} from "../../../simulators/alipay/index.ts";
import type { CallContext, Connector, ConnectorAccount, LocalPaymentRequest } from "../contract.ts";
import { createAlipayConnector } from "./index.ts";
import { simulatedAccounts } from "./simulated.ts";

export const SPECS = new URL("../../../../shared/specs/alipay/", import.meta.url);

/** The simulator's clock: real time plus an offset the test moves. */
export function movableClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms: number) {
      offsetMs += ms;
    },
  };
}

export interface Harness {
  sim: AlipaySimulator;
  connector: Connector;
  clock: ReturnType<typeof movableClock>;
  /** A fresh merchant account registered at the simulator. */
  newCall(overrides?: Partial<CallContext>): CallContext;
  close(): Promise<void>;
}

export async function startHarness(options: AlipaySimulatorOptions = {}): Promise<Harness> {
  const clock = movableClock();
  const sim = await startAlipaySimulator({
    now: clock.now,
    notificationRetryDelaysMs: [30, 30, 30],
    expiryCheckMs: 50,
    ...options,
  });
  const accounts = simulatedAccounts(sim);
  const connector = createAlipayConnector({ baseUrl: () => sim.url });
  return {
    sim,
    connector,
    clock,
    newCall(overrides = {}) {
      const config = accounts.config(randomBytes);
      accounts.register(config);
      const account: ConnectorAccount = {
        id: `mca_${randomBytes(6).toString("hex")}`,
        merchantId: "acct_test",
        livemode: false,
        connector: "alipay",
        config,
      };
      return { account, notificationUrl: "http://127.0.0.1:9/hooks", timeoutMs: 2000, ...overrides };
    },
    close: () => sim.close(),
  };
}

export const appIdOf = (call: CallContext) => String(call.account.config.app_id);

export function nextRef(prefix = "pi"): string {
  return `${prefix}_${randomBytes(8).toString("hex")}_a1`;
}

export function paymentRequest(
  clock: { now: () => Date },
  overrides: Partial<LocalPaymentRequest> = {},
): LocalPaymentRequest {
  return {
    reference: nextRef(),
    paymentIntentId: nextRef("pi"),
    amount: 1234n,
    currency: "cny",
    method: "alipay",
    channel: "qr",
    capture: true,
    returnUrl: "https://payrail.example/pay/return/pi_test",
    description: "Payrail 测试订单",
    expiresAt: new Date(clock.now().getTime() + 30 * 60_000),
    shopper: {},
    ...overrides,
  };
}

export interface CapturedWebhook {
  rawBody: Buffer;
  headers: Record<string, string>;
  params: URLSearchParams;
}

/** Payrail's notify endpoint stand-in: keeps each raw body and answers Alipay's `success`. */
export async function startReceiver() {
  const received: CapturedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks);
      received.push({
        rawBody,
        headers: flatHeaders(req.headers),
        params: new URLSearchParams(rawBody.toString("utf8")),
      });
      res.writeHead(200, { "content-type": "text/plain" }).end("success");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/alipay`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

export async function eventually<T>(probe: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The shopper opens the cashier (reaching the order) and then pays, fails or abandons. */
export async function shopperActs(cashierUrl: string, action: "pay" | "fail" | "abandon") {
  await (await fetch(cashierUrl)).text();
  const response = await fetch(cashierUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `action=${action}`,
    redirect: "manual",
  });
  return { status: response.status, location: response.headers.get("location"), text: await response.text() };
}

/** The shopper's browser follows a page.pay / wap.pay URL to Alipay's cashier. */
export async function openGatewayUrl(
  url: string,
): Promise<{ status: number; location: string | null; text: string }> {
  const response = await fetch(url, { redirect: "manual" });
  return { status: response.status, location: response.headers.get("location"), text: await response.text() };
}

/** The Alipay app receiving an app.pay order string from the app SDK. */
export async function appPays(sim: AlipaySimulator, orderString: string, action: string) {
  const response = await fetch(`${sim.url}/sandbox/app-pay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ orderString, action }),
  });
  return (await response.json()) as { resultStatus: string; memo: string; result: string };
}

/** The QR code of a precreate order opens the cashier when scanned; the cashier has the same token. */
export const cashierOfQr = (qrCode: string) => qrCode.replace("/qr/", "/cashier/");
