import type { Clock } from "../core/clock.ts";
import type { IdGenerator } from "../core/ids.ts";
import { createAccount, listAccounts, lookupAccounts } from "./accounts.ts";
import {
  assertTransferShape,
  type BatchOutput,
  constrainedUses,
  type EngineAccount,
  LedgerBatch,
} from "./engine.ts";
import { LedgerConflictError, LedgerError } from "./errors.ts";
import { getAccountTransfers, lookupTransfers, transfersByUserData } from "./queries.ts";
import {
  type AccountMeta,
  dueTransferIds,
  loadAccountMeta,
  loadTransfers,
  lockAccountRows,
  lockAllShards,
  lockPendingStates,
  lockShard,
  pickFreeShard,
  sameMeta,
  type WriteCounts,
  writeBatch,
} from "./repo.ts";
import { type LedgerDb, ledgerTables } from "./schema.ts";
import type {
  Account,
  AccountSpec,
  Balances,
  CreateTransferResult,
  PageOptions,
  TransferInput,
} from "./types.ts";
import { formatVerifyReport, type VerifyResult, verifyLedger } from "./verify.ts";

export interface LedgerDeps {
  clock: Clock;
  /** Makes account ids when the caller gives none (`la_` + the generator's time-ordered random part). */
  ids?: IdGenerator;
}

/** Immutable account metadata is cached per ledger instance; balances and `closed` are always read locked. */
const META_CACHE_LIMIT = 100_000;

const ZERO: Balances = { debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n };

function requireTransaction(db: LedgerDb, what: string): void {
  if (!db.isTransaction) {
    throw new LedgerError(
      "transaction_required",
      `${what} holds row locks until commit: pass the Kysely transaction (tx) it belongs to.`,
    );
  }
}

function sumBalances(rows: readonly Balances[]): Balances {
  return rows.reduce(
    (a, b) => ({
      debitsPending: a.debitsPending + b.debitsPending,
      debitsPosted: a.debitsPosted + b.debitsPosted,
      creditsPending: a.creditsPending + b.creditsPending,
      creditsPosted: a.creditsPosted + b.creditsPosted,
    }),
    ZERO,
  );
}

const onlyBalances = (b: Balances): Balances => ({
  debitsPending: b.debitsPending,
  debitsPosted: b.debitsPosted,
  creditsPending: b.creditsPending,
  creditsPosted: b.creditsPosted,
});

const isEmpty = (out: BatchOutput) =>
  out.transfers.length + out.pending.length + out.failed.length + out.deltas.length === 0;

/** A write that touched fewer rows than evaluated means another transaction got there in between. */
function checkCounts(out: BatchOutput, counts: WriteCounts, what: string): void {
  const expected = {
    transfers: out.transfers.length,
    newPending: out.pending.filter((p) => p.created).length,
    resolvedPending: out.pending.filter((p) => !p.created).length,
    homeRows: out.deltas.filter((d) => d.account.shard === 0).length,
    shardRows: out.deltas.filter((d) => d.account.shard !== 0).length,
  };
  for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
    if (counts[key] !== expected[key]) {
      throw new LedgerConflictError(
        `${what}: a concurrent transaction wrote the same transfer or pending state (${key}: ${counts[key]} of ${expected[key]}); roll back and retry`,
      );
    }
  }
}

export type Ledger = ReturnType<typeof createLedger>;

