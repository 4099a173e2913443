/**
 * A stateful local PayPal: OAuth 2.0 client credentials, Orders v2 (create, show, capture, authorize) with a
 * sandbox buyer approval page, Payments v2 (authorization capture and void, capture refunds, show), Webhooks
 * v1 (subscriptions, events, resend, verify-webhook-signature) with SHA256withRSA-signed deliveries, the
 * daily Settlement Report (STL CSV), sandbox negative testing and fault injection. Every request and every
 * produced body is validated against PayPal's published OpenAPI specs. Start one per test with
 * `startPayPalSimulator`, register a REST app with `registerApp`, then speak PayPal's wire protocol to `url`.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLifecycle } from "../common/lifecycle.ts";
import { createAuth } from "./auth.ts";
import type { Context } from "./context.ts";
import { createEventPublisher } from "./events.ts";
import { createFaultBook, type PayPalFault } from "./faults.ts";
import { createIds, type RandomSource } from "./ids.ts";
import { type SimulatorLogger, silentLogger } from "./logger.ts";
import { decimalsOf } from "./money.ts";
import { createNotifier } from "./notifier.ts";
import { createRequestHandler } from "./server.ts";
import { type SettlementReport, settlementReport } from "./settlement.ts";
import { createSigningIdentity } from "./signing.ts";
import { compileSpecValidators } from "./spec.ts";
import { type App, createStore } from "./store.ts";

export type { PayPalFault } from "./faults.ts";
export type { RandomSource } from "./ids.ts";
export type { SimulatorLogger } from "./logger.ts";
export { SETTLEMENT_COLUMNS, settlementFileName } from "./settlement.ts";
export { crc32Decimal, signedMessage } from "./signing.ts";

export interface PayPalSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  now?: () => Date;
  /** Random bytes for every id and token; crypto.randomBytes by default. The RSA key is always fresh. */
  random?: RandomSource;
  logger?: false | SimulatorLogger;
  /** Waits between webhook delivery attempts; one more attempt than entries (default [200, 1000, 3000]). */
  notificationRetryDelaysMs?: number[];
  /** Delay before a pending (eCheck) capture completes or is denied (default 300 ms). */
  resolveAfterMs?: number;
  /** Lifetime of an access token by the injected clock (default 900 s). */
  tokenTtlSeconds?: number;
  /** How long an order waits for approval before it is gone (default 3 h, PayPal's default). */
  orderExpiryMs?: number;
  /** How long an approved order waits for capture or authorization (default 3 h). */
  approvedOrderExpiryMs?: number;
  /** PayPal's fee per capture in minor units; default 3.49 % + 0.49 (49 minor units). */
  fee?: (currency: string, grossMinor: bigint) => bigint;
  /**
   * A body that fails PayPal's spec is a simulator bug. Strict (the default under `node --test`): the request
   * is answered 500, the webhook is not sent, and `close()` rejects with the first violation.
   */
  strictResponses?: boolean;
  /** The folder holding the three PayPal specs; defaults to ../shared/specs/paypal. */
  specDir?: URL;
}

export interface RegisteredApp {
  clientId: string;
  appId: string;
  /** The merchant account's payer id: payee.merchant_id and the settlement report's account id. */
  merchantId: string;
  merchantEmail: string;
}

export interface PayPalSimulator {
  url: string;
  close(): Promise<void>;
  injectFault(fault: PayPalFault): void;
  clearFaults(): void;
  /** Registers a REST app (a merchant); its credentials then work at /v1/oauth2/token. */
  registerApp(credentials: { clientId: string; clientSecret: string }): RegisteredApp;
  /** The URL deliveries name in PAYPAL-CERT-URL; GET answers the PEM certificate. */
  certUrl: string;
  certificatePem: string;
  /** The settlement report file of one UTC day (`YYYY-MM-DD`), as /ppreports/outgoing serves it once the day is over. */
  settlementReport(clientId: string, day: string): SettlementReport;
}

