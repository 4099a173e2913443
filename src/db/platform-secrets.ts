import { type RandomSource, randomToken } from "../core/ids.ts";
import type { PlatformSecrets } from "../http/context.ts";
import type { Db } from "./index.ts";

/**
 * Reads the deployment's secrets, creating each on first start. Every process of one deployment gets
 * the same values because they live in the shared database (first writer wins).
 */
export async function loadPlatformSecrets(db: Db, random: RandomSource): Promise<PlatformSecrets> {
  const key = "request_hash_key";
  await db
    .insertInto("platform_settings")
    .values({ key, value: randomToken(random, 32) })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await db
    .selectFrom("platform_settings")
    .select("value")
    .where("key", "=", key)
    .executeTakeFirstOrThrow();
  return { requestHashKey: row.value };
}
