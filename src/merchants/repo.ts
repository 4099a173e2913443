import type { Db } from "../db/index.ts";
import { json } from "../db/schema.ts";

export async function insertMerchant(db: Db, merchant: { id: string; name: string; createdAt: Date }) {
  await db
    .insertInto("merchants")
    .values({ id: merchant.id, name: merchant.name, settings: json({}), created_at: merchant.createdAt })
    .execute();
}

export async function insertApiKey(
  db: Db,
  key: {
    id: string;
    merchantId: string;
    livemode: boolean;
    kind: "secret" | "publishable";
    hash: string;
    redacted: string;
    createdAt: Date;
  },
) {
  await db
    .insertInto("api_keys")
    .values({
      id: key.id,
      merchant_id: key.merchantId,
      livemode: key.livemode,
      kind: key.kind,
      key_hash: key.hash,
      redacted: key.redacted,
      created_at: key.createdAt,
    })
    .execute();
}

export async function findActiveKeyByHash(db: Db, hash: string, now: Date) {
  const row = await db
    .selectFrom("api_keys")
    .select(["id", "merchant_id", "livemode", "kind", "revoked_at", "expires_at"])
    .where("key_hash", "=", hash)
    .executeTakeFirst();
  if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now)) return undefined;
  return row;
}

export async function listKeys(db: Db, merchantId: string, livemode: boolean) {
  return db
    .selectFrom("api_keys")
    .select(["id", "livemode", "kind", "redacted", "created_at", "expires_at", "revoked_at"])
    .where("merchant_id", "=", merchantId)
    .where("livemode", "=", livemode)
    .orderBy("created_at", "desc")
    .execute();
}

export async function revokeKey(db: Db, merchantId: string, livemode: boolean, keyId: string, at: Date) {
  const result = await db
    .updateTable("api_keys")
    .set({ revoked_at: at })
    .where("merchant_id", "=", merchantId)
    .where("livemode", "=", livemode)
    .where("id", "=", keyId)
    .where("revoked_at", "is", null)
    .returning(["id", "key_hash"])
    .executeTakeFirst();
  return result;
}

export async function expireKey(db: Db, merchantId: string, livemode: boolean, keyId: string, at: Date) {
  return db
    .updateTable("api_keys")
    .set({ expires_at: at })
    .where("merchant_id", "=", merchantId)
    .where("livemode", "=", livemode)
    .where("id", "=", keyId)
    .where("revoked_at", "is", null)
    .returning(["id", "key_hash", "kind", "livemode"])
    .executeTakeFirst();
}
