import type { Updateable } from "kysely";
import { ApiError, invalidRequest, notFound } from "../core/errors.ts";
import { toJsonAmount } from "../core/money.ts";
import type { Db } from "../db/index.ts";
import { json, type Metadata } from "../db/schema.ts";
import { recordEvents } from "../events/service.ts";
import type { AppContext, AuthContext } from "../http/context.ts";
import { validateBankAccount } from "./bank/bank-account.ts";
import { holderOf } from "./books.ts";
import { findConnected, loadHolder, newHolder } from "./holders.ts";
import {
  type BalanceHolderRow,
  type BalanceHoldersTable,
  type FeeBearer,
  moneyTables,
  type PayoutInterval,
  type RefundPolicy,
  type StoredBankAccount,
} from "./schema.ts";

export interface PayoutSettingsInput {
  schedule?:
    | {
        interval?: PayoutInterval | undefined;
        delay_days?: number | undefined;
        weekly_anchor?: string | undefined;
        monthly_anchor?: number | undefined;
      }
    | undefined;
  minimum_amounts?: Record<string, number> | undefined;
}

export interface AccountSettingsInput {
  payouts?: PayoutSettingsInput | undefined;
  reserve?: { percent: number; days: number } | undefined;
}

export interface BankAccountInput {
  iban: string;
  bic?: string | undefined;
  account_holder_name: string;
}

export interface ConnectedAccountInput {
  display_name?: string | undefined;
  email?: string | undefined;
  country?: string | undefined;
  default_currency?: string | undefined;
  bank_account?: BankAccountInput | undefined;
  settings?: AccountSettingsInput | undefined;
  metadata?: Metadata | undefined;
}

