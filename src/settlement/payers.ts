import { sql } from "kysely";
import { minBigint } from "../core/money.ts";
import type { Db } from "../db/index.ts";
import { accountsOf, type PaymentAccounts } from "./accounts-of-payment.ts";
import { type Holder, holderKey, holderOf } from "./books.ts";
import { splitOverParts } from "./payment-shape.ts";
import { moneyTables } from "./schema.ts";

export interface PayerShare {
  holder: Holder;
  amount: bigint;
}

/**
 * Who gives back money taken from a payment (refund, chargeback), by the platform's policy: in proportion
 * to the original split (default), all from the platform merchant, or all from one named connected account.
 */
export function payersOf(pa: PaymentAccounts, amount: bigint): PayerShare[] {
  const self = accountsOf(pa, pa.shape.merchant).settings;
  if (pa.shape.parts.length === 1 || self.refund_policy === "platform") {
    return [{ holder: pa.shape.merchant, amount }];
  }
  if (self.refund_policy === "account" && self.refund_policy_account) {
    const named = holderOf(
      pa.shape.merchant.merchantId,
      pa.shape.merchant.livemode,
      self.refund_policy_account,
    );
    if (pa.holders.has(holderKey(named))) return [{ holder: named, amount }];
  }
  const parts = splitOverParts(pa.shape, amount);
  return pa.shape.parts
    .map((p, i) => ({ holder: p.holder, amount: parts[i] as bigint }))
    .filter((p) => p.amount > 0n);
}

export interface Draw {
  holder: Holder;
  /** The maturing balance transaction whose unreleased funds are used, or null for other buckets. */
  bt: string | null;
  /** When that balance transaction matures: what is drawn from it is reported with it. */
  availableOn: Date | null;
  bucket: "pending" | "available" | "reserve" | "platform";
  account: string;
  amount: bigint;
}

/**
 * Takes `amount` from a holder: first this payment's own funds still maturing in its pending balance, then
 * the available balance as far as it goes, then other funds still maturing (this payment's fees are not
 * refunded, so a full refund of a fresh payment needs some). The balance transactions drawn from are locked
 * and reduced. The available balance is read without a lock: the ledger checks it again when the transfers
 * are applied, so a concurrent spend can turn this into a refusal but never into an overdraft.
 */
export async function drawFromHolder(
  tx: Db,
  pa: PaymentAccounts,
  share: PayerShare,
  sourceId: string,
): Promise<Draw[]> {
  const { accounts } = accountsOf(pa, share.holder);
  // Draws on one holder take turns: each may lock any of the holder's maturing entries, in any order.
  await lockHolder(tx, share.holder);
  const own = await sql<{ id: string; unreleased: bigint; available_on: Date }>`
    select id, unreleased, available_on from balance_transactions
    where source_id = ${sourceId} and merchant_id = ${share.holder.merchantId} and livemode = ${share.holder.livemode}
      and holder = ${share.holder.holder} and type = 'payment' and bucket = 'pending' and unreleased > 0
    order by created_at, id
    for update`.execute(tx);
  const draws: Draw[] = [];
  // Reduced at once, so the search for other maturing funds below sees what is left.
  const fromPending = async (id: string, availableOn: Date, amount: bigint) => {
    draws.push({
      holder: share.holder,
      bt: id,
      availableOn,
      bucket: "pending",
      account: accounts.pending,
      amount,
    });
    await moneyTables(tx)
      .updateTable("balance_transactions")
      .set((eb) => ({ unreleased: eb("unreleased", "-", amount) }))
      .where("id", "=", id)
      .execute();
  };
  let rest = share.amount;
  for (const bt of own.rows) {
    if (rest === 0n) break;
    const take = minBigint(BigInt(bt.unreleased), rest);
    await fromPending(bt.id, new Date(bt.available_on), take);
    rest -= take;
  }
  let fromAvailable = 0n;
  if (rest > 0n) {
    const { rows } = await sql<{ spendable: bigint }>`
      select credits_posted - debits_posted - debits_pending as spendable from ledger_accounts
      where id = ${accounts.available}`.execute(tx);
    const spendable = BigInt(rows[0]?.spendable ?? 0n);
    fromAvailable = spendable > 0n ? minBigint(spendable, rest) : 0n;
    rest -= fromAvailable;
  }
  if (rest > 0n) {
    for (const m of await maturing(tx, share.holder, pa.shape.settlement, "pending")) {
      if (rest === 0n) break;
      const take = minBigint(m.unreleased, rest);
      await fromPending(m.id, m.availableOn, take);
      rest -= take;
    }
  }
  // What nothing covers is asked of the available balance too, where the ledger refuses it.
  if (fromAvailable + rest > 0n) {
    draws.push({
      holder: share.holder,
      bt: null,
      availableOn: null,
      bucket: "available",
      account: accounts.available,
      amount: fromAvailable + rest,
    });
  }
  return draws;
}

