import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { allocate, findCurrency, maxMinorAmount } from "./money.ts";

test("ISO 4217 exponents", () => {
  assert.equal(findCurrency("jpy")?.exponent, 0);
  assert.equal(findCurrency("usd")?.exponent, 2);
  assert.equal(findCurrency("kwd")?.exponent, 3);
  assert.equal(findCurrency("xau"), undefined);
  assert.equal(maxMinorAmount(findCurrency("usd")!, 999_999), 99_999_999n);
  assert.equal(maxMinorAmount(findCurrency("jpy")!, 999_999), 999_999n);
});

test("largest-remainder allocation always sums to the whole and is proportional within one unit", () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
      fc.array(fc.bigInt({ min: 0n, max: 10n ** 6n }), { minLength: 1, maxLength: 12 }),
      (total, weights) => {
        fc.pre(weights.some((w) => w > 0n));
        const parts = allocate(total, weights);
        assert.equal(
          parts.reduce((a, b) => a + b, 0n),
          total,
        );
        const sum = weights.reduce((a, b) => a + b, 0n);
        parts.forEach((part, i) => {
          const exact = (total * (weights[i] as bigint)) / sum;
          const diff = part - exact;
          assert.ok(diff >= -1n && diff <= 1n, `part ${part} vs ${exact}`);
        });
      },
    ),
    { numRuns: 2000 },
  );
});

test("allocation examples", () => {
  assert.deepEqual(allocate(100n, [1n, 1n, 1n]), [34n, 33n, 33n]);
  assert.deepEqual(allocate(5n, [3n, 7n]), [2n, 3n]);
  assert.deepEqual(allocate(-100n, [1n, 1n, 1n]), [-34n, -33n, -33n]);
  assert.throws(() => allocate(10n, []));
});
