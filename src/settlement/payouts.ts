import { sql } from "kysely";
import { ApiError, invalidRequest, notFound } from "../core/errors.ts";
import { toJsonAmount } from "../core/money.ts";
import type { Db } from "../db/index.ts";
import { json, type Metadata } from "../db/schema.ts";
import { recordEvents } from "../events/service.ts";
import type { EventCause, EventType } from "../events/types.ts";
import type { AppContext } from "../http/context.ts";
import { TransferCode } from "../ledger/index.ts";
import { insertBalanceTransactions } from "./balance-transactions.ts";
import type { Books, Holder } from "./books.ts";
import { moneyTables, type PayoutRow } from "./schema.ts";

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export function presentPayout(row: PayoutRow) {
  return {
    id: row.id,
    object: "payout" as const,
    amount: toJsonAmount(row.amount),
    currency: row.currency,
    status: row.status,
    automatic: row.automatic,
    account: row.holder === "" ? null : row.holder,
    destination: {
      object: "bank_account" as const,
      last4: row.bank_account.last4,
      bic: row.bank_account.bic,
      country: row.bank_account.country,
      account_holder_name: row.bank_account.account_holder_name,
    },
    description: row.description,
    metadata: row.metadata,
    arrival_date: row.arrival_date ? seconds(row.arrival_date) : null,
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    created: seconds(row.created_at),
    livemode: row.livemode,
  };
}

export interface PayoutAccounts {
  holder: { pending: string; available: string; reserve: string };
  bank: string;
}

export const payoutHoldId = (payoutId: string) => `${payoutId}.hold`;

/**
 * A payout holds its amount in the ledger (pending transfer available → bank clearing) from the moment it
 * is created: refunds and transfers can no longer spend it. The bank's report posts the hold (paid) or voids
 * it (failed, canceled), which returns the funds to available.
 */
export function createPayoutLedger(deps: { ctx: AppContext; books: Books }) {
  const { ctx, books } = deps;

  async function event(tx: Db, row: PayoutRow, type: EventType, cause?: EventCause) {
    await recordEvents(ctx, tx, [
      { merchantId: row.merchant_id, livemode: row.livemode, type, object: presentPayout(row), cause },
    ]);
  }

  return {
    event,

    /** Accounts a payout touches; call before the transaction. */
    async prepare(holder: Holder, currency: string): Promise<PayoutAccounts> {
      return {
        holder: await books.holderAccounts(holder, currency),
        bank: await books.platform("bank_clearing", holder.livemode, currency),
      };
    },

    async create(
      tx: Db,
      accounts: PayoutAccounts,
      input: {
        holder: Holder;
        amount: bigint;
        currency: string;
        automatic: boolean;
        description?: string | null;
        metadata?: Metadata;
        cause?: EventCause;
      },
    ): Promise<PayoutRow> {
      const m = moneyTables(tx);
      const settings = await m
        .selectFrom("balance_holders")
        .selectAll()
        .where("merchant_id", "=", input.holder.merchantId)
        .where("livemode", "=", input.holder.livemode)
        .where("holder", "=", input.holder.holder)
        .executeTakeFirst();
      if (!settings?.bank_account) {
        throw new ApiError(400, {
          type: "invalid_request_error",
          code: "no_bank_account",
          message: `${input.holder.holder || "This account"} has no bank account for payouts: set bank_account first.`,
          param: "bank_account",
        });
      }
      if (input.amount <= 0n) throw invalidRequest("A payout amount is at least 1.", "amount");
      const now = ctx.clock.now();
      const id = ctx.ids.next("po");
      const refused = await books.tryPost(tx, [
        {
          id: payoutHoldId(id),
          debitAccountId: accounts.holder.available,
          creditAccountId: accounts.bank,
          amount: input.amount,
          code: TransferCode.payout,
          flags: { pending: true },
          userData: id,
        },
      ]);
      if (refused) {
        throw new ApiError(402, {
          type: "invalid_request_error",
          code: "balance_insufficient",
          message: `The available ${input.currency.toUpperCase()} balance does not cover a payout of ${input.amount}.`,
          param: "amount",
        });
      }
      const row = await m
        .insertInto("payouts")
        .values({
          id,
          merchant_id: input.holder.merchantId,
          livemode: input.holder.livemode,
          holder: input.holder.holder,
          amount: input.amount,
          currency: input.currency,
          status: "pending",
          automatic: input.automatic,
          bank_account: json(settings.bank_account),
          description: input.description ?? null,
          metadata: json(input.metadata ?? {}),
          arrival_date: null,
          batch_id: null,
          failure_code: null,
          failure_message: null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (input.automatic) {
        // What this payout pays out, for `GET /v1/balance_transactions?payout=`.
        await sql`update balance_transactions set payout_id = ${id}
          where merchant_id = ${input.holder.merchantId} and livemode = ${input.holder.livemode}
            and holder = ${input.holder.holder} and currency = ${input.currency} and payout_id is null
            and unreleased = 0 and available_on <= ${now} and type <> 'payout'`.execute(tx);
      }
      await insertBalanceTransactions(tx, [
        {
          id: ctx.ids.next("txn"),
          holder: input.holder,
          type: "payout",
          sourceId: id,
          amount: -input.amount,
          currency: input.currency,
          description: input.description ?? "Payout",
          bucket: "available",
          availableOn: now,
          payoutId: id,
          createdAt: now,
        },
      ]);
      await event(tx, row, "payout.created", input.cause);
      return row;
    },

    /** The bank paid: the hold is posted and the money has left the platform's bank account. */
    async paid(tx: Db, payout: PayoutRow) {
      const now = ctx.clock.now();
      await books.post(tx, [
        { id: `${payout.id}.paid`, pendingId: payoutHoldId(payout.id), flags: { postPendingTransfer: true } },
      ]);
      const row = await moneyTables(tx)
        .updateTable("payouts")
        .set({ status: "paid", arrival_date: now, updated_at: now })
        .where("id", "=", payout.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await event(tx, row, "payout.paid");
      return row;
    },

    /** Failed at the bank or canceled before sending: the hold is voided and the funds are available again. */
    async returned(
      tx: Db,
      payout: PayoutRow,
      outcome: { status: "failed" | "canceled"; code?: string | null; message?: string | null },
    ) {
      const now = ctx.clock.now();
      await books.post(tx, [
        { id: `${payout.id}.void`, pendingId: payoutHoldId(payout.id), flags: { voidPendingTransfer: true } },
      ]);
      const row = await moneyTables(tx)
        .updateTable("payouts")
        .set({
          status: outcome.status,
          failure_code: outcome.code ?? null,
          failure_message: outcome.message ?? null,
          updated_at: now,
        })
        .where("id", "=", payout.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await insertBalanceTransactions(tx, [
        {
          id: ctx.ids.next("txn"),
          holder: { merchantId: payout.merchant_id, livemode: payout.livemode, holder: payout.holder },
          type: outcome.status === "failed" ? "payout_failure" : "payout_cancel",
          sourceId: payout.id,
          amount: payout.amount,
          currency: payout.currency,
          description:
            outcome.status === "failed"
              ? `Payout failed: ${outcome.message ?? outcome.code}`
              : "Payout canceled",
          bucket: "available",
          availableOn: now,
          payoutId: payout.id,
          createdAt: now,
        },
      ]);
      await event(tx, row, outcome.status === "failed" ? "payout.failed" : "payout.canceled");
      return row;
    },
  };
}

export type PayoutLedger = ReturnType<typeof createPayoutLedger>;

export function payoutNotFound(id: string) {
  return notFound("payout", id);
}
