/**
 * Online re-wrapping after a key rotation: every data key still wrapped by an older key version is
 * unwrapped and wrapped again by the active one; the ciphertext itself never changes. Each row is
 * updated with a compare-and-set on its old version, in small committed batches, so the run can be
 * stopped and started again (it continues with what is left) and can run beside live traffic.
 */
import { sql } from "kysely";
import type { Db } from "../db/index.ts";
import type { VaultCipher } from "./cipher.ts";

/** Every place a sealed value lives, and what it is bound to (the AAD: merchant and record id). */
interface SealedColumn {
  report: keyof Omit<RewrapReport, "activeVersion">;
  table: string;
  key: string;
  sealed: string;
  version: string;
  recordId: (row: SealedRow) => string;
  /** Rows written before the vault existed hold the value in clear (version null): seal them. */
  sealsLegacyClear?: boolean;
}

interface SealedRow {
  key: string;
  merchant_id: string;
  sealed: string | null;
  version: string | null;
  livemode?: boolean;
  wallet?: string;
}

const COLUMNS: SealedColumn[] = [
  {
    report: "paymentMethods",
    table: "payment_methods",
    key: "id",
    sealed: "sealed_pan",
    version: "key_version",
    recordId: (row) => row.key,
  },
  {
    report: "cvcs",
    table: "vault_cvcs",
    key: "payment_method_id",
    sealed: "sealed",
    version: "key_version",
    recordId: (row) => `${row.key}:cvc`,
  },
  {
    report: "connectorAccounts",
    table: "connector_accounts",
    key: "id",
    sealed: "sealed_secrets",
    version: "secrets_key_version",
    recordId: (row) => row.key,
  },
  {
    report: "walletConfigs",
    table: "wallet_configs",
    key: "merchant_id || ':' || livemode || ':' || wallet",
    sealed: "sealed_secrets",
    version: "secrets_key_version",
    recordId: (row) => `wallet_${row.wallet}_${row.livemode ? "live" : "test"}`,
  },
  {
    report: "webhookEndpoints",
    table: "webhook_endpoints",
    key: "id",
    sealed: "secret",
    version: "secret_key_version",
    recordId: (row) => row.key,
    sealsLegacyClear: true,
  },
];

export interface RewrapReport {
  activeVersion: string;
  paymentMethods: number;
  cvcs: number;
  connectorAccounts: number;
  walletConfigs: number;
  webhookEndpoints: number;
}

export async function rewrapVault(
  db: Db,
  cipher: VaultCipher,
  options: { batchSize?: number; onBatch?: (report: RewrapReport) => void } = {},
): Promise<RewrapReport> {
  const batchSize = options.batchSize ?? 200;
  const active = cipher.activeVersion();
  const report: RewrapReport = {
    activeVersion: active,
    paymentMethods: 0,
    cvcs: 0,
    connectorAccounts: 0,
    walletConfigs: 0,
    webhookEndpoints: 0,
  };
  for (const column of COLUMNS) {
    const key = sql.raw(column.key);
    const sealedCol = sql.ref(column.sealed);
    const versionCol = sql.ref(column.version);
    const stale = column.sealsLegacyClear
      ? sql`(${versionCol} is null or ${versionCol} <> ${active})`
      : sql`(${sealedCol} is not null and ${versionCol} <> ${active})`;
    for (;;) {
      const { rows } = await sql<SealedRow>`
        select ${key} as key, merchant_id, ${sealedCol} as sealed, ${versionCol} as version, *
        from ${sql.table(column.table)} where ${stale} order by 1 limit ${batchSize}`.execute(db);
      if (rows.length === 0) break;
      for (const row of rows) {
        const aad = { merchantId: row.merchant_id, recordId: column.recordId(row) };
        const next =
          row.version === null
            ? await cipher.seal(Buffer.from(row.sealed ?? "", "utf8"), aad)
            : await cipher.rewrap(row.sealed as string, aad);
        const done = await sql`
          update ${sql.table(column.table)} set ${sealedCol} = ${next.sealed}, ${versionCol} = ${next.keyVersion}
          where ${key} = ${row.key} and ${versionCol} is not distinct from ${row.version}`.execute(db);
        report[column.report] += Number(done.numAffectedRows ?? 0n);
      }
      options.onBatch?.(report);
    }
  }
  return report;
}

/** How many sealed records each key version protects. */
export async function vaultKeyUsage(db: Db): Promise<Record<string, number>> {
  const usage: Record<string, number> = {};
  for (const column of COLUMNS) {
    const versionCol = sql.ref(column.version);
    const { rows } = await sql<{ version: string | null; count: string | number }>`
      select ${versionCol} as version, count(*) as count from ${sql.table(column.table)}
      where ${versionCol} is not null group by 1`.execute(db);
    for (const row of rows) {
      if (row.version) usage[row.version] = (usage[row.version] ?? 0) + Number(row.count);
    }
  }
  return usage;
}
