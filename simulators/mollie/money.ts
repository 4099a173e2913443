/** Mollie's amounts are strings with exactly the currency's decimals ("10.00"); here they are bigint cents. */

const EUR_VALUE = /^(\d{1,10})\.(\d{2})$/;

/** Cents for a well-formed EUR value, or null. */
export function parseEurValue(value: unknown): bigint | null {
  if (typeof value !== "string") return null;
  const match = EUR_VALUE.exec(value);
  if (!match) return null;
  return BigInt(match[1] ?? "0") * 100n + BigInt(match[2] ?? "0");
}

function withScale(amount: bigint, scale: number): string {
  const negative = amount < 0n;
  const magnitude = negative ? -amount : amount;
  const unit = 10n ** BigInt(scale);
  const fraction = (magnitude % unit).toString().padStart(scale, "0");
  return `${negative ? "-" : ""}${magnitude / unit}.${fraction}`;
}

export function formatCents(cents: bigint): string {
  return withScale(cents, 2);
}

/** Settlement periods carry four decimals ("2.1000"). */
export function formatTenThousandths(amount: bigint): string {
  return withScale(amount, 4);
}

export function eur(cents: bigint): { currency: "EUR"; value: string } {
  return { currency: "EUR", value: formatCents(cents) };
}

/** Ten-thousandths to cents, half away from zero. */
export function roundToCents(tenThousandths: bigint): bigint {
  const negative = tenThousandths < 0n;
  const magnitude = negative ? -tenThousandths : tenThousandths;
  const cents = (magnitude + 50n) / 100n;
  return negative ? -cents : cents;
}
