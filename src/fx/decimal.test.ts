import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  compare,
  divide,
  invert,
  multiply,
  ONE,
  parseDecimal,
  rational,
  roundQuotient,
  subtract,
  toFixed,
  toSignificant,
  trimZeros,
} from "./decimal.ts";

describe("parseDecimal", () => {
  test("parses ECB-style decimals exactly, in lowest terms", () => {
    assert.deepEqual(parseDecimal("1.0823"), { num: 10823n, den: 10000n });
    assert.deepEqual(parseDecimal("161.45"), { num: 3229n, den: 20n });
    assert.deepEqual(parseDecimal("24.430"), { num: 2443n, den: 100n });
    assert.deepEqual(parseDecimal("0.85420"), { num: 4271n, den: 5000n });
    assert.deepEqual(parseDecimal("7"), { num: 7n, den: 1n });
    assert.deepEqual(parseDecimal("-0.5"), { num: -1n, den: 2n });
    assert.deepEqual(parseDecimal("0"), { num: 0n, den: 1n });
  });

  test("rejects anything that is not a plain decimal", () => {
    for (const bad of [
      "",
      " 1.2",
      "1.2 ",
      "1,0823",
      "1.",
      ".5",
      "1e3",
      "0x10",
      "+1",
      "abc",
      "1.2.3",
      "NaN",
    ]) {
      assert.throws(() => parseDecimal(bad), SyntaxError, bad);
    }
  });
});

describe("arithmetic", () => {
  test("multiply, divide, invert, subtract stay exact and normalized", () => {
    const usd = parseDecimal("1.0823");
    const jpy = parseDecimal("161.45");
    assert.deepEqual(divide(jpy, usd), { num: 1614500n, den: 10823n });
    assert.deepEqual(multiply(divide(jpy, usd), usd), jpy);
    assert.deepEqual(invert(parseDecimal("0.25")), { num: 4n, den: 1n });
    assert.deepEqual(subtract(ONE, parseDecimal("0.0050")), { num: 199n, den: 200n });
    assert.deepEqual(rational(6n, -4n), { num: -3n, den: 2n });
    assert.throws(() => rational(1n, 0n), RangeError);
    assert.throws(() => invert(rational(0n)), RangeError);
  });

  test("compare orders by value, not by representation", () => {
    assert.equal(compare(parseDecimal("1.50"), rational(3n, 2n)), 0);
    assert.equal(compare(parseDecimal("0.99999"), ONE), -1);
    assert.equal(compare(rational(-1n, 3n), rational(-1n, 2n)), 1);
  });

  test("a / b * b === a for any positive rationals", () => {
    const positive = fc
      .tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 12n }))
      .map(([n, d]) => rational(n, d));
    fc.assert(fc.property(positive, positive, (a, b) => compare(multiply(divide(a, b), b), a) === 0));
  });
});

describe("roundQuotient", () => {
  const cases: Array<[bigint, bigint, bigint, bigint, bigint]> = [
    // num, den, half_even, half_up, down
    [5n, 2n, 2n, 3n, 2n],
    [7n, 2n, 4n, 4n, 3n],
    [-5n, 2n, -2n, -3n, -2n],
    [-7n, 2n, -4n, -4n, -3n],
    [11n, 4n, 3n, 3n, 2n],
    [9n, 4n, 2n, 2n, 2n],
    [1n, 3n, 0n, 0n, 0n],
    [2n, 3n, 1n, 1n, 0n],
    [6n, 3n, 2n, 2n, 2n],
    [5n, -2n, -2n, -3n, -2n],
  ];
  for (const [num, den, even, up, down] of cases) {
    test(`${num}/${den}`, () => {
      assert.equal(roundQuotient(num, den, "half_even"), even);
      assert.equal(roundQuotient(num, den, "half_up"), up);
      assert.equal(roundQuotient(num, den, "down"), down);
    });
  }
});

describe("formatting", () => {
  test("toFixed rounds half-even to a number of places", () => {
    assert.equal(toFixed(rational(1n, 3n), 4), "0.3333");
    assert.equal(toFixed(rational(2n, 3n), 4), "0.6667");
    assert.equal(toFixed(parseDecimal("0.125"), 2), "0.12");
    assert.equal(toFixed(parseDecimal("0.135"), 2), "0.14");
    assert.equal(toFixed(parseDecimal("0.125"), 2, "half_up"), "0.13");
    assert.equal(toFixed(parseDecimal("-1.005"), 2), "-1.00");
    assert.equal(toFixed(parseDecimal("12.5"), 0), "12");
    assert.equal(toFixed(parseDecimal("0.0001"), 2), "0.00");
  });

  test("toSignificant keeps the given number of significant digits", () => {
    assert.equal(toSignificant(parseDecimal("24.43"), 5), "24.430");
    assert.equal(toSignificant(rational(1n, 7n), 5), "0.14286");
    assert.equal(toSignificant(rational(1614500n, 10823n), 10), "149.1730574");
    assert.equal(toSignificant(parseDecimal("9.99996"), 5), "10.000");
    assert.equal(toSignificant(parseDecimal("0.099996"), 4), "0.1000");
    assert.equal(toSignificant(parseDecimal("0.00012345"), 3), "0.000123");
    assert.equal(toSignificant(parseDecimal("19520.75"), 3), "19500");
    assert.equal(toSignificant(parseDecimal("-2.5"), 1), "-2");
    assert.equal(toSignificant(rational(0n), 3), "0.00");
  });

  test("trimZeros drops only trailing fraction zeros", () => {
    assert.equal(trimZeros("1.50000"), "1.5");
    assert.equal(trimZeros("2.000"), "2");
    assert.equal(trimZeros("100"), "100");
  });

  test("a formatted value parses back within half a unit of its last place", () => {
    const value = fc
      .tuple(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 9n }))
      .map(([n, d]) => rational(n, d));
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 12 }), (r, places) => {
        const back = parseDecimal(toFixed(r, places));
        const error = subtract(back, r);
        const halfUnit = rational(1n, 2n * 10n ** BigInt(places));
        return compare(error.num < 0n ? rational(-error.num, error.den) : error, halfUnit) <= 0;
      }),
    );
  });
});
