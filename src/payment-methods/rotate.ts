/**
 * Online re-wrapping after a key rotation: every data key still wrapped by an older key version is
 * unwrapped and wrapped again by the active one; the ciphertext itself never changes. Each row is
 * updated with a compare-and-set on its old version, in small committed batches, so the run can be
 * stopped and started again (it continues with what is left) and can run beside live traffic.
 */
import type { Db } from "../db/index.ts";
import type { VaultCipher } from "./cipher.ts";

export interface RewrapReport {
  activeVersion: string;
  paymentMethods: number;
  cvcs: number;
  connectorAccounts: number;
}

export async function rewrapVault(
  db: Db,
  cipher: VaultCipher,
  options: { batchSize?: number; onBatch?: (report: RewrapReport) => void } = {},
): Promise<RewrapReport> {
  const batchSize = options.batchSize ?? 200;
  const active = cipher.activeVersion();
  const report: RewrapReport = { activeVersion: active, paymentMethods: 0, cvcs: 0, connectorAccounts: 0 };

  for (;;) {
    const rows = await db
      .selectFrom("payment_methods")
      .select(["id", "merchant_id", "sealed_pan", "key_version"])
      .where("key_version", "<>", active)
      .orderBy("id")
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const next = await cipher.rewrap(row.sealed_pan, { merchantId: row.merchant_id, recordId: row.id });
      const done = await db
        .updateTable("payment_methods")
        .set({ sealed_pan: next.sealed, key_version: next.keyVersion })
        .where("id", "=", row.id)
        .where("key_version", "=", row.key_version)
        .executeTakeFirst();
      report.paymentMethods += Number(done.numUpdatedRows);
    }
    options.onBatch?.(report);
  }

  for (;;) {
    const rows = await db
      .selectFrom("vault_cvcs")
      .select(["payment_method_id", "merchant_id", "sealed", "key_version"])
      .where("key_version", "<>", active)
      .orderBy("payment_method_id")
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const next = await cipher.rewrap(row.sealed, {
        merchantId: row.merchant_id,
        recordId: `${row.payment_method_id}:cvc`,
      });
      const done = await db
        .updateTable("vault_cvcs")
        .set({ sealed: next.sealed, key_version: next.keyVersion })
        .where("payment_method_id", "=", row.payment_method_id)
        .where("key_version", "=", row.key_version)
        .executeTakeFirst();
      report.cvcs += Number(done.numUpdatedRows);
    }
  }

  for (;;) {
    const rows = await db
      .selectFrom("connector_accounts")
      .select(["id", "merchant_id", "sealed_secrets", "secrets_key_version"])
      .where("sealed_secrets", "is not", null)
      .where("secrets_key_version", "<>", active)
      .orderBy("id")
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const next = await cipher.rewrap(row.sealed_secrets as string, {
        merchantId: row.merchant_id,
        recordId: row.id,
      });
      const done = await db
        .updateTable("connector_accounts")
        .set({ sealed_secrets: next.sealed, secrets_key_version: next.keyVersion })
        .where("id", "=", row.id)
        .where("secrets_key_version", "=", row.secrets_key_version)
        .executeTakeFirst();
      report.connectorAccounts += Number(done.numUpdatedRows);
    }
  }
  return report;
}

/** How many sealed records each key version protects. */
export async function vaultKeyUsage(db: Db): Promise<Record<string, number>> {
  const usage: Record<string, number> = {};
  const add = (rows: Array<{ version: string | null; count: string | number | bigint }>) => {
    for (const row of rows) {
      if (row.version) usage[row.version] = (usage[row.version] ?? 0) + Number(row.count);
    }
  };
  add(
    await db
      .selectFrom("payment_methods")
      .select((eb) => ["key_version as version", eb.fn.countAll().as("count")])
      .groupBy("key_version")
      .execute(),
  );
  add(
    await db
      .selectFrom("vault_cvcs")
      .select((eb) => ["key_version as version", eb.fn.countAll().as("count")])
      .groupBy("key_version")
      .execute(),
  );
  add(
    await db
      .selectFrom("connector_accounts")
      .select((eb) => ["secrets_key_version as version", eb.fn.countAll().as("count")])
      .groupBy("secrets_key_version")
      .execute(),
  );
  return usage;
}
