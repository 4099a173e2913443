import type { AccountSecrets } from "../connectors/account-secrets.ts";
import { createDefaultTestAccounts } from "../connectors/accounts.ts";
import type { ConnectorRegistry } from "../connectors/registry.ts";
import type { IdGenerator, RandomSource } from "../core/ids.ts";
import type { Db } from "../db/index.ts";
import { generateApiKey, hashApiKey, type KeyKind, redactKey } from "./keys.ts";
import { expireKey, insertApiKey, insertMerchant } from "./repo.ts";

export interface CreatedMerchant {
  merchant_id: string;
  name: string;
  secret_key: string;
  publishable_key: string;
  live_secret_key: string;
  live_publishable_key: string;
}

export interface MerchantDeps {
  db: Db;
  ids: IdGenerator;
  random: RandomSource;
  clock: { now(): Date };
  connectors: ConnectorRegistry;
  accountSecrets: AccountSecrets;
}

/** Creates a merchant with test and live keys (shown only here) and its test-mode simulator accounts. */
export async function createMerchant(deps: MerchantDeps, name: string): Promise<CreatedMerchant> {
  const now = deps.clock.now();
  const merchantId = deps.ids.next("acct");
  const keys: Record<string, string> = {};
  await deps.db.transaction().execute(async (tx) => {
    await insertMerchant(tx, { id: merchantId, name, createdAt: now });
    for (const livemode of [false, true]) {
      for (const kind of ["secret", "publishable"] as KeyKind[]) {
        const key = generateApiKey(deps.random, kind, livemode);
        keys[`${livemode ? "live_" : ""}${kind}`] = key;
        await insertApiKey(tx, {
          id: deps.ids.next("key"),
          merchantId,
          livemode,
          kind,
          hash: hashApiKey(key),
          redacted: redactKey(key),
          createdAt: now,
        });
      }
    }
    await createDefaultTestAccounts(
      tx,
      deps.connectors,
      merchantId,
      deps.ids,
      deps.random,
      now,
      deps.accountSecrets,
    );
  });
  return {
    merchant_id: merchantId,
    name,
    secret_key: keys.secret as string,
    publishable_key: keys.publishable as string,
    live_secret_key: keys.live_secret as string,
    live_publishable_key: keys.live_publishable as string,
  };
}

/** A new key of the same kind and mode; the old one keeps working for `graceSeconds` (0: stops now). */
export async function rollApiKey(
  deps: MerchantDeps,
  merchantId: string,
  livemode: boolean,
  keyId: string,
  graceSeconds: number,
) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const old = await expireKey(
      tx,
      merchantId,
      livemode,
      keyId,
      new Date(now.getTime() + graceSeconds * 1000),
    );
    if (!old) return undefined;
    const key = generateApiKey(deps.random, old.kind, old.livemode);
    const id = deps.ids.next("key");
    await insertApiKey(tx, {
      id,
      merchantId,
      livemode: old.livemode,
      kind: old.kind,
      hash: hashApiKey(key),
      redacted: redactKey(key),
      createdAt: now,
    });
    return { id, key, oldKeyHash: old.key_hash, kind: old.kind, livemode: old.livemode };
  });
}
