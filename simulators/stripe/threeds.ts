/**
 * The 3-D Secure page a `redirect_to_url` next action points at, like Stripe's test-mode page: two
 * buttons, each a form posting back. Completing it redirects the browser to the `return_url` with
 * `payment_intent`, `payment_intent_client_secret` and `redirect_status`, as Stripe does.
 */
import { attemptPayment, failAuthentication, newThreeDSecure } from "./authorize.ts";
import type { SimContext } from "./context.ts";
import { NO_REQUEST } from "./events.ts";

export type ChallengeAnswer =
  | { kind: "page"; status: number; html: string }
  | { kind: "redirect"; location: string };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formatAmount(amount: bigint, currency: string): string {
  try {
    const format = new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(Number(amount) / 10 ** digits);
  } catch {
    return `${amount} ${currency.toUpperCase()}`;
  }
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f6f9fc;color:#1a1f36}
main{max-width:420px;margin:10vh auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 2px 8px #0002}
h1{font-size:1.2rem;margin:0 0 12px}.amount{font-size:1.6rem;font-weight:600;margin:8px 0 24px}
form{display:flex;flex-direction:column;gap:12px}button{font-size:1rem;padding:12px;border-radius:6px;border:0;cursor:pointer}
.approve{background:#635bff;color:#fff}.fail{background:#e3e8ee;color:#1a1f36}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

function message(status: number, title: string, text: string): ChallengeAnswer {
  return {
    kind: "page",
    status,
    html: page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`),
  };
}

export function challengePage(ctx: SimContext, token: string): ChallengeAnswer {
  const found = ctx.store.challenge(token);
  if (!found) return message(404, "Not found", "There is no such authentication.");
  const { intent, account } = found;
  if (intent.challengeToken !== token || intent.status !== "requires_action") {
    return message(409, "Authentication closed", "This authentication is no longer pending.");
  }
  const last4 = intent.paymentMethodId
    ? account.paymentMethods.get(intent.paymentMethodId)?.card.last4
    : undefined;
  const action = `/3d_secure/authenticate/${encodeURIComponent(token)}`;
  const html = page(
    "3D Secure 2 Test Page",
    `<h1>3D Secure 2 Test Page</h1>
<p>Card ending in ${escapeHtml(last4 ?? "????")}</p>
<p class="amount" data-testid="amount">${escapeHtml(formatAmount(intent.amount, intent.currency))}</p>
<form method="post" action="${escapeHtml(action)}">
<button class="approve" type="submit" name="result" value="approve">Complete authentication</button>
<button class="fail" type="submit" name="result" value="fail">Fail authentication</button>
</form>`,
  );
  return { kind: "page", status: 200, html };
}

/** A repeated submission (double click, back button) changes nothing and redirects again. */
export function completeChallenge(ctx: SimContext, token: string, result: string | null): ChallengeAnswer {
  const found = ctx.store.challenge(token);
  if (!found) return message(404, "Not found", "There is no such authentication.");
  if (result !== "approve" && result !== "fail")
    return message(400, "Bad request", "Choose approve or fail.");
  const { intent, account } = found;
  const pm = intent.paymentMethodId ? account.paymentMethods.get(intent.paymentMethodId) : undefined;
  if (intent.challengeToken === token && intent.status === "requires_action" && pm) {
    intent.challengeToken = null;
    if (result === "approve") {
      attemptPayment(ctx, account, intent, pm, NO_REQUEST, { authenticated: newThreeDSecure(ctx) });
    } else {
      failAuthentication(ctx, account, intent, pm);
    }
  }
  if (!intent.returnUrl) return message(200, "Authentication complete", "You may close this window.");
  const location = new URL(intent.returnUrl);
  location.searchParams.append("payment_intent", intent.id);
  location.searchParams.append("payment_intent_client_secret", intent.clientSecret);
  const succeeded = ["succeeded", "requires_capture", "processing"].includes(intent.status);
  location.searchParams.append("redirect_status", succeeded ? "succeeded" : "failed");
  return { kind: "redirect", location: location.toString() };
}
