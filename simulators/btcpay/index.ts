/**
 * A local, stateful BTCPay Server speaking the Greenfield API v1 for invoices and store webhooks: invoice
 * creation and status machine (New → Processing → Settled, Expired, Invalid, with PaidPartial / PaidOver /
 * PaidLate / Marked), a checkout page where a test pays, underpays, overpays or abandons, webhooks signed with
 * `BTCPay-Sig` and retried as BTCPay does, refunds as pull payments, the CSV invoice export, and faults.
 * Requests and every produced body are validated against BTCPay's swagger templates.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLifecycle } from "../common/lifecycle.ts";
import type { Context } from "./context.ts";
import { parseScaled } from "./decimal.ts";
import { type BtcpayFault, createFaultBook } from "./faults.ts";
import { createIds, cryptoRandom, type RandomSource } from "./ids.ts";
import { confirm, refresh } from "./invoice-state.ts";
import { type SimulatorLogger, silentLogger } from "./logger.ts";
import { createNotifier } from "./notifier.ts";
import { payOutRefund } from "./refunds.ts";
import { type ExportPeriod, exportCsv } from "./report.ts";
import { createRequestHandler } from "./server.ts";
import { compileSpecValidators } from "./spec.ts";
import type { SpeedPolicy } from "./store.ts";
import { createStore } from "./store.ts";

export type { BtcpayFault } from "./faults.ts";
export type { RandomSource } from "./ids.ts";
export type { SimulatorLogger } from "./logger.ts";
export { signature as btcpaySignature } from "./notifier.ts";
export { EXPORT_COLUMNS } from "./report.ts";

/** BTC rates the simulator prices invoices at, per invoice currency (decimal strings). */
export const DEFAULT_RATES: Readonly<Record<string, string>> = {
  USD: "64392.23",
  EUR: "59120.50",
  GBP: "50511.07",
  CHF: "57030.10",
  CAD: "88004.40",
  AUD: "97510.00",
  JPY: "9981250",
  BTC: "1",
  SATS: "100000000",
};

export interface BtcpaySimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  now?: () => Date;
  /** Source of every id, address and generated secret; inject a seeded one to replay a run exactly. */
  random?: RandomSource;
  logger?: false | SimulatorLogger;
  /**
   * Waits between a failed delivery and its automatic redeliveries (one redelivery per entry). BTCPay waits
   * 10 s, 1 min, then 10 min six times; the default here is [200, 1000, 3000].
   */
  notificationRetryDelaysMs?: number[];
  /** Real-time delay before an unconfirmed payment confirms (default 300 ms); HighSpeed confirms at once. */
  resolveAfterMs?: number;
  /** How often pending invoices are checked against the clock for expiry and monitoring end (default 250 ms). */
  sweepIntervalMs?: number;
  /** BTC rates per currency, merged over DEFAULT_RATES. */
  rates?: Record<string, string>;
  /** A body that fails the spec is a simulator bug: answered 500 and `close()` rejects (default under node --test). */
  strictResponses?: boolean;
  specDir?: URL;
}

export interface RegisterStoreOptions {
  /** Generated (44 base58 characters) when absent. */
  storeId?: string;
  apiKey: string;
  /** Greenfield permissions of the key (e.g. "btcpay.store.canviewinvoices"); all store permissions when absent. */
  permissions?: string[];
  defaultCurrency?: string;
  speedPolicy?: SpeedPolicy;
  expirationMinutes?: number;
  monitoringMinutes?: number;
  paymentTolerance?: number;
}

export interface BtcpaySimulator {
  url: string;
  close(): Promise<void>;
  injectFault(fault: BtcpayFault): void;
  clearFaults(): void;
  /** Creates the store if new and lets `apiKey` act on it (a key may be registered for several stores). */
  registerStore(options: RegisterStoreOptions): { storeId: string };
  /** Applies the clock to every pending invoice now (expiry, end of monitoring) and sends their webhooks. */
  sweep(): void;
  /** Confirms every unconfirmed payment of the invoice that can confirm (mines a block). */
  confirmPayments(invoiceId: string): void;
  /** Changes the current BTC rate of a currency (new invoices and CurrentRate refunds use it). */
  setRate(currency: string, rate: string): void;
  /** Completes the payout of a refund pull payment (it then shows, negative, in the CSV export). */
  payRefund(pullPaymentId: string, destination?: string): boolean;
  /** The CSV export of a store for invoices created in the period (or on one UTC day, `YYYY-MM-DD`). */
  exportCsv(storeId: string, period: ExportPeriod | string): string;
  invoiceCount(storeId?: string): number;
}

