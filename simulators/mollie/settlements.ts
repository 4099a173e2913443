/**
 * The Settlements API over the simulator's daily settlements: revenue and costs per month period in
 * Mollie's four-decimal form, the settled amount (revenue minus costs including VAT, rounded to cents).
 * Costs use Mollie's published example rates: EUR 0.35 per iDEAL payment, EUR 0.25 per refund, 21% VAT.
 */
import type { Context, Outcome } from "./context.ts";
import { ERRORS } from "./errors.ts";
import { api, DOCS, type Link } from "./links.ts";
import { listPage } from "./lists.ts";
import { eur, formatTenThousandths, roundToCents } from "./money.ts";
import { serializePayment } from "./payments.ts";
import { serializeRefund } from "./refunds.ts";
import { settledAt, settlementStatus } from "./settlement-days.ts";
import type { Account, Payment, Refund, SettlementRecord } from "./store.ts";
import { amsterdamDay, isoTime } from "./time.ts";

const IDEAL_FEE = 3500n;
const REFUND_FEE = 2500n;
const VAT_PERCENT = 21n;

export type Movement =
  | { kind: "payment"; at: Date; cents: bigint; payment: Payment }
  | { kind: "refund"; at: Date; cents: bigint; payment: Payment; refund: Refund };

export function movements(account: Account): Movement[] {
  const out: Movement[] = [];
  for (const payment of account.payments.values()) {
    if (payment.status === "paid" && payment.paidAt) {
      out.push({ kind: "payment", at: payment.paidAt, cents: payment.amount, payment });
    }
    for (const refund of payment.refunds) {
      if (refund.status === "refunded" && refund.refundedAt) {
        out.push({ kind: "refund", at: refund.refundedAt, cents: -refund.amount, payment, refund });
      }
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

export function movementsOfDay(account: Account, day: string): Movement[] {
  return movements(account).filter((m) => amsterdamDay(m.at) === day);
}

const money4 = (tenThousandths: bigint) => ({ currency: "EUR", value: formatTenThousandths(tenThousandths) });

function periodLines(items: Movement[]) {
  const payments = items.filter((m) => m.kind === "payment");
  const refunds = items.filter((m) => m.kind === "refund");
  const sum = (list: Movement[]) => list.reduce((total, m) => total + m.cents * 100n, 0n);
  const revenue = [
    { description: "iDEAL", method: "ideal", list: payments },
    { description: "Refunds iDEAL", method: "refund", list: refunds },
  ]
    .filter((line) => line.list.length > 0)
    .map((line) => ({
      description: line.description,
      method: line.method,
      count: line.list.length,
      amountNet: money4(sum(line.list)),
      amountVat: null,
      amountGross: money4(sum(line.list)),
      total: sum(line.list),
    }));
  const costs = [
    { description: "iDEAL", method: "ideal", count: payments.length, fee: IDEAL_FEE },
    { description: "Refunds iDEAL", method: "refund", count: refunds.length, fee: REFUND_FEE },
  ]
    .filter((line) => line.count > 0)
    .map((line) => {
      const net = line.fee * BigInt(line.count);
      const vat = (net * VAT_PERCENT) / 100n;
      return {
        description: line.description,
        method: line.method,
        count: line.count,
        rate: { fixed: money4(line.fee), percentage: null },
        amountNet: money4(net),
        amountVat: money4(vat),
        amountGross: money4(net + vat),
        total: net + vat,
      };
    });
  return { revenue, costs };
}

export function serializeSettlement(
  ctx: Context,
  account: Account,
  record: SettlementRecord,
  documentation?: Link,
) {
  const items = movementsOfDay(account, record.day);
  const periods: Record<string, Record<string, object>> = {};
  let total = 0n;
  for (const month of [...new Set(items.map((m) => amsterdamDay(m.at).slice(0, 7)))]) {
    const { revenue, costs } = periodLines(items.filter((m) => amsterdamDay(m.at).startsWith(month)));
    total += revenue.reduce((s, l) => s + l.total, 0n) - costs.reduce((s, l) => s + l.total, 0n);
    const [year = "", mm = ""] = month.split("-");
    periods[year] ??= {};
    periods[year][mm] = {
      revenue: revenue.map(({ total: _, ...line }) => line),
      costs: costs.map(({ total: _, ...line }) => line),
    };
  }
  const base = `${ctx.baseUrl()}/v2/settlements/${record.id}`;
  const settled = settledAt(ctx, record);
  return {
    resource: "settlement",
    id: record.id,
    reference: record.reference,
    createdAt: isoTime(record.openedAt),
    settledAt: settled ? isoTime(settled) : null,
    status: settlementStatus(ctx, record),
    amount: eur(roundToCents(total)),
    balanceId: account.balanceId,
    periods,
    _links: {
      self: api(base),
      payments: api(`${base}/payments`),
      refunds: api(`${base}/refunds`),
      chargebacks: api(`${base}/chargebacks`),
      captures: api(`${base}/captures`),
      documentation: documentation ?? DOCS.getSettlement,
    },
  };
}

function records(account: Account): SettlementRecord[] {
  return [...account.settlementsByDay.values()].sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0));
}

/** `open` is Mollie's alias for the settlement still collecting today's movements. */
export function findSettlement(ctx: Context, account: Account, id: string): SettlementRecord | undefined {
  if (id === "open") return account.settlementsByDay.get(amsterdamDay(ctx.now()));
  return records(account).find((r) => r.id === id);
}

export function getSettlement(ctx: Context, account: Account, id: string): Outcome {
  const record = findSettlement(ctx, account, id);
  if (!record) return { status: 404, body: ERRORS.noSettlement(id) };
  return { status: 200, body: serializeSettlement(ctx, account, record) };
}

export function listSettlements(ctx: Context, account: Account, query: URLSearchParams): Outcome {
  return listPage(ctx, {
    path: "/v2/settlements",
    name: "settlements",
    items: records(account),
    query,
    serialize: (record) => serializeSettlement(ctx, account, record, DOCS.listSettlements),
    documentation: DOCS.listSettlements,
  });
}

export function listSettlementItems(
  ctx: Context,
  account: Account,
  id: string,
  kind: "payments" | "refunds",
  query: URLSearchParams,
): Outcome {
  const record = findSettlement(ctx, account, id);
  if (!record) return { status: 404, body: ERRORS.noSettlement(id) };
  const day = movementsOfDay(account, record.day).reverse();
  const path = `/v2/settlements/${record.id}/${kind}`;
  if (kind === "payments") {
    return listPage(ctx, {
      path,
      name: "payments",
      items: day.flatMap((m) => (m.kind === "payment" ? [m.payment] : [])),
      query,
      serialize: (p) => serializePayment(ctx, p, DOCS.listPayments),
      documentation: DOCS.listPayments,
    });
  }
  return listPage(ctx, {
    path,
    name: "refunds",
    items: day.flatMap((m) => (m.kind === "refund" ? [m.refund] : [])),
    query,
    serialize: (r) => serializeRefund(ctx, r, DOCS.listRefunds),
    documentation: DOCS.listRefunds,
  });
}
