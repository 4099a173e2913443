/** The stand-in for GrabPay's hosted login and payment confirmation page. */
import { PAYMENT_METHODS } from "./charges.ts";
import { escapeHtml } from "./http.ts";
import { CURRENCY_EXPONENT } from "./params.ts";
import type { ConsentSession } from "./store.ts";

export function formatAmount(amount: bigint, currency: string): string {
  const exponent = CURRENCY_EXPONENT[currency] ?? 2;
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

export function consentPage(session: ConsentSession): string {
  const { charge } = session;
  const action = `/simulator/consent/${encodeURIComponent(session.id)}`;
  const methods = PAYMENT_METHODS.filter((m) => !charge.hidePaymentMethods.includes(m))
    .map((m) => `<option value="${m}">${m}</option>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GrabPay (simulator)</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto}button{margin:.25rem}</style></head>
<body>
<h1>GrabPay sandbox</h1>
<p>Pay <strong data-amount>${escapeHtml(charge.currency)} ${escapeHtml(formatAmount(charge.amount, charge.currency))}</strong>
to merchant <span data-merchant>${escapeHtml(charge.merchantID)}</span></p>
<p data-description>${escapeHtml(charge.description)}</p>
<form method="post" action="${escapeHtml(action)}">
<label>Pay with <select name="paymentMethod">${methods}</select></label><br>
<button name="action" value="approve">Approve</button>
<button name="action" value="fail">Approve, but the payment fails (insufficient balance)</button>
<button name="action" value="decline">Decline</button>
<button name="action" value="abandon">Abandon</button>
</form>
</body></html>`;
}

export function messagePage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}
