import { ApiError, notFound } from "../core/errors.ts";
import { retryOnContention } from "../db/errors.ts";
import type { Metadata } from "../db/schema.ts";
import type { EventCause } from "../events/types.ts";
import type { AppContext, AuthContext } from "../http/context.ts";
import { applyCreatedRange, type PageParams, paginate } from "../http/pagination.ts";
import { holderOf } from "./books.ts";
import { findConnected } from "./holders.ts";
import { type PayoutLedger, presentPayout } from "./payouts.ts";
import { moneyTables, type PayoutStatus } from "./schema.ts";

export interface CreatePayoutInput {
  amount: number;
  currency: string;
  account?: string | undefined;
  description?: string | undefined;
  metadata?: Metadata | undefined;
}

/** `/v1/payouts`: manual payouts, listing, and canceling one the bank has not received yet. */
export function createPayoutService(ctx: AppContext, payouts: PayoutLedger) {
  async function holderFor(auth: AuthContext, account: string | undefined) {
    if (!account || account === auth.merchantId) return holderOf(auth.merchantId, auth.livemode);
    if (!(await findConnected(ctx.db, auth.merchantId, auth.livemode, account))) {
      throw notFound("account", account, "account");
    }
    return holderOf(auth.merchantId, auth.livemode, account);
  }

  function scoped(auth: AuthContext) {
    return moneyTables(ctx.db)
      .selectFrom("payouts")
      .selectAll()
      .where("merchant_id", "=", auth.merchantId)
      .where("livemode", "=", auth.livemode);
  }

  return {
    async create(auth: AuthContext, input: CreatePayoutInput, cause: EventCause) {
      const holder = await holderFor(auth, input.account);
      const accounts = await payouts.prepare(holder, input.currency);
      const row = await retryOnContention(() =>
        ctx.db.transaction().execute((tx) =>
          payouts.create(tx, accounts, {
            holder,
            amount: BigInt(input.amount),
            currency: input.currency,
            automatic: false,
            description: input.description ?? null,
            ...(input.metadata ? { metadata: input.metadata } : {}),
            cause,
          }),
        ),
      );
      ctx.wakeWorker();
      return presentPayout(row);
    },
    async get(auth: AuthContext, id: string) {
      const row = await scoped(auth).where("id", "=", id).executeTakeFirst();
      if (!row) throw notFound("payout", id);
      return presentPayout(row);
    },
    async list(
      auth: AuthContext,
      page: PageParams,
      filters: { status?: PayoutStatus | undefined; account?: string | undefined } & Partial<
        Record<"created[gt]" | "created[gte]" | "created[lt]" | "created[lte]", number>
      >,
    ) {
      let qb = scoped(auth);
      if (filters.status) qb = qb.where("status", "=", filters.status);
      if (filters.account) qb = qb.where("holder", "=", (await holderFor(auth, filters.account)).holder);
      qb = applyCreatedRange(qb, "payouts.created_at", filters);
      const { rows, has_more } = await paginate(qb, "payouts", page);
      return { rows: rows.map(presentPayout), has_more };
    },
    async cancel(auth: AuthContext, id: string) {
      const existing = await scoped(auth).where("id", "=", id).executeTakeFirst();
      if (!existing) throw notFound("payout", id);
      const row = await ctx.db.transaction().execute(async (tx) => {
        const locked = await moneyTables(tx)
          .selectFrom("payouts")
          .selectAll()
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (locked.status !== "pending" || locked.batch_id !== null) {
          throw new ApiError(400, {
            type: "invalid_request_error",
            code: "payout_not_cancelable",
            message:
              locked.status === "pending"
                ? `Payout ${id} is already in a file for the bank and can no longer be canceled.`
                : `Payout ${id} is ${locked.status}; only a pending payout can be canceled.`,
          });
        }
        return payouts.returned(tx, locked, { status: "canceled" });
      });
      ctx.wakeWorker();
      return presentPayout(row);
    },
  };
}

export type PayoutService = ReturnType<typeof createPayoutService>;
