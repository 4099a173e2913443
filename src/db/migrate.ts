import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import * as core from "./migrations/001_core.ts";
import * as idempotentRecovery from "./migrations/002_idempotent_recovery.ts";
import * as ledger from "./migrations/003_ledger.ts";
import * as money from "./migrations/004_money.ts";
import * as fx from "./migrations/005_fx.ts";
import * as vault from "./migrations/006_vault.ts";
import * as localMethods from "./migrations/007_local_methods.ts";
import * as checkout from "./migrations/008_checkout.ts";
import * as passkeys from "./migrations/009_passkeys.ts";

function fromStatements(statements: readonly string[]): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}

/** Ordered, forward-only. Append new migrations; never edit one that has shipped. */
const migrations: Record<string, Migration> = {
  "001_core": fromStatements(core.statements),
  "002_idempotent_recovery": fromStatements(idempotentRecovery.statements),
  "003_ledger": fromStatements(ledger.statements),
  "004_money": fromStatements(money.statements),
  "005_fx": fromStatements(fx.statements),
  "006_vault": fromStatements(vault.statements),
  "007_local_methods": fromStatements(localMethods.statements),
  "008_checkout": fromStatements(checkout.statements),
  "009_passkeys": fromStatements(passkeys.statements),
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "payrail_migrations",
    migrationLockTableName: "payrail_migrations_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

export async function migrationsCurrent(db: Kysely<unknown>): Promise<boolean> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "payrail_migrations",
    migrationLockTableName: "payrail_migrations_lock",
  });
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
