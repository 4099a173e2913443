import { TRANSIENT_ERRORS, type TransferError, type TransferResultCode } from "./codes.ts";
import type { PendingStatus } from "./schema.ts";
import type { Balances, CreateTransferResult, TransferInput } from "./types.ts";

/**
 * The pure part of `createTransfers`: applies a batch of transfers, in order, to accounts whose balance rows
 * the caller has locked, and says what to write. No I/O, so its rules are testable on their own and one
 * batch of any size costs one evaluation in memory plus one write statement.
 */

export const INT8_MAX = 2n ** 63n - 1n;
export const ID_MAX_LENGTH = 255;
/** Ten years: far beyond any authorization hold, well inside a timestamp. */
export const TIMEOUT_MAX_SECONDS = 10 * 366 * 24 * 3600;

export interface StoredTransfer {
  id: string;
  merchantId: string | null;
  livemode: boolean;
  currency: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  pendingId: string | null;
  code: number;
  linked: boolean;
  pending: boolean;
  postPending: boolean;
  voidPending: boolean;
  timeout: number;
  userData: string | null;
  createdAt: Date;
}

export interface PendingState {
  status: PendingStatus;
  expiresAt: Date | null;
  merchantId: string | null;
}

/**
 * How an account's balance rows are held for this batch:
 * - `row`: an unsharded account, its one row locked;
 * - `all`: a sharded account whose constraint is at stake, home row and every shard locked;
 * - `one`: a sharded account that this batch can only move in the safe direction, one shard locked.
 */
export type LockMode = "row" | "all" | "one";

export interface EngineAccount {
  id: string;
  merchantId: string | null;
  livemode: boolean;
  currency: string;
  debitsMustNotExceedCredits: boolean;
  creditsMustNotExceedDebits: boolean;
  closed: boolean;
  mode: LockMode;
  /** 0 for the home row, else the shard the changes go to. */
  shard: number;
  /** The balance row that receives the changes, as locked. */
  row: Balances;
  /** Sum of all balance rows as locked; null in `one` mode, where no constraint is at stake. */
  total: Balances | null;
}

export interface AccountDelta {
  account: EngineAccount;
  delta: Balances;
}

export interface PendingWrite {
  id: string;
  merchantId: string | null;
  status: PendingStatus;
  expiresAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  /** true when the pending transfer was created in this batch (insert), else an update of a pending row */
  created: boolean;
}

export interface BatchOutput {
  transfers: StoredTransfer[];
  pending: PendingWrite[];
  failed: { id: string; merchantId: string | null; result: TransferError }[];
  deltas: AccountDelta[];
}

export interface BatchState {
  now: Date;
  accounts: ReadonlyMap<string, EngineAccount>;
  /** Transfers already stored with ids of this batch or referenced as pending ids. */
  transfers: ReadonlyMap<string, StoredTransfer>;
  /** Pending states of those transfers, as locked. */
  pending: ReadonlyMap<string, PendingState>;
  /** Ids already failed for a transient reason. */
  failed: ReadonlyMap<string, string>;
}

const ZERO: Balances = { debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n };

interface PendingEntry extends PendingState {
  resolvedBy: string | null;
  resolvedAt: Date | null;
  created: boolean;
  changed: boolean;
}

function isPostOrVoid(t: TransferInput): boolean {
  return Boolean(t.flags?.postPendingTransfer || t.flags?.voidPendingTransfer);
}

/** The accounts a transfer touches and whether it may break their constraints (new debits or credits). */
export function constrainedUses(
  t: TransferInput,
  account: (
    id: string,
  ) => { debitsMustNotExceedCredits: boolean; creditsMustNotExceedDebits: boolean } | undefined,
): string[] {
  if (isPostOrVoid(t)) return [];
  const out: string[] = [];
  if (t.debitAccountId && account(t.debitAccountId)?.debitsMustNotExceedCredits) out.push(t.debitAccountId);
  if (t.creditAccountId && account(t.creditAccountId)?.creditsMustNotExceedDebits)
    out.push(t.creditAccountId);
  return out;
}

