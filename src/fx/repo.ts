/** SQL of the fx_quotes table; every read is scoped by merchant and mode. */
import { type Insertable, sql } from "kysely";
import type { Db } from "../db/index.ts";
import type { AuthContext } from "../http/context.ts";
import { type FxQuoteRow, type FxQuotesTable, fxTables } from "./schema.ts";

const COLUMNS = [
  "id",
  "merchant_id",
  "livemode",
  "from_currency",
  "to_currency",
  "rate_num",
  "rate_den",
  "reference_num",
  "reference_den",
  "rate",
  "reference_rate",
  "spread_bps",
  "lock_duration",
  "expires_at",
  "amount",
  "converted_amount",
  "fee_amount",
  "used_by",
  "used_at",
  "created_at",
] as const;

/** Every column, with the `date` column read as YYYY-MM-DD text (never a local-time Date). */
const quoteColumns = [...COLUMNS, sql<string>`rate_date::text`.as("rate_date")];

export async function insertQuote(db: Db, row: Insertable<FxQuotesTable>): Promise<FxQuoteRow> {
  return fxTables(db).insertInto("fx_quotes").values(row).returning(quoteColumns).executeTakeFirstOrThrow();
}

export async function findQuote(db: Db, auth: AuthContext, id: string): Promise<FxQuoteRow | undefined> {
  return fxTables(db)
    .selectFrom("fx_quotes")
    .select(quoteColumns)
    .where("id", "=", id)
    .where("merchant_id", "=", auth.merchantId)
    .where("livemode", "=", auth.livemode)
    .executeTakeFirst();
}

/**
 * Marks a locked quote as used by `paymentId` when it is unused and not expired at `now`, or already
 * used by that same payment (a retried payment gets its rate again, even after expiry). True when so.
 */
export async function markQuoteUsed(
  tx: Db,
  auth: AuthContext,
  id: string,
  paymentId: string,
  now: Date,
): Promise<boolean> {
  const updated = await fxTables(tx)
    .updateTable("fx_quotes")
    .set((eb) => ({ used_by: paymentId, used_at: eb.fn.coalesce("used_at", eb.val(now)) }))
    .where("id", "=", id)
    .where("merchant_id", "=", auth.merchantId)
    .where("livemode", "=", auth.livemode)
    .where("lock_duration", "<>", "none")
    .where((eb) =>
      eb.or([eb("used_by", "=", paymentId), eb.and([eb("used_by", "is", null), eb("expires_at", ">", now)])]),
    )
    .returning("id")
    .executeTakeFirst();
  return updated !== undefined;
}
