/**
 * BTCPay's invoice state machine (what its InvoiceWatcher does): expiry by the clock, paid in full →
 * Processing, confirmed → Settled, unconfirmed past the monitoring window → Invalid, partial / over / late
 * payments as additional statuses, and manual marking. Every change emits the webhook BTCPay sends for it.
 */
import type { Context } from "./context.ts";
import { unixSeconds } from "./context.ts";
import { fiatToSats, formatSats, satsToFiat } from "./decimal.ts";
import type { Invoice, InvoiceStatus, Payment } from "./store.ts";

export const PAYMENT_METHOD_ID = "BTC-CHAIN";

export function accountedSats(invoice: Invoice): bigint {
  return invoice.payments.filter((p) => p.status !== "Invalid").reduce((sum, p) => sum + p.sats, 0n);
}

function minimumDueSats(invoice: Invoice): bigint {
  // The tolerance is a percentage with up to 6 decimals; kept exact in parts per 100 million.
  const toleranceParts = BigInt(Math.round(invoice.checkout.paymentTolerance * 1_000_000));
  const whole = 100_000_000n;
  const scaled = invoice.dueSats * (whole - toleranceParts);
  const minimum = scaled / whole + (scaled % whole > 0n ? 1n : 0n);
  return minimum > 1n ? minimum : 1n;
}

function isTopUp(invoice: Invoice): boolean {
  return invoice.type === "TopUp";
}

export function isUnderPaid(invoice: Invoice): boolean {
  if (isTopUp(invoice)) return accountedSats(invoice) === 0n;
  return accountedSats(invoice) < minimumDueSats(invoice);
}

export function isOverPaid(invoice: Invoice): boolean {
  return !isTopUp(invoice) && accountedSats(invoice) > invoice.dueSats;
}

/** Brings the invoice up to date with the clock and its payments, emitting webhooks for each change. */
export function refresh(ctx: Context, invoice: Invoice): void {
  const now = ctx.now();
  if (invoice.status === "New" && now.getTime() >= invoice.expiresAt.getTime()) {
    invoice.status = "Expired";
    ctx.events.emit(invoice, "InvoiceExpired", { partiallyPaid: invoice.additionalStatus === "PaidPartial" });
  }
  const hasPayment = invoice.payments.some((p) => p.status !== "Invalid");
  if (invoice.status === "New" || invoice.status === "Expired") {
    if (hasPayment && !isUnderPaid(invoice)) {
      if (invoice.status === "New") {
        invoice.status = "Processing";
        if (isTopUp(invoice)) settleTopUpPrice(invoice);
        invoice.additionalStatus = isOverPaid(invoice) ? "PaidOver" : "None";
        ctx.events.emit(invoice, "InvoiceProcessing", { overPaid: invoice.additionalStatus === "PaidOver" });
      } else if (invoice.additionalStatus !== "PaidLate") {
        // BTCPay also sends InvoicePaidAfterExpiration here; its swagger has no x-webhooks entry for it.
        invoice.additionalStatus = "PaidLate";
      }
    }
    if (hasPayment && isUnderPaid(invoice) && invoice.additionalStatus !== "PaidPartial") {
      invoice.additionalStatus = "PaidPartial";
    }
  }
  if (invoice.status === "Processing") {
    const unconfirmed = invoice.payments
      .filter((p) => p.status === "Processing")
      .reduce((s, p) => s + p.sats, 0n);
    const confirmedEnough = accountedSats(invoice) - unconfirmed >= minimumDueSats(invoice);
    if (!confirmedEnough && now.getTime() > invoice.monitoringUntil.getTime()) {
      invoice.status = "Invalid";
      ctx.events.emit(invoice, "InvoiceInvalid", { manuallyMarked: false });
    } else if (confirmedEnough) {
      invoice.status = "Settled";
      ctx.events.emit(invoice, "InvoiceSettled", {
        manuallyMarked: false,
        overPaid: invoice.additionalStatus === "PaidOver",
      });
    }
  }
}

function settleTopUpPrice(invoice: Invoice): void {
  invoice.dueSats = accountedSats(invoice);
  invoice.price = satsToFiat(invoice.dueSats, invoice.rate);
}

