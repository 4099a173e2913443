import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { convertAmount, convertWithFee, quoteRates } from "./convert.ts";
import { divide, parseDecimal, type Rational, type Rounding, rational, toSignificant } from "./decimal.ts";

const r = parseDecimal;
const usdJpy = divide(r("161.45"), r("1.0823")); // ECB cross: yen per dollar

describe("convertAmount across exponents", () => {
  // amount (minor units of from), from, to, rate, [half_even, half_up, down]
  const table: Array<[bigint, string, string, Rational, [bigint, bigint, bigint]]> = [
    [100n, "usd", "jpy", usdJpy, [149n, 149n, 149n]], // $1.00 -> ¥149.17
    [1_000_000n, "usd", "jpy", usdJpy, [1_491_731n, 1_491_731n, 1_491_730n]], // $10,000 -> ¥1,491,730.57
    [1000n, "jpy", "usd", divide(r("1.0823"), r("161.45")), [670n, 670n, 670n]], // ¥1000 -> $6.7036
    [100n, "usd", "jpy", r("1.5"), [2n, 2n, 1n]], // ¥1.5: tie, 1 is odd -> 2
    [300n, "usd", "jpy", r("1.5"), [4n, 5n, 4n]], // ¥4.5: tie, 4 is even
    [-300n, "usd", "jpy", r("1.5"), [-4n, -5n, -4n]], // refunds mirror payments
    [1000n, "usd", "kwd", r("0.3075"), [3075n, 3075n, 3075n]], // $10 -> KWD 3.075, exact
    [1n, "kwd", "jpy", r("500"), [0n, 1n, 0n]], // 0.001 KWD -> ¥0.5: tie to even 0
    [3n, "kwd", "jpy", r("500"), [2n, 2n, 1n]], // ¥1.5
    [1n, "jpy", "kwd", r("0.002"), [2n, 2n, 2n]], // ¥1 -> 0.002 KWD = 2 fils
    [25n, "kwd", "usd", r("3"), [8n, 8n, 7n]], // 0.025 KWD -> $0.075 = 7.5 cents
    [35n, "kwd", "usd", r("3"), [10n, 11n, 10n]], // 10.5 cents
    [7n, "kwd", "usd", r("3"), [2n, 2n, 2n]], // 2.1 cents
    [12345n, "eur", "usd", r("1.0823"), [13361n, 13361n, 13360n]], // €123.45 -> $133.6099...
    [0n, "usd", "jpy", usdJpy, [0n, 0n, 0n]],
  ];
  const modes: Rounding[] = ["half_even", "half_up", "down"];
  for (const [amount, from, to, rate, expected] of table) {
    test(`${amount} ${from} -> ${to} at ${toSignificant(rate, 8)}`, () => {
      modes.forEach((mode, i) => {
        assert.equal(convertAmount(amount, from, to, rate, mode), expected[i], mode);
      });
    });
  }

  test("half-even is the default", () => {
    assert.equal(convertAmount(100n, "usd", "jpy", r("2.5")), 2n);
  });

  test("rejects an unknown currency or a non-positive rate", () => {
    assert.throws(() => convertAmount(1n, "usd", "xyz", r("1")), RangeError);
    assert.throws(() => convertAmount(1n, "usd", "jpy", r("0")), RangeError);
  });
});

describe("rounding properties", () => {
  const currencies = ["jpy", "usd", "eur", "kwd", "bhd", "krw", "isk", "gbp"];
  const exponent: Record<string, bigint> = {
    jpy: 0n,
    krw: 0n,
    isk: 0n,
    usd: 2n,
    eur: 2n,
    gbp: 2n,
    kwd: 3n,
    bhd: 3n,
  };
  const rateArb = fc
    .tuple(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.bigInt({ min: 1n, max: 10n ** 9n }))
    .map(([num, den]) => rational(num, den));
  const amountArb = fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n });
  const currencyArb = fc.constantFrom(...currencies);

  /** The exact converted value as a fraction N / D of minor units of `to`. */
  function exact(amount: bigint, from: string, to: string, rate: Rational): { n: bigint; d: bigint } {
    const n = amount * rate.num * 10n ** (exponent[to] as bigint);
    const d = rate.den * 10n ** (exponent[from] as bigint);
    return { n, d };
  }

  test("half-even is within half a minor unit of the exact value, and ties go to even", () => {
    fc.assert(
      fc.property(amountArb, currencyArb, currencyArb, rateArb, (amount, from, to, rate) => {
        const c = convertAmount(amount, from, to, rate, "half_even");
        const { n, d } = exact(amount, from, to, rate);
        const twiceError = 2n * (c * d - n);
        const magnitude = twiceError < 0n ? -twiceError : twiceError;
        if (magnitude > d) return false;
        return magnitude < d || c % 2n === 0n;
      }),
      { numRuns: 2000 },
    );
  });

  test("down truncates toward zero by less than one minor unit", () => {
    fc.assert(
      fc.property(amountArb, currencyArb, currencyArb, rateArb, (amount, from, to, rate) => {
        const c = convertAmount(amount, from, to, rate, "down");
        const { n, d } = exact(amount, from, to, rate);
        const gap = n - c * d; // exact - converted, scaled by d
        return amount >= 0n ? gap >= 0n && gap < d : gap <= 0n && -gap < d;
      }),
    );
  });

  test("conversion never decreases when the amount grows", () => {
    fc.assert(
      fc.property(amountArb, fc.bigInt({ min: 0n, max: 10n ** 6n }), rateArb, (amount, more, rate) => {
        return convertAmount(amount + more, "usd", "kwd", rate) >= convertAmount(amount, "usd", "kwd", rate);
      }),
    );
  });
});

describe("quoteRates and the FX fee", () => {
  test("customer rate = reference × (1 − spread)", () => {
    const quoted = quoteRates(r("1.0823"), 50);
    assert.deepEqual(quoted.customer, r("1.0768885"));
    assert.deepEqual(quoted.spread, r("0.005"));
    assert.deepEqual(quoteRates(r("1.0823"), 0).customer, r("1.0823"));
  });

  test("the fee is the difference of both conversions, each rounded half-even", () => {
    const quoted = quoteRates(usdJpy, 100); // 1 %
    // $1,000.00 -> ¥149,173.06 at reference -> 149173; at customer ¥147,681.33 -> 147681.
    const conversion = convertWithFee(100_000n, "usd", "jpy", quoted);
    assert.deepEqual(conversion, { converted: 147_681n, atReference: 149_173n, fee: 1_492n });
  });

  test("the fee is never negative and at most the spread of the amount, give or take rounding", () => {
    const currencyArb = fc.constantFrom("jpy", "usd", "kwd", "eur");
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        currencyArb,
        currencyArb,
        fc.integer({ min: 0, max: 9999 }),
        (amount, from, to, bps) => {
          const quoted = quoteRates(usdJpy, bps);
          const { fee, atReference } = convertWithFee(amount, from, to, quoted);
          // fee = round(x) - round(x(1 - s)) <= x*s + 1, and x <= atReference + 1/2.
          return fee >= 0n && fee * 10_000n <= atReference * BigInt(bps) + 20_000n;
        },
      ),
    );
  });

  test("rejects a spread outside 0..9999 bps", () => {
    for (const bad of [-1, 10_000, 1.5, Number.NaN]) assert.throws(() => quoteRates(r("1"), bad), RangeError);
  });
});
