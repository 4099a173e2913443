/** The simulator's 3-D Secure challenge page: self-contained HTML, no scripts, no external resources. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function formatAmount(value: bigint, currency: string): string {
  try {
    const format = new Intl.NumberFormat("en", { style: "currency", currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    const scale = 10n ** BigInt(digits);
    const whole = value / scale;
    const fraction = (value % scale).toString().padStart(digits, "0");
    return format.format(Number(digits > 0 ? `${whole}.${fraction}` : `${whole}`));
  } catch {
    return `${value} ${currency} (minor units)`;
  }
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f3f5f8;color:#00112c}
main{max-width:420px;margin:10vh auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 2px 8px #0002}
h1{font-size:1.2rem;margin:0 0 16px}.amount{font-size:1.75rem;font-weight:600;margin:8px 0 24px}
form{display:flex;flex-direction:column;gap:12px}button{font-size:1rem;padding:12px;border-radius:6px;border:0;cursor:pointer}
.approve{background:#0abf53;color:#fff}.fail{background:#e6e9eb;color:#00112c}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

export function challengePage(details: {
  token: string;
  merchantAccount: string;
  value: bigint;
  currency: string;
  last4: string;
}): string {
  const action = `/simulator/3ds/${encodeURIComponent(details.token)}`;
  return page(
    "3-D Secure authentication",
    `<h1>Adyen simulator: 3-D Secure authentication</h1>
<p>Merchant ${escapeHtml(details.merchantAccount)}, card ending in ${escapeHtml(details.last4)}</p>
<p class="amount" data-testid="amount">${escapeHtml(formatAmount(details.value, details.currency))}</p>
<form method="post" action="${escapeHtml(action)}">
<button class="approve" type="submit" name="result" value="approve">Approve</button>
<button class="fail" type="submit" name="result" value="fail">Fail</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