function toRates(rates: Record<string, string>): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const [currency, rate] of Object.entries(rates)) {
    const scaled = parseScaled(rate);
    if (scaled === null || scaled <= 0n) throw new Error(`invalid BTC rate for ${currency}`);
    out.set(currency.toUpperCase(), scaled);
  }
  return out;
}

export class SpecViolationError extends Error {
  override name = "SpecViolationError";
}

export async function startBtcpaySimulator(options: BtcpaySimulatorOptions = {}): Promise<BtcpaySimulator> {
  const logger = options.logger ? options.logger : silentLogger;
  const now = options.now ?? (() => new Date());
  const strict = options.strictResponses ?? process.env.NODE_TEST_CONTEXT !== undefined;
  const lifecycle = createLifecycle();
  const faults = createFaultBook();
  const store = createStore();
  const ids = createIds(options.random ?? cryptoRandom);
  const spec = compileSpecValidators(options.specDir);
  const violations: SpecViolationError[] = [];

  function onViolation(message: string): void {
    const violation = new SpecViolationError(`btcpay simulator produced a body its spec rejects: ${message}`);
    logger.error({ err: violation }, "spec violation");
    if (!strict) return;
    violations.push(violation);
    throw violation;
  }

  const notifier = createNotifier({
    store,
    ids,
    now,
    lifecycle,
    faults,
    logger,
    retryDelaysMs: options.notificationRetryDelaysMs ?? [200, 1000, 3000],
    conforms(type, body) {
      const violation = spec.webhook(type, body);
      if (!violation) return true;
      try {
        onViolation(violation);
      } catch {
        return false;
      }
      return true;
    },
  });

  let url = "";
  const ctx: Context = {
    store,
    ids,
    now,
    lifecycle,
    logger,
    spec,
    events: notifier,
    rates: toRates({ ...DEFAULT_RATES, ...(options.rates ?? {}) }),
    resolveAfterMs: options.resolveAfterMs ?? 300,
    baseUrl: () => url,
  };

  function sweep(): void {
    for (const invoice of store.invoices.values()) {
      if (invoice.status === "New" || invoice.status === "Processing") refresh(ctx, invoice);
    }
  }
  const sweepIntervalMs = options.sweepIntervalMs ?? 250;
  const tick = () => {
    sweep();
    lifecycle.later(sweepIntervalMs, tick);
  };
  lifecycle.later(sweepIntervalMs, tick);

  const server = createServer(createRequestHandler({ ctx, notifier, faults, logger, onViolation }));
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
  logger.info({ url }, "btcpay simulator listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    registerStore(registration) {
      const storeId = registration.storeId ?? ids.storeId();
      if (!store.stores.has(storeId)) {
        store.stores.set(storeId, {
          id: storeId,
          defaultCurrency: (registration.defaultCurrency ?? "USD").toUpperCase(),
          speedPolicy: registration.speedPolicy ?? "MediumSpeed",
          expirationMinutes: registration.expirationMinutes ?? 15,
          monitoringMinutes: registration.monitoringMinutes ?? 1440,
          paymentTolerance: registration.paymentTolerance ?? 0,
        });
      }
      const grant = store.keys.get(registration.apiKey) ?? {
        storeIds: new Set<string>(),
        permissions: registration.permissions ? new Set(registration.permissions) : null,
      };
      grant.storeIds.add(storeId);
      store.keys.set(registration.apiKey, grant);
      return { storeId };
    },
    sweep,
    confirmPayments(invoiceId) {
      const invoice = store.invoices.get(invoiceId);
      if (!invoice) return;
      for (const payment of invoice.payments) if (payment.willConfirm) confirm(ctx, invoice, payment);
    },
    setRate(currency, rate) {
      for (const [code, scaled] of toRates({ [currency]: rate })) ctx.rates.set(code, scaled);
    },
    payRefund: (pullPaymentId, destination = "tb1qrefunddestination0000000000000000000") =>
      payOutRefund(ctx, pullPaymentId, destination),
    exportCsv(storeId, period) {
      if (typeof period !== "string") return exportCsv(ctx, storeId, period);
      const start = new Date(`${period}T00:00:00Z`);
      return exportCsv(ctx, storeId, { start, end: new Date(start.getTime() + 86_400_000) });
    },
    invoiceCount: (storeId) =>
      [...store.invoices.values()].filter((invoice) => storeId === undefined || invoice.storeId === storeId)
        .length,
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
