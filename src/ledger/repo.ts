import { type RawBuilder, sql } from "kysely";
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
  /** As stored: lets the caller check the metadata it planned the locks with. */
  meta: AccountMeta;
}

export interface LockedShard extends Balances {
  shard: number;
  closed: boolean;
  meta: AccountMeta;
}

interface BalanceColumns {
  debits_pending: bigint;
  debits_posted: bigint;
  credits_pending: bigint;
  credits_posted: bigint;
}

interface MetaColumns {
  id: string;
  merchant_id: string | null;
  livemode: boolean;
  currency: string;
  code: number;
  debits_must_not_exceed_credits: boolean;
  credits_must_not_exceed_debits: boolean;
  shards: number;
}

const balances = (r: BalanceColumns): Balances => ({
  debitsPending: r.debits_pending,
  debitsPosted: r.debits_posted,
  creditsPending: r.credits_pending,
  creditsPosted: r.credits_posted,
});

const metaOf = (r: MetaColumns): AccountMeta => ({
  id: r.id,
  merchantId: r.merchant_id,
  livemode: r.livemode,
  currency: r.currency,
  code: r.code,
  debitsMustNotExceedCredits: r.debits_must_not_exceed_credits,
  creditsMustNotExceedDebits: r.credits_must_not_exceed_debits,
  shards: r.shards,
});

export function sameMeta(a: AccountMeta, b: AccountMeta): boolean {
  return (
    a.id === b.id &&
    a.merchantId === b.merchantId &&
    a.livemode === b.livemode &&
    a.currency === b.currency &&
    a.code === b.code &&
    a.debitsMustNotExceedCredits === b.debitsMustNotExceedCredits &&
    a.creditsMustNotExceedDebits === b.creditsMustNotExceedDebits &&
    a.shards === b.shards
  );
}

const META = sql`a.id, a.merchant_id, a.livemode, a.currency, a.code, a.debits_must_not_exceed_credits,
  a.credits_must_not_exceed_debits, a.shards`;

export async function loadAccountMeta(db: LedgerKysely, ids: readonly string[]): Promise<AccountMeta[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<MetaColumns>`select ${META} from ledger_accounts a
    where a.id = any(${[...ids]}::text[])`.execute(db);
  return rows.map(metaOf);
}

/** Locks home rows in id order; returns the rows as locked (the latest committed version). */
export async function lockAccountRows(db: LedgerKysely, ids: readonly string[]): Promise<LockedRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<BalanceColumns & MetaColumns & { closed: boolean }>`
    select ${META}, a.closed, a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted
    from ledger_accounts a where a.id = any(${[...ids]}::text[])
    order by a.id for no key update`.execute(db);
  return rows.map((r) => ({ id: r.id, closed: r.closed, meta: metaOf(r), ...balances(r) }));
}

export async function lockAllShards(
  db: LedgerKysely,
  accountId: string,
): Promise<Omit<LockedShard, "meta">[]> {
  const { rows } = await sql<BalanceColumns & { shard: number; closed: boolean }>`
    select shard, closed, debits_pending, debits_posted, credits_pending, credits_posted
    from ledger_account_shards where account_id = ${accountId}
    order by shard for no key update`.execute(db);
  return rows.map((r) => ({ shard: r.shard, closed: r.closed, ...balances(r) }));
}

type ShardRow = BalanceColumns & MetaColumns & { shard: number; shard_closed: boolean };

const lockedShard = (r: ShardRow): LockedShard => ({
  shard: r.shard,
  closed: r.shard_closed,
  meta: metaOf(r),
  ...balances(r),
});

/**
 * Takes the first shard nobody holds, starting at `offset`, without waiting; undefined when every shard is
 * held (or the account has none). The account's metadata comes along (it never changes; `closed` is taken
 * from the shard row, which closing updates under lock).
 */