/** A holder's balance transactions still maturing in `bucket`, oldest first, locked. */
async function maturing(tx: Db, holder: Holder, currency: string, bucket: "pending" | "reserve") {
  const { rows } = await sql<{ id: string; unreleased: bigint; available_on: Date }>`
    select id, unreleased, available_on from balance_transactions
    where merchant_id = ${holder.merchantId} and livemode = ${holder.livemode} and holder = ${holder.holder}
      and currency = ${currency} and bucket = ${bucket} and unreleased > 0
    order by available_on, id
    for update`.execute(tx);
  return rows.map((r) => ({
    id: r.id,
    unreleased: BigInt(r.unreleased),
    availableOn: new Date(r.available_on),
  }));
}

/** Gives drawn pending funds back to the balance transactions they came from (a refund that failed). */
export async function restoreDraws(tx: Db, draws: readonly Pick<Draw, "bt" | "amount">[]): Promise<void> {
  for (const d of draws) {
    if (!d.bt) continue;
    await moneyTables(tx)
      .updateTable("balance_transactions")
      .set((eb) => ({ unreleased: eb("unreleased", "+", d.amount) }))
      .where("id", "=", d.bt)
      .execute();
  }
}

/**
 * Reduces a holder's maturing balance transactions in `bucket` by `amount`, oldest first, so they keep
 * explaining the pending or reserve balance after something took funds from it. False when they hold less.
 */
export async function drawMaturing(
  tx: Db,
  holder: Holder,
  currency: string,
  bucket: "pending" | "reserve",
  amount: bigint,
): Promise<boolean> {
  let rest = amount;
  for (const bt of await maturing(tx, holder, currency, bucket)) {
    if (rest === 0n) break;
    const take = minBigint(bt.unreleased, rest);
    await moneyTables(tx)
      .updateTable("balance_transactions")
      .set((eb) => ({ unreleased: eb("unreleased", "-", take) }))
      .where("id", "=", bt.id)
      .execute();
    rest -= take;
  }
  return rest === 0n;
}

/** A transaction-scoped lock on a holder's maturing funds (advisory: no row stands for them). */
export async function lockHolder(tx: Db, holder: Holder): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${holderKey(holder)}, 0))`.execute(tx);
}

/**
 * The balance transactions that report draws: one per holder and maturity date. What came from maturing funds
 * is reported with the funds it came from (bucket `pending`, same `available_on`), so an automatic payout
 * lists a payment and the refund that took from it together, and the entries of a payout add up to it.
 */
export function drawEntries(draws: readonly Pick<Draw, "holder" | "availableOn" | "amount">[], now: Date) {
  const groups = new Map<string, { holder: Holder; availableOn: Date | null; amount: bigint }>();
  for (const d of draws) {
    const key = `${holderKey(d.holder)}|${d.availableOn?.getTime() ?? "now"}`;
    const g = groups.get(key) ?? { holder: d.holder, availableOn: d.availableOn, amount: 0n };
    g.amount += d.amount;
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({
    holder: g.holder,
    amount: g.amount,
    bucket: g.availableOn ? ("pending" as const) : ("available" as const),
    availableOn: g.availableOn ?? now,
  }));
}
