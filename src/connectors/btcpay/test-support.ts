/** Helpers for the BTCPay connector tests, which run against the real BTCPay simulator. */
import { randomBytes } from "node:crypto";
import { type BtcpaySimulator, startBtcpaySimulator } from "../../../simulators/btcpay/index.ts";
import { type Clock, createClock } from "../../../simulators/btcpay/test-support.ts";
import type { CallContext, ConnectorAccount, LocalPaymentRequest } from "../contract.ts";

export { checkout, startReceiver, waitUntil } from "../../../simulators/btcpay/test-support.ts";

export const MINUTE = 60_000;

export interface SimulatorHarness {
  sim: BtcpaySimulator;
  clock: Clock;
}

export async function startSimulator(): Promise<SimulatorHarness> {
  const clock = createClock();
  const sim = await startBtcpaySimulator({
    now: clock.now,
    notificationRetryDelaysMs: [50, 50],
    // Payments confirm when a test says so (confirmPayments), not on their own.
    resolveAfterMs: 60_000,
    sweepIntervalMs: 20,
  });
  return { sim, clock };
}

export function nextRef(prefix = "pa"): string {
  return `${prefix}_${randomBytes(8).toString("hex")}`;
}

/**
 * A call on a fresh store of the simulator, crypto allowed for DE and FR. Without `withSaveConfig`, no
 * webhook is registered (the connector needs saveConfig to keep its secret).
 */
export function newCall(
  sim: BtcpaySimulator,
  options: {
    config?: Record<string, unknown>;
    notificationUrl?: string;
    withSaveConfig?: boolean;
    timeoutMs?: number;
  } = {},
): CallContext & { saved: Array<Record<string, unknown>> } {
  const apiKey = randomBytes(20).toString("hex");
  const { storeId } = sim.registerStore({ apiKey });
  const account: ConnectorAccount = {
    id: nextRef("mca"),
    merchantId: "acct_test",
    livemode: false,
    connector: "btcpay",
    config: { store_id: storeId, api_key: apiKey, allowed_countries: ["DE", "FR"], ...options.config },
  };
  const saved: Array<Record<string, unknown>> = [];
  return {
    account,
    notificationUrl: options.notificationUrl ?? "http://127.0.0.1:9/hooks",
    timeoutMs: options.timeoutMs ?? 2000,
    saved,
    saveConfig: options.withSaveConfig
      ? async (patch) => {
          saved.push(patch);
          account.config = { ...account.config, ...patch };
        }
      : undefined,
  };
}

export function localRequest(overrides: Partial<LocalPaymentRequest> = {}): LocalPaymentRequest {
  return {
    reference: nextRef(),
    paymentIntentId: nextRef("pi"),
    method: "crypto",
    channel: "web",
    capture: true,
    amount: 2500n,
    currency: "usd",
    returnUrl: "https://payrail.example/v1/return/pi_1",
    description: "Order 42",
    expiresAt: new Date(Date.now() + 15 * MINUTE),
    shopper: { country: "DE" },
    ...overrides,
  };
}

export function storeIdOf(call: CallContext): string {
  return String(call.account.config.store_id);
}

export function apiKeyOf(call: CallContext): string {
  return String(call.account.config.api_key);
}

/** A Greenfield call as the merchant's own tools would make it, to see what the connector did. */
export async function greenfield(
  sim: BtcpaySimulator,
  call: CallContext,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the wire JSON
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `token ${apiKeyOf(call)}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}
