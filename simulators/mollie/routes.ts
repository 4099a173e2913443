/** The Mollie API v2 paths this simulator answers. */
import type { Context, Outcome } from "./context.ts";
import { DOCS } from "./links.ts";
import { listPage } from "./lists.ts";
import { cancelPayment, createPayment, expireIfDue, getPayment, serializePayment } from "./payments.ts";
import { cancelRefund, createRefund, getRefund, listRefunds } from "./refunds.ts";
import { getSettlement, listSettlementItems, listSettlements } from "./settlements.ts";
import type { Account } from "./store.ts";

export interface RouteInput {
  account: Account;
  params: string[];
  body: unknown;
  query: URLSearchParams;
}

export interface Route {
  method: "GET" | "POST" | "DELETE";
  pattern: RegExp;
  run(ctx: Context, input: RouteInput): Outcome;
}

const ID = "([^/]+)";
const p = (suffix: string) => new RegExp(`^/v2/${suffix}$`);

export const ROUTES: Route[] = [
  { method: "POST", pattern: p("payments"), run: (ctx, i) => createPayment(ctx, i.account, i.body) },
  {
    method: "GET",
    pattern: p("payments"),
    run(ctx, { account, query }) {
      const payments = [...account.payments.values()].reverse();
      for (const payment of payments) expireIfDue(ctx, payment);
      return listPage(ctx, {
        path: "/v2/payments",
        name: "payments",
        items: payments,
        query,
        serialize: (payment) => serializePayment(ctx, payment, DOCS.listPayments),
        documentation: DOCS.listPayments,
      });
    },
  },
  {
    method: "GET",
    pattern: p(`payments/${ID}`),
    run: (ctx, i) => getPayment(ctx, i.account, i.params[0] ?? ""),
  },
  {
    method: "DELETE",
    pattern: p(`payments/${ID}`),
    run: (ctx, i) => cancelPayment(ctx, i.account, i.params[0] ?? ""),
  },
  {
    method: "POST",
    pattern: p(`payments/${ID}/refunds`),
    run: (ctx, i) => createRefund(ctx, i.account, i.params[0] ?? "", i.body),
  },
  {
    method: "GET",
    pattern: p(`payments/${ID}/refunds`),
    run: (ctx, i) => listRefunds(ctx, i.account, i.params[0] ?? "", i.query),
  },
  {
    method: "GET",
    pattern: p(`payments/${ID}/refunds/${ID}`),
    run: (ctx, i) => getRefund(ctx, i.account, i.params[0] ?? "", i.params[1] ?? ""),
  },
  {
    method: "DELETE",
    pattern: p(`payments/${ID}/refunds/${ID}`),
    run: (ctx, i) => cancelRefund(ctx, i.account, i.params[0] ?? "", i.params[1] ?? ""),
  },
  { method: "GET", pattern: p("settlements"), run: (ctx, i) => listSettlements(ctx, i.account, i.query) },
  {
    method: "GET",
    pattern: p(`settlements/${ID}`),
    run: (ctx, i) => getSettlement(ctx, i.account, i.params[0] ?? ""),
  },
  {
    method: "GET",
    pattern: p(`settlements/${ID}/(payments|refunds)`),
    run: (ctx, i) =>
      listSettlementItems(ctx, i.account, i.params[0] ?? "", i.params[1] as "payments" | "refunds", i.query),
  },
];
