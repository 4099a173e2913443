import { Writable } from "node:stream";
import type { Clock } from "../../src/core/clock.ts";
import { loadConfig } from "../../src/core/config.ts";
import { createLogger } from "../../src/core/logging.ts";
import { openDatabase } from "../../src/db/index.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import type { CreatedMerchant } from "../../src/merchants/service.ts";
import { type Payrail, type Role, startPayrail } from "../../src/server.ts";
import { isolatedPostgres } from "./isolated-db.ts";
import { TEST_VAULT_KEYS } from "./vault.ts";

export interface TestServer {
  payrail: Payrail;
  url: string;
  logLines: string[];
  merchant: CreatedMerchant;
  newMerchant(name?: string): Promise<CreatedMerchant>;
  /** JSON request helper: returns status, parsed body, and headers. */
  request(
    method: string,
    path: string,
    options?: { key?: string; body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  close(): Promise<void>;
}

/**
 * A real Payrail over real HTTP: all roles in-process (API, worker, sandbox simulator), on PostgreSQL
 * when DATABASE_URL is set, else on an in-memory PGlite.
 */
export async function startTestServer(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    roles?: Role[];
    manualWorker?: boolean;
    /** On PostgreSQL, a database of its own (dropped on close) instead of the shared one. */
    isolated?: boolean;
  } = {},
): Promise<TestServer> {
  const config = loadConfig({
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "debug",
    PAYRAIL_WORKER_POLL: "50ms",
    PAYRAIL_SYNC_SCHEDULE: "200ms,200ms,400ms,800ms,1s",
    PAYRAIL_WEBHOOK_RETRY_SCHEDULE: "100ms,200ms,400ms",
    PAYRAIL_CONNECTOR_TIMEOUT: "5s",
    PAYRAIL_WEBHOOK_TIMEOUT: "2s",
    PAYRAIL_VAULT_KEYS: TEST_VAULT_KEYS,
    ...options.env,
  });
  const own = options.isolated ? await isolatedPostgres() : undefined;
  const database = await openDatabase({
    url: own?.url ?? process.env.DATABASE_URL,
    dataDir: "memory://",
    poolSize: 10,
  });
  await migrateToLatest(database.db as never);
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  });
  const payrail = await startPayrail({
    config,
    roles: options.roles ?? ["api", "worker", "simulators"],
    database,
    logger: createLogger({ level: "debug", destination }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.manualWorker ? { manualWorker: true } : {}),
  });
  const url = payrail.url as string;
  const merchant = await payrail.createMerchant("Test shop");
  return {
    payrail,
    url,
    logLines,
    merchant,
    newMerchant: (name = "Another shop") => payrail.createMerchant(name),
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      const key = opts.key === undefined ? merchant.secret_key : opts.key;
      if (key) headers.authorization = `Bearer ${key}`;
      let body: string | undefined = opts.raw;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers["content-type"] = "application/json";
      } else if (opts.raw !== undefined && !headers["content-type"]) {
        headers["content-type"] = "application/json";
      }
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: "manual",
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, body: parsed, headers: response.headers, text };
    },
    async close() {
      await payrail.close();
      await database.close();
      await own?.drop();
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Card details for a test card; American Express numbers get a 4-digit CVC, as their cards print. */
export const CARD = (number: string, extra: Record<string, unknown> = {}) => ({
  type: "card",
  card: {
    number,
    exp_month: 12,
    exp_year: new Date().getUTCFullYear() + 5,
    cvc: /^3[47]/.test(number) ? "1234" : "123",
    ...extra,
  },
});
