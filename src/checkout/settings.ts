import type { Db } from "../db/index.ts";
import { json } from "../db/schema.ts";

/** Origins allowed to frame this merchant's embedded payment form (its shop's pages). */
export async function embedOriginsOf(db: Db, merchantId: string): Promise<string[]> {
  const row = await db
    .selectFrom("checkout_settings")
    .select("embed_origins")
    .where("merchant_id", "=", merchantId)
    .executeTakeFirst();
  return row?.embed_origins ?? [];
}

export async function saveEmbedOrigins(
  db: Db,
  merchantId: string,
  origins: string[],
  now: Date,
): Promise<string[]> {
  const row = await db
    .insertInto("checkout_settings")
    .values({ merchant_id: merchantId, embed_origins: json(origins), updated_at: now })
    .onConflict((oc) =>
      oc.column("merchant_id").doUpdateSet({ embed_origins: json(origins), updated_at: now }),
    )
    .returning("embed_origins")
    .executeTakeFirstOrThrow();
  return row.embed_origins;
}
