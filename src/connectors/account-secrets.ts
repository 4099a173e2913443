/**
 * Connector account secrets (API keys, webhook signing secrets, private keys) are sealed with the vault
 * keyring: the `config` column keeps only the fields a connector does not mark secret, `sealed_secrets`
 * the rest as one envelope bound to the merchant and the account id. Secrets are write-only in the API.
 */
import type { Db } from "../db/index.ts";
import { type ConnectorAccountRow, json } from "../db/schema.ts";
import type { VaultCipher } from "../payment-methods/cipher.ts";
import type { ConnectorRegistry } from "./registry.ts";

export interface SplitConfig {
  plain: Record<string, unknown>;
  secret: Record<string, unknown>;
}

export interface AccountSecrets {
  split(connector: string, config: Record<string, unknown>): SplitConfig;
  seal(
    merchantId: string,
    accountId: string,
    secret: Record<string, unknown>,
  ): Promise<{ sealed_secrets: string | null; secrets_key_version: string | null }>;
  /** The row with its secrets merged back into `config`, for connector calls only. */
  open(row: ConnectorAccountRow): Promise<ConnectorAccountRow>;
  /** Merges a patch into an account's configuration, sealing the fields the connector marks secret. */
  savePatch(
    db: Db,
    accountId: string,
    patch: Record<string, unknown>,
    now: Date,
  ): Promise<ConnectorAccountRow>;
}

export function secretFieldsOf(registry: ConnectorRegistry, connector: string): readonly string[] {
  return registry.get(connector)?.secretFields ?? [];
}

export function createAccountSecrets(registry: ConnectorRegistry, cipher: VaultCipher): AccountSecrets {
  const split = (connector: string, config: Record<string, unknown>): SplitConfig => {
    const secretNames = new Set(secretFieldsOf(registry, connector));
    const plain: Record<string, unknown> = {};
    const secret: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(config)) {
      if (value === undefined) continue;
      (secretNames.has(name) ? secret : plain)[name] = value;
    }
    return { plain, secret };
  };

  const seal: AccountSecrets["seal"] = async (merchantId, accountId, secret) => {
    if (Object.keys(secret).length === 0) return { sealed_secrets: null, secrets_key_version: null };
    const sealed = await cipher.seal(Buffer.from(JSON.stringify(secret), "utf8"), {
      merchantId,
      recordId: accountId,
    });
    return { sealed_secrets: sealed.sealed, secrets_key_version: sealed.keyVersion };
  };

  const openSecrets = async (row: ConnectorAccountRow): Promise<Record<string, unknown>> => {
    if (!row.sealed_secrets) return {};
    const plain = await cipher.open(row.sealed_secrets, { merchantId: row.merchant_id, recordId: row.id });
    try {
      return JSON.parse(plain.toString("utf8")) as Record<string, unknown>;
    } finally {
      plain.fill(0);
    }
  };

  return {
    split,
    seal,
    async open(row) {
      if (!row.sealed_secrets) return row;
      return { ...row, config: { ...row.config, ...(await openSecrets(row)) } };
    },
    async savePatch(db, accountId, patch, now) {
      return db.transaction().execute(async (tx) => {
        const row = await tx
          .selectFrom("connector_accounts")
          .selectAll()
          .where("id", "=", accountId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        const current = await openSecrets(row);
        const { plain, secret } = split(row.connector, patch);
        const sealed = await seal(row.merchant_id, row.id, { ...current, ...secret });
        return tx
          .updateTable("connector_accounts")
          .set({ config: json({ ...row.config, ...plain }), ...sealed, updated_at: now })
          .where("id", "=", row.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      });
    },
  };
}
