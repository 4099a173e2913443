/**
 * PayPal's daily Settlement Report (STL): a UTF-8 CSV (with byte order mark) of typed rows: RH report header,
 * FH file header, SH section header, CH column names, one SB per balance-affecting transaction, SF section
 * footer per currency, SC section count, RF report footer per currency, RC report count, FF file footer. Amounts
 * are unsigned minor units with CR/DR beside them; varchar fields are double-quoted. Files are named
 * STL-yyyymmdd.<sequence>.<version>.CSV and offered under /ppreports/outgoing, as on PayPal's SFTP server.
 */
import type { App, LedgerEntry } from "./store.ts";

export const REPORT_VERSION = "009";
/** The simulator reports in UTC days; PayPal names its reporting windows by letter. */
const REPORTING_WINDOW = "X";

export const SETTLEMENT_COLUMNS = [
  "Transaction ID",
  "Invoice ID",
  "PayPal Reference ID",
  "PayPal Reference ID Type",
  "Transaction Event Code",
  "Transaction Initiation Date",
  "Transaction Completion Date",
  "Transaction Debit or Credit",
  "Gross Transaction Amount",
  "Gross Transaction Currency",
  "Fee Debit or Credit",
  "Fee Amount",
  "Fee Currency",
  "Custom Field",
  "Consumer ID",
  "Payment Tracking ID",
  "Store ID",
  "Bank Reference ID",
  "Credit Transactional Fee",
  "Credit Promotional Fee",
  "Credit Term",
];

const DAY_MS = 24 * 3600_000;

export function settlementFileName(day: string, sequence = 1): string {
  return `STL-${day.replaceAll("-", "")}.${String(sequence).padStart(2, "0")}.${REPORT_VERSION}.CSV`;
}

/** `STL-20240115.01.009.CSV` → `2024-01-15`. */
export function dayOfFileName(name: string): string | null {
  const match = /^STL-(\d{4})(\d{2})(\d{2})\.01\.(\d{3})\.CSV$/.exec(name);
  if (!match || match[4] !== REPORT_VERSION) return null;
  return `${match[1]}-${match[2]}-${match[3]}`;
}

export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function quote(value: string | undefined): string {
  return `"${(value ?? "").replaceAll('"', '""')}"`;
}

function reportDate(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)} ${iso.slice(11, 19)} +0000`;
}

function signed(direction: "CR" | "DR", amount: bigint): bigint {
  return direction === "CR" ? amount : -amount;
}

function net(entry: LedgerEntry): bigint {
  return signed(entry.direction, entry.grossMinor) + signed(entry.feeDirection, entry.feeMinor);
}

function balance(amount: bigint): [string, string] {
  return [quote(amount < 0n ? "DR" : "CR"), String(amount < 0n ? -amount : amount)];
}

function bodyRow(entry: LedgerEntry): string {
  return [
    quote("SB"),
    quote(entry.transactionId),
    quote(entry.invoiceId),
    quote(entry.referenceId),
    quote(entry.referenceType),
    quote(entry.eventCode),
    reportDate(entry.initiatedAt),
    reportDate(entry.completedAt),
    quote(entry.direction),
    String(entry.grossMinor),
    quote(entry.currency),
    quote(entry.feeDirection),
    String(entry.feeMinor),
    quote(entry.currency),
    quote(entry.customId),
    quote(entry.consumerId),
    quote(""),
    quote(""),
    quote(""),
    quote(""),
    quote(""),
    quote(""),
  ].join(",");
}

/** Totals per currency: gross and fee credits and debits, and the balance before and after the day. */
function footers(kind: "SF" | "RF", day: LedgerEntry[], before: LedgerEntry[]): string[] {
  const currencies = [...new Set([...before, ...day].map((entry) => entry.currency))].sort();
  return currencies.map((currency) => {
    const today = day.filter((entry) => entry.currency === currency);
    const sum = (pick: (entry: LedgerEntry) => bigint) =>
      today.reduce((total, entry) => total + pick(entry), 0n);
    const grossCredit = sum((e) => (e.direction === "CR" ? e.grossMinor : 0n));
    const grossDebit = sum((e) => (e.direction === "DR" ? e.grossMinor : 0n));
    const feeCredit = sum((e) => (e.feeDirection === "CR" ? e.feeMinor : 0n));
    const feeDebit = sum((e) => (e.feeDirection === "DR" ? e.feeMinor : 0n));
    const opening = before.filter((e) => e.currency === currency).reduce((total, e) => total + net(e), 0n);
    const closing = opening + today.reduce((total, e) => total + net(e), 0n);
    return [
      quote(kind),
      quote(currency),
      String(grossCredit),
      String(grossDebit),
      String(feeCredit),
      String(feeDebit),
      ...balance(opening),
      ...balance(closing),
      ...balance(0n),
      ...balance(0n),
    ].join(",");
  });
}

export interface SettlementReport {
  fileName: string;
  /** The file's bytes: UTF-8 with a byte order mark, CRLF line ends. */
  content: Buffer;
}

export function settlementReport(
  app: App,
  ledger: LedgerEntry[],
  day: string,
  generatedAt: Date,
): SettlementReport {
  const start = dayStart(day).getTime();
  const end = start + DAY_MS;
  const mine = ledger.filter((entry) => entry.clientId === app.clientId);
  const before = mine.filter((entry) => entry.completedAt.getTime() < start);
  const today = mine
    .filter((entry) => entry.completedAt.getTime() >= start && entry.completedAt.getTime() < end)
    .sort((a, b) => a.completedAt.getTime() - b.completedAt.getTime());
  const count = String(today.length);
  const lines = [
    [
      quote("RH"),
      reportDate(generatedAt),
      quote(REPORTING_WINDOW),
      quote(app.merchantId),
      REPORT_VERSION,
    ].join(","),
    [quote("FH"), "01"].join(","),
    [
      quote("SH"),
      reportDate(new Date(start)),
      reportDate(new Date(end - 1000)),
      quote(app.merchantId),
      quote(""),
    ].join(","),
    [quote("CH"), ...SETTLEMENT_COLUMNS.map(quote)].join(","),
    ...today.map(bodyRow),
    ...footers("SF", today, before),
    [quote("SC"), count].join(","),
    ...footers("RF", today, before),
    [quote("RC"), count].join(","),
    [quote("FF"), count].join(","),
  ];
  const text = `${lines.join("\r\n")}\r\n`;
  return {
    fileName: settlementFileName(day),
    content: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]),
  };
}

/** Days that are over (by the injected clock) and had settlement activity for this app. */
export function availableDays(app: App, ledger: LedgerEntry[], now: Date): string[] {
  const today = dayOf(now);
  const days = new Set(
    ledger.filter((entry) => entry.clientId === app.clientId).map((entry) => dayOf(entry.completedAt)),
  );
  return [...days].filter((day) => day < today).sort();
}
