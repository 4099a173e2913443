import { sql } from "kysely";
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
  /** The payment's own balance transaction whose unreleased funds are used, or null for other buckets. */
  bt: string | null;
  bucket: "pending" | "available" | "reserve" | "platform";
  account: string;
  amount: bigint;
}

/**
 * Takes `amount` from a holder: first from this payment's own funds still maturing in its pending balance
 * (the balance transactions are locked and reduced), then from the available balance. The ledger checks
 * the available balance when the transfers are applied, so concurrent draws can never overdraw it.
 */
export async function drawFromHolder(
  tx: Db,
  pa: PaymentAccounts,
  share: PayerShare,
  sourceId: string,
): Promise<Draw[]> {
  const { accounts } = accountsOf(pa, share.holder);
  const own = await sql<{ id: string; unreleased: bigint }>`
    select id, unreleased from balance_transactions
    where source_id = ${sourceId} and merchant_id = ${share.holder.merchantId} and livemode = ${share.holder.livemode}
      and holder = ${share.holder.holder} and type = 'payment' and bucket = 'pending' and unreleased > 0
    order by created_at, id
    for update`.execute(tx);
  const draws: Draw[] = [];
  let rest = share.amount;
  for (const bt of own.rows) {
    if (rest === 0n) break;
    const take = BigInt(bt.unreleased) < rest ? BigInt(bt.unreleased) : rest;
    draws.push({
      holder: share.holder,
      bt: bt.id,
      bucket: "pending",
      account: accounts.pending,
      amount: take,
    });
    rest -= take;
  }
  if (rest > 0n) {
    draws.push({
      holder: share.holder,
      bt: null,
      bucket: "available",
      account: accounts.available,
      amount: rest,
    });
  }
  for (const d of draws) {
    if (d.bt) {
      await moneyTables(tx)
        .updateTable("balance_transactions")
        .set((eb) => ({ unreleased: eb("unreleased", "-", d.amount) }))
        .where("id", "=", d.bt)
        .execute();
    }
  }
  return draws;
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
