import type { Insertable } from "kysely";
import { toJsonAmount } from "../core/money.ts";
import type { Db } from "../db/index.ts";
import type { Holder } from "./books.ts";
import {
  type BalanceTransactionRow,
  type BalanceTransactionsTable,
  type BalanceTransactionType,
  type Bucket,
  type FeeDetail,
  moneyTables,
} from "./schema.ts";

export interface NewBalanceTransaction {
  id: string;
  holder: Holder;
  type: BalanceTransactionType;
  sourceId: string;
  amount: bigint;
  fee?: bigint;
  feeDetails?: FeeDetail[];
  currency: string;
  description?: string | null;
  bucket: Bucket;
  /** What still sits in `bucket` until `availableOn` (0 for entries that are available at once). */
  unreleased?: bigint;
  availableOn: Date;
  payoutId?: string | null;
  createdAt: Date;
}

export function balanceTransactionRow(t: NewBalanceTransaction): Insertable<BalanceTransactionsTable> {
  const fee = t.fee ?? 0n;
  return {
    id: t.id,
    merchant_id: t.holder.merchantId,
    livemode: t.holder.livemode,
    holder: t.holder.holder,
    type: t.type,
    source_id: t.sourceId,
    amount: t.amount,
    fee,
    net: t.amount - fee,
    fee_details: JSON.stringify(t.feeDetails ?? []),
    currency: t.currency,
    description: t.description ?? null,
    bucket: t.bucket,
    unreleased: t.unreleased ?? 0n,
    available_on: t.availableOn,
    payout_id: t.payoutId ?? null,
    created_at: t.createdAt,
  };
}

export async function insertBalanceTransactions(tx: Db, rows: NewBalanceTransaction[]): Promise<void> {
  if (rows.length === 0) return;
  await moneyTables(tx).insertInto("balance_transactions").values(rows.map(balanceTransactionRow)).execute();
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** Pending until its funds mature (and are released); entries of the available balance are available at once. */
export function presentBalanceTransaction(row: BalanceTransactionRow, now: Date) {
  const details = row.fee_details as FeeDetail[];
  return {
    id: row.id,
    object: "balance_transaction" as const,
    amount: toJsonAmount(row.amount),
    fee: toJsonAmount(row.fee),
    net: toJsonAmount(row.net),
    fee_details: details.map((d) => ({ ...d, amount: Number(d.amount) })),
    currency: row.currency,
    type: row.type,
    source: row.source_id,
    description: row.description,
    status:
      row.bucket !== "available" && (row.unreleased > 0n || row.available_on > now)
        ? ("pending" as const)
        : ("available" as const),
    available_on: seconds(row.available_on),
    account: row.holder === "" ? null : row.holder,
    payout: row.payout_id,
    created: seconds(row.created_at),
    livemode: row.livemode,
  };
}
