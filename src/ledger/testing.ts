import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { type DbHandle, openDatabase } from "../db/index.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { statements } from "../db/migrations/003_ledger.ts";
import type { LedgerDb } from "./schema.ts";

/**
 * Test support: a real database (PostgreSQL when DATABASE_URL is set, shared, so everything here is created
 * under fresh random ids; else in-memory PGlite) with the ledger tables in place even before migration
 * 003_ledger is registered.
 */

/** Serializes the `create table if not exists` of concurrent test processes on a shared PostgreSQL. */
const DDL_LOCK = 0x1ed9e7;

export async function ensureLedgerTables(db: LedgerDb): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${DDL_LOCK})`.execute(tx);
    const { rows } = await sql<{
      t: string | null;
    }>`select to_regclass('ledger_failed_transfers')::text as t`.execute(tx);
    if (rows[0]?.t) return;
    for (const statement of statements) await sql.raw(statement).execute(tx);
  });
}

export async function openLedgerTestDb(poolSize = 8): Promise<DbHandle> {
  const handle = await openDatabase({ url: process.env.DATABASE_URL, dataDir: "memory://", poolSize });
  await migrateToLatest(handle.db as never);
  await ensureLedgerTables(handle.db);
  return handle;
}

export const uniqueTag = (): string => randomBytes(6).toString("hex");

export async function createTestMerchant(db: LedgerDb, now = new Date()): Promise<string> {
  const id = `acct_ledgertest${uniqueTag()}`;
  await db
    .insertInto("merchants")
    .values({ id, name: "ledger test", settings: "{}", created_at: now })
    .execute();
  return id;
}
