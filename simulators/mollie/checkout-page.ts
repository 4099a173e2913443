/** The iDEAL checkout stand-in: pick a bank, then the test-mode outcome. No scripts, no external resources. */
import type { Context } from "./context.ts";
import { html, type Reply, redirect } from "./http.ts";
import { IDEAL_ISSUERS, isIdealIssuer } from "./ideal.ts";
import { formatCents } from "./money.ts";
import { completeCheckout, expireIfDue, type ShopperChoice } from "./payments.ts";

const CHOICES: ReadonlyArray<{ value: ShopperChoice; label: string }> = [
  { value: "paid", label: "Paid" },
  { value: "pending", label: "Pending (bank confirms later)" },
  { value: "failed", label: "Failed" },
  { value: "canceled", label: "Canceled" },
  { value: "expired", label: "Expired" },
];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f5f6f8;color:#0a0a23}
main{max-width:440px;margin:8vh auto;background:#fff;border-radius:10px;padding:24px;box-shadow:0 2px 10px #0002}
h1{font-size:1.15rem;margin:0 0 12px}.amount{font-size:1.8rem;font-weight:600;margin:8px 0 20px}
form{display:flex;flex-direction:column;gap:10px}select,button{font-size:1rem;padding:10px;border-radius:6px}
button{border:0;cursor:pointer;background:#e6e8ec}button[value=paid]{background:#0077ff;color:#fff}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function message(status: number, title: string, text: string): Reply {
  return html(status, page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`));
}

/** GET shows the page; POST (form: `status`, optional `issuer`) records the answer and redirects the shopper. */
export function handleCheckout(ctx: Context, method: string, token: string, raw: Buffer): Reply {
  const payment = ctx.store.paymentByToken(token);
  if (!payment) return message(404, "Not found", "There is no such payment.");
  expireIfDue(ctx, payment);
  if (payment.status !== "open") {
    return message(410, "Payment closed", `This payment is ${payment.status} and can no longer be paid.`);
  }
  const action = `/checkout/select-issuer/ideal/${encodeURIComponent(token)}`;
  if (method === "GET") {
    const options = IDEAL_ISSUERS.map(
      (i) =>
        `<option value="${escapeHtml(i.id)}"${i.id === payment.issuer ? " selected" : ""}>${escapeHtml(i.name)}</option>`,
    ).join("");
    const buttons = CHOICES.map(
      (c) => `<button type="submit" name="status" value="${c.value}">${escapeHtml(c.label)}</button>`,
    ).join("\n");
    return html(
      200,
      page(
        "iDEAL – test mode",
        `<h1>Mollie simulator: iDEAL test payment</h1>
<p>${escapeHtml(payment.description)}</p>
<p class="amount" data-testid="amount">€ ${escapeHtml(formatCents(payment.amount))}</p>
<form method="post" action="${escapeHtml(action)}">
<label>Bank <select name="issuer">${options}</select></label>
${buttons}
</form>`,
      ),
    );
  }
  if (method !== "POST") return message(405, "Method not allowed", "Use GET or POST.");
  const form = new URLSearchParams(raw.toString("utf8"));
  const status = form.get("status");
  const choice = CHOICES.find((c) => c.value === status)?.value;
  if (!choice)
    return message(400, "Bad request", "status must be paid, pending, failed, canceled or expired.");
  const issuer = form.get("issuer");
  if (issuer !== null && issuer !== "" && !isIdealIssuer(issuer))
    return message(400, "Bad request", "Unknown bank.");
  completeCheckout(ctx, payment, choice, issuer || null);
  const target = choice === "canceled" && payment.cancelUrl ? payment.cancelUrl : payment.redirectUrl;
  if (!target) return message(200, "Done", `The payment is ${payment.status}.`);
  return redirect(target);
}
