/**
 * A stateful local Mollie (api.mollie.com/v2 stand-in) for iDEAL: payments with an iDEAL checkout page
 * and 15-minute expiry, cancel, partial and full refunds, Mollie's unsigned `id=…` webhooks with retries,
 * daily settlements (Settlements API) and their CSV exports, Mollie's error shape and Idempotency-Key.
 * Start one per test with `startMollieSimulator`; every `Bearer test_…` key (30+ characters) is its own
 * account.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLifecycle } from "../common/lifecycle.ts";
import type { Context } from "./context.ts";
import { createFaultBook, type MollieFault } from "./faults.ts";
import { createIds, type RandomSource } from "./ids.ts";
import { type SimulatorLogger, silentLogger } from "./logger.ts";
import { createNotifier } from "./notifier.ts";
import { expireDue } from "./payments.ts";
import { movementsCsv } from "./report-csv.ts";
import { createRequestHandler } from "./server.ts";
import { findSettlement, movementsOfDay } from "./settlements.ts";
import { createStore } from "./store.ts";

export type { MollieFault } from "./faults.ts";
export type { RandomSource } from "./ids.ts";
export type { SimulatorLogger } from "./logger.ts";
export { CSV_HEADERS } from "./report-csv.ts";

export interface MollieSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  now?: () => Date;
  /** Source of every id; inject a seeded one to replay a run exactly. */
  random?: RandomSource;
  logger?: false | SimulatorLogger;
  /** Waits between webhook attempts; one more attempt than entries (default [200, 1000, 3000]). */
  notificationRetryDelaysMs?: number[];
  /** Delay of a pending payment's bank confirmation and of each refund step (default 300 ms). */
  resolveAfterMs?: number;
  /** How often open payments are checked against `expiresAt` by the injected clock (default 1000 ms). */
  expirySweepMs?: number;
  /** Mollie reports open iDEAL payments as not cancelable (the default, false); true allows DELETE. */
  idealCancelable?: boolean;
}

export interface MollieSimulator {
  /** Base URL, e.g. `http://127.0.0.1:PORT`; API paths start with `/v2/`. */
  url: string;
  close(): Promise<void>;
  injectFault(fault: MollieFault): void;
  clearFaults(): void;
  paymentCount(apiKey?: string): number;
  /** Expires every open payment past `expiresAt` now (also done lazily on reads and by the sweep). */
  expireDue(): number;
  /** The CSV export of a settlement (`stl_…` or `open`), or null when the account has no such settlement. */
  settlementCsv(apiKey: string, settlementId: string): string | null;
  /** The CSV balance report of one Europe/Amsterdam day ("YYYY-MM-DD"). */
  balanceReportCsv(apiKey: string, day: string): string;
}

/** A fresh test API key in Mollie's format (`test_` and 30 alphanumerics). */
export function newTestApiKey(random: RandomSource = randomBytes): string {
  const ids = createIds(random);
  return `test_${ids.checkoutToken()}${ids.digits(6)}`;
}

export async function startMollieSimulator(options: MollieSimulatorOptions = {}): Promise<MollieSimulator> {
  const logger = options.logger ? options.logger : silentLogger;
  const now = options.now ?? (() => new Date());
  const ids = createIds(options.random ?? randomBytes);
  const lifecycle = createLifecycle();
  const faults = createFaultBook();
  const store = createStore();
  let url = "";
  const ctx: Context = {
    store,
    ids,
    now,
    lifecycle,
    notifier: createNotifier({
      lifecycle,
      faults,
      logger,
      retryDelaysMs: options.notificationRetryDelaysMs ?? [200, 1000, 3000],
    }),
    baseUrl: () => url,
    resolveAfterMs: options.resolveAfterMs ?? 300,
    idealCancelable: options.idealCancelable ?? false,
    account: (apiKey) =>
      store.account(apiKey, () => ({
        profileId: ids.profile(),
        balanceId: ids.balance(),
        organizationNumber: ids.digits(7),
      })),
  };

  const sweepMs = options.expirySweepMs ?? 1000;
  const sweep = () => {
    expireDue(ctx);
    lifecycle.later(sweepMs, sweep);
  };
  lifecycle.later(sweepMs, sweep);

  const server = createServer(createRequestHandler({ ctx, faults, logger }));
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
  logger.info({ url }, "mollie simulator listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    paymentCount: (apiKey) => store.paymentCount(apiKey),
    expireDue: () => expireDue(ctx),
    settlementCsv(apiKey, settlementId) {
      const account = store.existingAccount(apiKey);
      const record = account ? findSettlement(ctx, account, settlementId) : undefined;
      return account && record ? movementsCsv(account, movementsOfDay(account, record.day)) : null;
    },
    balanceReportCsv(apiKey, day) {
      const account = ctx.account(apiKey);
      return movementsCsv(account, movementsOfDay(account, day));
    },
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
