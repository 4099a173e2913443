import { sql } from "kysely";
import type { BatchOutput, PendingState, StoredTransfer } from "./engine.ts";
import type { LedgerKysely, PendingStatus } from "./schema.ts";
import type { Balances } from "./types.ts";

/**
 * SQL of the ledger. Balance rows are locked `for no key update` (enough to write balances, and it does not
 * conflict with the key-share locks of foreign key checks) in one global order: sharded accounts by id
 * (home row, then shards by number), then unsharded accounts by id, then pending-transfer rows by id.
 */

export interface AccountMeta {
  id: string;
  merchantId: string | null;
  livemode: boolean;
  currency: string;
  code: number;
  debitsMustNotExceedCredits: boolean;
  creditsMustNotExceedDebits: boolean;
  shards: number;
}

export interface LockedRow extends Balances {
  id: string;
  closed: boolean;
}

export interface LockedShard extends Balances {
  shard: number;
  closed: boolean;
}

interface BalanceColumns {
  debits_pending: bigint;
  debits_posted: bigint;
  credits_pending: bigint;
  credits_posted: bigint;
}

const balances = (r: BalanceColumns): Balances => ({
  debitsPending: r.debits_pending,
  debitsPosted: r.debits_posted,
  creditsPending: r.credits_pending,
  creditsPosted: r.credits_posted,
});

export async function loadAccountMeta(db: LedgerKysely, ids: readonly string[]): Promise<AccountMeta[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("ledger_accounts")
    .select([
      "id",
      "merchant_id",
      "livemode",
      "currency",
      "code",
      "debits_must_not_exceed_credits",
      "credits_must_not_exceed_debits",
      "shards",
    ])
    .where("id", "in", ids)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    merchantId: r.merchant_id,
    livemode: r.livemode,
    currency: r.currency,
    code: r.code,
    debitsMustNotExceedCredits: r.debits_must_not_exceed_credits,
    creditsMustNotExceedDebits: r.credits_must_not_exceed_debits,
    shards: r.shards,
  }));
}

/** Locks home rows in id order; returns the rows as locked (the latest committed version). */
export async function lockAccountRows(db: LedgerKysely, ids: readonly string[]): Promise<LockedRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<BalanceColumns & { id: string; closed: boolean }>`
    select id, closed, debits_pending, debits_posted, credits_pending, credits_posted
    from ledger_accounts where id = any(${[...ids]}::text[])
    order by id for no key update`.execute(db);
  return rows.map((r) => ({ id: r.id, closed: r.closed, ...balances(r) }));
}

export async function lockAllShards(db: LedgerKysely, accountId: string): Promise<LockedShard[]> {
  const { rows } = await sql<BalanceColumns & { shard: number; closed: boolean }>`
    select shard, closed, debits_pending, debits_posted, credits_pending, credits_posted
    from ledger_account_shards where account_id = ${accountId}
    order by shard for no key update`.execute(db);
  return rows.map((r) => ({ shard: r.shard, closed: r.closed, ...balances(r) }));
}

/**
 * Takes the first shard nobody holds, starting at `offset`, without waiting; undefined when every shard is
 * held (or the account has none).
 */
export async function pickFreeShard(
  db: LedgerKysely,
  accountId: string,
  offset: number,
  count: number,
): Promise<LockedShard | undefined> {
  const { rows } = await sql<BalanceColumns & { shard: number; closed: boolean }>`
    select shard, closed, debits_pending, debits_posted, credits_pending, credits_posted
    from ledger_account_shards where account_id = ${accountId}
    order by (shard - 1 + ${count - offset}::int) % ${count}::int
    limit 1 for no key update skip locked`.execute(db);
  const r = rows[0];
  return r ? { shard: r.shard, closed: r.closed, ...balances(r) } : undefined;
}

export async function lockShard(
  db: LedgerKysely,
  accountId: string,
  shard: number,
): Promise<LockedShard | undefined> {
  const { rows } = await sql<BalanceColumns & { shard: number; closed: boolean }>`
    select shard, closed, debits_pending, debits_posted, credits_pending, credits_posted
    from ledger_account_shards where account_id = ${accountId} and shard = ${shard}
    for no key update`.execute(db);
  const r = rows[0];
  return r ? { shard: r.shard, closed: r.closed, ...balances(r) } : undefined;
}

