/**
 * The daily transaction (settlement) report: one CSV per merchant and business day (UTF-8, CRLF, header
 * row), successful payments and refunds of that day in the report's time zone, amounts in major units
 * with the currency's decimals, refunds negative, MDR (merchant discount) charged on payments only.
 */
import { formatAmount } from "./consent-page.ts";
import type { Context } from "./context.ts";
import { ERR, partnerError } from "./errors.ts";
import { type Sent, text } from "./http.ts";
import type { Partner } from "./store.ts";

export const REPORT_COLUMNS = [
  "Transaction Date",
  "Transaction Time",
  "Settlement Date",
  "Merchant ID",
  "Transaction ID",
  "Partner Transaction ID",
  "Partner Group Transaction ID",
  "Original Transaction ID",
  "Transaction Type",
  "Payment Method",
  "Currency",
  "Amount",
  "MDR",
  "Net Amount",
  "Status",
  "Description",
] as const;

interface Row {
  at: Date;
  cells: (local: LocalTime) => string[];
}

interface LocalTime {
  date: string;
  time: string;
  settlementDate: string;
}

function localTime(at: Date, offsetMinutes: number): LocalTime {
  const shifted = new Date(at.getTime() + offsetMinutes * 60_000);
  const iso = shifted.toISOString();
  const next = new Date(shifted.getTime() + 86_400_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19), settlementDate: next.slice(0, 10) };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Half up, on the absolute value: what a fee table does with a half cent. */
export function mdrOf(amount: bigint, basisPoints: bigint): bigint {
  return (amount * basisPoints + 5_000n) / 10_000n;
}

export function transactionReport(ctx: Context, partner: Partner, search: URLSearchParams): Sent {
  const date = search.get("date") ?? "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    return partnerError(ERR.invalidArgument("date must be YYYY-MM-DD", "date"));
  }
  const merchantID = search.get("merchantID") ?? partner.merchantId;
  if (merchantID !== partner.merchantId) {
    return partnerError(ERR.forbidden("merchantID does not belong to this partner"));
  }
  const { mdrBasisPoints, reportUtcOffsetMinutes } = ctx.settings;
  const rows: Row[] = [];
  for (const charge of ctx.store.allCharges()) {
    if (charge.partner !== partner || charge.state !== "success" || !charge.paidAt) continue;
    const mdr = mdrOf(charge.amount, mdrBasisPoints);
    rows.push({
      at: charge.paidAt,
      cells: (local) => [
        local.date,
        local.time,
        local.settlementDate,
        charge.merchantID,
        charge.txID,
        charge.partnerTxID,
        charge.partnerGroupTxID,
        "",
        "Payment",
        charge.paymentMethod,
        charge.currency,
        formatAmount(charge.amount, charge.currency),
        formatAmount(mdr, charge.currency),
        formatAmount(charge.amount - mdr, charge.currency),
        "Success",
        charge.description,
      ],
    });
  }
  for (const refund of ctx.store.allRefunds()) {
    if (refund.partner !== partner) continue;
    rows.push({
      at: refund.createdAt,
      cells: (local) => [
        local.date,
        local.time,
        local.settlementDate,
        refund.charge.merchantID,
        refund.txID,
        refund.partnerTxID,
        refund.partnerGroupTxID,
        refund.charge.txID,
        "Refund",
        refund.charge.paymentMethod,
        refund.currency,
        formatAmount(-refund.amount, refund.currency),
        formatAmount(0n, refund.currency),
        formatAmount(-refund.amount, refund.currency),
        "Success",
        refund.description,
      ],
    });
  }
  const lines = [REPORT_COLUMNS.join(",")];
  const sorted = rows.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const row of sorted) {
    const local = localTime(row.at, reportUtcOffsetMinutes);
    if (local.date !== date) continue;
    lines.push(row.cells(local).map(csvCell).join(","));
  }
  const fileName = `GrabPay_Transaction_Report_${merchantID}_${date.replace(/-/g, "")}.csv`;
  return text(200, `${lines.join("\r\n")}\r\n`, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${fileName}"`,
  });
}
