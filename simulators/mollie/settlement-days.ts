/**
 * Settlements here are daily: every balance movement (a payment becoming paid, a refund becoming
 * refunded) belongs to the settlement of its Amsterdam calendar day. That settlement is `open` during the
 * day and `paidout` from the next Amsterdam midnight, by the injected clock.
 */
import type { Context } from "./context.ts";
import type { Account, SettlementRecord } from "./store.ts";
import { amsterdamDay, nextDay, startOfAmsterdamDay } from "./time.ts";

/** Creates the day's settlement when its first movement happens, so ids and references stay stable. */
export function recordMovement(ctx: Context, account: Account, at: Date): SettlementRecord {
  const day = amsterdamDay(at);
  let record = account.settlementsByDay.get(day);
  if (!record) {
    const sameMonth = [...account.settlementsByDay.values()].filter(
      (r) => r.day.slice(0, 7) === day.slice(0, 7),
    );
    const yymm = `${day.slice(2, 4)}${day.slice(5, 7)}`;
    const sequence = String(sameMonth.length + 1).padStart(2, "0");
    record = {
      id: ctx.ids.settlement(),
      day,
      reference: `${account.organizationNumber}.${yymm}.${sequence}`,
      openedAt: at,
    };
    account.settlementsByDay.set(day, record);
  }
  return record;
}

export function settlementStatus(ctx: Context, record: SettlementRecord): "open" | "paidout" {
  return amsterdamDay(ctx.now()) > record.day ? "paidout" : "open";
}

/** When the day closed and its balance was paid out; null while open. */
export function settledAt(ctx: Context, record: SettlementRecord): Date | null {
  return settlementStatus(ctx, record) === "paidout" ? startOfAmsterdamDay(nextDay(record.day)) : null;
}

/** The paid-out settlement a movement at `at` belongs to, if its day has closed. */
export function paidOutSettlement(ctx: Context, account: Account, at: Date | null): SettlementRecord | null {
  if (at === null) return null;
  const record = account.settlementsByDay.get(amsterdamDay(at));
  return record && settlementStatus(ctx, record) === "paidout" ? record : null;
}
