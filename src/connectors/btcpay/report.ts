/**
 * BTCPay's invoice export (`btcpay-export-….csv`, ExportInvoiceHolder columns written by CsvHelper): one
 * row per payment received and one negative row per refund paid out. Read here for reconciliation.
 */
import { currencyExponent, decimalToMinor } from "./amounts.ts";
import { type BtcpayConnection, btcpayClient } from "./client.ts";

export interface InvoiceExportRow {
  /** When BTCPay saw the payment (or paid the refund out), UTC. */
  receivedAt: Date;
  kind: "payment" | "refund";
  storeId: string;
  /** Our reference, for invoices Payrail created. */
  orderId: string;
  invoiceId: string;
  paymentId: string;
  cryptoCode: string;
  /** In the crypto's own unit, as BTCPay writes it (negative for a refund). */
  paid: string;
  /** The same in minor units of the invoice currency; null when the currency has no ISO exponent. */
  paidInInvoiceCurrency: bigint | null;
  invoiceCurrency: string;
  /** `InvoiceFullStatus`, e.g. "Settled", "Expired (paid late)". */
  invoiceStatus: string;
  /** Every column as exported, by its header name. */
  columns: Record<string, string>;
}

/** RFC 4180 as CsvHelper writes it: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** .NET's invariant general date, `MM/dd/yyyy HH:mm:ss`, in UTC. */
function invariantDate(text: string): Date | null {
  const match = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const [, month, day, year, hours, minutes, seconds] = match.map(Number) as number[];
  return new Date(Date.UTC(year!, month! - 1, day!, hours!, minutes!, seconds!));
}

/** Throws on a file that is not BTCPay's invoice export: reconciliation must not guess. */
export function parseInvoiceExport(csv: string): InvoiceExportRow[] {
  const [header, ...records] = parseCsv(csv);
  if (!header?.includes("InvoiceId") || !header.includes("ReceivedDate")) {
    throw new Error("not a BTCPay invoice export: the header lacks InvoiceId or ReceivedDate");
  }
  return records
    .filter((record) => record.some((field) => field !== ""))
    .map((record, index) => {
      const columns = Object.fromEntries(header.map((name, at) => [name, record[at] ?? ""]));
      const column = (name: string) => columns[name] ?? "";
      const receivedAt = invariantDate(column("ReceivedDate"));
      if (!receivedAt) throw new Error(`BTCPay invoice export row ${index + 1}: unreadable ReceivedDate`);
      const exponent = currencyExponent(column("InvoiceCurrency"));
      const paidInInvoiceCurrency =
        exponent === undefined ? null : decimalToMinor(column("PaidCurrency"), exponent, { signed: true });
      return {
        receivedAt,
        kind: column("Paid").startsWith("-") ? "refund" : "payment",
        storeId: column("StoreId"),
        orderId: column("OrderId"),
        invoiceId: column("InvoiceId"),
        paymentId: column("PaymentId"),
        cryptoCode: column("CryptoCode"),
        paid: column("Paid"),
        paidInInvoiceCurrency,
        invoiceCurrency: column("InvoiceCurrency"),
        invoiceStatus: column("InvoiceFullStatus"),
        columns,
      };
    });
}

/**
 * Downloads the export of the invoices created in [start, end). BTCPay serves it to a dashboard session;
 * Payrail's simulator also takes the API key.
 */
export async function downloadInvoiceExport(
  c: BtcpayConnection,
  period: { start: Date; end: Date },
): Promise<{ ok: true; rows: InvoiceExportRow[] } | { ok: false; reason: string }> {
  const answer = await btcpayClient.exportInvoicesCsv(c, period);
  if (answer.kind === "unknown") return { ok: false, reason: answer.reason };
  if (answer.status !== 200) return { ok: false, reason: `http_${answer.status}` };
  try {
    return { ok: true, rows: parseInvoiceExport(answer.text) };
  } catch {
    return { ok: false, reason: "malformed_export" };
  }
}
