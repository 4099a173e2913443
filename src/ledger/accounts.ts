import { sql } from "kysely";
import { isKnownCurrency } from "../core/money.ts";
import { accountCodeInfo } from "./codes.ts";
import { LedgerError } from "./errors.ts";
import type { LedgerKysely } from "./schema.ts";
import type { Account, AccountSpec } from "./types.ts";

export const MAX_SHARDS = 256;

interface AccountRow {
  id: string;
  merchant_id: string | null;
  livemode: boolean;
  currency: string;
  code: number;
  reference: string;
  debits_must_not_exceed_credits: boolean;
  credits_must_not_exceed_debits: boolean;
  closed: boolean;
  shards: number;
  debits_pending: bigint;
  debits_posted: bigint;
  credits_pending: bigint;
  credits_posted: bigint;
  user_data: string | null;
  created_at: Date;
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    livemode: r.livemode,
    currency: r.currency,
    code: r.code,
    reference: r.reference,
    flags: {
      debitsMustNotExceedCredits: r.debits_must_not_exceed_credits,
      creditsMustNotExceedDebits: r.credits_must_not_exceed_debits,
      closed: r.closed,
    },
    shards: r.shards,
    debitsPending: r.debits_pending,
    debitsPosted: r.debits_posted,
    creditsPending: r.credits_pending,
    creditsPosted: r.credits_posted,
    userData: r.user_data,
    createdAt: r.created_at,
  };
}

export function validateAccountSpec(spec: AccountSpec): void {
  if (spec.id !== undefined && (spec.id.length === 0 || spec.id.length > 255)) {
    throw new LedgerError("invalid_account_id", "Account ids are 1 to 255 characters.");
  }
  if (!isKnownCurrency(spec.currency)) {
    throw new LedgerError("invalid_currency", `Unknown currency: ${spec.currency} (lower-case ISO 4217).`);
  }
  const info = accountCodeInfo(spec.code);
  if (!info) throw new LedgerError("invalid_account_code", `Unknown account code: ${spec.code}.`);
  if (info.owner === "merchant" && !spec.merchantId) {
    throw new LedgerError("merchant_required", `A ${info.name} account belongs to a merchant.`);
  }
  if (info.owner === "platform" && spec.merchantId) {
    throw new LedgerError("platform_account", `A ${info.name} account is a platform account (no merchant).`);
  }
  if (spec.flags?.debitsMustNotExceedCredits && spec.flags.creditsMustNotExceedDebits) {
    throw new LedgerError("flags_are_mutually_exclusive", "An account takes at most one balance constraint.");
  }
  const shards = spec.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    throw new LedgerError("invalid_shards", `Shards are a whole number from 1 to ${MAX_SHARDS}.`);
  }
  if ((spec.reference ?? "").length > 255) {
    throw new LedgerError("invalid_reference", "References are at most 255 characters.");
  }
}

const SUMMED = sql`
  select a.id, a.merchant_id, a.livemode, a.currency, a.code, a.reference, a.debits_must_not_exceed_credits,
    a.credits_must_not_exceed_debits, a.closed, a.shards, a.user_data, a.created_at,
    (a.debits_pending + coalesce(s.debits_pending, 0))::int8 as debits_pending,
    (a.debits_posted + coalesce(s.debits_posted, 0))::int8 as debits_posted,
    (a.credits_pending + coalesce(s.credits_pending, 0))::int8 as credits_pending,
    (a.credits_posted + coalesce(s.credits_posted, 0))::int8 as credits_posted
  from ledger_accounts a
  left join lateral (
    select sum(debits_pending) as debits_pending, sum(debits_posted) as debits_posted,
      sum(credits_pending) as credits_pending, sum(credits_posted) as credits_posted
    from ledger_account_shards where account_id = a.id and a.shards > 1
  ) s on true`;

/** Accounts with their balances summed over shards, in the order of `ids` (missing ones left out). */
export async function lookupAccounts(db: LedgerKysely, ids: readonly string[]): Promise<Account[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<AccountRow>`${SUMMED} where a.id = any(${[...ids]}::text[])`.execute(db);
  const byId = new Map(rows.map((r) => [r.id, toAccount(r)]));
  return ids.flatMap((id) => {
    const a = byId.get(id);
    return a ? [a] : [];
  });
}

/** The merchant's accounts (or the platform's, for a null merchant), scoped like every tenant query. */
export async function listAccounts(
  db: LedgerKysely,
  scope: { merchantId: string | null; livemode: boolean; currency?: string },
): Promise<Account[]> {
  const merchant =
    scope.merchantId === null ? sql`a.merchant_id is null` : sql`a.merchant_id = ${scope.merchantId}`;
  const currency = scope.currency === undefined ? sql`true` : sql`a.currency = ${scope.currency}`;
  const { rows } = await sql<AccountRow>`${SUMMED}
    where ${merchant} and a.livemode = ${scope.livemode} and ${currency}
    order by a.currency, a.code, a.reference`.execute(db);
  return rows.map(toAccount);
}

/**
 * Creates the account, or returns the one that already exists with the same key (merchant, livemode,
 * currency, code, reference) and the same flags and shards. Anything else with that key or id is an error.
 */
export async function createAccount(db: LedgerKysely, spec: AccountSpec, newId: () => string, now: Date) {
  validateAccountSpec(spec);
  const id = spec.id ?? newId();
  const shards = spec.shards ?? 1;
  const inserted = await db
    .insertInto("ledger_accounts")
    .values({
      id,
      merchant_id: spec.merchantId,
      livemode: spec.livemode,
      currency: spec.currency,
      code: spec.code,
      reference: spec.reference ?? "",
      debits_must_not_exceed_credits: Boolean(spec.flags?.debitsMustNotExceedCredits),
      credits_must_not_exceed_debits: Boolean(spec.flags?.creditsMustNotExceedDebits),
      shards,
      user_data: spec.userData ?? null,
      created_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) {
    if (shards > 1) {
      await sql`insert into ledger_account_shards (account_id, shard)
        select ${id}, g from generate_series(1, ${shards - 1}::int) as g`.execute(db);
    }
    const [account] = await lookupAccounts(db, [id]);
    return account!;
  }
  const { rows } = await sql<AccountRow>`${SUMMED}
    where a.id = ${id} or (coalesce(a.merchant_id, '') = ${spec.merchantId ?? ""} and a.livemode = ${spec.livemode}
      and a.currency = ${spec.currency} and a.code = ${spec.code} and a.reference = ${spec.reference ?? ""})`.execute(
    db,
  );
  const existing = rows.map(toAccount);
  const same = existing.find(
    (a) =>
      (spec.id === undefined || a.id === spec.id) &&
      a.merchantId === spec.merchantId &&
      a.livemode === spec.livemode &&
      a.currency === spec.currency &&
      a.code === spec.code &&
      a.reference === (spec.reference ?? "") &&
      a.flags.debitsMustNotExceedCredits === Boolean(spec.flags?.debitsMustNotExceedCredits) &&
      a.flags.creditsMustNotExceedDebits === Boolean(spec.flags?.creditsMustNotExceedDebits) &&
      a.shards === shards,
  );
  if (same) return same;
  throw new LedgerError(
    "account_exists_with_different_spec",
    `An account with this id or key already exists with other settings: ${existing.map((a) => a.id).join(", ")}.`,
  );
}
