/**
 * The shopper's side: a stand-in for BTCPay's checkout page at the invoice's `checkoutLink` (`/i/{id}`).
 * A test (or a person) pays in full, underpays, overpays, or abandons by POSTing the form; paying after
 * the expiry (within the monitoring window) is a late payment. `confirm=never` sends a payment that never
 * confirms, so the invoice goes Invalid when monitoring ends.
 */
import type { IncomingMessage } from "node:http";
import type { Context } from "./context.ts";
import { formatSats, SATS_PER_BTC } from "./decimal.ts";
import { escapeHtml, html, type Reply, redirect } from "./http.ts";
import { accountedSats, pay, refresh } from "./invoice-state.ts";
import type { Invoice } from "./store.ts";

const ACTIONS = ["pay", "underpay", "overpay", "abandon"] as const;
type Action = (typeof ACTIONS)[number];

function page(title: string, body: string, invoice?: Invoice): string {
  const data = invoice
    ? ` data-invoice-id="${escapeHtml(invoice.id)}" data-status="${invoice.status}" data-additional-status="${invoice.additionalStatus}"`
    : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:36rem;margin:2rem auto}form{display:inline-block;margin:.25rem}</style>
</head><body${data}><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function remainingSats(invoice: Invoice): bigint {
  const remaining = invoice.dueSats - accountedSats(invoice);
  return remaining > 0n ? remaining : 0n;
}

function checkoutPage(invoice: Invoice, now: Date): string {
  const remaining = remainingSats(invoice);
  const secondsLeft = Math.max(0, Math.floor((invoice.expiresAt.getTime() - now.getTime()) / 1000));
  const open = invoice.status === "New" || invoice.status === "Expired";
  const forms = open
    ? ACTIONS.map(
        (action) =>
          `<form method="post"><input type="hidden" name="action" value="${action}"><button>${action}</button></form>`,
      ).join("")
    : "";
  const due = invoice.type === "TopUp" ? "any amount" : `${formatSats(remaining)} BTC`;
  return page(
    `Invoice ${invoice.id}`,
    `<p>Pay <strong>${due}</strong> to <code>${escapeHtml(invoice.destination)}</code></p>
<p>Status: <strong>${invoice.status}</strong> (${invoice.additionalStatus}); expires in ${secondsLeft} s</p>${forms}`,
    invoice,
  );
}

function satsForAction(invoice: Invoice, action: Action, btc: string | null): bigint | null {
  if (btc !== null) {
    const match = /^(\d+)(?:\.(\d{1,8}))?$/.exec(btc.trim());
    if (!match) return null;
    return BigInt(match[1] ?? "0") * SATS_PER_BTC + BigInt((match[2] ?? "").padEnd(8, "0"));
  }
  const remaining = invoice.type === "TopUp" ? 100_000n : remainingSats(invoice);
  if (action === "underpay") return remaining > 1n ? remaining / 2n : null;
  if (action === "overpay") return remaining + (remaining / 10n > 1000n ? remaining / 10n : 1000n);
  return remaining > 0n ? remaining : null;
}

/** A function, so the status is read afresh after pay() moved the invoice on. */
function isPaid(invoice: Invoice): boolean {
  return invoice.status === "Processing" || invoice.status === "Settled";
}

function redirectTarget(invoice: Invoice): string | null {
  const template = invoice.checkout.redirectURL;
  if (!template) return null;
  const orderId = typeof invoice.metadata.orderId === "string" ? invoice.metadata.orderId : "";
  return template
    .replaceAll("{InvoiceId}", encodeURIComponent(invoice.id))
    .replaceAll("{OrderId}", encodeURIComponent(orderId));
}

export function handleCheckout(ctx: Context, req: IncomingMessage, invoiceId: string, body: Buffer): Reply {
  const invoice = ctx.store.invoices.get(invoiceId);
  if (!invoice) return html(404, page("Invoice not found", "<p>There is no such invoice.</p>"));
  refresh(ctx, invoice);
  if (req.method === "GET") return html(200, checkoutPage(invoice, ctx.now()));
  if (req.method !== "POST") return html(405, page("Method not allowed", "<p>Use GET or POST.</p>"));

  const form = new URLSearchParams(body.toString("utf8"));
  const action = form.get("action") as Action | null;
  if (action === null || !ACTIONS.includes(action)) {
    return html(400, page("Bad request", `<p>action must be one of ${ACTIONS.join(", ")}.</p>`, invoice));
  }
  if (action === "abandon") {
    return html(200, page("You left the checkout", "<p>The invoice expires on its own.</p>", invoice));
  }
  if (invoice.status === "Settled" || invoice.status === "Invalid") {
    return html(
      409,
      page("Payment not accepted", `<p>This invoice is ${invoice.status.toLowerCase()}.</p>`, invoice),
    );
  }
  const sats = satsForAction(invoice, action, form.get("btc"));
  if (sats === null || sats <= 0n) {
    return html(400, page("Bad request", "<p>Nothing to pay, or btc is not a BTC amount.</p>", invoice));
  }
  const result = pay(ctx, invoice, sats, form.get("confirm") !== "never");
  if (result.kind === "closed")
    return html(409, page("Payment not accepted", `<p>${result.reason}</p>`, invoice));
  const paid = isPaid(invoice);
  const target = redirectTarget(invoice);
  if (paid && target && invoice.checkout.redirectAutomatically) return redirect(target);
  const back = target ? `<p><a href="${escapeHtml(target)}">Return to store</a></p>` : "";
  return html(
    200,
    page(
      paid ? "Invoice paid" : "Payment received",
      `<p>Received ${formatSats(sats)} BTC. Status: ${invoice.status} (${invoice.additionalStatus}).</p>${back}`,
      invoice,
    ),
  );
}

export function pullPaymentPage(ctx: Context, pullPaymentId: string): Reply {
  const pp = ctx.store.pullPayments.get(pullPaymentId);
  if (!pp) return html(404, page("Not found", "<p>There is no such pull payment.</p>"));
  return html(
    200,
    page(
      pp.name,
      `<p>Claim your refund: ${escapeHtml(pp.currency)} (pull payment ${escapeHtml(pp.id)}).</p>`,
    ),
  );
}
