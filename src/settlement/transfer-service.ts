import { sql } from "kysely";
import { ApiError, invalidRequest, notFound } from "../core/errors.ts";
import { minBigint, toJsonAmount } from "../core/money.ts";
import { retryOnContention } from "../db/errors.ts";
import { json, type Metadata } from "../db/schema.ts";
import { recordEvents } from "../events/service.ts";
import type { EventCause } from "../events/types.ts";
import type { AppContext, AuthContext } from "../http/context.ts";
import { applyCreatedRange, type PageParams, paginate } from "../http/pagination.ts";
import { TransferCode, type TransferInput } from "../ledger/index.ts";
import { insertBalanceTransactions, type NewBalanceTransaction } from "./balance-transactions.ts";
import { type Books, holderOf, linked } from "./books.ts";
import { findConnected } from "./holders.ts";
import { lockHolder } from "./payers.ts";
import { moneyTables, type PlatformTransferRow } from "./schema.ts";

export interface CreateTransferInput {
  amount: number;
  currency: string;
  destination: string;
  source_transaction?: string | undefined;
  transfer_group?: string | undefined;
  description?: string | undefined;
  metadata?: Metadata | undefined;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export function presentTransfer(
  row: PlatformTransferRow,
  reversals: Array<{ id: string; amount: bigint; created_at: Date }> = [],
) {
  return {
    id: row.id,
    object: "transfer" as const,
    amount: toJsonAmount(row.amount),
    amount_reversed: toJsonAmount(row.amount_reversed),
    currency: row.currency,
    destination: row.destination,
    source_transaction: row.source_transaction,
    transfer_group: row.transfer_group,
    description: row.description,
    reversed: row.amount_reversed === row.amount,
    reversals: reversals.map((r) => ({
      id: r.id,
      object: "transfer_reversal" as const,
      amount: toJsonAmount(r.amount),
      transfer: row.id,
      created: seconds(r.created_at),
    })),
    metadata: row.metadata,
    created: seconds(row.created_at),
    livemode: row.livemode,
  };
}

const insufficient = (who: string) =>
  new ApiError(402, {
    type: "invalid_request_error",
    code: "balance_insufficient",
    message: `The available balance of ${who} does not cover this transfer.`,
    param: "amount",
  });

/**
 * Moves between a platform merchant and its connected accounts (`/v1/transfers`). Funds come from the
 * platform's available balance; with `source_transaction` they come first from that payment's own funds
 * still maturing, and reach the connected account's pending balance with the same maturity date.
 */
export function createTransferService(ctx: AppContext, books: Books) {
  async function load(auth: AuthContext, id: string) {
    const row = await moneyTables(ctx.db)
      .selectFrom("platform_transfers")
      .selectAll()
      .where("merchant_id", "=", auth.merchantId)
      .where("livemode", "=", auth.livemode)
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw notFound("transfer", id);
    return row;
  }

  async function reversalsOf(id: string) {
    return moneyTables(ctx.db)
      .selectFrom("platform_transfer_reversals")
      .select(["id", "amount", "created_at"])
      .where("transfer_id", "=", id)
      .orderBy("created_at")
      .execute();
  }

  return {
    async create(auth: AuthContext, input: CreateTransferInput, cause: EventCause) {
      if (!(await findConnected(ctx.db, auth.merchantId, auth.livemode, input.destination))) {
        throw notFound("account", input.destination, "destination");
      }
      if (input.source_transaction) {
        const source = await ctx.db
          .selectFrom("payment_intents")
          .select(["id", "status", "currency", "settlement_currency"])
          .where("id", "=", input.source_transaction)
          .where("merchant_id", "=", auth.merchantId)
          .where("livemode", "=", auth.livemode)
          .executeTakeFirst();
        if (!source) throw notFound("payment_intent", input.source_transaction, "source_transaction");
        if ((source.settlement_currency ?? source.currency) !== input.currency) {
          throw invalidRequest(
            `source_transaction ${source.id} is settled in ${(source.settlement_currency ?? source.currency).toUpperCase()}, not ${input.currency.toUpperCase()}.`,
            "currency",
          );
        }
      }
      const platform = holderOf(auth.merchantId, auth.livemode);
      const seller = holderOf(auth.merchantId, auth.livemode, input.destination);
      const from = await books.holderAccounts(platform, input.currency);
      const to = await books.holderAccounts(seller, input.currency);
      const amount = BigInt(input.amount);
      const now = ctx.clock.now();
      const id = ctx.ids.next("tr");
      const row = await retryOnContention(() =>
        ctx.db.transaction().execute(async (tx) => {
          const transfers: TransferInput[] = [];
          const entries: NewBalanceTransaction[] = [];
          let rest = amount;
          if (input.source_transaction) {
            await lockHolder(tx, platform);
            const { rows } = await sql<{ id: string; unreleased: bigint; available_on: Date }>`
            select id, unreleased, available_on from balance_transactions
            where source_id = ${input.source_transaction} and merchant_id = ${auth.merchantId}
              and livemode = ${auth.livemode} and holder = '' and type = 'payment' and bucket = 'pending'
              and unreleased > 0
            order by created_at, id for update`.execute(tx);
            for (const bt of rows) {
              if (rest === 0n) break;
              const take = minBigint(BigInt(bt.unreleased), rest);
              rest -= take;
              await moneyTables(tx)
                .updateTable("balance_transactions")
                .set((eb) => ({ unreleased: eb("unreleased", "-", take) }))
                .where("id", "=", bt.id)
                .execute();
              transfers.push({
                id: `${id}.pending.${transfers.length}`,
                debitAccountId: from.pending,
                creditAccountId: to.pending,
                amount: take,
                code: TransferCode.platform_transfer,
                userData: id,
              });
              entries.push({
                id: ctx.ids.next("txn"),
                holder: seller,
                type: "transfer",
                sourceId: id,
                amount: take,
                currency: input.currency,
                description: input.description ?? null,
                bucket: "pending",
                unreleased: take,
                availableOn: bt.available_on,
                createdAt: now,
              });
              // The platform's side is reported with the funds it came from (see drawEntries).
              entries.push({
                id: ctx.ids.next("txn"),
                holder: platform,
                type: "transfer",
                sourceId: id,
                amount: -take,
                currency: input.currency,
                description: input.description ?? `Transfer to ${input.destination}`,
                bucket: "pending",
                availableOn: bt.available_on,
                createdAt: now,
              });
            }
          }
          if (rest > 0n) {
            transfers.push({
              id: `${id}.available`,
              debitAccountId: from.available,
              creditAccountId: to.available,
              amount: rest,
              code: TransferCode.platform_transfer,
              userData: id,
            });
            entries.push({
              id: ctx.ids.next("txn"),
              holder: seller,
              type: "transfer",
              sourceId: id,
              amount: rest,
              currency: input.currency,
              description: input.description ?? null,
              bucket: "available",
              availableOn: now,
              createdAt: now,
            });
          }
          if (rest > 0n) {
            entries.push({
              id: ctx.ids.next("txn"),
              holder: platform,
              type: "transfer",
              sourceId: id,
              amount: -rest,
              currency: input.currency,
              description: input.description ?? `Transfer to ${input.destination}`,
              bucket: "available",
              availableOn: now,
              createdAt: now,
            });
          }
          if (await books.tryPost(tx, linked(transfers))) throw insufficient("the platform");
          await insertBalanceTransactions(tx, entries);
          const created = await moneyTables(tx)
            .insertInto("platform_transfers")
            .values({
              id,
              merchant_id: auth.merchantId,
              livemode: auth.livemode,
              destination: input.destination,
              amount,
              currency: input.currency,
              source_transaction: input.source_transaction ?? null,
              transfer_group: input.transfer_group ?? null,
              description: input.description ?? null,
              metadata: json(input.metadata ?? {}),
              created_at: now,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await recordEvents(ctx, tx, [
            {
              merchantId: auth.merchantId,
              livemode: auth.livemode,
              type: "transfer.created",
              object: presentTransfer(created),
              cause,
            },
          ]);
          return created;
        }),
      );
      ctx.wakeWorker();
      return presentTransfer(row);
    },

    /** Takes (part of) a transfer back from the connected account's available balance. */
    async reverse(
      auth: AuthContext,
      transferId: string,
      input: { amount?: number | undefined; metadata?: Metadata | undefined },
      cause: EventCause,
    ) {
      const existing = await load(auth, transferId);
      const platform = holderOf(auth.merchantId, auth.livemode);
      const seller = holderOf(auth.merchantId, auth.livemode, existing.destination);
      const to = await books.holderAccounts(platform, existing.currency);
      const from = await books.holderAccounts(seller, existing.currency);
      const now = ctx.clock.now();
      const id = ctx.ids.next("trr");
      await retryOnContention(() =>
        ctx.db.transaction().execute(async (tx) => {
          const locked = await moneyTables(tx)
            .selectFrom("platform_transfers")
            .selectAll()
            .where("id", "=", transferId)
            .forUpdate()
            .executeTakeFirstOrThrow();
          const left = locked.amount - locked.amount_reversed;
          const amount = input.amount === undefined ? left : BigInt(input.amount);
          if (left === 0n) {
            throw new ApiError(400, {
              type: "invalid_request_error",
              code: "transfer_already_reversed",
              message: `Transfer ${transferId} is already reversed in full.`,
            });
          }
          if (amount > left) {
            throw invalidRequest(
              `Only ${left} of transfer ${transferId} is left to reverse.`,
              "amount",
              "amount_too_large",
            );
          }
          const refused = await books.tryPost(tx, [
            {
              id: `${id}.reversal`,
              debitAccountId: from.available,
              creditAccountId: to.available,
              amount,
              code: TransferCode.transfer_reversal,
              userData: transferId,
            },
          ]);
          if (refused) throw insufficient(existing.destination);
          await insertBalanceTransactions(tx, [
            {
              id: ctx.ids.next("txn"),
              holder: seller,
              type: "transfer_reversal",
              sourceId: id,
              amount: -amount,
              currency: existing.currency,
              bucket: "available",
              availableOn: now,
              createdAt: now,
            },
            {
              id: ctx.ids.next("txn"),
              holder: platform,
              type: "transfer_reversal",
              sourceId: id,
              amount,
              currency: existing.currency,
              bucket: "available",
              availableOn: now,
              createdAt: now,
            },
          ]);
          await moneyTables(tx)
            .insertInto("platform_transfer_reversals")
            .values({
              id,
              transfer_id: transferId,
              merchant_id: auth.merchantId,
              amount,
              metadata: json(input.metadata ?? {}),
              created_at: now,
            })
            .execute();
          const row = await moneyTables(tx)
            .updateTable("platform_transfers")
            .set((eb) => ({ amount_reversed: eb("amount_reversed", "+", amount) }))
            .where("id", "=", transferId)
            .returningAll()
            .executeTakeFirstOrThrow();
          await recordEvents(ctx, tx, [
            {
              merchantId: auth.merchantId,
              livemode: auth.livemode,
              type: "transfer.reversed",
              object: presentTransfer(row),
              cause,
            },
          ]);
        }),
      );
      ctx.wakeWorker();
      const row = await load(auth, transferId);
      return presentTransfer(row, await reversalsOf(transferId));
    },

    async get(auth: AuthContext, id: string) {
      return presentTransfer(await load(auth, id), await reversalsOf(id));
    },

    async list(
      auth: AuthContext,
      page: PageParams,
      filters: { destination?: string | undefined; transfer_group?: string | undefined } & Partial<
        Record<"created[gt]" | "created[gte]" | "created[lt]" | "created[lte]", number>
      >,
    ) {
      let qb = moneyTables(ctx.db)
        .selectFrom("platform_transfers")
        .selectAll()
        .where("merchant_id", "=", auth.merchantId)
        .where("livemode", "=", auth.livemode);
      if (filters.destination) qb = qb.where("destination", "=", filters.destination);
      if (filters.transfer_group) qb = qb.where("transfer_group", "=", filters.transfer_group);
      qb = applyCreatedRange(qb, "platform_transfers.created_at", filters);
      const { rows, has_more } = await paginate(qb, "platform_transfers", page);
      return { rows: rows.map((r) => presentTransfer(r)), has_more };
    },
  };
}

export type TransferService = ReturnType<typeof createTransferService>;