export async function pickFreeShard(
  db: LedgerKysely,
  accountId: string,
  offset: number,
  count: number,
): Promise<LockedShard | undefined> {
  const { rows } = await sql<ShardRow>`
    select ${META}, s.shard, s.closed as shard_closed, s.debits_pending, s.debits_posted, s.credits_pending,
      s.credits_posted
    from ledger_account_shards s join ledger_accounts a on a.id = s.account_id
    where s.account_id = ${accountId}
    order by (s.shard - 1 + ${count - offset}::int) % ${count}::int
    limit 1 for no key update of s skip locked`.execute(db);
  return rows[0] ? lockedShard(rows[0]) : undefined;
}

export async function lockShard(
  db: LedgerKysely,
  accountId: string,
  shard: number,
): Promise<LockedShard | undefined> {
  const { rows } = await sql<ShardRow>`
    select ${META}, s.shard, s.closed as shard_closed, s.debits_pending, s.debits_posted, s.credits_pending,
      s.credits_posted
    from ledger_account_shards s join ledger_accounts a on a.id = s.account_id
    where s.account_id = ${accountId} and s.shard = ${shard}
    for no key update of s`.execute(db);
  return rows[0] ? lockedShard(rows[0]) : undefined;
}

export interface TransferRow {
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
  /** Guarded writes: how many of the guard ids already existed (then nothing was written). */
  existing: number;
  transfers: number;
  newPending: number;
  resolvedPending: number;
  homeRows: number;
  shardRows: number;
}

type Part =
  | "existing"
  | "transfers"
  | "newPending"
  | "resolvedPending"
  | "failures"
  | "homeRows"
  | "shardRows";

/**
 * Every write of a batch in one statement (one round trip, whatever the batch size). Only the parts the batch
 * needs are included: planning a statement costs about as much as running it for a single transfer.
 *
 * With `guard`, the statement first looks for those transfer ids (stored or remembered as failed) and writes
 * nothing if any exists: the batch was evaluated as if none did. Its snapshot is taken after the balance rows
 * were locked, so it sees every transaction that held them before.
 */
