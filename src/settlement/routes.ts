import { z } from "zod";
import { createdRangeQuery, listBody, pageQuery } from "../http/pagination.ts";
import { defineRoute } from "../http/route.ts";
import { amountSchema, currencySchema, emailSchema, idOf, metadataSchema } from "../http/schemas.ts";
import type { AccountsService } from "./accounts-service.ts";
import type { BalanceService } from "./balance-service.ts";
import { WEEKLY_ANCHORS } from "./holders.ts";
import type { PayoutService } from "./payout-service.ts";
import type { TransferService } from "./transfer-service.ts";

const accountId = idOf("acct");
const countrySchema = z.string().regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 country code");

const bankAccountSchema = z.strictObject({
  iban: z.string().min(5).max(50),
  bic: z.string().min(8).max(11).optional(),
  account_holder_name: z.string().min(1).max(140),
});

const settingsSchema = z.strictObject({
  payouts: z
    .strictObject({
      schedule: z
        .strictObject({
          interval: z.enum(["manual", "daily", "weekly", "monthly"]).optional(),
          delay_days: z.number().int().min(0).max(365).optional(),
          weekly_anchor: z.enum(WEEKLY_ANCHORS as [string, ...string[]]).optional(),
          monthly_anchor: z.number().int().min(1).max(31).optional(),
        })
        .optional(),
      minimum_amounts: z
        .record(currencySchema, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER))
        .optional(),
    })
    .optional(),
  reserve: z
    .strictObject({ percent: z.number().min(0).max(100), days: z.number().int().min(0).max(365) })
    .optional(),
});

const accountFields = {
  display_name: z.string().min(1).max(200).optional(),
  email: emailSchema.optional(),
  country: countrySchema.optional(),
  default_currency: currencySchema.optional(),
  bank_account: bankAccountSchema.optional(),
  settings: settingsSchema.optional(),
  metadata: metadataSchema.optional(),
};

const BALANCE_TRANSACTION_TYPES = [
  "payment",
  "refund",
  "refund_failure",
  "application_fee",
  "transfer",
  "transfer_reversal",
  "payout",
  "payout_failure",
  "payout_cancel",
  "chargeback",
  "chargeback_reversal",
  "reserve_hold",
  "reserve_release",
  "fx_conversion",
] as const;

