import type { ColumnType, Kysely, Selectable } from "kysely";
import type { Database } from "../db/schema.ts";

type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;
type NullableBigint = ColumnType<bigint | null, bigint | null | undefined, bigint | null>;

export const LOCK_DURATIONS = ["none", "five_minutes", "hour", "day"] as const;
export type LockDuration = (typeof LOCK_DURATIONS)[number];

/** Table of migration 005_fx. Kept here so the shared `Database` stays untouched. */
export interface FxQuotesTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  from_currency: string;
  to_currency: string;
  /** Exact customer rate: decimal integers, rate = rate_num / rate_den. */
  rate_num: string;
  rate_den: string;
  reference_num: string;
  reference_den: string;
  /** The customer rate as shown (rounded for display; conversions use rate_num / rate_den). */
  rate: string;
  reference_rate: string;
  spread_bps: number;
  lock_duration: LockDuration;
  expires_at: NullableTimestamp;
  /**
   * A `date` column; drivers would turn it into a local-time Date, so it is always read as text
   * (see `quoteColumns` in repo.ts) and written as YYYY-MM-DD.
   */
  rate_date: ColumnType<string, string, string>;
  amount: NullableBigint;
  converted_amount: NullableBigint;
  fee_amount: NullableBigint;
  used_by: string | null;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface FxDatabase {
  fx_quotes: FxQuotesTable;
}

export type FxQuoteRow = Selectable<FxQuotesTable>;
export type FxKysely = Kysely<Database & FxDatabase>;

/** The application's database (or one of its transactions) with the FX tables in its type. */
export function fxTables(db: Kysely<Database>): FxKysely {
  return db.withTables<{ [K in keyof FxDatabase]: FxDatabase[K] }>();
}
