/**
 * Read-only helpers for reconciliation: Mollie's settlements (what was paid out, with revenue and
 * costs per month) and the CSV movement exports the simulator serves in place of the dashboard's
 * "Download as CSV". Network trouble and refusals (a bad key) come back as `{ ok: false }`, never thrown.
 */
import { findCurrency } from "../../core/money.ts";
import type { CallContext, Money } from "../contract.ts";
import { fromMollieAmount, type MollieAmount, parseDecimal } from "./amounts.ts";
import { mollieClient, nextCursor } from "./client.ts";
import { connectionFor } from "./config.ts";
import { type MollieCsvRow, parseMollieCsv } from "./csv.ts";
import { listSchema, parseWith, type WireSettlement, wireSettlementSchema } from "./wire.ts";

export type { MollieCsvRow } from "./csv.ts";
export { parseMollieCsv } from "./csv.ts";

/** An amount with the decimals Mollie gave (settlement periods carry four): `units` × 10^-scale. */
export interface PreciseMoney {
  currency: string;
  units: bigint;
  scale: number;
}

export interface SettlementLine {
  /** "YYYY-MM" */
  period: string;
  kind: "revenue" | "cost";
  description: string;
  method: string | null;
  count: number;
  /** Costs include VAT; refunds are negative revenue. */
  amountGross: PreciseMoney;
}

export interface MollieSettlement {
  id: string;
  reference: string | null;
  /** open, pending, paidout or failed. */
  status: string;
  createdAt: Date;
  settledAt: Date | null;
  /** What was (or will be) paid out: revenue minus costs. */
  amount: Money;
  lines: SettlementLine[];
}

export type ReportResult<T> = { ok: true; value: T } | { ok: false; reason: string };

function preciseMoney(amount: MollieAmount): PreciseMoney | null {
  const currency = findCurrency(amount.currency);
  const scale = amount.value.split(".")[1]?.length ?? 0;
  const units = parseDecimal(amount.value, scale);
  return currency && units !== null ? { currency: currency.code, units, scale } : null;
}

function toDate(value: string): Date | null {
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}

export function toSettlement(wire: WireSettlement): MollieSettlement | null {
  const amount = fromMollieAmount(wire.amount);
  const createdAt = toDate(wire.createdAt);
  const settledAt = wire.settledAt ? toDate(wire.settledAt) : null;
  if (!amount || !createdAt || (wire.settledAt && !settledAt)) return null;
  const lines: SettlementLine[] = [];
  for (const [year, months] of Object.entries(wire.periods ?? {})) {
    for (const [month, period] of Object.entries(months)) {
      const groups = [
        ["revenue", period.revenue ?? []],
        ["cost", period.costs ?? []],
      ] as const;
      for (const [kind, group] of groups) {
        for (const line of group) {
          const gross = preciseMoney(line.amountGross);
          if (!gross) return null;
          lines.push({
            period: `${year}-${month}`,
            kind,
            description: line.description,
            method: line.method ?? null,
            count: line.count,
            amountGross: gross,
          });
        }
      }
    }
  }
  return {
    id: wire.id,
    reference: wire.reference ?? null,
    status: wire.status,
    createdAt,
    settledAt,
    amount,
    lines,
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function createMollieReports(options: { baseUrl: () => string }) {
  const connect = (call: CallContext) => connectionFor(call.account.config, call.timeoutMs, options.baseUrl);

  async function csv(call: CallContext, path: string): Promise<ReportResult<MollieCsvRow[] | null>> {
    const answer = await mollieClient.exportCsv(connect(call), path);
    if (answer.kind === "unknown") return { ok: false, reason: answer.reason };
    if (answer.status === 404) return { ok: true, value: null };
    if (answer.status !== 200) return { ok: false, reason: `http_${answer.status}` };
    const parsed = parseMollieCsv(answer.text);
    return parsed.ok ? { ok: true, value: parsed.rows } : parsed;
  }

  return {
    /** One page of settlements, newest first; `next` is the cursor of the following page. */
    async listSettlements(
      call: CallContext,
      page: { from?: string; limit?: number } = {},
    ): Promise<ReportResult<{ settlements: MollieSettlement[]; next: string | undefined }>> {
      const answer = await mollieClient.listSettlements(connect(call), {
        from: page.from,
        limit: page.limit ?? 50,
      });
      if (answer.kind === "unknown") return { ok: false, reason: answer.reason };
      if (answer.status !== 200) return { ok: false, reason: `http_${answer.status}` };
      const list = parseWith(listSchema("settlements"), answer.body);
      if (!list) return { ok: false, reason: "malformed_response" };
      const settlements: MollieSettlement[] = [];
      for (const item of list._embedded.settlements ?? []) {
        const wire = parseWith(wireSettlementSchema, item);
        const settlement = wire ? toSettlement(wire) : null;
        if (!settlement) return { ok: false, reason: "malformed_response" };
        settlements.push(settlement);
      }
      return { ok: true, value: { settlements, next: nextCursor(list._links.next) } };
    },

    /** A settlement by id, or `open` for the one still collecting; null when there is none. */
    async getSettlement(call: CallContext, id: string): Promise<ReportResult<MollieSettlement | null>> {
      const answer = await mollieClient.getSettlement(connect(call), id);
      if (answer.kind === "unknown") return { ok: false, reason: answer.reason };
      if (answer.status === 404) return { ok: true, value: null };
      if (answer.status !== 200) return { ok: false, reason: `http_${answer.status}` };
      const wire = parseWith(wireSettlementSchema, answer.body);
      const settlement = wire ? toSettlement(wire) : null;
      return settlement ? { ok: true, value: settlement } : { ok: false, reason: "malformed_response" };
    },

    /** The movements of a settlement (`stl_…` or `open`) from its CSV export; null when there is none. */
    settlementCsv: (call: CallContext, id: string) =>
      csv(call, `/simulator/exports/settlements/${encodeURIComponent(id)}.csv`),

    /** The movements of one Europe/Amsterdam day ("YYYY-MM-DD") from the balance report CSV. */
    async balanceReportCsv(call: CallContext, day: string): Promise<ReportResult<MollieCsvRow[]>> {
      if (!DAY.test(day)) throw new RangeError("day must be YYYY-MM-DD");
      const result = await csv(call, `/simulator/exports/balance-report/${day}.csv`);
      if (!result.ok) return result;
      return result.value ? { ok: true, value: result.value } : { ok: false, reason: "http_404" };
    },
  };
}

export type MollieReports = ReturnType<typeof createMollieReports>;