export function settlementRoutes(services: {
  accounts: AccountsService;
  balance: BalanceService;
  payouts: PayoutService;
  transfers: TransferService;
}) {
  const { accounts, balance, payouts, transfers } = services;
  return [
    defineRoute({
      method: "POST",
      url: "/v1/accounts",
      summary: "Create a connected account (a seller under this platform)",
      tags: ["Connect"],
      body: z.strictObject(accountFields),
      async handler({ auth, body }) {
        return { body: await accounts.create(auth, body) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/accounts",
      summary: "List connected accounts, newest first",
      tags: ["Connect"],
      query: z.strictObject({ limit: pageQuery.limit, starting_after: accountId.optional() }),
      async handler({ auth, query }) {
        const { rows, has_more } = await accounts.list(auth, query);
        return { body: listBody("/v1/accounts", rows, has_more) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/accounts/:id",
      summary: "Retrieve a connected account",
      tags: ["Connect"],
      params: z.strictObject({ id: accountId }),
      async handler({ auth, params }) {
        return { body: await accounts.get(auth, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/accounts/:id",
      summary: "Update a connected account's details, bank account and payout settings",
      tags: ["Connect"],
      params: z.strictObject({ id: accountId }),
      body: z.strictObject(accountFields),
      async handler({ auth, params, body }) {
        return { body: await accounts.update(auth, params.id, body) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/account",
      summary: "Retrieve this merchant's balance settings (payouts, fees, refund policy)",
      tags: ["Balance"],
      async handler({ auth }) {
        return { body: await accounts.getOwn(auth) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/account",
      summary: "Update this merchant's bank account, payout schedule, fee bearer and refund policy",
      tags: ["Balance"],
      body: z.strictObject({
        ...accountFields,
        fee_bearer: z.enum(["merchant", "customer"]).optional(),
        surcharge_country: countrySchema.nullable().optional(),
        refund_policy: z
          .strictObject({
            policy: z.enum(["pro_rata", "platform", "account"]),
            account: accountId.optional(),
          })
          .optional(),
      }),
      async handler({ auth, body }) {
        return { body: await accounts.updateOwn(auth, body) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/balance",
      summary: "Available, pending and reserved funds per currency",
      tags: ["Balance"],
      query: z.strictObject({ account: accountId.optional() }),
      async handler({ auth, query }) {
        return { body: await balance.balance(auth, query.account) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/balance_transactions",
      summary: "List balance transactions, newest first",
      tags: ["Balance"],
      query: z.strictObject({
        ...pageQuery,
        ...createdRangeQuery,
        account: accountId.optional(),
        type: z.enum(BALANCE_TRANSACTION_TYPES).optional(),
        payout: idOf("po").optional(),
        source: z.string().min(3).max(80).optional(),
        currency: currencySchema.optional(),
      }),
      async handler({ auth, query }) {
        const { rows, has_more } = await balance.listTransactions(auth, query, query);
        return { body: listBody("/v1/balance_transactions", rows, has_more) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/balance_transactions/:id",
      summary: "Retrieve a balance transaction",
      tags: ["Balance"],
      params: z.strictObject({ id: idOf("txn") }),
      async handler({ auth, params }) {
        return { body: await balance.getTransaction(auth, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/payouts",
      summary: "Pay out available funds to the bank account (manual payout)",
      tags: ["Payouts"],
      body: z.strictObject({
        amount: amountSchema,
        currency: currencySchema,
        account: accountId.optional(),
        description: z.string().max(140).optional(),
        metadata: metadataSchema.optional(),
      }),
      async handler({ auth, body, requestId, idempotencyKey }) {
        return {
          body: await payouts.create(auth, body, { requestId, idempotencyKey: idempotencyKey ?? null }),
        };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/payouts",
      summary: "List payouts, newest first",
      tags: ["Payouts"],
      query: z.strictObject({
        ...pageQuery,
        ...createdRangeQuery,
        status: z.enum(["pending", "in_transit", "paid", "failed", "canceled"]).optional(),
        account: accountId.optional(),
      }),
      async handler({ auth, query }) {
        const { rows, has_more } = await payouts.list(auth, query, query);
        return { body: listBody("/v1/payouts", rows, has_more) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/payouts/:id",
      summary: "Retrieve a payout",
      tags: ["Payouts"],
      params: z.strictObject({ id: idOf("po") }),
      async handler({ auth, params }) {
        return { body: await payouts.get(auth, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/payouts/:id/cancel",
      summary: "Cancel a payout that has not been sent to the bank",
      tags: ["Payouts"],
      params: z.strictObject({ id: idOf("po") }),
      async handler({ auth, params }) {
        return { body: await payouts.cancel(auth, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/transfers",
      summary: "Move funds from the platform to a connected account",
      tags: ["Connect"],
      body: z.strictObject({
        amount: amountSchema,
        currency: currencySchema,
        destination: accountId,
        source_transaction: idOf("pi").optional(),
        transfer_group: z.string().min(1).max(200).optional(),
        description: z.string().max(500).optional(),
        metadata: metadataSchema.optional(),
      }),
      async handler({ auth, body, requestId, idempotencyKey }) {
        return {
          body: await transfers.create(auth, body, { requestId, idempotencyKey: idempotencyKey ?? null }),
        };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/transfers",
      summary: "List transfers, newest first",
      tags: ["Connect"],
      query: z.strictObject({
        ...pageQuery,
        ...createdRangeQuery,
        destination: accountId.optional(),
        transfer_group: z.string().min(1).max(200).optional(),
      }),
      async handler({ auth, query }) {
        const { rows, has_more } = await transfers.list(auth, query, query);
        return { body: listBody("/v1/transfers", rows, has_more) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/transfers/:id",
      summary: "Retrieve a transfer with its reversals",
      tags: ["Connect"],
      params: z.strictObject({ id: idOf("tr") }),
      async handler({ auth, params }) {
        return { body: await transfers.get(auth, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/transfers/:id/reversals",
      summary: "Reverse a transfer in full or in part",
      tags: ["Connect"],
      params: z.strictObject({ id: idOf("tr") }),
      body: z.strictObject({ amount: amountSchema.optional(), metadata: metadataSchema.optional() }),
      async handler({ auth, params, body, requestId, idempotencyKey }) {
        return {
          body: await transfers.reverse(auth, params.id, body, {
            requestId,
            idempotencyKey: idempotencyKey ?? null,
          }),
        };
      },
    }),
  ];
}