export function createLedger(deps: LedgerDeps) {
  const metaCache = new Map<string, AccountMeta>();
  // Where a one-shard lock starts looking: rotates, so concurrent transactions spread over the shards.
  let rotor = process.pid;

  const newAccountId = () => {
    if (!deps.ids) throw new LedgerError("account_id_required", "No id generator: pass the account id.");
    return deps.ids.next("la");
  };

  async function metaFor(
    db: ReturnType<typeof ledgerTables>,
    ids: Iterable<string>,
  ): Promise<Map<string, AccountMeta>> {
    const out = new Map<string, AccountMeta>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = metaCache.get(id);
      if (hit) out.set(id, hit);
      else missing.push(id);
    }
    for (const m of await loadAccountMeta(db, missing)) {
      if (metaCache.size >= META_CACHE_LIMIT) metaCache.clear();
      metaCache.set(m.id, m);
      out.set(m.id, m);
    }
    return out;
  }

  /**
   * Cached metadata is checked against every row locked: an account id can be created, rolled back and
   * created again with other settings. Then the entry is dropped and the caller retries.
   */
  function stale(id: string): never {
    metaCache.delete(id);
    throw new LedgerConflictError(`account ${id} changed since it was cached; roll back and retry`);
  }

  /**
   * Locks the balance rows of the accounts in the global order and returns them as the engine sees them.
   * Sharded accounts in `allShards` have their constraint at stake: home row and every shard are locked and
   * summed. Other sharded accounts take one free shard (SKIP LOCKED), so concurrent transfers on a hot account
   * run side by side instead of queueing on one row. Accounts that do not exist are left out.
   */
  async function lockAccounts(
    db: ReturnType<typeof ledgerTables>,
    metas: Map<string, AccountMeta>,
    allShards: ReadonlySet<string>,
  ): Promise<Map<string, EngineAccount>> {
    const accounts = new Map<string, EngineAccount>();
    const base = (m: AccountMeta) => ({
      id: m.id,
      merchantId: m.merchantId,
      livemode: m.livemode,
      currency: m.currency,
      debitsMustNotExceedCredits: m.debitsMustNotExceedCredits,
      creditsMustNotExceedDebits: m.creditsMustNotExceedDebits,
    });
    const sorted = [...metas.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const m of sorted) {
      if (m.shards <= 1) continue;
      if (allShards.has(m.id)) {
        const [home] = await lockAccountRows(db, [m.id]);
        if (!home) {
          metaCache.delete(m.id);
          continue;
        }
        if (!sameMeta(home.meta, m)) stale(m.id);
        const shards = await lockAllShards(db, m.id);
        accounts.set(m.id, {
          ...base(m),
          closed: home.closed,
          mode: "all",
          shard: 0,
          row: onlyBalances(home),
          total: sumBalances([home, ...shards]),
        });
        continue;
      }
      const count = m.shards - 1;
      const offset = rotor++ % count;
      if (rotor > 1_000_000_000) rotor = 0;
      const shard = (await pickFreeShard(db, m.id, offset, count)) ?? (await lockShard(db, m.id, offset + 1));
      if (!shard) {
        // No such shard: the account is gone, or is not what the cache says.
        if ((await loadAccountMeta(db, [m.id])).length > 0) stale(m.id);
        metaCache.delete(m.id);
        continue;
      }
      if (!sameMeta(shard.meta, m)) stale(m.id);
      accounts.set(m.id, {
        ...base(m),
        closed: shard.closed,
        mode: "one",
        shard: shard.shard,
        row: onlyBalances(shard),
        total: null,
      });
    }
    const plain = sorted.filter((m) => m.shards <= 1);
    for (const row of await lockAccountRows(
      db,
      plain.map((m) => m.id),
    )) {
      const m = metas.get(row.id)!;
      if (!sameMeta(row.meta, m)) stale(m.id);
      accounts.set(m.id, {
        ...base(m),
        closed: row.closed,
        mode: "row",
        shard: 0,
        row: onlyBalances(row),
        total: onlyBalances(row),
      });
    }
    for (const m of plain) if (!accounts.has(m.id)) metaCache.delete(m.id);
    return accounts;
  }

  async function apply(db: ReturnType<typeof ledgerTables>, batch: LedgerBatch, now: Date, what: string) {
    const out = batch.output();
    if (isEmpty(out)) return;
    checkCounts(out, await writeBatch(db, out, now), what);
  }

  return {
    /** Creates an account (or returns the identical one that exists). Takes the transaction it belongs to. */
    async createAccount(tx: LedgerDb, spec: AccountSpec): Promise<Account> {
      requireTransaction(tx, "createAccount");
      return createAccount(ledgerTables(tx), spec, newAccountId, deps.clock.now());
    },

    lookupAccounts(db: LedgerDb, ids: readonly string[]): Promise<Account[]> {
      return lookupAccounts(ledgerTables(db), ids);
    },

    listAccounts(db: LedgerDb, scope: { merchantId: string | null; livemode: boolean; currency?: string }) {
      return listAccounts(ledgerTables(db), scope);
    },

    /** Closes (or reopens) an account once every transfer holding one of its rows has committed. */
    async setAccountClosed(tx: LedgerDb, accountId: string, closed: boolean): Promise<Account> {
      requireTransaction(tx, "setAccountClosed");
      const db = ledgerTables(tx);
      const [home] = await lockAccountRows(db, [accountId]);
      if (!home) throw new LedgerError("account_not_found", `No such account: ${accountId}.`);
      await lockAllShards(db, accountId);
      await db.updateTable("ledger_accounts").set({ closed }).where("id", "=", accountId).execute();
      await db
        .updateTable("ledger_account_shards")
        .set({ closed })
        .where("account_id", "=", accountId)
        .execute();
      const [account] = await lookupAccounts(db, [accountId]);
      return account!;
    },

    /**
     * Applies transfers in order inside the caller's transaction and returns one result per transfer
     * (`ok`, `exists`, or why it failed). Linked transfers succeed or fail together. Balance rows stay locked
     * until the caller commits; a thrown LedgerConflictError means: roll back and retry. Post all transfers
     * of one business transaction in one call (locks are taken in a global order within a call).
     */
    async createTransfers(
      tx: LedgerDb,
      transfers: readonly TransferInput[],
    ): Promise<CreateTransferResult[]> {
      requireTransaction(tx, "createTransfers");
      if (transfers.length === 0) return [];
      transfers.forEach(assertTransferShape);
      const db = ledgerTables(tx);
      const now = deps.clock.now();
      const resolving = transfers.filter((t) => t.flags?.postPendingTransfer || t.flags?.voidPendingTransfer);
      const pendingIds = [
        ...new Set(resolving.map((t) => t.pendingId).filter((id): id is string => Boolean(id))),
      ];
      // Pending transfers are immutable: read before locking, to know which accounts to lock.
      const targets = await loadTransfers(db, pendingIds);
      const accountIds = new Set<string>();
      for (const t of transfers) {
        if (t.debitAccountId) accountIds.add(t.debitAccountId);
        if (t.creditAccountId) accountIds.add(t.creditAccountId);
      }
      for (const p of targets.transfers.values()) {
        accountIds.add(p.debitAccountId);
        accountIds.add(p.creditAccountId);
      }
      const metas = await metaFor(db, accountIds);
      const allShards = new Set<string>();
      for (const t of transfers) {
        for (const id of constrainedUses(t, (id) => metas.get(id))) {
          if ((metas.get(id)?.shards ?? 1) > 1) allShards.add(id);
        }
      }
      const accounts = await lockAccounts(db, metas, allShards);
      const pendingTargets = [...targets.transfers.values()].filter((p) => p.pending).map((p) => p.id);
      const pending = await lockPendingStates(db, pendingTargets);
      const evaluate = (known: Awaited<ReturnType<typeof loadTransfers>>) => {
        const batch = new LedgerBatch({
          now,
          accounts,
          transfers: known.transfers,
          pending,
          failed: known.failed,
        });
        for (const id of batch.duePending()) batch.expire(id);
        return { batch, results: batch.evaluate(transfers) };
      };
      // Optimistically evaluate as if none of the batch's ids existed yet, and write only if that holds (one
      // round trip for new transfers). A retry, or anything already stored, is re-evaluated with what exists.
      const unknown = [
        ...new Set(transfers.map((t) => t.id).filter((id) => id && !targets.transfers.has(id))),
      ];
      const first = evaluate(targets);
      const firstOut = first.batch.output();
      if (isEmpty(firstOut) && unknown.length === 0) return first.results;
      if (!isEmpty(firstOut)) {
        const counts = await writeBatch(db, firstOut, now, unknown);
        if (counts.existing === 0) {
          checkCounts(firstOut, counts, "createTransfers");
          return first.results;
        }
      }
      const loaded = await loadTransfers(db, unknown);
      const second = evaluate({
        transfers: new Map([...targets.transfers, ...loaded.transfers]),
        failed: new Map([...targets.failed, ...loaded.failed]),
      });
      await apply(db, second.batch, now, "createTransfers");
      return second.results;
    },

    /**
     * Releases pending transfers whose timeout has passed (at most `limit`, optionally of one merchant),
     * returning their ids. Safe to run from several workers: each one re-reads the state under lock and skips
     * what another already expired.
     */
    async expirePendingTransfers(
      tx: LedgerDb,
      now: Date = deps.clock.now(),
      options: { limit?: number; merchantId?: string } = {},
    ): Promise<string[]> {
      requireTransaction(tx, "expirePendingTransfers");
      const db = ledgerTables(tx);
      const due = await dueTransferIds(db, now, options.limit ?? 1000, options.merchantId);
      if (due.length === 0) return [];
      const { transfers } = await loadTransfers(db, due);
      const accountIds = new Set<string>();
      for (const p of transfers.values()) {
        accountIds.add(p.debitAccountId);
        accountIds.add(p.creditAccountId);
      }
      const accounts = await lockAccounts(db, await metaFor(db, accountIds), new Set());
      const pending = await lockPendingStates(db, due);
      const batch = new LedgerBatch({ now, accounts, transfers, pending, failed: new Map() });
      const expired = due.filter((id) => batch.expire(id));
      await apply(db, batch, now, "expirePendingTransfers");
      return expired;
    },

    lookupTransfers(db: LedgerDb, ids: readonly string[]) {
      return lookupTransfers(ledgerTables(db), ids);
    },

    transfersByUserData(db: LedgerDb, userData: string) {
      return transfersByUserData(ledgerTables(db), userData);
    },

    getAccountTransfers(db: LedgerDb, accountId: string, page?: PageOptions) {
      return getAccountTransfers(ledgerTables(db), accountId, page);
    },

    verifyLedger(db: LedgerDb): Promise<VerifyResult> {
      return verifyLedger(db, deps.clock.now());
    },

    formatVerifyReport,
  };
}
