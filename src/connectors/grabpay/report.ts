/**
 * GrabPay's daily transaction report: one CSV per merchant and business day, successful payments and
 * refunds, amounts in major units (refunds negative) with the merchant discount (MDR). Read into Payrail
 * minor units for reconciliation.
 */
import { majorTextToMinor } from "./amounts.ts";
import { connectionFor, grabPayClient } from "./client.ts";
import { grabPayConfigSchema } from "./config.ts";

export interface GrabPayReportRow {
  transactionDate: string;
  transactionTime: string;
  settlementDate: string;
  merchantId: string;
  txID: string;
  partnerTxID: string;
  partnerGroupTxID: string;
  /** The charge's txID on a refund row. */
  originTxID: string;
  type: string;
  paymentMethod: string;
  /** lower case */
  currency: string;
  /** Payrail minor units; negative for a refund. */
  amount: bigint;
  mdr: bigint;
  netAmount: bigint;
  status: string;
  description: string;
}

export type GrabPayReport =
  | { ok: true; fileName: string | undefined; rows: GrabPayReportRow[] }
  | { ok: false; reason: string };

/** RFC 4180 records: quoted cells may hold commas, quotes (doubled) and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || record.length > 0) records.push([...record, cell]);
  return records;
}

const COLUMNS = {
  transactionDate: "Transaction Date",
  transactionTime: "Transaction Time",
  settlementDate: "Settlement Date",
  merchantId: "Merchant ID",
  txID: "Transaction ID",
  partnerTxID: "Partner Transaction ID",
  partnerGroupTxID: "Partner Group Transaction ID",
  originTxID: "Original Transaction ID",
  type: "Transaction Type",
  paymentMethod: "Payment Method",
  currency: "Currency",
  amount: "Amount",
  mdr: "MDR",
  netAmount: "Net Amount",
  status: "Status",
  description: "Description",
} as const;

/** Undefined when a column is missing or an amount is not exact in its currency. */
export function parseReport(csv: string): GrabPayReportRow[] | undefined {
  const [header, ...records] = parseCsv(csv);
  if (!header) return undefined;
  const index = new Map(header.map((name, i) => [name.trim(), i]));
  if (Object.values(COLUMNS).some((name) => !index.has(name))) return undefined;
  const rows: GrabPayReportRow[] = [];
  for (const record of records) {
    if (record.length === 1 && record[0] === "") continue;
    const cell = (column: keyof typeof COLUMNS) => record[index.get(COLUMNS[column]) ?? -1] ?? "";
    const currency = cell("currency").toLowerCase();
    const amount = majorTextToMinor(cell("amount"), currency);
    const mdr = majorTextToMinor(cell("mdr"), currency);
    const netAmount = majorTextToMinor(cell("netAmount"), currency);
    if (amount === undefined || mdr === undefined || netAmount === undefined) return undefined;
    rows.push({
      transactionDate: cell("transactionDate"),
      transactionTime: cell("transactionTime"),
      settlementDate: cell("settlementDate"),
      merchantId: cell("merchantId"),
      txID: cell("txID"),
      partnerTxID: cell("partnerTxID"),
      partnerGroupTxID: cell("partnerGroupTxID"),
      originTxID: cell("originTxID"),
      type: cell("type"),
      paymentMethod: cell("paymentMethod"),
      currency,
      amount,
      mdr,
      netAmount,
      status: cell("status"),
      description: cell("description"),
    });
  }
  return rows;
}

function fileNameOf(disposition: string | null): string | undefined {
  return /filename="([^"]+)"/.exec(disposition ?? "")?.[1];
}

/**
 * Downloads the report of one business day (`YYYY-MM-DD`) for the account's merchant id. `baseUrl` is
 * where the account's GrabPay is when its config does not say.
 */
export async function downloadGrabPayTransactionReport(
  accountConfig: Record<string, unknown>,
  options: { date: string; baseUrl: string; timeoutMs?: number },
): Promise<GrabPayReport> {
  const config = grabPayConfigSchema.safeParse(accountConfig);
  if (!config.success) return { ok: false, reason: "account_config_invalid" };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) return { ok: false, reason: "invalid_date" };
  const connection = connectionFor(config.data, options.baseUrl, options.timeoutMs ?? 30_000);
  const answer = await grabPayClient.transactionReport(connection, options.date, config.data.merchant_id);
  if (answer.kind === "unknown") return { ok: false, reason: answer.reason };
  if (answer.status !== 200) return { ok: false, reason: `http_${answer.status}` };
  const rows = parseReport(answer.text);
  if (!rows) return { ok: false, reason: "malformed_report" };
  return { ok: true, fileName: fileNameOf(answer.headers.get("content-disposition")), rows };
}
