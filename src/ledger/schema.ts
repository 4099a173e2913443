import type { ColumnType, Generated, Kysely } from "kysely";
import type { Database } from "../db/schema.ts";

type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;
type Bigint = ColumnType<bigint, bigint, bigint>;
type BalanceColumn = ColumnType<bigint, bigint | undefined, bigint>;

/** Tables of migration 003_ledger. Kept here so the shared `Database` stays untouched. */
export interface LedgerAccountsTable {
  id: string;
  merchant_id: string | null;
  livemode: boolean;
  currency: string;
  code: number;
  reference: Generated<string>;
  debits_must_not_exceed_credits: Generated<boolean>;
  credits_must_not_exceed_debits: Generated<boolean>;
  closed: Generated<boolean>;
  shards: Generated<number>;
  debits_pending: BalanceColumn;
  debits_posted: BalanceColumn;
  credits_pending: BalanceColumn;
  credits_posted: BalanceColumn;
  user_data: string | null;
  created_at: Timestamp;
}

export interface LedgerAccountShardsTable {
  account_id: string;
  shard: number;
  closed: Generated<boolean>;
  debits_pending: BalanceColumn;
  debits_posted: BalanceColumn;
  credits_pending: BalanceColumn;
  credits_posted: BalanceColumn;
}

export interface LedgerTransfersTable {
  seq: Generated<bigint>;
  id: string;
  merchant_id: string | null;
  livemode: boolean;
  currency: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: Bigint;
  pending_id: string | null;
  code: number;
  linked: boolean;
  pending: boolean;
  post_pending: boolean;
  void_pending: boolean;
  timeout: number;
  user_data: string | null;
  created_at: Timestamp;
}

export type PendingStatus = "pending" | "posted" | "voided" | "expired";

export interface LedgerPendingTransfersTable {
  id: string;
  merchant_id: string | null;
  status: PendingStatus;
  expires_at: NullableTimestamp;
  resolved_by: string | null;
  resolved_at: NullableTimestamp;
}

export interface LedgerFailedTransfersTable {
  id: string;
  merchant_id: string | null;
  result: string;
  created_at: Timestamp;
}

export interface LedgerDatabase {
  ledger_accounts: LedgerAccountsTable;
  ledger_account_shards: LedgerAccountShardsTable;
  ledger_transfers: LedgerTransfersTable;
  ledger_pending_transfers: LedgerPendingTransfersTable;
  ledger_failed_transfers: LedgerFailedTransfersTable;
}

/** What the ledger's functions accept: the application's database or, for writes, one of its transactions. */
export type LedgerDb = Kysely<Database>;
export type LedgerKysely = Kysely<Database & LedgerDatabase>;

export function ledgerTables(db: LedgerDb): LedgerKysely {
  return db.withTables<{ [K in keyof LedgerDatabase]: LedgerDatabase[K] }>();
}
