/**
 * A simulated bank for payouts: takes pain.001.001.09 credit transfer files over HTTP, executes them
 * when told to (or after a delay), and publishes one pain.002.001.10 status report per batch.
 * See README.md for the API and the test IBANs that fail.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type BankFault, createFaultQueue } from "./faults.ts";
import { createOutcomeTable } from "./outcomes.ts";
import { type BankLogger, createBankHandler } from "./server.ts";
import { type Batch, createBankStore } from "./store.ts";

export type { BankFault } from "./faults.ts";
export { TEST_FAILURES } from "./outcomes.ts";
export type { BankLogger } from "./server.ts";
export type { Batch, BatchTransaction } from "./store.ts";

export const DEFAULT_BANK_API_KEY = "simbank_test_key";

export interface BankSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  apiKey?: string;
  /** true logs one JSON line per request to stderr. */
  logger?: boolean | BankLogger;
  /** Process accepted files by themselves this long after they arrive; off when left out. */
  autoProcessMs?: number;
  now?: () => Date;
}

export interface BankSimulator {
  url: string;
  apiKey: string;
  close(): Promise<void>;
  /** Executes every received batch; resolves to the number of batches processed (one report each). */
  processPending(): Promise<number>;
  batches(): Batch[];
  /** Overrides what happens to transfers to this IBAN (electronic format); wins over the test IBANs. */
  setOutcome(iban: string, outcome: { status: "failed"; reasonCode: string } | { status: "paid" }): void;
  clearOutcomes(): void;
  injectFault(fault: BankFault): void;
  clearFaults(): void;
}

const stderrLogger: BankLogger = {
  info: (obj, msg) => process.stderr.write(`${JSON.stringify({ ...obj, msg, sim: "bank" })}\n`),
};
const silentLogger: BankLogger = { info: () => undefined };

function formatUrl(address: AddressInfo): string {
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export async function startBankSimulator(options: BankSimulatorOptions = {}): Promise<BankSimulator> {
  const apiKey = options.apiKey ?? DEFAULT_BANK_API_KEY;
  const logger = options.logger === true ? stderrLogger : options.logger ? options.logger : silentLogger;
  const outcomes = createOutcomeTable();
  const faults = createFaultQueue();
  const store = createBankStore({ now: options.now ?? (() => new Date()), outcomes });
  const timers = new Set<NodeJS.Timeout>();

  function scheduleProcessing() {
    if (options.autoProcessMs === undefined) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      store.processPending();
    }, options.autoProcessMs);
    timers.add(timer);
  }

  const server = createServer(
    createBankHandler({ apiKey, store, faults, logger, onAccepted: scheduleProcessing }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const url = formatUrl(server.address() as AddressInfo);
  logger.info({ url }, "bank simulator listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    apiKey,
    processPending: async () => store.processPending(),
    batches: () => store.snapshot(),
    setOutcome: (iban, outcome) => outcomes.set(iban.replace(/\s+/g, "").toUpperCase(), outcome),
    clearOutcomes: () => outcomes.clear(),
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    close() {
      closing ??= (async () => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
