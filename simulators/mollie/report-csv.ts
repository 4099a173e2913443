/**
 * The dashboard's CSV export of a settlement or of one day of the balance: UTF-8, comma separated, every
 * field quoted, CRLF line ends, English headers, amounts with a dot and two decimals, times in
 * Europe/Amsterdam. One row per balance movement: a paid payment (positive) or a refund (negative).
 */

import { formatCents } from "./money.ts";
import type { Movement } from "./settlements.ts";
import type { Account } from "./store.ts";
import { amsterdamDateTime, amsterdamDay } from "./time.ts";

export const CSV_HEADERS = [
  "Date",
  "Payment method",
  "Currency",
  "Amount",
  "Status",
  "ID",
  "Description",
  "Consumer name",
  "Consumer bank account",
  "Consumer BIC",
  "Settlement currency",
  "Settlement amount",
  "Settlement reference",
  "Amount refunded",
] as const;

function quote(field: string): string {
  return `"${field.replace(/"/g, '""')}"`;
}

function refundedSoFar(movement: Movement): bigint {
  return movement.payment.refunds
    .filter((r) => r.status === "refunded")
    .reduce((sum, r) => sum + r.amount, 0n);
}

function row(account: Account, movement: Movement): string[] {
  const details = movement.payment.details;
  const reference = account.settlementsByDay.get(amsterdamDay(movement.at))?.reference ?? "";
  const isPayment = movement.kind === "payment";
  return [
    amsterdamDateTime(movement.at),
    "iDEAL",
    "EUR",
    formatCents(movement.cents),
    isPayment ? "paid" : "refunded",
    isPayment ? movement.payment.id : movement.refund.id,
    isPayment ? movement.payment.description : movement.refund.description,
    details?.consumerName ?? "",
    details?.consumerAccount ?? "",
    details?.consumerBic ?? "",
    "EUR",
    formatCents(movement.cents),
    reference,
    isPayment ? formatCents(refundedSoFar(movement)) : "",
  ];
}

export function movementsCsv(account: Account, items: Movement[]): string {
  const lines = [CSV_HEADERS.map(quote).join(",")];
  for (const movement of items) lines.push(row(account, movement).map(quote).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
