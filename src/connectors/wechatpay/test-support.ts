/**
 * Helpers for the WeChat Pay connector tests: a simulator with an injected clock, accounts made by
 * simulated.ts, a local notification receiver keeping exact raw bytes, and the shopper's side.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startWechatPaySimulator, type WechatPaySimulator } from "../../../simulators/wechatpay/index.ts";
import { platformKeys, submitCashier } from "../../../simulators/wechatpay/test-support.ts";
import type { CallContext, InboundWebhook, LocalPaymentRequest, ShopperAction } from "../contract.ts";
import { createWechatPayConnector, type WechatPayConnector } from "./index.ts";
import { simulatedAccounts } from "./simulated.ts";

export interface Clock {
  now(): Date;
  set(at: Date): void;
  advance(ms: number): void;
}

export function testClock(start = new Date()): Clock {
  let at = start;
  return {
    now: () => at,
    set: (next) => {
      at = next;
    },
    advance: (ms) => {
      at = new Date(at.getTime() + ms);
    },
  };
}

export interface Receiver {
  url: string;
  received: InboundWebhook[];
  /** How to answer the next notifications (200 by default), e.g. as Payrail would after verifying. */
  answerWith(answer: (webhook: InboundWebhook) => number | Promise<number>): void;
  /** Forgets what was received and answers 200 again. */
  reset(): void;
  waitFor(count: number, timeoutMs?: number): Promise<InboundWebhook[]>;
  close(): Promise<void>;
}

/** A notify_url that keeps every notification's exact bytes and headers and answers 200. */
export async function startReceiver(): Promise<Receiver> {
  const received: InboundWebhook[] = [];
  let answer: (webhook: InboundWebhook) => number | Promise<number> = () => 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers[name] = value;
      }
      const webhook = { rawBody: Buffer.concat(chunks), headers };
      received.push(webhook);
      const status = await answer(webhook);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(status === 200 ? '{"code":"SUCCESS","message":"成功"}' : '{"code":"FAIL","message":"失败"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/hooks/wechat_pay/mca_test`;
  return {
    url,
    received,
    answerWith(next) {
      answer = next;
    },
    reset() {
      received.length = 0;
      answer = () => 200;
    },
    async waitFor(count, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} notifications, got ${received.length}`);
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

export interface Harness {
  sim: WechatPaySimulator;
  clock: Clock;
  receiver: Receiver;
  connector: WechatPayConnector;
  /** A fresh merchant registered with the simulator. */
  newCall(overrides?: Partial<CallContext>): CallContext;
  close(): Promise<void>;
}

export async function startHarness(options: { resolveAfterMs?: number } = {}): Promise<Harness> {
  const clock = testClock();
  const receiver = await startReceiver();
  const sim = await startWechatPaySimulator({
    platformKeys: await platformKeys(),
    now: clock.now,
    notificationRetryDelaysMs: [30, 30],
    resolveAfterMs: options.resolveAfterMs ?? 20,
  });
  const accounts = simulatedAccounts(sim);
  const connector = createWechatPayConnector({ baseUrl: () => sim.url, now: clock.now });
  return {
    sim,
    clock,
    receiver,
    connector,
    newCall(overrides = {}) {
      const config = accounts.config(randomBytes);
      accounts.register(config);
      return {
        account: {
          id: `mca_${randomBytes(6).toString("hex")}`,
          merchantId: "acct_test",
          livemode: false,
          connector: "wechat_pay",
          config,
        },
        notificationUrl: receiver.url,
        timeoutMs: 2000,
        ...overrides,
      };
    },
    async close() {
      await sim.close();
      await receiver.close();
    },
  };
}

export function nextReference(): string {
  return `pi_${randomBytes(8).toString("hex")}_a1`;
}

export function paymentRequest(
  clock: Clock,
  overrides: Partial<LocalPaymentRequest> = {},
): LocalPaymentRequest {
  return {
    reference: nextReference(),
    paymentIntentId: "pi_test",
    amount: 12_345n,
    currency: "cny",
    method: "wechat_pay",
    channel: "qr",
    capture: true,
    returnUrl: "https://payrail.example/v1/return/pi_test?step=1",
    description: "Payrail 测试商品",
    expiresAt: new Date(clock.now().getTime() + 30 * 60 * 1000),
    shopper: { ip: "203.0.113.7", openId: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
    ...overrides,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The prepay_id inside a Native code_url's cashier, an H5 url, or signed JSAPI/App parameters. */
function cashierTarget(action: ShopperAction): string {
  if (action.type === "display_qr_code") return action.data;
  if (action.type === "redirect_to_url") {
    return new URL(action.url).searchParams.get("prepay_id") ?? "";
  }
  throw new Error(`no cashier for ${action.type}`);
}

/** The shopper pays, fails or walks away, the way the channel's WeChat side lets them. */
export async function shopperActs(
  sim: WechatPaySimulator,
  action: ShopperAction,
  outcome: "approve" | "decline" | "abandon",
): Promise<Response> {
  if (action.type === "wechat_pay_jsapi" || action.type === "wechat_pay_app") {
    const client = action.type === "wechat_pay_jsapi" ? "jsapi" : "app";
    return fetch(`${sim.url}/simulator/client/${client}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...action.params, outcome: outcome === "abandon" ? "cancel" : outcome }),
    });
  }
  return submitCashier(sim, cashierTarget(action), outcome);
}

export async function eventually<T>(probe: () => Promise<T | undefined>, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await sleep(20);
  }
}