/** Throws for inputs that are programming errors rather than ledger outcomes (wrong types). */
export function assertTransferShape(t: TransferInput, index: number): void {
  const where = `transfers[${index}]`;
  if (typeof t !== "object" || t === null) throw new TypeError(`${where} must be an object`);
  if (typeof t.id !== "string") throw new TypeError(`${where}.id must be a string`);
  if (t.amount !== undefined && typeof t.amount !== "bigint")
    throw new TypeError(`${where}.amount must be a bigint`);
  if (t.amount !== undefined && t.amount < 0n) throw new RangeError(`${where}.amount must not be negative`);
  if (t.amount !== undefined && t.amount > INT8_MAX) throw new RangeError(`${where}.amount exceeds int8`);
  if (t.code !== undefined && (!Number.isInteger(t.code) || t.code < 0 || t.code > 65535)) {
    throw new RangeError(`${where}.code must be an integer from 1 to 65535`);
  }
  if (t.timeout !== undefined && (!Number.isInteger(t.timeout) || t.timeout < 0)) {
    throw new RangeError(`${where}.timeout must be a whole number of seconds`);
  }
  for (const key of ["debitAccountId", "creditAccountId", "pendingId", "currency", "userData"] as const) {
    const value = t[key];
    if (value !== undefined && typeof value !== "string")
      throw new TypeError(`${where}.${key} must be a string`);
  }
}

function add(a: Balances, b: Balances): Balances {
  return {
    debitsPending: a.debitsPending + b.debitsPending,
    debitsPosted: a.debitsPosted + b.debitsPosted,
    creditsPending: a.creditsPending + b.creditsPending,
    creditsPosted: a.creditsPosted + b.creditsPosted,
  };
}

const inRange = (v: bigint) => v <= INT8_MAX && v >= -INT8_MAX - 1n;

export class LedgerBatch {
  readonly #now: Date;
  readonly #accounts: ReadonlyMap<string, EngineAccount>;
  readonly #stored: ReadonlyMap<string, StoredTransfer>;
  readonly #deltas = new Map<string, AccountDelta>();
  readonly #created = new Map<string, StoredTransfer>();
  readonly #createdOrder: StoredTransfer[] = [];
  readonly #pending = new Map<string, PendingEntry>();
  readonly #failed: Map<string, string>;
  readonly #newFailures: BatchOutput["failed"] = [];
  #undo: (() => void)[] = [];

  constructor(state: BatchState) {
    this.#now = state.now;
    this.#accounts = state.accounts;
    this.#stored = state.transfers;
    this.#failed = new Map(state.failed);
    for (const [id, p] of state.pending) {
      this.#pending.set(id, { ...p, resolvedBy: null, resolvedAt: null, created: false, changed: false });
    }
  }

