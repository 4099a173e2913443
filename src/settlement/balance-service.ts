import { notFound } from "../core/errors.ts";
import { toJsonAmount } from "../core/money.ts";
import type { AppContext, AuthContext } from "../http/context.ts";
import { applyCreatedRange, type PageParams, paginate } from "../http/pagination.ts";
import { AccountCode, type Ledger } from "../ledger/index.ts";
import { presentBalanceTransaction } from "./balance-transactions.ts";
import { findConnected } from "./holders.ts";
import { type BalanceTransactionType, moneyTables } from "./schema.ts";

export interface BalanceTransactionFilters {
  account?: string | undefined;
  type?: BalanceTransactionType | undefined;
  payout?: string | undefined;
  source?: string | undefined;
  currency?: string | undefined;
  "created[gt]"?: number | undefined;
  "created[gte]"?: number | undefined;
  "created[lt]"?: number | undefined;
  "created[lte]"?: number | undefined;
}

/** `GET /v1/balance` straight from the ledger, and the balance transactions that explain it. */
export function createBalanceService(ctx: AppContext, ledger: Ledger) {
  async function holderFor(auth: AuthContext, account: string | undefined): Promise<string> {
    if (!account || account === auth.merchantId) return "";
    if (!(await findConnected(ctx.db, auth.merchantId, auth.livemode, account))) {
      throw notFound("account", account, "account");
    }
    return account;
  }

  return {
    async balance(auth: AuthContext, account?: string) {
      const holder = await holderFor(auth, account);
      const ids = await moneyTables(ctx.db)
        .selectFrom("ledger_accounts")
        .select("id")
        .where("merchant_id", "=", auth.merchantId)
        .where("livemode", "=", auth.livemode)
        .where("reference", "=", holder)
        .execute();
      const accounts = await ledger.lookupAccounts(
        ctx.db,
        ids.map((r) => r.id),
      );
      const byCurrency = new Map<string, { available: bigint; pending: bigint; reserved: bigint }>();
      for (const a of accounts) {
        const entry = byCurrency.get(a.currency) ?? { available: 0n, pending: 0n, reserved: 0n };
        const posted = a.creditsPosted - a.debitsPosted;
        // Funds held by refunds and payouts in flight are no longer spendable.
        if (a.code === AccountCode.merchant_available) entry.available += posted - a.debitsPending;
        else if (a.code === AccountCode.merchant_pending) entry.pending += posted - a.debitsPending;
        else if (a.code === AccountCode.merchant_reserve) entry.reserved += posted - a.debitsPending;
        byCurrency.set(a.currency, entry);
      }
      const list = (pick: "available" | "pending" | "reserved") =>
        [...byCurrency.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([currency, e]) => ({ amount: toJsonAmount(e[pick]), currency }));
      return {
        object: "balance" as const,
        account: holder === "" ? null : holder,
        available: list("available"),
        pending: list("pending"),
        reserved: list("reserved"),
        livemode: auth.livemode,
      };
    },

    async listTransactions(auth: AuthContext, page: PageParams, filters: BalanceTransactionFilters) {
      const holder = await holderFor(auth, filters.account);
      let qb = moneyTables(ctx.db)
        .selectFrom("balance_transactions")
        .selectAll()
        .where("merchant_id", "=", auth.merchantId)
        .where("livemode", "=", auth.livemode)
        .where("holder", "=", holder);
      if (filters.type) qb = qb.where("type", "=", filters.type);
      if (filters.payout) qb = qb.where("payout_id", "=", filters.payout);
      if (filters.source) qb = qb.where("source_id", "=", filters.source);
      if (filters.currency) qb = qb.where("currency", "=", filters.currency);
      qb = applyCreatedRange(qb, "balance_transactions.created_at", filters);
      const { rows, has_more } = await paginate(qb, "balance_transactions", page);
      const now = ctx.clock.now();
      return { rows: rows.map((r) => presentBalanceTransaction(r, now)), has_more };
    },

    async getTransaction(auth: AuthContext, id: string) {
      const row = await moneyTables(ctx.db)
        .selectFrom("balance_transactions")
        .selectAll()
        .where("merchant_id", "=", auth.merchantId)
        .where("livemode", "=", auth.livemode)
        .where("id", "=", id)
        .executeTakeFirst();
      if (!row) throw notFound("balance_transaction", id);
      return presentBalanceTransaction(row, ctx.clock.now());
    },
  };
}

export type BalanceService = ReturnType<typeof createBalanceService>;
