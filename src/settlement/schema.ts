import type { ColumnType, Generated, Kysely, Selectable } from "kysely";
import type { Database, Json, JsonNullable, Metadata } from "../db/schema.ts";
import type { LedgerDatabase } from "../ledger/schema.ts";

type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;

export type PayoutInterval = "manual" | "daily" | "weekly" | "monthly";
export type FeeBearer = "merchant" | "customer";
export type RefundPolicy = "pro_rata" | "platform" | "account";

export interface StoredBankAccount {
  iban: string;
  bic: string | null;
  account_holder_name: string;
  country: string;
  last4: string;
}

/** Tables of migration 004_money. */
export interface BalanceHoldersTable {
  merchant_id: string;
  livemode: boolean;
  /** '' for the merchant itself, the connected account id (acct_…) otherwise. */
  holder: string;
  kind: "merchant" | "connected";
  display_name: string | null;
  email: string | null;
  country: string | null;
  default_currency: string | null;
  payout_interval: Generated<PayoutInterval>;
  payout_weekly_anchor: string | null;
  payout_monthly_anchor: number | null;
  delay_days: Generated<number>;
  /** Per currency, minor units, as strings: { eur: "1000" }. */
  minimum_payout: Json<Record<string, string>>;
  reserve_percent_bps: Generated<number>;
  reserve_days: Generated<number>;
  bank_account: JsonNullable<StoredBankAccount>;
  fee_bearer: Generated<FeeBearer>;
  surcharge_country: string | null;
  refund_policy: Generated<RefundPolicy>;
  refund_policy_account: string | null;
  metadata: Json<Metadata>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type FeeKind = "provider_fee" | "platform_fee";

export interface FeeRulesTable {
  id: string;
  merchant_id: string | null;
  livemode: boolean;
  kind: FeeKind;
  connector: string | null;
  payment_method: string | null;
  currency: string | null;
  percent_bps: number;
  fixed_amount: bigint;
  minimum_amount: bigint | null;
  maximum_amount: bigint | null;
  description: string;
  created_at: Timestamp;
}

export interface FeeDetail {
  type: FeeKind | "application_fee" | "surcharge";
  amount: string;
  currency: string;
  description: string;
}

/** Where the unreleased part of a balance transaction sits until it matures. */
export type Bucket = "pending" | "reserve" | "available";

export type BalanceTransactionType =
  | "payment"
  | "refund"
  | "refund_failure"
  | "application_fee"
  | "transfer"
  | "transfer_reversal"
  | "payout"
  | "payout_failure"
  | "payout_cancel"
  | "chargeback"
  | "chargeback_reversal"
  | "reserve_hold"
  | "reserve_release"
  | "fx_conversion";

export interface BalanceTransactionsTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  holder: string;
  type: BalanceTransactionType;
  source_id: string;
  amount: bigint;
  fee: Generated<bigint>;
  net: bigint;
  fee_details: Json<FeeDetail[]>;
  currency: string;
  description: string | null;
  bucket: Bucket;
  /** What has not yet moved from `bucket` to available (0 once released). */
  unreleased: Generated<bigint>;
  available_on: Timestamp;
  payout_id: string | null;
  created_at: Timestamp;
}

export interface PlatformTransfersTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  destination: string;
  amount: bigint;
  amount_reversed: Generated<bigint>;
  currency: string;
  source_transaction: string | null;
  transfer_group: string | null;
  description: string | null;
  metadata: Json<Metadata>;
  created_at: Timestamp;
}

export interface PlatformTransferReversalsTable {
  id: string;
  transfer_id: string;
  merchant_id: string;
  amount: bigint;
  metadata: Json<Metadata>;
  created_at: Timestamp;
}

export interface ChargebacksTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  payment_intent_id: string;
  amount: bigint;
  fee: bigint;
  currency: string;
  status: "withdrawn" | "reinstated";
  reason: string | null;
  shortfall: bigint;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type PayoutStatus = "pending" | "in_transit" | "paid" | "failed" | "canceled";

export interface PayoutsTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  holder: string;
  amount: bigint;
  currency: string;
  status: PayoutStatus;
  automatic: boolean;
  bank_account: Json<StoredBankAccount>;
  description: string | null;
  metadata: Json<Metadata>;
  arrival_date: NullableTimestamp;
  batch_id: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PayoutBatchesTable {
  id: string;
  livemode: boolean;
  currency: string;
  file_name: string;
  xml: string;
  bank_batch_id: string | null;
  status: "created" | "submitted" | "rejected";
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Timestamp;
  submitted_at: NullableTimestamp;
}

export interface MoneyDatabase {
  balance_holders: BalanceHoldersTable;
  fee_rules: FeeRulesTable;
  balance_transactions: BalanceTransactionsTable;
  platform_transfers: PlatformTransfersTable;
  platform_transfer_reversals: PlatformTransferReversalsTable;
  chargebacks: ChargebacksTable;
  payouts: PayoutsTable;
  payout_batches: PayoutBatchesTable;
  bank_report_cursor: { id: string; last_report_id: string | null };
  settlement_runs: {
    run_date: string;
    livemode: boolean;
    merchant_id: string;
    holder: string;
    created_at: Timestamp;
  };
}

export type MoneyKysely = Kysely<Database & LedgerDatabase & MoneyDatabase>;

/** The application's database (or transaction) with the money tables typed. */
export function moneyTables(db: Kysely<Database>): MoneyKysely {
  return db.withTables<{
    [K in keyof (LedgerDatabase & MoneyDatabase)]: (LedgerDatabase & MoneyDatabase)[K];
  }>();
}

export type BalanceHolderRow = Selectable<BalanceHoldersTable>;
export type BalanceTransactionRow = Selectable<BalanceTransactionsTable>;
export type PayoutRow = Selectable<PayoutsTable>;
export type FeeRuleRow = Selectable<FeeRulesTable>;
export type PlatformTransferRow = Selectable<PlatformTransfersTable>;
