import { sql } from "kysely";
import { retryOnContention } from "../db/errors.ts";
import type { AppContext } from "../http/context.ts";
import type { Job } from "../jobs/runtime.ts";
import { TransferCode, type TransferInput } from "../ledger/index.ts";
import { insertBalanceTransactions, type NewBalanceTransaction } from "./balance-transactions.ts";
import type { BankBatches } from "./bank-batches.ts";
import { type Books, type Holder, type HolderAccounts, holderOf } from "./books.ts";
import { maturesOn, payoutDue, WEEKLY_ANCHORS } from "./holders.ts";
import type { PayoutAccounts, PayoutLedger } from "./payouts.ts";
import { type BalanceHolderRow, type BalanceTransactionRow, moneyTables } from "./schema.ts";

const RELEASE_BATCH = 1000;

/**
 * Daily settlement, safe to run any number of times and from several workers at once:
 *
 * 1. funds whose maturity date has come move from pending (or the rolling reserve) to available. A holder
 *    with a rolling reserve keeps its percentage of each matured payment in reserve for its reserve days.
 *    Transfer ids derive from the balance transaction, and rows are claimed with SKIP LOCKED, so a
 *    repeated or concurrent run moves nothing twice;
 * 2. holders whose payout schedule falls on the day get one automatic payout per currency of their whole
 *    available balance (when it reaches their minimum); a run marker per holder and day, written in the
 *    same transaction as the payouts, makes a second run that day a no-op.
 */
