import { Writable } from "node:stream";
import { type Clock, systemClock } from "../../src/core/clock.ts";
import { type Config, loadConfig } from "../../src/core/config.ts";
import { createIdGenerator, cryptoRandom } from "../../src/core/ids.ts";
import { createLogger } from "../../src/core/logging.ts";
import { type DbHandle, openDatabase } from "../../src/db/index.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import type { AppContext } from "../../src/http/context.ts";
import { createMetrics } from "../../src/http/metrics.ts";
import { TEST_VAULT_KEYS, testVaultCipher } from "./vault.ts";

export interface TestContext {
  ctx: AppContext;
  handle: DbHandle;
  logLines: string[];
  close(): Promise<void>;
}

/**
 * A real database for a test file: PostgreSQL when DATABASE_URL is set (shared; tests isolate by
 * creating their own merchants), else an in-memory PGlite.
 */
export async function createTestContext(
  options: { clock?: Clock; env?: Record<string, string>; publicUrl?: string } = {},
): Promise<TestContext> {
  const config: Config = loadConfig({
    LOG_LEVEL: "debug",
    PAYRAIL_SIMULATORS: "off",
    PAYRAIL_VAULT_KEYS: TEST_VAULT_KEYS,
    ...process.env,
    ...options.env,
  });
  const handle = await openDatabase({ url: process.env.DATABASE_URL, dataDir: "memory://", poolSize: 8 });
  await migrateToLatest(handle.db as never);
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  });
  const clock = options.clock ?? systemClock;
  const ctx: AppContext = {
    db: handle.db,
    dbKind: handle.kind,
    config,
    clock,
    ids: createIdGenerator(cryptoRandom, () => clock.now().getTime()),
    random: cryptoRandom,
    logger: createLogger({ level: config.LOG_LEVEL, destination }),
    metrics: createMetrics(),
    publicUrl: () => options.publicUrl ?? "http://127.0.0.1:0",
    secrets: { requestHashKey: "test-request-hash-key" },
    vault: testVaultCipher(),
    wakeWorker: () => {},
  };
  return { ctx, handle, logLines, close: () => handle.close() };
}