interface TransferRow {
  seq: bigint;
  id: string;
  merchant_id: string | null;
  livemode: boolean;
  currency: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: bigint;
  pending_id: string | null;
  code: number;
  linked: boolean;
  pending: boolean;
  post_pending: boolean;
  void_pending: boolean;
  timeout: number;
  user_data: string | null;
  created_at: Date;
}

export function storedTransfer(r: TransferRow): StoredTransfer {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    livemode: r.livemode,
    currency: r.currency,
    debitAccountId: r.debit_account_id,
    creditAccountId: r.credit_account_id,
    amount: r.amount,
    pendingId: r.pending_id,
    code: r.code,
    linked: r.linked,
    pending: r.pending,
    postPending: r.post_pending,
    voidPending: r.void_pending,
    timeout: r.timeout,
    userData: r.user_data,
    createdAt: r.created_at,
  };
}

/** Stored transfers and remembered failures among `ids`. */
export async function loadTransfers(
  db: LedgerKysely,
  ids: readonly string[],
): Promise<{ transfers: Map<string, StoredTransfer>; failed: Map<string, string> }> {
  const transfers = new Map<string, StoredTransfer>();
  const failed = new Map<string, string>();
  if (ids.length === 0) return { transfers, failed };
  const { rows } = await sql<Partial<TransferRow> & { qid: string; failed_result: string | null }>`
    select q.id as qid, t.*, f.result as failed_result
    from unnest(${[...ids]}::text[]) as q(id)
    left join ledger_transfers t on t.id = q.id
    left join ledger_failed_transfers f on f.id = q.id
    where t.id is not null or f.id is not null`.execute(db);
  for (const r of rows) {
    if (r.id) transfers.set(r.id, storedTransfer(r as TransferRow));
    if (r.failed_result) failed.set(r.qid, r.failed_result);
  }
  return { transfers, failed };
}

export async function lockPendingStates(
  db: LedgerKysely,
  ids: readonly string[],
): Promise<Map<string, PendingState>> {
  const out = new Map<string, PendingState>();
  if (ids.length === 0) return out;
  const { rows } = await sql<{
    id: string;
    status: PendingStatus;
    expires_at: Date | null;
    merchant_id: string | null;
  }>`
    select id, status, expires_at, merchant_id from ledger_pending_transfers
    where id = any(${[...ids]}::text[]) order by id for no key update`.execute(db);
  for (const r of rows)
    out.set(r.id, { status: r.status, expiresAt: r.expires_at, merchantId: r.merchant_id });
  return out;
}

export async function dueTransferIds(
  db: LedgerKysely,
  now: Date,
  limit: number,
  merchantId?: string,
): Promise<string[]> {
  let query = db
    .selectFrom("ledger_pending_transfers")
    .select("id")
    .where("status", "=", "pending")
    .where("expires_at", "<=", now);
  if (merchantId !== undefined) query = query.where("merchant_id", "=", merchantId);
  const rows = await query.orderBy("expires_at").orderBy("id").limit(limit).execute();
  return rows.map((r) => r.id);
}

export interface WriteCounts {
  transfers: number;
  newPending: number;
  resolvedPending: number;
  homeRows: number;
  shardRows: number;
}