export function createSettlement(deps: { ctx: AppContext; books: Books; payouts: PayoutLedger }) {
  const { ctx, books, payouts } = deps;

  async function holderSettings(h: Holder) {
    return moneyTables(ctx.db)
      .selectFrom("balance_holders")
      .selectAll()
      .where("merchant_id", "=", h.merchantId)
      .where("livemode", "=", h.livemode)
      .where("holder", "=", h.holder)
      .executeTakeFirst();
  }

  async function releaseMatured(now: Date): Promise<number> {
    // Which holders and currencies are due, read first so their accounts exist before the transaction.
    const due = await sql<{ merchant_id: string; livemode: boolean; holder: string; currency: string }>`
      select distinct merchant_id, livemode, holder, currency from balance_transactions
      where unreleased > 0 and available_on <= ${now} and bucket in ('pending', 'reserve')
      limit 200`.execute(ctx.db);
    let released = 0;
    for (const group of due.rows) {
      const holder = holderOf(group.merchant_id, group.livemode, group.holder);
      const accounts = await books.holderAccounts(holder, group.currency);
      const settings = await holderSettings(holder);
      released += await ctx.db.transaction().execute(async (tx) => {
        const { rows } = await sql<BalanceTransactionRow>`
          select * from balance_transactions
          where merchant_id = ${group.merchant_id} and livemode = ${group.livemode} and holder = ${group.holder}
            and currency = ${group.currency} and unreleased > 0 and available_on <= ${now}
            and bucket in ('pending', 'reserve')
          order by available_on, id limit ${RELEASE_BATCH} for update skip locked`.execute(tx);
        if (rows.length === 0) return 0;
        const { transfers, entries } = planRelease(rows, accounts, settings, holder, now);
        await books.post(tx, transfers);
        await insertBalanceTransactions(tx, entries);
        await moneyTables(tx)
          .updateTable("balance_transactions")
          .set({ unreleased: 0n })
          .where(
            "id",
            "in",
            rows.map((r) => r.id),
          )
          .execute();
        return rows.length;
      });
    }
    return released;
  }

  function planRelease(
    rows: BalanceTransactionRow[],
    accounts: HolderAccounts,
    settings: BalanceHolderRow | undefined,
    holder: Holder,
    now: Date,
  ) {
    const transfers: TransferInput[] = [];
    const entries: NewBalanceTransaction[] = [];
    const reserveBps = BigInt(settings?.reserve_percent_bps ?? 0);
    const reserveDays = settings?.reserve_days ?? 0;
    for (const bt of rows) {
      // Exactly-once comes from the row lock and the `unreleased > 0` claim; a balance transaction can be
      // released more than once (a failed refund gives funds back to it), so each release has its own id.
      const step = ctx.ids.next("txn").slice(4);
      if (bt.bucket === "reserve") {
        transfers.push({
          id: `${bt.id}.release.${step}`,
          debitAccountId: accounts.reserve,
          creditAccountId: accounts.available,
          amount: bt.unreleased,
          code: TransferCode.reserve_release,
          userData: bt.source_id,
        });
        continue;
      }
      // Rounded down: the reserve never takes more than its percentage.
      const held = bt.type === "payment" && reserveDays > 0 ? (bt.unreleased * reserveBps) / 10_000n : 0n;
      if (bt.unreleased - held > 0n) {
        transfers.push({
          id: `${bt.id}.release.${step}`,
          debitAccountId: accounts.pending,
          creditAccountId: accounts.available,
          amount: bt.unreleased - held,
          code: TransferCode.funds_available,
          userData: bt.source_id,
        });
      }
      if (held > 0n) {
        transfers.push({
          id: `${bt.id}.reserve.${step}`,
          debitAccountId: accounts.pending,
          creditAccountId: accounts.reserve,
          amount: held,
          code: TransferCode.reserve_hold,
          userData: bt.source_id,
        });
        entries.push(
          {
            id: ctx.ids.next("txn"),
            holder,
            type: "reserve_hold",
            sourceId: bt.id,
            amount: -held,
            currency: bt.currency,
            description: `Rolling reserve (${Number(reserveBps) / 100} % for ${reserveDays} days)`,
            bucket: "available",
            availableOn: now,
            createdAt: now,
          },
          {
            id: ctx.ids.next("txn"),
            holder,
            type: "reserve_release",
            sourceId: bt.id,
            amount: held,
            currency: bt.currency,
            description: "Rolling reserve released",
            bucket: "reserve",
            unreleased: held,
            availableOn: maturesOn(now, reserveDays),
            createdAt: now,
          },
        );
      }
    }
    return { transfers, entries };
  }

  /** Holders whose schedule falls on the day of `now` and that have not been paid out that day, in pages. */
  async function dueHolders(now: Date, limit: number) {
    const runDate = now.toISOString().slice(0, 10);
    const weekday = WEEKLY_ANCHORS[now.getUTCDay()] as string;
    const day = now.getUTCDate();
    const lastDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
    const { rows } = await sql<BalanceHolderRow>`
      select h.* from balance_holders h
      where h.bank_account is not null
        and (h.payout_interval = 'daily'
          or (h.payout_interval = 'weekly' and coalesce(h.payout_weekly_anchor, 'monday') = ${weekday})
          or (h.payout_interval = 'monthly' and (coalesce(h.payout_monthly_anchor, 1) = ${day}
            or (${day}::int = ${lastDay}::int and coalesce(h.payout_monthly_anchor, 1) > ${lastDay}))))
        and not exists (select 1 from settlement_runs r where r.run_date = ${runDate}::date
          and r.livemode = h.livemode and r.merchant_id = h.merchant_id and r.holder = h.holder)
      order by h.merchant_id, h.livemode, h.holder
      limit ${limit}`.execute(ctx.db);
    return rows.filter((h) => payoutDue(h, now));
  }

  async function scheduledPayouts(now: Date): Promise<number> {
    const runDate = now.toISOString().slice(0, 10);
    let created = 0;
    // Every due holder is marked when it is handled, so each page brings new ones until none is left; one that
    // fails (it is logged) is left for the next run and not retried in this one.
    const failed = new Set<string>();
    for (;;) {
      const page = (await dueHolders(now, 200 + failed.size)).filter((h) => !failed.has(keyOf(h)));
      if (page.length === 0) return created;
      for (const settings of page) {
        try {
          created += await payHolder(settings, now, runDate);
        } catch (error) {
          failed.add(keyOf(settings));
          ctx.logger.error(
            { err: error, merchant: settings.merchant_id, holder: settings.holder },
            "scheduled payout failed",
          );
        }
      }
    }
  }

  const keyOf = (h: BalanceHolderRow) => `${h.merchant_id}/${h.livemode}/${h.holder}`;

  /** One automatic payout per currency of the holder's whole spendable balance, once per day. */
  async function payHolder(settings: BalanceHolderRow, now: Date, runDate: string): Promise<number> {
    const holder = holderOf(settings.merchant_id, settings.livemode, settings.holder);
    const currencies = (
      await moneyTables(ctx.db)
        .selectFrom("ledger_accounts")
        .select("currency")
        .distinct()
        .where("merchant_id", "=", holder.merchantId)
        .where("livemode", "=", holder.livemode)
        .where("reference", "=", holder.holder)
        .execute()
    ).map((r) => r.currency);
    const prepared: Array<{ currency: string; accounts: PayoutAccounts }> = [];
    for (const currency of currencies)
      prepared.push({ currency, accounts: await payouts.prepare(holder, currency) });
    return retryOnContention(() =>
      ctx.db.transaction().execute(async (tx) => {
        const marked = await moneyTables(tx)
          .insertInto("settlement_runs")
          .values({
            run_date: runDate,
            livemode: holder.livemode,
            merchant_id: holder.merchantId,
            holder: holder.holder,
            created_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .returning("holder")
          .executeTakeFirst();
        if (!marked) return 0;
        let made = 0;
        for (const { currency, accounts } of prepared) {
          const [available] = await books.ledger.lookupAccounts(tx, [accounts.holder.available]);
          if (!available) continue;
          const spendable = available.creditsPosted - available.debitsPosted - available.debitsPending;
          const minimum = BigInt(settings.minimum_payout[currency] ?? "1");
          if (spendable < minimum || spendable <= 0n) continue;
          await payouts.create(tx, accounts, {
            holder,
            amount: spendable,
            currency,
            automatic: true,
            description: `Payrail payout ${runDate}`,
          });
          made++;
        }
        return made;
      }),
    );
  }

  return {
    releaseMatured,
    scheduledPayouts,
    /** One full pass, as the daily job and `payrail settle` run it. */
    async run(now: Date = ctx.clock.now()) {
      const released = await releaseMatured(now);
      const payoutsCreated = await scheduledPayouts(now);
      return { released, payoutsCreated };
    },
  };
}

export type Settlement = ReturnType<typeof createSettlement>;

/** The worker's settlement job: every `PAYRAIL_SETTLEMENT_EVERY`, release, pay out, send files, read reports. */
export function settlementJob(
  ctx: AppContext,
  settlement: Settlement,
  bank: BankBatches,
  options: { everyMs: number },
): Job {
  let lastRun = 0;
  return {
    name: "settlement",
    async run() {
      const nowMs = ctx.clock.now().getTime();
      if (nowMs - lastRun < options.everyMs) return 0;
      lastRun = nowMs;
      const { released, payoutsCreated } = await settlement.run();
      const batched = await bank.batchPending();
      const submitted = await bank.submitBatches();
      const reported = await bank.applyReports();
      return released + payoutsCreated + batched + submitted + reported;
    },
  };
}