export class SpecViolationError extends Error {
  override name = "SpecViolationError";
}

function defaultFee(currency: string, grossMinor: bigint): bigint {
  const fixed = decimalsOf(currency) === 0 ? 40n : 49n;
  return (grossMinor * 349n + 5000n) / 10000n + fixed;
}

export async function startPayPalSimulator(options: PayPalSimulatorOptions = {}): Promise<PayPalSimulator> {
  const logger = options.logger ? options.logger : silentLogger;
  const now = options.now ?? (() => new Date());
  const strict = options.strictResponses ?? process.env.NODE_TEST_CONTEXT !== undefined;
  const random = options.random ?? randomBytes;
  const ids = createIds(random);
  const lifecycle = createLifecycle();
  const faults = createFaultBook();
  const store = createStore();
  // Key generation runs on libuv's thread pool while the specs compile on this thread.
  const identityReady = createSigningIdentity(now(), random(16));
  const spec = compileSpecValidators(options.specDir);
  const identity = await identityReady;
  const certPath = `/v1/notifications/certs/CERT-360caa42-fca2a594-${ids.hex(8)}`;
  const violations: SpecViolationError[] = [];

  function onViolation(message: string): void {
    const violation = new SpecViolationError(`paypal simulator produced a body its spec rejects: ${message}`);
    logger.error({ err: violation }, "spec violation");
    if (!strict) return;
    violations.push(violation);
    throw violation;
  }

  let url = "";
  const certUrl = () => `${url}${certPath}`;
  const notifier = createNotifier({
    lifecycle,
    faults,
    logger,
    ids,
    now,
    identity,
    certUrl,
    retryDelaysMs: options.notificationRetryDelaysMs ?? [200, 1000, 3000],
  });
  const events = createEventPublisher({
    store,
    ids,
    now,
    baseUrl: () => url,
    notifier,
    spec,
    conforms(violation) {
      try {
        onViolation(violation);
      } catch {
        return false;
      }
      return true;
    },
  });
  const ctx: Context = {
    store,
    ids,
    now,
    lifecycle,
    baseUrl: () => url,
    spec,
    events,
    resolveAfterMs: options.resolveAfterMs ?? 300,
    orderExpiryMs: options.orderExpiryMs ?? 3 * 3600_000,
    approvedOrderExpiryMs: options.approvedOrderExpiryMs ?? 3 * 3600_000,
    fee: options.fee ?? defaultFee,
  };
  const auth = createAuth({ store, ids, now, tokenTtlSeconds: options.tokenTtlSeconds ?? 900 });

  const server = createServer(
    createRequestHandler({
      ctx,
      auth,
      faults,
      logger,
      verifier: { identity, certUrl },
      certPath,
      onViolation,
    }),
  );
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url }, "paypal simulator listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    certUrl: certUrl(),
    certificatePem: identity.certificatePem,
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    registerApp({ clientId, clientSecret }) {
      if (!clientId || !clientSecret) throw new Error("registerApp needs a client id and a client secret");
      const existing = store.apps.get(clientId);
      const app: App = existing
        ? { ...existing, clientSecret }
        : {
            clientId,
            clientSecret,
            appId: ids.appId(),
            merchantId: ids.payerId(),
            merchantEmail: `sb-merchant-${ids.hex(6)}@business.example.com`,
          };
      store.apps.set(clientId, app);
      return { clientId, appId: app.appId, merchantId: app.merchantId, merchantEmail: app.merchantEmail };
    },
    settlementReport(clientId, day) {
      const app = store.apps.get(clientId);
      if (!app) throw new Error(`no app with client id ${clientId}`);
      return settlementReport(app, store.ledger, day, now());
    },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await lifecycle.close();
        await stopped;
        if (violations[0]) throw violations[0];
      })();
      return closing;
    },
  };
}
