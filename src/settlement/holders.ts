import type { Insertable } from "kysely";
import type { Db } from "../db/index.ts";
import type { Holder } from "./books.ts";
import { type BalanceHolderRow, type BalanceHoldersTable, moneyTables } from "./schema.ts";

/** A holder row with the default settings (daily payouts at T+2, no reserve, the merchant bears fees). */
export function newHolder(
  h: Holder,
  kind: "merchant" | "connected",
  now: Date,
): Insertable<BalanceHoldersTable> {
  return {
    merchant_id: h.merchantId,
    livemode: h.livemode,
    holder: h.holder,
    kind,
    display_name: null,
    email: null,
    country: null,
    default_currency: null,
    payout_weekly_anchor: null,
    payout_monthly_anchor: null,
    minimum_payout: "{}",
    bank_account: null,
    surcharge_country: null,
    refund_policy_account: null,
    metadata: "{}",
    created_at: now,
    updated_at: now,
  };
}

/**
 * Settings of a balance holder. The merchant's own row is created with defaults on first use; connected
 * accounts are created through `POST /v1/accounts`.
 */
export async function loadHolder(db: Db, h: Holder, now: Date): Promise<BalanceHolderRow> {
  const m = moneyTables(db);
  const existing = await m
    .selectFrom("balance_holders")
    .selectAll()
    .where("merchant_id", "=", h.merchantId)
    .where("livemode", "=", h.livemode)
    .where("holder", "=", h.holder)
    .executeTakeFirst();
  if (existing) return existing;
  if (h.holder !== "") throw new Error(`connected account ${h.holder} does not exist`);
  await m
    .insertInto("balance_holders")
    .values(newHolder(h, "merchant", now))
    .onConflict((oc) => oc.doNothing())
    .execute();
  return m
    .selectFrom("balance_holders")
    .selectAll()
    .where("merchant_id", "=", h.merchantId)
    .where("livemode", "=", h.livemode)
    .where("holder", "=", "")
    .executeTakeFirstOrThrow();
}

/** The connected account `id` of this merchant and mode, or undefined. */
export async function findConnected(db: Db, merchantId: string, livemode: boolean, id: string) {
  return moneyTables(db)
    .selectFrom("balance_holders")
    .selectAll()
    .where("merchant_id", "=", merchantId)
    .where("livemode", "=", livemode)
    .where("holder", "=", id)
    .where("kind", "=", "connected")
    .executeTakeFirst();
}

/** Start of the UTC day `days` after `at`: funds captured on day D with delay N mature at D+N 00:00 UTC. */
export function maturesOn(at: Date, days: number): Date {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + days);
  return d;
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
export const WEEKLY_ANCHORS = WEEKDAYS;

/** Whether an automatic payout is due on the UTC day of `at` under the holder's schedule. */
export function payoutDue(holder: BalanceHolderRow, at: Date): boolean {
  switch (holder.payout_interval) {
    case "manual":
      return false;
    case "daily":
      return true;
    case "weekly":
      return WEEKDAYS[at.getUTCDay()] === (holder.payout_weekly_anchor ?? "monday");
    case "monthly": {
      const anchor = holder.payout_monthly_anchor ?? 1;
      const lastDay = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
      return at.getUTCDate() === Math.min(anchor, lastDay);
    }
  }
}
