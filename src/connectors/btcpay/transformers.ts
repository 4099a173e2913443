/**
 * Pure mapping between BTCPay's invoices and pull payments and Payrail's statuses. Money that arrived
 * other than as asked (underpaid, paid after expiry, paid on an invoice that went invalid) is never a
 * success: it is `requires_review`. An unknown status is `pending`.
 */
import type { AuthorizeResult, ModifyResult, PaymentStatus, RefundStatus } from "../contract.ts";
import { currencyExponent, decimalToMinor } from "./amounts.ts";
import type { WireInvoice, WirePayout, WirePullPayment } from "./wire.ts";

function minor(text: string | undefined, currency: string): bigint | null {
  const exponent = currencyExponent(currency);
  if (text === undefined || exponent === undefined) return null;
  return decimalToMinor(text, exponent);
}

function review(invoice: WireInvoice, reason: string): PaymentStatus {
  const paid = minor(invoice.paidAmount, invoice.currency);
  return {
    status: "requires_review",
    connectorReference: invoice.id,
    reason,
    ...(paid !== null ? { amount: paid, currency: invoice.currency.toLowerCase() } : {}),
  };
}

function settled(invoice: WireInvoice): PaymentStatus {
  const pending: PaymentStatus = { status: "pending", connectorReference: invoice.id };
  switch (invoice.additionalStatus) {
    // PaidOver: the invoice is paid in full and the sale stands; the surplus belongs to the shopper and
    // is returned with an OverpaidAmount refund, which needs no hold on the order.
    case "None":
    case "Marked":
    case "PaidOver": {
      const amount = minor(invoice.amount, invoice.currency);
      if (amount === null) return pending;
      return {
        status: "authorized",
        connectorReference: invoice.id,
        amount,
        currency: invoice.currency.toLowerCase(),
        captured: true,
        capturedAmount: amount,
      };
    }
    case "PaidLate":
      return review(invoice, "crypto_paid_after_expiry");
    case "PaidPartial":
      return review(invoice, "crypto_underpaid");
    default:
      return pending;
  }
}

/** Expired or Invalid: closed; nothing to review only when nothing was paid. */
function closed(invoice: WireInvoice, reasonIfPaid: string): PaymentStatus {
  if (invoice.additionalStatus === "PaidPartial") return review(invoice, "crypto_underpaid");
  if (invoice.additionalStatus === "PaidLate") return review(invoice, "crypto_paid_after_expiry");
  if (invoice.additionalStatus === "PaidOver") return review(invoice, reasonIfPaid);
  const paid = minor(invoice.paidAmount ?? "0", invoice.currency);
  if (paid === null) return { status: "pending", connectorReference: invoice.id };
  if (paid > 0n) return review(invoice, reasonIfPaid);
  if (["None", "Marked", "Invalid"].includes(invoice.additionalStatus)) {
    return { status: "expired", connectorReference: invoice.id };
  }
  return { status: "pending", connectorReference: invoice.id };
}

export function invoiceToPaymentStatus(invoice: WireInvoice): PaymentStatus {
  switch (invoice.status) {
    case "Settled":
      return settled(invoice);
    case "Expired":
      return closed(invoice, "crypto_paid_after_expiry");
    case "Invalid":
      return closed(invoice, "crypto_invoice_invalid_after_payment");
    // New waits for the shopper (perhaps partly paid, with time left); Processing is paid in full and
    // waits for confirmations.
    default:
      return { status: "pending", connectorReference: invoice.id };
  }
}

/** What starting a payment gives for an invoice (new, or found under our reference). */
export function invoiceToStartResult(invoice: WireInvoice): AuthorizeResult {
  if (invoice.status === "New" && invoice.checkoutLink) {
    return {
      outcome: "requires_action",
      connectorReference: invoice.id,
      action: { type: "redirect_to_url", url: invoice.checkoutLink },
      ...(invoice.expirationTime ? { expiresAt: new Date(invoice.expirationTime * 1000) } : {}),
    };
  }
  const status = invoiceToPaymentStatus(invoice);
  if (status.status === "authorized") {
    return {
      outcome: "authorized",
      connectorReference: status.connectorReference,
      amount: status.amount,
      currency: status.currency,
      captured: true,
    };
  }
  // Expired, in review or waiting for confirmations: Payrail's sync says which.
  return {
    outcome: "pending",
    connectorReference: invoice.id,
    reason: `invoice_${invoice.status.toLowerCase()}`,
  };
}

function rank(invoice: WireInvoice): number {
  if (invoice.status === "Settled") return 0;
  if (invoice.status === "Processing") return 1;
  if ((minor(invoice.paidAmount, invoice.currency) ?? 0n) > 0n) return 2;
  if (invoice.status === "New") return 3;
  return 4;
}

/**
 * The invoice of our reference among those BTCPay lists for it (newest first). There is one unless a
 * race made two: then the one holding money counts, else the live one, else the newest.
 */
export function chooseInvoice(invoices: WireInvoice[], reference: string): WireInvoice | undefined {
  const ours = invoices.filter((invoice) => invoice.metadata?.orderId === reference);
  return ours
    .map((invoice, index) => ({ invoice, index }))
    .sort((a, b) => rank(a.invoice) - rank(b.invoice) || a.index - b.index)[0]?.invoice;
}

/** What the shopper sees on the claim page; also how a refund is found again by its reference. */
export function refundPullPaymentName(reference: string): string {
  return `Refund ${reference}`;
}

export function findRefundPullPayment(
  pullPayments: WirePullPayment[],
  reference: string,
): WirePullPayment | undefined {
  return pullPayments.find((pp) => pp.name === refundPullPaymentName(reference));
}

/** BTCPay refunds by a pull payment the shopper claims: nothing is paid back until its payout completes. */
export function pullPaymentToRefundResult(pullPayment: WirePullPayment): ModifyResult {
  return { outcome: "pending", connectorReference: pullPayment.id, reason: "awaiting_payout" };
}

const OPEN_PAYOUT_STATES = new Set(["AwaitingApproval", "AwaitingPayment", "InProgress"]);

/** `payouts` undefined: this BTCPay cannot say (the payouts endpoint is missing), so still pending. */
export function pullPaymentToRefundStatus(
  pullPayment: WirePullPayment,
  payouts: WirePayout[] | undefined,
): RefundStatus {
  const pending: RefundStatus = { status: "pending", connectorReference: pullPayment.id };
  const amount = minor(pullPayment.amount, pullPayment.currency);
  if (amount === null || amount <= 0n || payouts === undefined) return pending;
  let completed = 0n;
  for (const payout of payouts) {
    if (payout.state !== "Completed") continue;
    const paid = minor(payout.originalAmount ?? payout.amount, pullPayment.currency);
    if (paid === null) return pending;
    completed += paid;
  }
  if (completed >= amount) {
    return {
      status: "succeeded",
      connectorReference: pullPayment.id,
      amount,
      currency: pullPayment.currency.toLowerCase(),
    };
  }
  const open = payouts.some((payout) => OPEN_PAYOUT_STATES.has(payout.state));
  if (pullPayment.archived && completed === 0n && !open)
    return { status: "failed", reason: "pull_payment_archived" };
  return pending;
}
