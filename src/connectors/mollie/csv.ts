/**
 * Mollie's payments / settlement CSV export as the simulator serves it: UTF-8, comma separated, fields
 * quoted (with "" for a quote), CRLF. One row per balance movement; refunds are negative.
 */
import type { Money } from "../contract.ts";
import { fromMollieAmount } from "./amounts.ts";

export interface MollieCsvRow {
  /** "YYYY-MM-DD HH:MM:SS" in Europe/Amsterdam wall-clock time, as the export writes it. */
  date: string;
  paymentMethod: string;
  /** Negative for a refund. */
  amount: Money;
  status: string;
  /** `tr_…` for a payment, `re_…` for a refund. */
  id: string;
  description: string;
  consumerName: string;
  consumerAccount: string;
  consumerBic: string;
  settlementAmount: Money | null;
  settlementReference: string;
  /** What has been refunded of a payment so far; null on refund rows. */
  amountRefunded: Money | null;
}

const COLUMNS = {
  date: "Date",
  paymentMethod: "Payment method",
  currency: "Currency",
  amount: "Amount",
  status: "Status",
  id: "ID",
  description: "Description",
  consumerName: "Consumer name",
  consumerAccount: "Consumer bank account",
  consumerBic: "Consumer BIC",
  settlementCurrency: "Settlement currency",
  settlementAmount: "Settlement amount",
  settlementReference: "Settlement reference",
  amountRefunded: "Amount refunded",
} as const;

/** RFC 4180 records; null when a quote is left open. */
export function splitCsv(text: string): string[][] | null {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
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
  if (quoted) return null;
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ""));
}

export type CsvParse = { ok: true; rows: MollieCsvRow[] } | { ok: false; reason: string };

export function parseMollieCsv(text: string): CsvParse {
  const records = splitCsv(text);
  if (!records || records.length === 0) return { ok: false, reason: "malformed_csv" };
  const header = records[0] ?? [];
  const index = {} as Record<keyof typeof COLUMNS, number>;
  for (const [key, name] of Object.entries(COLUMNS) as Array<[keyof typeof COLUMNS, string]>) {
    const at = header.indexOf(name);
    if (at < 0) return { ok: false, reason: `missing_column: ${name}` };
    index[key] = at;
  }
  const rows: MollieCsvRow[] = [];
  for (const [n, record] of records.slice(1).entries()) {
    const get = (key: keyof typeof COLUMNS) => record[index[key]] ?? "";
    const money = (value: string, currency: string) => fromMollieAmount({ currency, value });
    const amount = money(get("amount"), get("currency"));
    const settlementAmount = get("settlementAmount")
      ? money(get("settlementAmount"), get("settlementCurrency"))
      : null;
    const amountRefunded = get("amountRefunded") ? money(get("amountRefunded"), get("currency")) : null;
    if (
      record.length !== header.length ||
      !amount ||
      (get("settlementAmount") && !settlementAmount) ||
      (get("amountRefunded") && !amountRefunded)
    ) {
      return { ok: false, reason: `malformed_row: ${n + 2}` };
    }
    rows.push({
      date: get("date"),
      paymentMethod: get("paymentMethod"),
      amount,
      status: get("status"),
      id: get("id"),
      description: get("description"),
      consumerName: get("consumerName"),
      consumerAccount: get("consumerAccount"),
      consumerBic: get("consumerBic"),
      settlementAmount,
      settlementReference: get("settlementReference"),
      amountRefunded,
    });
  }
  return { ok: true, rows };
}
