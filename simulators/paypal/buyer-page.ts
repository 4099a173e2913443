/**
 * The sandbox buyer's side of PayPal Checkout: GET /checkoutnow?token=<order id> shows the order with
 * Approve and Cancel. Approving (with a chosen funding source) sends CHECKOUT.ORDER.APPROVED and redirects
 * to return_url?token=…&PayerID=…; cancelling redirects to cancel_url?token=…. Funding sources: `balance`
 * (captures complete at once), `echeck` (captures pending, then completed), `echeck_denied` (pending, then
 * denied) and `declined` (capture/authorize answer 422 INSTRUMENT_DECLINED; the buyer may approve again).
 */
import type { Context } from "./context.ts";
import { escapeHtml, html, parseForm, redirect, type Sent } from "./http.ts";
import { formatAmount } from "./money.ts";
import { approveOrder, cancelOrder, findOrder, isAwaitingApproval } from "./orders.ts";
import type { Funding } from "./store.ts";

export const CHECKOUT_PATH = "/checkoutnow";
const FUNDING: Funding[] = ["balance", "echeck", "echeck_denied", "declined"];

function page(title: string, body: string, status = 200): Sent {
  return html(
    status,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
      `<title>${escapeHtml(title)}</title><style>body{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}` +
      `button{font-size:1rem;padding:.6rem 1.2rem;margin:.3rem 0}label{display:block;margin:.4rem 0}</style></head>` +
      `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  );
}

function gone(reason: string): Sent {
  return page("Things don't appear to be working at the moment", `<p>${escapeHtml(reason)}</p>`, 404);
}

export function showCheckout(ctx: Context, token: string): Sent {
  const order = findOrder(ctx, token);
  if (!order) return gone("This order has expired or does not exist.");
  if (order.status !== "APPROVED" && !isAwaitingApproval(order))
    return gone("This order has already been paid.");
  const brand = order.brandName ?? ctx.store.apps.get(order.clientId)?.merchantEmail ?? "Merchant";
  const lines = order.purchaseUnits
    .map(
      (unit) =>
        `<li data-reference-id="${escapeHtml(unit.referenceId)}">${escapeHtml(formatAmount(unit.currency, unit.amountMinor))} ${escapeHtml(unit.currency)}</li>`,
    )
    .join("");
  const options = FUNDING.map((funding) => `<option value="${funding}">${funding}</option>`).join("");
  const hidden = `<input type="hidden" name="token" value="${escapeHtml(order.id)}">`;
  return page(
    `Pay ${brand} with PayPal`,
    `<p>Order <code id="order-id">${escapeHtml(order.id)}</code> (${escapeHtml(order.intent)})</p><ul>${lines}</ul>` +
      `<form method="post" action="${CHECKOUT_PATH}/approve">${hidden}` +
      `<label>Email <input name="email" value="sb-buyer@personal.example.com"></label>` +
      `<label>Funding <select name="funding">${options}</select></label>` +
      `<button type="submit" id="approve">Approve</button></form>` +
      `<form method="post" action="${CHECKOUT_PATH}/cancel">${hidden}` +
      `<button type="submit" id="cancel">Cancel and return to merchant</button></form>`,
  );
}

export function submitCheckout(ctx: Context, action: "approve" | "cancel", raw: Buffer): Sent {
  const form = parseForm(raw);
  const token = form.get("token") ?? "";
  if (action === "cancel") {
    const result = cancelOrder(ctx, token);
    if (!result.ok) return gone(result.reason);
    return result.redirectTo
      ? redirect(result.redirectTo)
      : page("Payment cancelled", "<p>You may close this window.</p>");
  }
  const requested = form.get("funding") ?? "balance";
  const funding = (FUNDING as string[]).includes(requested) ? (requested as Funding) : "balance";
  const email = (form.get("email") ?? "").trim() || "sb-buyer@personal.example.com";
  const result = approveOrder(ctx, token, funding, {
    email: email.slice(0, 254),
    givenName: "John",
    surname: "Doe",
    countryCode: "US",
  });
  if (!result.ok) return gone(result.reason);
  return result.redirectTo
    ? redirect(result.redirectTo)
    : page("Payment approved", "<p>You may close this window.</p>");
}