/** Every write of a batch in one statement (one round trip, whatever the batch size). */
export async function writeBatch(db: LedgerKysely, out: BatchOutput, at: Date): Promise<WriteCounts> {
  const transfers = out.transfers.map((t) => ({
    id: t.id,
    merchant_id: t.merchantId,
    livemode: t.livemode,
    currency: t.currency,
    debit_account_id: t.debitAccountId,
    credit_account_id: t.creditAccountId,
    amount: t.amount.toString(),
    pending_id: t.pendingId,
    code: t.code,
    linked: t.linked,
    pending: t.pending,
    post_pending: t.postPending,
    void_pending: t.voidPending,
    timeout: t.timeout,
    user_data: t.userData,
    created_at: t.createdAt.toISOString(),
  }));
  const pendingRow = (p: BatchOutput["pending"][number]) => ({
    id: p.id,
    merchant_id: p.merchantId,
    status: p.status,
    expires_at: p.expiresAt?.toISOString() ?? null,
    resolved_by: p.resolvedBy,
    resolved_at: p.resolvedAt?.toISOString() ?? null,
  });
  const newPending = out.pending.filter((p) => p.created).map(pendingRow);
  const resolved = out.pending.filter((p) => !p.created).map(pendingRow);
  const failed = out.failed.map((f) => ({
    id: f.id,
    merchant_id: f.merchantId,
    result: f.result,
  }));
  const delta = (d: BatchOutput["deltas"][number]) => ({
    id: d.account.id,
    shard: d.account.shard,
    dpe: d.delta.debitsPending.toString(),
    dpo: d.delta.debitsPosted.toString(),
    cpe: d.delta.creditsPending.toString(),
    cpo: d.delta.creditsPosted.toString(),
  });
  const home = out.deltas.filter((d) => d.account.shard === 0).map(delta);
  const shards = out.deltas.filter((d) => d.account.shard !== 0).map(delta);
  const now = at.toISOString();
  const { rows } = await sql<{
    transfers: bigint;
    new_pending: bigint;
    resolved_pending: bigint;
    home_rows: bigint;
    shard_rows: bigint;
  }>`
    with new_transfers as (
      insert into ledger_transfers (id, merchant_id, livemode, currency, debit_account_id, credit_account_id,
        amount, pending_id, code, linked, pending, post_pending, void_pending, timeout, user_data, created_at)
      select * from jsonb_to_recordset(${JSON.stringify(transfers)}::jsonb) as x(id text, merchant_id text,
        livemode boolean, currency text, debit_account_id text, credit_account_id text, amount int8,
        pending_id text, code int, linked boolean, pending boolean, post_pending boolean, void_pending boolean,
        timeout int, user_data text, created_at timestamptz)
      on conflict do nothing
      returning 1
    ), new_pending as (
      insert into ledger_pending_transfers (id, merchant_id, status, expires_at, resolved_by, resolved_at)
      select * from jsonb_to_recordset(${JSON.stringify(newPending)}::jsonb) as x(id text, merchant_id text,
        status text, expires_at timestamptz, resolved_by text, resolved_at timestamptz)
      on conflict do nothing
      returning 1
    ), resolved_pending as (
      update ledger_pending_transfers p
      set status = x.status, resolved_by = x.resolved_by, resolved_at = x.resolved_at
      from jsonb_to_recordset(${JSON.stringify(resolved)}::jsonb) as x(id text, merchant_id text, status text,
        expires_at timestamptz, resolved_by text, resolved_at timestamptz)
      where p.id = x.id and p.status = 'pending'
      returning 1
    ), new_failures as (
      insert into ledger_failed_transfers (id, merchant_id, result, created_at)
      select x.id, x.merchant_id, x.result, ${now}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(failed)}::jsonb) as x(id text, merchant_id text, result text)
      on conflict do nothing
    ), home_rows as (
      update ledger_accounts a
      set debits_pending = a.debits_pending + x.dpe, debits_posted = a.debits_posted + x.dpo,
          credits_pending = a.credits_pending + x.cpe, credits_posted = a.credits_posted + x.cpo
      from jsonb_to_recordset(${JSON.stringify(home)}::jsonb) as x(id text, shard int, dpe int8, dpo int8,
        cpe int8, cpo int8)
      where a.id = x.id
      returning 1
    ), shard_rows as (
      update ledger_account_shards s
      set debits_pending = s.debits_pending + x.dpe, debits_posted = s.debits_posted + x.dpo,
          credits_pending = s.credits_pending + x.cpe, credits_posted = s.credits_posted + x.cpo
      from jsonb_to_recordset(${JSON.stringify(shards)}::jsonb) as x(id text, shard int, dpe int8, dpo int8,
        cpe int8, cpo int8)
      where s.account_id = x.id and s.shard = x.shard
      returning 1
    )
    select (select count(*) from new_transfers) as transfers,
      (select count(*) from new_pending) as new_pending,
      (select count(*) from resolved_pending) as resolved_pending,
      (select count(*) from home_rows) as home_rows,
      (select count(*) from shard_rows) as shard_rows`.execute(db);
  const r = rows[0]!;
  return {
    transfers: Number(r.transfers),
    newPending: Number(r.new_pending),
    resolvedPending: Number(r.resolved_pending),
    homeRows: Number(r.home_rows),
    shardRows: Number(r.shard_rows),
  };
}
