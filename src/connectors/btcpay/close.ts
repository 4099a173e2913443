/**
 * Closing an unpaid invoice: BTCPay has no cancel, so it is marked Invalid, which also stops it taking a
 * late payment. Only when nothing was paid: an invoice that received money is never closed by Payrail.
 */
import type { ModifyResult } from "../contract.ts";
import { currencyExponent, decimalToMinor } from "./amounts.ts";
import { type BtcpayConnection, btcpayClient } from "./client.ts";
import { invoiceSchema, parseOne, problemMessage, type WireInvoice } from "./wire.ts";

type Decision = { kind: "closed" } | { kind: "paid" } | { kind: "open" };

function paidAnything(invoice: WireInvoice): boolean {
  if (["PaidPartial", "PaidLate", "PaidOver"].includes(invoice.additionalStatus)) return true;
  const exponent = currencyExponent(invoice.currency);
  const paid = exponent === undefined ? null : decimalToMinor(invoice.paidAmount ?? "0", exponent);
  return paid === null || paid > 0n;
}

export function closeDecision(invoice: WireInvoice): Decision {
  if (invoice.status === "Processing" || invoice.status === "Settled" || paidAnything(invoice))
    return { kind: "paid" };
  if (invoice.status === "Invalid") return { kind: "closed" };
  return { kind: "open" };
}

function closedResult(invoice: WireInvoice): ModifyResult {
  const exponent = currencyExponent(invoice.currency);
  const amount = exponent === undefined ? null : decimalToMinor(invoice.amount, exponent);
  return {
    outcome: "succeeded",
    connectorReference: invoice.id,
    amount: amount ?? 0n,
    currency: invoice.currency.toLowerCase(),
  };
}

const paidResult: ModifyResult = {
  outcome: "failed",
  reason: "payment_received",
  providerMessage: "The invoice received a payment; it is not closed (sync tells what it became).",
};

function decided(invoice: WireInvoice): ModifyResult | undefined {
  const decision = closeDecision(invoice);
  if (decision.kind === "closed") return closedResult(invoice);
  if (decision.kind === "paid") return paidResult;
  return undefined;
}

export async function closeInvoice(c: BtcpayConnection, invoice: WireInvoice): Promise<ModifyResult> {
  const already = decided(invoice);
  if (already) return already;
  const marked = await btcpayClient.markInvoiceStatus(c, invoice.id, "Invalid");
  if (marked.kind === "unknown")
    return { outcome: "pending", connectorReference: invoice.id, reason: marked.reason };
  const after = marked.status === 200 ? parseOne(invoiceSchema, marked.body) : undefined;
  if (after)
    return decided(after) ?? { outcome: "pending", connectorReference: invoice.id, reason: "not_closed" };
  // Refused (422: a payment arrived meanwhile, say): what the invoice is now decides.
  const current = await btcpayClient.getInvoice(c, invoice.id);
  if (current.kind === "unknown")
    return { outcome: "pending", connectorReference: invoice.id, reason: current.reason };
  const now = current.status === 200 ? parseOne(invoiceSchema, current.body) : undefined;
  const result = now ? decided(now) : undefined;
  if (result) return result;
  return {
    outcome: "failed",
    reason: "close_refused",
    providerMessage: problemMessage(marked.body) ?? `BTCPay answered HTTP ${marked.status}`,
  };
}