export interface OwnAccountInput extends ConnectedAccountInput {
  fee_bearer?: FeeBearer | undefined;
  surcharge_country?: string | null | undefined;
  refund_policy?: { policy: RefundPolicy; account?: string | undefined } | undefined;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

function presentBank(bank: StoredBankAccount | null) {
  if (!bank) return null;
  return {
    object: "bank_account" as const,
    last4: bank.last4,
    bic: bank.bic,
    country: bank.country,
    account_holder_name: bank.account_holder_name,
  };
}

export function presentAccount(row: BalanceHolderRow) {
  return {
    id: row.holder === "" ? row.merchant_id : row.holder,
    object: "account" as const,
    type: row.kind === "connected" ? ("connected" as const) : ("platform" as const),
    display_name: row.display_name,
    email: row.email,
    country: row.country,
    default_currency: row.default_currency,
    bank_account: presentBank(row.bank_account),
    settings: {
      payouts: {
        schedule: {
          interval: row.payout_interval,
          delay_days: row.delay_days,
          weekly_anchor: row.payout_interval === "weekly" ? (row.payout_weekly_anchor ?? "monday") : null,
          monthly_anchor: row.payout_interval === "monthly" ? (row.payout_monthly_anchor ?? 1) : null,
        },
        minimum_amounts: Object.fromEntries(
          Object.entries(row.minimum_payout).map(([c, v]) => [c, toJsonAmount(BigInt(v))]),
        ),
      },
      reserve: { percent: row.reserve_percent_bps / 100, days: row.reserve_days },
    },
    ...(row.kind === "merchant"
      ? {
          fee_bearer: row.fee_bearer,
          surcharge_country: row.surcharge_country,
          refund_policy: { policy: row.refund_policy, account: row.refund_policy_account },
        }
      : {}),
    metadata: row.metadata,
    created: seconds(row.created_at),
    livemode: row.livemode,
  };
}

type HolderColumns = Updateable<BalanceHoldersTable>;

function settingsColumns(input: ConnectedAccountInput): HolderColumns {
  const out: HolderColumns = {};
  if (input.display_name !== undefined) out.display_name = input.display_name;
  if (input.email !== undefined) out.email = input.email;
  if (input.country !== undefined) out.country = input.country.toUpperCase();
  if (input.default_currency !== undefined) out.default_currency = input.default_currency;
  if (input.bank_account !== undefined) {
    const checked = validateBankAccount(input.bank_account);
    if (!checked.ok) throw invalidRequest(checked.message, checked.param, checked.code);
    out.bank_account = json(checked.value satisfies StoredBankAccount);
  }
  const schedule = input.settings?.payouts?.schedule;
  if (schedule) {
    if (schedule.interval !== undefined) out.payout_interval = schedule.interval;
    if (schedule.delay_days !== undefined) out.delay_days = schedule.delay_days;
    if (schedule.weekly_anchor !== undefined) out.payout_weekly_anchor = schedule.weekly_anchor;
    if (schedule.monthly_anchor !== undefined) out.payout_monthly_anchor = schedule.monthly_anchor;
  }
  const minimums = input.settings?.payouts?.minimum_amounts;
  if (minimums) {
    out.minimum_payout = json(Object.fromEntries(Object.entries(minimums).map(([c, v]) => [c, String(v)])));
  }
  const reserve = input.settings?.reserve;
  if (reserve) {
    const bps = Math.round(reserve.percent * 100);
    if (Math.abs(bps - reserve.percent * 100) > 1e-6) {
      throw invalidRequest(
        "settings[reserve][percent] takes at most two decimals.",
        "settings[reserve][percent]",
      );
    }
    out.reserve_percent_bps = bps;
    out.reserve_days = reserve.days;
  }
  if (input.metadata !== undefined) out.metadata = json(input.metadata);
  return out;
}

/** Connected accounts (`/v1/accounts`) and the merchant's own balance settings (`/v1/account`). */
export function createAccountsService(ctx: AppContext) {
  async function connected(db: Db, auth: AuthContext, id: string) {
    const row = await findConnected(db, auth.merchantId, auth.livemode, id);
    if (!row) throw notFound("account", id);
    return row;
  }

  async function updated(auth: AuthContext, holder: string, values: HolderColumns) {
    const now = ctx.clock.now();
    return ctx.db.transaction().execute(async (tx) => {
      const row = await moneyTables(tx)
        .updateTable("balance_holders")
        .set({ ...values, updated_at: now })
        .where("merchant_id", "=", auth.merchantId)
        .where("livemode", "=", auth.livemode)
        .where("holder", "=", holder)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordEvents(ctx, tx, [
        {
          merchantId: auth.merchantId,
          livemode: auth.livemode,
          type: "account.updated",
          object: presentAccount(row),
        },
      ]);
      return row;
    });
  }

  return {
    async create(auth: AuthContext, input: ConnectedAccountInput) {
      const now = ctx.clock.now();
      const id = ctx.ids.next("acct");
      const columns = settingsColumns(input);
      const row = await moneyTables(ctx.db)
        .insertInto("balance_holders")
        .values({
          ...newHolder(holderOf(auth.merchantId, auth.livemode, id), "connected", now),
          ...columns,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return presentAccount(row);
    },
    async get(auth: AuthContext, id: string) {
      return presentAccount(await connected(ctx.db, auth, id));
    },
    async update(auth: AuthContext, id: string, input: ConnectedAccountInput) {
      await connected(ctx.db, auth, id);
      return presentAccount(await updated(auth, id, settingsColumns(input)));
    },
    async list(auth: AuthContext, page: { limit: number; starting_after?: string | undefined }) {
      let qb = moneyTables(ctx.db)
        .selectFrom("balance_holders")
        .selectAll()
        .where("merchant_id", "=", auth.merchantId)
        .where("livemode", "=", auth.livemode)
        .where("kind", "=", "connected");
      if (page.starting_after) {
        const cursor = await connected(ctx.db, auth, page.starting_after);
        qb = qb.where((eb) =>
          eb.or([
            eb("created_at", "<", cursor.created_at),
            eb.and([eb("created_at", "=", cursor.created_at), eb("holder", "<", cursor.holder)]),
          ]),
        );
      }
      const rows = await qb
        .orderBy("created_at", "desc")
        .orderBy("holder", "desc")
        .limit(page.limit + 1)
        .execute();
      return { rows: rows.slice(0, page.limit).map(presentAccount), has_more: rows.length > page.limit };
    },
    async getOwn(auth: AuthContext) {
      return presentAccount(
        await loadHolder(ctx.db, holderOf(auth.merchantId, auth.livemode), ctx.clock.now()),
      );
    },
    async updateOwn(auth: AuthContext, input: OwnAccountInput) {
      await loadHolder(ctx.db, holderOf(auth.merchantId, auth.livemode), ctx.clock.now());
      const values = settingsColumns(input);
      if (input.fee_bearer !== undefined) values.fee_bearer = input.fee_bearer;
      if (input.surcharge_country !== undefined)
        values.surcharge_country = input.surcharge_country?.toUpperCase() ?? null;
      if (input.refund_policy !== undefined) {
        const { policy, account } = input.refund_policy;
        if (policy === "account") {
          if (!account) {
            throw invalidRequest(
              "refund_policy[account] names the connected account that bears refunds.",
              "refund_policy[account]",
            );
          }
          await connected(ctx.db, auth, account);
        } else if (account) {
          throw invalidRequest(
            'refund_policy[account] only goes with policy "account".',
            "refund_policy[account]",
          );
        }
        values.refund_policy = policy;
        values.refund_policy_account = policy === "account" ? account : null;
      }
      if (Object.keys(values).length === 0) {
        throw new ApiError(400, {
          type: "invalid_request_error",
          code: "parameter_missing",
          message: "Nothing to update.",
        });
      }
      return presentAccount(await updated(auth, "", values));
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