  /** Releases a pending transfer whose timeout has passed; false when it is not open or not yet due. */
  expire(pendingId: string): boolean {
    const entry = this.#pending.get(pendingId);
    const transfer = this.#transfer(pendingId);
    if (!entry || !transfer || entry.status !== "pending") return false;
    if (entry.expiresAt === null || entry.expiresAt.getTime() > this.#now.getTime()) return false;
    const debit = this.#accounts.get(transfer.debitAccountId);
    const credit = this.#accounts.get(transfer.creditAccountId);
    if (!debit || !credit) throw new Error(`accounts of pending transfer ${pendingId} are not locked`);
    this.#change(debit, { ...ZERO, debitsPending: -transfer.amount });
    this.#change(credit, { ...ZERO, creditsPending: -transfer.amount });
    this.#setPending(pendingId, { ...entry, status: "expired", resolvedAt: this.#now, changed: true });
    this.#undo = [];
    return true;
  }

  /** Ids of pending transfers, among those known to the batch, that are open and due. */
  duePending(): string[] {
    const out: string[] = [];
    for (const [id, entry] of this.#pending) {
      if (entry.status === "pending" && entry.expiresAt && entry.expiresAt.getTime() <= this.#now.getTime()) {
        out.push(id);
      }
    }
    return out;
  }

  evaluate(transfers: readonly TransferInput[]): CreateTransferResult[] {
    const results: CreateTransferResult[] = transfers.map((t, index) => ({ index, id: t.id, result: "ok" }));
    let start = 0;
    while (start < transfers.length) {
      let end = start;
      while (end < transfers.length && transfers[end]?.flags?.linked) end++;
      if (end === transfers.length) {
        // The last transfer is linked: the chain never closes.
        for (let i = start; i < transfers.length; i++) results[i]!.result = "linked_event_failed";
        results[transfers.length - 1]!.result = "linked_event_chain_open";
        break;
      }
      this.#chain(transfers, start, end, results);
      start = end + 1;
    }
    return results;
  }

  output(): BatchOutput {
    const pending: PendingWrite[] = [];
    for (const [id, e] of this.#pending) {
      if (!e.changed) continue;
      pending.push({
        id,
        merchantId: e.merchantId,
        status: e.status,
        expiresAt: e.expiresAt,
        resolvedBy: e.resolvedBy,
        resolvedAt: e.resolvedAt,
        created: e.created,
      });
    }
    const deltas = [...this.#deltas.values()].filter(
      (d) =>
        d.delta.debitsPending !== 0n ||
        d.delta.debitsPosted !== 0n ||
        d.delta.creditsPending !== 0n ||
        d.delta.creditsPosted !== 0n,
    );
    return { transfers: [...this.#createdOrder], pending, failed: [...this.#newFailures], deltas };
  }

  #chain(
    transfers: readonly TransferInput[],
    start: number,
    end: number,
    results: CreateTransferResult[],
  ): void {
    this.#undo = [];
    let failedAt = -1;
    let failure: TransferResultCode = "ok";
    let exists = 0;
    for (let i = start; i <= end; i++) {
      const outcome = this.#check(transfers[i]!);
      results[i]!.result = outcome;
      if (outcome === "exists") {
        exists++;
        continue;
      }
      if (outcome !== "ok") {
        failedAt = i;
        failure = outcome;
        break;
      }
    }
    const size = end - start + 1;
    const mixed = failedAt < 0 && exists > 0 && exists < size;
    if (failedAt < 0 && !mixed) {
      this.#undo = [];
      return;
    }
    // The chain fails as a unit: undo what it did; the first failure keeps its own result.
    for (let u = this.#undo.length - 1; u >= 0; u--) this.#undo[u]!();
    this.#undo = [];
    const culprit =
      failedAt >= 0 ? failedAt : results.findIndex((r, i) => i >= start && r.result === "exists");
    for (let i = start; i <= end; i++) {
      if (i !== culprit) results[i]!.result = "linked_event_failed";
    }
    if (failedAt >= 0 && TRANSIENT_ERRORS.has(failure as TransferError)) {
      this.#recordFailure(transfers[failedAt]!, failure as TransferError);
    }
  }

  #check(t: TransferInput): TransferResultCode {
    if (t.id.length === 0) return "id_must_not_be_empty";
    if (t.id.length > ID_MAX_LENGTH) return "id_too_long";
    const flags = t.flags ?? {};
    const existing = this.#transfer(t.id);
    if (existing) return compareExisting(t, existing);
    if (this.#failed.has(t.id)) return "id_already_failed";
    const modes = [flags.pending, flags.postPendingTransfer, flags.voidPendingTransfer].filter(
      Boolean,
    ).length;
    if (modes > 1) return "flags_are_mutually_exclusive";
    if (flags.postPendingTransfer || flags.voidPendingTransfer) return this.#resolve(t);
    return this.#create(t);
  }

  #create(t: TransferInput): TransferResultCode {
    const flags = t.flags ?? {};
    if (!t.debitAccountId) return "debit_account_id_must_not_be_empty";
    if (!t.creditAccountId) return "credit_account_id_must_not_be_empty";
    if (t.debitAccountId === t.creditAccountId) return "accounts_must_be_different";
    if (t.pendingId !== undefined && t.pendingId !== "") return "pending_id_must_be_empty";
    if (!flags.pending && t.timeout) return "timeout_reserved_for_pending_transfer";
    if (t.amount === undefined || t.amount === 0n) return "amount_must_not_be_zero";
    if (!t.code) return "code_must_not_be_zero";
    const debit = this.#accounts.get(t.debitAccountId);
    if (!debit) return "debit_account_not_found";
    const credit = this.#accounts.get(t.creditAccountId);
    if (!credit) return "credit_account_not_found";
    if (debit.currency !== credit.currency) return "accounts_must_have_the_same_currency";
    if (debit.livemode !== credit.livemode) return "accounts_must_have_the_same_livemode";
    if (t.currency !== undefined && t.currency !== debit.currency) {
      return "transfer_must_have_the_same_currency_as_accounts";
    }
    if (debit.closed) return "debit_account_already_closed";
    if (credit.closed) return "credit_account_already_closed";
    const timeout = t.timeout ?? 0;
    if (timeout > TIMEOUT_MAX_SECONDS) return "overflows_timeout";
    const amount = t.amount;
    const pending = Boolean(flags.pending);
    const debitChange = pending ? { ...ZERO, debitsPending: amount } : { ...ZERO, debitsPosted: amount };
    const creditChange = pending ? { ...ZERO, creditsPending: amount } : { ...ZERO, creditsPosted: amount };
    const overflow = this.#overflow(debit, debitChange, credit, creditChange);
    if (overflow) return overflow;
    if (debit.debitsMustNotExceedCredits) {
      const total = this.#total(debit);
      if (total.debitsPending + total.debitsPosted + amount > total.creditsPosted) return "exceeds_credits";
    }
    if (credit.creditsMustNotExceedDebits) {
      const total = this.#total(credit);
      if (total.creditsPending + total.creditsPosted + amount > total.debitsPosted) return "exceeds_debits";
    }
    this.#change(debit, debitChange);
    this.#change(credit, creditChange);
    const stored: StoredTransfer = {
      id: t.id,
      merchantId: debit.merchantId ?? credit.merchantId,
      livemode: debit.livemode,
      currency: debit.currency,
      debitAccountId: debit.id,
      creditAccountId: credit.id,
      amount,
      pendingId: null,
      code: t.code,
      linked: Boolean(flags.linked),
      pending,
      postPending: false,
      voidPending: false,
      timeout,
      userData: t.userData ?? null,
      createdAt: this.#now,
    };
    this.#store(stored);
    if (pending) {
      const expiresAt = timeout > 0 ? new Date(this.#now.getTime() + timeout * 1000) : null;
      this.#setPending(t.id, {
        status: "pending",
        expiresAt,
        merchantId: stored.merchantId,
        resolvedBy: null,
        resolvedAt: null,
        created: true,
        changed: true,
      });
    }
    return "ok";
  }

  #resolve(t: TransferInput): TransferResultCode {
    const flags = t.flags ?? {};
    const post = Boolean(flags.postPendingTransfer);
    if (!t.pendingId) return "pending_id_must_not_be_empty";
    if (t.pendingId === t.id) return "pending_id_must_be_different";
    if (t.timeout) return "timeout_reserved_for_pending_transfer";
    if (post && t.amount === 0n) return "amount_must_not_be_zero";
    const p = this.#transfer(t.pendingId);
    if (!p) return "pending_transfer_not_found";
    if (!p.pending) return "pending_transfer_not_pending";
    if (t.debitAccountId && t.debitAccountId !== p.debitAccountId) {
      return "pending_transfer_has_different_debit_account_id";
    }
    if (t.creditAccountId && t.creditAccountId !== p.creditAccountId) {
      return "pending_transfer_has_different_credit_account_id";
    }
    if (t.currency !== undefined && t.currency !== p.currency)
      return "pending_transfer_has_different_currency";
    if (t.code && t.code !== p.code) return "pending_transfer_has_different_code";
    if (post && t.amount !== undefined && t.amount > p.amount) return "exceeds_pending_transfer_amount";
    if (!post && t.amount !== undefined && t.amount !== p.amount)
      return "pending_transfer_has_different_amount";
    const state = this.#pending.get(p.id);
    if (!state) throw new Error(`pending state of ${p.id} was not loaded`);
    if (state.status === "posted") return "pending_transfer_already_posted";
    if (state.status === "voided") return "pending_transfer_already_voided";
    if (state.status === "expired") return "pending_transfer_expired";
    const debit = this.#accounts.get(p.debitAccountId);
    const credit = this.#accounts.get(p.creditAccountId);
    if (!debit || !credit) throw new Error(`accounts of pending transfer ${p.id} are not locked`);
    if (post && debit.closed) return "debit_account_already_closed";
    if (post && credit.closed) return "credit_account_already_closed";
    const amount = post ? (t.amount ?? p.amount) : p.amount;
    const debitChange = { ...ZERO, debitsPending: -p.amount, debitsPosted: post ? amount : 0n };
    const creditChange = { ...ZERO, creditsPending: -p.amount, creditsPosted: post ? amount : 0n };
    const overflow = this.#overflow(debit, debitChange, credit, creditChange);
    if (overflow) return overflow;
    // Posting or voiding never raises debits_pending + debits_posted or credits_pending + credits_posted,
    // so neither balance constraint can be broken here.
    this.#change(debit, debitChange);
    this.#change(credit, creditChange);
    this.#store({
      id: t.id,
      merchantId: p.merchantId,
      livemode: p.livemode,
      currency: p.currency,
      debitAccountId: p.debitAccountId,
      creditAccountId: p.creditAccountId,
      amount,
      pendingId: p.id,
      code: t.code || p.code,
      linked: Boolean(flags.linked),
      pending: false,
      postPending: post,
      voidPending: !post,
      timeout: 0,
      userData: t.userData ?? p.userData,
      createdAt: this.#now,
    });
    this.#setPending(p.id, {
      ...state,
      status: post ? "posted" : "voided",
      resolvedBy: t.id,
      resolvedAt: this.#now,
      changed: true,
    });
    return "ok";
  }

  #overflow(
    debit: EngineAccount,
    debitChange: Balances,
    credit: EngineAccount,
    creditChange: Balances,
  ): TransferError | null {
    const d = this.#projected(debit, debitChange);
    const c = this.#projected(credit, creditChange);
    if (d.some((b) => !inRange(b.debitsPending))) return "overflows_debits_pending";
    if (c.some((b) => !inRange(b.creditsPending))) return "overflows_credits_pending";
    if (d.some((b) => !inRange(b.debitsPosted))) return "overflows_debits_posted";
    if (c.some((b) => !inRange(b.creditsPosted))) return "overflows_credits_posted";
    if (d.some((b) => !inRange(b.debitsPending + b.debitsPosted))) return "overflows_debits";
    if (c.some((b) => !inRange(b.creditsPending + b.creditsPosted))) return "overflows_credits";
    return null;
  }

  /** The written row and, when known, the account total after a change. */
  #projected(account: EngineAccount, change: Balances): Balances[] {
    const delta = add(this.#deltas.get(account.id)?.delta ?? ZERO, change);
    const out = [add(account.row, delta)];
    if (account.total) out.push(add(account.total, delta));
    return out;
  }

  #total(account: EngineAccount): Balances {
    if (!account.total)
      throw new Error(`account ${account.id} was locked on one shard but its constraint is at stake`);
    return add(account.total, this.#deltas.get(account.id)?.delta ?? ZERO);
  }

  #change(account: EngineAccount, change: Balances): void {
    const entry = this.#deltas.get(account.id);
    if (!entry) {
      this.#deltas.set(account.id, { account, delta: change });
      this.#undo.push(() => this.#deltas.delete(account.id));
      return;
    }
    const previous = entry.delta;
    entry.delta = add(previous, change);
    this.#undo.push(() => {
      entry.delta = previous;
    });
  }

  #store(transfer: StoredTransfer): void {
    this.#created.set(transfer.id, transfer);
    this.#createdOrder.push(transfer);
    this.#undo.push(() => {
      this.#created.delete(transfer.id);
      this.#createdOrder.pop();
    });
  }

  #setPending(id: string, entry: PendingEntry): void {
    const previous = this.#pending.get(id);
    this.#pending.set(id, entry);
    this.#undo.push(() => {
      if (previous) this.#pending.set(id, previous);
      else this.#pending.delete(id);
    });
  }

  #transfer(id: string): StoredTransfer | undefined {
    return this.#created.get(id) ?? this.#stored.get(id);
  }

  #recordFailure(t: TransferInput, result: TransferError): void {
    if (this.#failed.has(t.id)) return;
    this.#failed.set(t.id, result);
    const account = this.#accounts.get(t.debitAccountId ?? "") ?? this.#accounts.get(t.creditAccountId ?? "");
    const pending = t.pendingId ? this.#transfer(t.pendingId) : undefined;
    this.#newFailures.push({
      id: t.id,
      merchantId: account?.merchantId ?? pending?.merchantId ?? null,
      result,
    });
  }
}

