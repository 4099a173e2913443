/**
 * A local, stateful Stripe: PaymentIntents, charges, refunds, events and signed webhooks over Stripe's
 * own wire protocol (form-encoded requests validated against Stripe's OpenAPI spec, JSON answers,
 * Stripe's error shapes and idempotency rules), with Stripe's test cards, a 3-D Secure page and fault
 * injection. Start one per test with `startStripeSimulator`, point the official SDK at its `url`.
 *
 * Every `sk_test_<suffix>` key is its own account; `pk_test_<same suffix>` is that account's publishable
 * key, which may only create card tokens (`POST /v1/tokens`, as Google Pay does in PAYMENT_GATEWAY mode).
 * A token is paid with once, within ten minutes, by `payment_method_data[card][token]`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLifecycle } from "../common/lifecycle.ts";
import type { SimContext } from "./context.ts";
import { createWebhookSender } from "./delivery.ts";
import { createEventPublisher } from "./events.ts";
import { createFaultBook, type StripeFault } from "./faults.ts";
import { type SimulatorLogger, silentLogger } from "./logger.ts";
import { createIds, cryptoRandom, type RandomSource } from "./random.ts";
import { createRequestHandler } from "./server.ts";
import { DEFAULT_SPEC_URL, loadStripeSpec } from "./spec.ts";
import { createStore } from "./store.ts";

export { stripeSignature } from "./delivery.ts";
export type { StripeFault } from "./faults.ts";
export type { SimulatorLogger } from "./logger.ts";
export type { RandomSource } from "./random.ts";

export interface StripeSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  now?: () => Date;
  /** Source of every id and secret; inject a seeded one to replay a run exactly. */
  random?: RandomSource;
  /** Delay before timeout-card payments and test-card refunds reach their final state. */
  resolveAfterMs?: number;
  logger?: false | SimulatorLogger;
  /** Waits between webhook attempts; one more attempt is made than there are entries. */
  notificationRetryDelaysMs?: number[];
  /** Stripe's OpenAPI document; defaults to ../shared/specs/stripe/spec3.2022-04-12.json. */
  specPath?: URL | string;
}

export interface StripeSimulator {
  /** Base URL, e.g. `http://127.0.0.1:PORT`: give the SDK `host`, `port` and `protocol: "http"` from it. */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
  injectFault(fault: StripeFault): void;
  clearFaults(): void;
  paymentIntentCount(secretKey?: string): number;
}

export async function startStripeSimulator(options: StripeSimulatorOptions = {}): Promise<StripeSimulator> {
  const logger = options.logger ? options.logger : silentLogger;
  const now = options.now ?? (() => new Date());
  const ids = createIds(options.random ?? cryptoRandom);
  const spec = await loadStripeSpec(options.specPath ?? DEFAULT_SPEC_URL);
  const lifecycle = createLifecycle();
  const faults = createFaultBook();
  const store = createStore();
  const send = createWebhookSender({
    lifecycle,
    faults,
    logger,
    now,
    retryDelaysMs: options.notificationRetryDelaysMs ?? [200, 1000, 3000],
  });
  let url = "";
  const ctx: SimContext = {
    store,
    ids,
    now,
    lifecycle,
    events: createEventPublisher({ ids, now, send }),
    resolveAfterMs: options.resolveAfterMs ?? 300,
    baseUrl: () => url,
    fingerprintKey: ids.base62(32),
  };

  const server = createServer(createRequestHandler({ ctx, spec, faults, logger }));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;
  logger.info({ url }, "stripe simulator listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    host: address.address,
    port: address.port,
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    paymentIntentCount: (secretKey) => store.intentCount(secretKey),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await lifecycle.close();
        await stopped;
      })();
      return closing;
    },
  };
}
