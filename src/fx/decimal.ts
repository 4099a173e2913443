/**
 * Exact rates as rationals of bigints. Exchange rates are published as decimal strings ("1.0823",
 * "161.45"); cross rates and spreads are quotients of those, so they are kept as fractions in lowest
 * terms and never pass through a float.
 */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

export type Rounding = "half_even" | "half_up" | "down";

const abs = (n: bigint) => (n < 0n ? -n : n);

function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** A fraction in lowest terms with a positive denominator. */
export function rational(num: bigint, den = 1n): Rational {
  if (den === 0n) throw new RangeError("denominator must not be zero");
  const sign = den < 0n ? -1n : 1n;
  const divisor = gcd(num, den) || 1n;
  return { num: (sign * num) / divisor, den: (sign * den) / divisor };
}

export const ONE: Rational = { num: 1n, den: 1n };

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses a plain decimal ("1.0823", "161.45", "-0.5"); no exponents, spaces, commas or empty parts. */
export function parseDecimal(text: string): Rational {
  const match = DECIMAL.exec(text);
  if (!match) throw new SyntaxError(`not a decimal number: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ""] = match;
  const digits = BigInt(`${whole}${fraction}`);
  return rational(sign === "-" ? -digits : digits, 10n ** BigInt(fraction.length));
}

export const multiply = (a: Rational, b: Rational): Rational => rational(a.num * b.num, a.den * b.den);

export function invert(a: Rational): Rational {
  if (a.num === 0n) throw new RangeError("cannot invert zero");
  return rational(a.den, a.num);
}

export const divide = (a: Rational, b: Rational): Rational => multiply(a, invert(b));

export const subtract = (a: Rational, b: Rational): Rational =>
  rational(a.num * b.den - b.num * a.den, a.den * b.den);

export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export const equals = (a: Rational, b: Rational): boolean => compare(a, b) === 0;

export const isPositive = (a: Rational): boolean => a.num > 0n;

/**
 * num / den rounded to an integer. `half_even` rounds a tie to the even neighbour (banker's rounding),
 * `half_up` rounds a tie away from zero, `down` truncates toward zero. Symmetric around zero, so a
 * negative amount (a refund) rounds to the negation of the positive one.
 */
export function roundQuotient(num: bigint, den: bigint, rounding: Rounding): bigint {
  if (den === 0n) throw new RangeError("division by zero");
  const negative = num < 0n !== den < 0n;
  const n = abs(num);
  const d = abs(den);
  let q = n / d;
  const twiceRest = (n % d) * 2n;
  if (rounding === "half_up" && twiceRest >= d) q += 1n;
  if (rounding === "half_even" && (twiceRest > d || (twiceRest === d && q % 2n === 1n))) q += 1n;
  return negative ? -q : q;
}

/** Exact value rounded to `places` decimal places, e.g. toFixed(1/3, 4) === "0.3333". */
export function toFixed(a: Rational, places: number, rounding: Rounding = "half_even"): string {
  if (!Number.isInteger(places) || places < 0) throw new RangeError("places must be a whole number");
  const scaled = roundQuotient(a.num * 10n ** BigInt(places), a.den, rounding);
  const digits = abs(scaled)
    .toString()
    .padStart(places + 1, "0");
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places);
  return `${scaled < 0n ? "-" : ""}${whole}${places > 0 ? `.${fraction}` : ""}`;
}

/** Number of digits of the integer part of |a| when |a| >= 1, else minus the count of leading zeros. */
function magnitude(a: Rational): number {
  const n = abs(a.num);
  if (n >= a.den) return (n / a.den).toString().length;
  let zeros = 0;
  let scaled = n * 10n;
  while (scaled < a.den) {
    scaled *= 10n;
    zeros += 1;
  }
  return -zeros;
}

/**
 * Exact value rounded to `digits` significant digits, keeping trailing zeros the way the ECB prints
 * its rates: toSignificant(24.43, 5) === "24.430", toSignificant(1/7, 5) === "0.14286".
 */
export function toSignificant(a: Rational, digits: number, rounding: Rounding = "half_even"): string {
  if (!Number.isInteger(digits) || digits < 1) throw new RangeError("digits must be at least 1");
  if (a.num === 0n) return toFixed(a, Math.max(0, digits - 1));
  const places = digits - magnitude(a);
  if (places >= 0) {
    const text = toFixed(a, places, rounding);
    // Rounding up can add a digit (9.9996 -> "10.000"); drop the now superfluous last one.
    const significant = text.replace(/[-.]/g, "").replace(/^0+/, "").length;
    return significant > digits && places > 0 ? toFixed(a, places - 1, rounding) : text;
  }
  const unit = 10n ** BigInt(-places);
  return (roundQuotient(a.num, a.den * unit, rounding) * unit).toString();
}

/** Drops trailing zeros of a decimal string's fraction: "1.50000" -> "1.5", "2.000" -> "2". */
export const trimZeros = (text: string): string =>
  text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
