/** Exact decimal text for bigint minor units, both ways; amounts never pass through a float. */

/** 123456n with exponent 2 → "1234.56"; 5n with exponent 0 → "5"; 5n with exponent 3 → "0.005". */
export function formatMinorUnits(amount: bigint, exponent: number): string {
  const sign = amount < 0n ? "-" : "";
  const digits = (amount < 0n ? -amount : amount).toString().padStart(exponent + 1, "0");
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** A non-negative decimal as an integer and a count of fraction digits: "12.50" → 1250n, 2. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

export function parseDecimal(text: string): Decimal | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const fraction = match[2] ?? "";
  return { units: BigInt(`${match[1]}${fraction}`), scale: fraction.length };
}

export function decimalEquals(a: Decimal, b: Decimal): boolean {
  const scale = Math.max(a.scale, b.scale);
  return a.units * 10n ** BigInt(scale - a.scale) === b.units * 10n ** BigInt(scale - b.scale);
}

/** Sum of amounts of possibly different exponents, kept exact at the largest exponent. */
export function sumMinorUnits(parts: ReadonlyArray<{ amount: bigint; exponent: number }>): Decimal {
  const scale = parts.reduce((max, part) => Math.max(max, part.exponent), 0);
  const units = parts.reduce((sum, part) => sum + part.amount * 10n ** BigInt(scale - part.exponent), 0n);
  return { units, scale };
}

export function formatDecimal(value: Decimal): string {
  return formatMinorUnits(value.units, value.scale);
}

/** "1234.5" with exponent 2 → 123450n; null when it is not a decimal or has non-zero digits beyond it. */
export function toMinorUnits(text: string, exponent: number): bigint | null {
  const value = parseDecimal(text);
  if (!value) return null;
  if (value.scale <= exponent) return value.units * 10n ** BigInt(exponent - value.scale);
  const divisor = 10n ** BigInt(value.scale - exponent);
  return value.units % divisor === 0n ? value.units / divisor : null;
}
