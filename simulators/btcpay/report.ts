/**
 * BTCPay's invoice export in CSV (InvoiceExport / ExportInvoiceHolder, written by CsvHelper with the invariant
 * culture): one row per accounted payment and per completed refund payout (negative), ordered by
 * ReceivedDate, for the invoices created in the requested period. Dates are UTC in the invariant culture's
 * general format (MM/dd/yyyy HH:mm:ss); records end with CRLF; UTF-8 without BOM.
 */
import type { Context } from "./context.ts";
import { currencyDigits, formatSats, formatScaled, roundScaled, satsToFiat } from "./decimal.ts";
import type { AdditionalStatus, Invoice, InvoiceStatus } from "./store.ts";

export const EXPORT_COLUMNS = [
  "ReceivedDate",
  "StoreId",
  "OrderId",
  "InvoiceId",
  "InvoiceCreatedDate",
  "InvoiceExpirationDate",
  "InvoiceMonitoringDate",
  "PaymentId",
  "Destination",
  "PaymentType",
  "CryptoCode",
  "Paid",
  "NetworkFee",
  "ConversionRate",
  "PaidCurrency",
  "InvoiceCurrency",
  "InvoiceDue",
  "InvoicePrice",
  "InvoiceItemCode",
  "InvoiceItemDesc",
  "InvoiceFullStatus",
  "InvoiceStatus",
  "InvoiceExceptionStatus",
  "BuyerEmail",
] as const;

type Row = Record<(typeof EXPORT_COLUMNS)[number], string>;

const LEGACY_STATUS: Record<InvoiceStatus, string> = {
  New: "new",
  Processing: "paid",
  Settled: "complete",
  Expired: "expired",
  Invalid: "invalid",
};

const LEGACY_EXCEPTION: Record<AdditionalStatus, string> = {
  None: "",
  PaidPartial: "paidPartial",
  PaidLate: "paidLate",
  PaidOver: "paidOver",
  Marked: "marked",
  Invalid: "invalid",
};

const FULL_STATUS_SUFFIX: Record<AdditionalStatus, string> = {
  None: "",
  PaidPartial: " (paid partial)",
  PaidLate: " (paid late)",
  PaidOver: " (paid over)",
  Marked: " (marked)",
  Invalid: " (invalid)",
};

const pad = (n: number) => String(n).padStart(2, "0");

/** .NET's invariant "G" format of a UTC DateTime. */
export function invariantDate(date: Date): string {
  return (
    `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function baseRow(
  invoice: Invoice,
): Omit<Row, "ReceivedDate" | "PaymentId" | "Destination" | "Paid" | "NetworkFee" | "PaidCurrency"> {
  const digits = currencyDigits(invoice.currency);
  return {
    StoreId: invoice.storeId,
    OrderId: text(invoice.metadata.orderId),
    InvoiceId: invoice.id,
    InvoiceCreatedDate: invariantDate(invoice.createdAt),
    InvoiceExpirationDate: invariantDate(invoice.expiresAt),
    InvoiceMonitoringDate: invariantDate(invoice.monitoringUntil),
    PaymentType: "On-Chain",
    CryptoCode: "BTC",
    ConversionRate: formatScaled(invoice.rate, digits),
    InvoiceCurrency: invoice.currency,
    InvoiceDue: formatScaled(roundScaled(invoice.price, digits), digits),
    InvoicePrice: invoice.type === "TopUp" ? formatScaled(invoice.price, digits) : invoice.amount,
    InvoiceItemCode: text(invoice.metadata.itemCode),
    InvoiceItemDesc: text(invoice.metadata.itemDesc),
    InvoiceFullStatus: `${invoice.status}${FULL_STATUS_SUFFIX[invoice.additionalStatus]}`,
    InvoiceStatus: LEGACY_STATUS[invoice.status],
    InvoiceExceptionStatus: LEGACY_EXCEPTION[invoice.additionalStatus],
    BuyerEmail: text(invoice.metadata.buyerEmail),
  };
}

function rowsFor(ctx: Context, invoice: Invoice): Array<{ at: Date; row: Row }> {
  const digits = currencyDigits(invoice.currency);
  const base = baseRow(invoice);
  const rows: Array<{ at: Date; row: Row }> = [];
  for (const payment of invoice.payments) {
    if (payment.status === "Invalid") continue;
    rows.push({
      at: payment.receivedAt,
      row: {
        ...base,
        ReceivedDate: invariantDate(payment.receivedAt),
        PaymentId: payment.id,
        Destination: payment.destination,
        Paid: formatSats(payment.sats),
        NetworkFee: "0",
        PaidCurrency: formatScaled(satsToFiat(payment.sats, invoice.rate), digits),
      },
    });
  }
  for (const ppId of invoice.refunds) {
    const pp = ctx.store.pullPayments.get(ppId);
    for (const payout of pp?.payouts ?? []) {
      rows.push({
        at: payout.date,
        row: {
          ...base,
          ReceivedDate: invariantDate(payout.date),
          PaymentId: payout.id,
          Destination: payout.destination,
          Paid: formatSats(-payout.sats),
          NetworkFee: "0",
          PaidCurrency: formatScaled(-satsToFiat(payout.sats, invoice.rate), digits),
        },
      });
    }
  }
  return rows;
}

/** CsvHelper quotes a field holding the delimiter, a quote, a line break, or leading/trailing space. */
function csvField(value: string): string {
  if (/[",\r\n]/.test(value) || /^\s|\s$/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

export interface ExportPeriod {
  /** Inclusive. */
  start: Date | null;
  /** Exclusive. */
  end: Date | null;
}

export function exportRows(ctx: Context, storeId: string, period: ExportPeriod): Row[] {
  const invoices = [...ctx.store.invoices.values()].filter(
    (invoice) =>
      invoice.storeId === storeId &&
      (period.start === null || invoice.createdAt.getTime() >= period.start.getTime()) &&
      (period.end === null || invoice.createdAt.getTime() < period.end.getTime()),
  );
  return invoices
    .flatMap((invoice) => rowsFor(ctx, invoice))
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((entry) => entry.row);
}

export function exportCsv(ctx: Context, storeId: string, period: ExportPeriod): string {
  const lines = [EXPORT_COLUMNS.join(",")];
  for (const row of exportRows(ctx, storeId, period)) {
    lines.push(EXPORT_COLUMNS.map((column) => csvField(row[column])).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** BTCPay's search-string filters `startdate:…,enddate:…` (ISO dates or `yyyy-MM-dd HH:mm:ss`, UTC). */
export function periodFromQuery(query: URLSearchParams): ExportPeriod | null {
  const day = query.get("date");
  if (day !== null) {
    const start = new Date(`${day}T00:00:00Z`);
    if (Number.isNaN(start.getTime()) || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
    return { start, end: new Date(start.getTime() + 86_400_000) };
  }
  const period: ExportPeriod = { start: null, end: null };
  const searchTerm = query.get("searchTerm") ?? "";
  const offsetMinutes = Number(query.get("timezoneOffset") ?? "0") || 0;
  for (const part of searchTerm.split(",")) {
    const match = /^\s*(startdate|enddate):(.+)$/i.exec(part);
    if (!match) continue;
    const raw = (match[2] ?? "").trim().replace(" ", "T");
    const parsed = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(raw) ? raw : `${raw}Z`);
    if (Number.isNaN(parsed.getTime())) return null;
    const utc = new Date(parsed.getTime() + offsetMinutes * 60_000);
    if ((match[1] ?? "").toLowerCase() === "startdate") period.start = utc;
    else period.end = utc;
  }
  return period;
}
