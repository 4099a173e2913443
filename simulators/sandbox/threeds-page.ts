/** The 3-D Secure challenge page: self-contained HTML, no scripts and no external resources. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function formatAmount(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  try {
    const format = new Intl.NumberFormat("en", { style: "currency", currency: code });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount / 10 ** digits);
  } catch {
    return `${amount} ${code} (minor units)`;
  }
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1a1f36}
main{max-width:420px;margin:10vh auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 2px 8px #0002}
h1{font-size:1.25rem;margin:0 0 16px}.amount{font-size:1.75rem;font-weight:600;margin:8px 0 24px}
form{display:flex;flex-direction:column;gap:12px}button{font-size:1rem;padding:12px;border-radius:6px;border:0;cursor:pointer}
.approve{background:#0a7b45;color:#fff}.fail{background:#e3e8ee;color:#1a1f36}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

export function challengePage(charge: {
  id: string;
  amount: number;
  currency: string;
  last4: string;
}): string {
  const action = `/3ds/${encodeURIComponent(charge.id)}`;
  return page(
    "3-D Secure authentication",
    `<h1>Sandbox 3-D Secure authentication</h1>
<p>Card ending in ${escapeHtml(charge.last4)}</p>
<p class="amount" data-testid="amount">${escapeHtml(formatAmount(charge.amount, charge.currency))}</p>
<form method="post" action="${escapeHtml(action)}">
<button class="approve" type="submit" name="result" value="approve">Complete authentication</button>
<button class="fail" type="submit" name="result" value="fail">Fail authentication</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
