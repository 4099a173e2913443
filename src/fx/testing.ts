import { sql } from "kysely";
import type { IdGenerator, RandomSource } from "../core/ids.ts";
import type { Db } from "../db/index.ts";
import { statements } from "../db/migrations/005_fx.ts";
import type { AuthContext } from "../http/context.ts";
import { generateApiKey, hashApiKey, redactKey } from "../merchants/keys.ts";
import { insertApiKey, insertMerchant } from "../merchants/repo.ts";
import type { RateSource, RateTable } from "./rate-source.ts";

/**
 * Test support: the fx_quotes table in place even before migration 005_fx is registered, merchants
 * with API keys, and a rate source whose table a test sets by hand.
 */

/** Serializes the `create table if not exists` of concurrent test processes on a shared PostgreSQL. */
const DDL_LOCK = 0x0f0005;

export async function ensureFxTables(db: Db): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${DDL_LOCK})`.execute(tx);
    const { rows } = await sql<{ t: string | null }>`select to_regclass('fx_quotes')::text as t`.execute(tx);
    if (rows[0]?.t) return;
    for (const statement of statements) await sql.raw(statement).execute(tx);
  });
}

export interface FxTestMerchant {
  auth: AuthContext;
  liveAuth: AuthContext;
  secretKey: string;
}

export async function createFxTestMerchant(
  deps: { db: Db; ids: IdGenerator; random: RandomSource },
  now: Date,
): Promise<FxTestMerchant> {
  const merchantId = deps.ids.next("acct");
  await insertMerchant(deps.db, { id: merchantId, name: "fx test", createdAt: now });
  const secretKey = generateApiKey(deps.random, "secret", false);
  const keyId = deps.ids.next("key");
  await insertApiKey(deps.db, {
    id: keyId,
    merchantId,
    livemode: false,
    kind: "secret",
    hash: hashApiKey(secretKey),
    redacted: redactKey(secretKey),
    createdAt: now,
  });
  return {
    auth: { merchantId, livemode: false, keyKind: "secret", keyId },
    liveAuth: { merchantId, livemode: true, keyKind: "secret", keyId },
    secretKey,
  };
}

/** A RateSource over a table the test controls; `fail` makes it refuse like a stale source. */
export function fixedRateSource(table: RateTable): RateSource & { table: RateTable; fail?: Error } {
  const source: RateSource & { table: RateTable; fail?: Error } = {
    table,
    async current() {
      if (source.fail) throw source.fail;
      return source.table;
    },
  };
  return source;
}