/** A repeated id: the same content is `exists`, anything given that differs names the first difference. */
function compareExisting(t: TransferInput, e: StoredTransfer): TransferResultCode {
  const f = t.flags ?? {};
  if (
    Boolean(f.linked) !== e.linked ||
    Boolean(f.pending) !== e.pending ||
    Boolean(f.postPendingTransfer) !== e.postPending ||
    Boolean(f.voidPendingTransfer) !== e.voidPending
  ) {
    return "exists_with_different_flags";
  }
  if ((t.pendingId || null) !== e.pendingId) return "exists_with_different_pending_id";
  if ((t.timeout ?? 0) !== e.timeout) return "exists_with_different_timeout";
  if (t.debitAccountId && t.debitAccountId !== e.debitAccountId)
    return "exists_with_different_debit_account_id";
  if (t.creditAccountId && t.creditAccountId !== e.creditAccountId)
    return "exists_with_different_credit_account_id";
  if (t.amount !== undefined && t.amount !== e.amount) return "exists_with_different_amount";
  if (t.userData !== undefined && t.userData !== e.userData) return "exists_with_different_user_data";
  if (t.currency !== undefined && t.currency !== e.currency) return "exists_with_different_currency";
  if (t.code && t.code !== e.code) return "exists_with_different_code";
  return "exists";
}