export function paymentModel(payment: Payment) {
  return {
    id: payment.id,
    receivedDate: unixSeconds(payment.receivedAt),
    value: formatSats(payment.sats),
    fee: "0.00000000",
    status: payment.status,
    destination: payment.destination,
  };
}

function paymentFields(invoice: Invoice, payment: Payment): Record<string, unknown> {
  return {
    afterExpiration: invoice.status === "Expired" || invoice.status === "Invalid",
    paymentMethodId: PAYMENT_METHOD_ID,
    payment: paymentModel(payment),
  };
}

export type PayResult = { kind: "paid"; payment: Payment } | { kind: "closed"; reason: string };

/** A shopper's on-chain payment of `sats` to the invoice address, seen in the mempool now. */
export function pay(ctx: Context, invoice: Invoice, sats: bigint, willConfirm: boolean): PayResult {
  refresh(ctx, invoice);
  const now = ctx.now();
  if (invoice.status === "Settled" || invoice.status === "Invalid") {
    return { kind: "closed", reason: `This invoice is ${invoice.status.toLowerCase()}.` };
  }
  if (now.getTime() > invoice.monitoringUntil.getTime()) {
    return { kind: "closed", reason: "This invoice is no longer monitored for payments." };
  }
  const immediate = invoice.checkout.speedPolicy === "HighSpeed" && willConfirm;
  const payment: Payment = {
    id: `${ctx.ids.hex(32)}-0`,
    receivedAt: now,
    sats,
    status: immediate ? "Settled" : "Processing",
    destination: invoice.destination,
    willConfirm,
  };
  invoice.payments.push(payment);
  ctx.events.emit(invoice, "InvoiceReceivedPayment", paymentFields(invoice, payment));
  if (immediate) ctx.events.emit(invoice, "InvoicePaymentSettled", paymentFields(invoice, payment));
  refresh(ctx, invoice);
  if (!immediate && willConfirm)
    ctx.lifecycle.later(ctx.resolveAfterMs, () => confirm(ctx, invoice, payment));
  return { kind: "paid", payment };
}

/** The payment reached the confirmations its speed policy asks for. */
export function confirm(ctx: Context, invoice: Invoice, payment: Payment): void {
  if (payment.status !== "Processing") return;
  refresh(ctx, invoice);
  payment.status = "Settled";
  ctx.events.emit(invoice, "InvoicePaymentSettled", paymentFields(invoice, payment));
  refresh(ctx, invoice);
}

export function canMarkSettled(invoice: Invoice): boolean {
  const { status, additionalStatus } = invoice;
  return (
    status === "New" ||
    status === "Processing" ||
    status === "Expired" ||
    status === "Invalid" ||
    (status !== "Settled" && additionalStatus === "Marked")
  );
}

export function canMarkInvalid(invoice: Invoice): boolean {
  const { status, additionalStatus } = invoice;
  return (
    status === "New" ||
    status === "Processing" ||
    status === "Expired" ||
    (status !== "Invalid" && additionalStatus === "Marked")
  );
}

export function canRefund(invoice: Invoice): boolean {
  const { status, additionalStatus } = invoice;
  return (
    status === "Settled" ||
    status === "Invalid" ||
    (status === "Expired" &&
      (additionalStatus === "PaidLate" ||
        additionalStatus === "PaidOver" ||
        additionalStatus === "PaidPartial"))
  );
}

/** POST …/status: false when BTCPay would refuse the mark. */
export function mark(ctx: Context, invoice: Invoice, status: "Settled" | "Invalid"): boolean {
  refresh(ctx, invoice);
  if (status === "Settled" ? !canMarkSettled(invoice) : !canMarkInvalid(invoice)) return false;
  invoice.status = status satisfies InvoiceStatus;
  invoice.additionalStatus = "Marked";
  if (status === "Settled") {
    ctx.events.emit(invoice, "InvoiceSettled", { manuallyMarked: true, overPaid: false });
  } else {
    ctx.events.emit(invoice, "InvoiceInvalid", { manuallyMarked: true });
  }
  return true;
}

/** The BTC amount due for a fiat price at the invoice's rate. */
export function satsFor(price: bigint, rate: bigint): bigint {
  return fiatToSats(price, rate);
}