export async function writeBatch(
  db: LedgerKysely,
  out: BatchOutput,
  at: Date,
  guard: readonly string[] = [],
): Promise<WriteCounts> {
  const json = (rows: unknown[]) => JSON.stringify(rows);
  const pendingRow = (p: BatchOutput["pending"][number]) => ({
    id: p.id,
    merchant_id: p.merchantId,
    status: p.status,
    expires_at: p.expiresAt?.toISOString() ?? null,
    resolved_by: p.resolvedBy,
    resolved_at: p.resolvedAt?.toISOString() ?? null,
  });
  const created = out.pending.filter((p) => p.created);
  const resolved = out.pending.filter((p) => !p.created);
  const home = out.deltas.filter((d) => d.account.shard === 0);
  const shards = out.deltas.filter((d) => d.account.shard !== 0);
  const parts: [Part, RawBuilder<unknown>][] = [];
  const guarded = guard.length > 0;
  const free = guarded ? sql`not exists (select 1 from existing)` : sql`true`;
  if (guarded) {
    parts.push([
      "existing",
      sql`select id from ledger_transfers where id = any(${[...guard]}::text[])
      union all select id from ledger_failed_transfers where id = any(${[...guard]}::text[])`,
    ]);
  }
  if (out.transfers.length) {
    const rows = out.transfers.map((t) => ({
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
    parts.push([
      "transfers",
      sql`insert into ledger_transfers (id, merchant_id, livemode, currency, debit_account_id, credit_account_id,
        amount, pending_id, code, linked, pending, post_pending, void_pending, timeout, user_data, created_at)
      select * from jsonb_to_recordset(${json(rows)}::jsonb) as x(id text, merchant_id text, livemode boolean,
        currency text, debit_account_id text, credit_account_id text, amount int8, pending_id text, code int,
        linked boolean, pending boolean, post_pending boolean, void_pending boolean, timeout int, user_data text,
        created_at timestamptz)
      where ${free}
      on conflict do nothing
      returning 1`,
    ]);
  }
  if (created.length) {
    parts.push([
      "newPending",
      sql`insert into ledger_pending_transfers (id, merchant_id, status, expires_at, resolved_by, resolved_at)
      select * from jsonb_to_recordset(${json(created.map(pendingRow))}::jsonb) as x(id text, merchant_id text,
        status text, expires_at timestamptz, resolved_by text, resolved_at timestamptz)
      where ${free}
      on conflict do nothing
      returning 1`,
    ]);
  }
  if (resolved.length) {
    parts.push([
      "resolvedPending",
      sql`update ledger_pending_transfers p
      set status = x.status, resolved_by = x.resolved_by, resolved_at = x.resolved_at
      from unnest(${resolved.map((p) => p.id)}::text[], ${resolved.map((p) => p.status)}::text[],
        ${resolved.map((p) => p.resolvedBy)}::text[],
        ${resolved.map((p) => p.resolvedAt?.toISOString() ?? null)}::timestamptz[])
        as x(id, status, resolved_by, resolved_at)
      where p.id = x.id and p.status = 'pending' and ${free}
      returning 1`,
    ]);
  }
  if (out.failed.length) {
    const rows = out.failed.map((f) => ({ id: f.id, merchant_id: f.merchantId, result: f.result }));
    parts.push([
      "failures",
      sql`insert into ledger_failed_transfers (id, merchant_id, result, created_at)
      select x.id, x.merchant_id, x.result, ${at.toISOString()}::timestamptz
      from jsonb_to_recordset(${json(rows)}::jsonb) as x(id text, merchant_id text, result text)
      where ${free}
      on conflict do nothing
      returning 1`,
    ]);
  }
  // unnest of array parameters, not jsonb: the planner then knows how many rows join the (large) balance
  // tables and probes their primary keys instead of scanning them.
  const column = (rows: BatchOutput["deltas"], field: keyof BatchOutput["deltas"][number]["delta"]) =>
    rows.map((d) => d.delta[field].toString());
  if (home.length) {
    parts.push([
      "homeRows",
      sql`update ledger_accounts a
      set debits_pending = a.debits_pending + x.dpe, debits_posted = a.debits_posted + x.dpo,
          credits_pending = a.credits_pending + x.cpe, credits_posted = a.credits_posted + x.cpo
      from unnest(${home.map((d) => d.account.id)}::text[], ${column(home, "debitsPending")}::int8[],
        ${column(home, "debitsPosted")}::int8[], ${column(home, "creditsPending")}::int8[],
        ${column(home, "creditsPosted")}::int8[]) as x(id, dpe, dpo, cpe, cpo)
      where a.id = x.id and ${free}
      returning 1`,
    ]);
  }
  if (shards.length) {
    parts.push([
      "shardRows",
      sql`update ledger_account_shards s
      set debits_pending = s.debits_pending + x.dpe, debits_posted = s.debits_posted + x.dpo,
          credits_pending = s.credits_pending + x.cpe, credits_posted = s.credits_posted + x.cpo
      from unnest(${shards.map((d) => d.account.id)}::text[], ${shards.map((d) => d.account.shard)}::int[],
        ${column(shards, "debitsPending")}::int8[], ${column(shards, "debitsPosted")}::int8[],
        ${column(shards, "creditsPending")}::int8[], ${column(shards, "creditsPosted")}::int8[])
        as x(id, shard, dpe, dpo, cpe, cpo)
      where s.account_id = x.id and s.shard = x.shard and ${free}
      returning 1`,
    ]);
  }
  const counts: WriteCounts = {
    existing: 0,
    transfers: 0,
    newPending: 0,
    resolvedPending: 0,
    homeRows: 0,
    shardRows: 0,
  };
  if (parts.length === 0) return counts;
  const ctes = sql.join(
    parts.map(([name, body]) => sql`${sql.id(name)} as (${body})`),
    sql`, `,
  );
  const selects = sql.join(
    parts.map(([name]) => sql`(select count(*) from ${sql.id(name)}) as ${sql.id(name)}`),
    sql`, `,
  );
  const { rows } = await sql<Record<Part, bigint>>`with ${ctes} select ${selects}`.execute(db);
  const row = rows[0]!;
  for (const [name] of parts) if (name !== "failures") counts[name] = Number(row[name]);
  return counts;
}
