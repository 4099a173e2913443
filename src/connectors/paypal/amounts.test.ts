import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fromPayPalMoney, PAYPAL_CURRENCIES, toPayPalMoney } from "./amounts.ts";

describe("paypal amounts", () => {
  const outbound: Array<[bigint, string, string | null]> = [
    [10_000n, "usd", "100.00"],
    [1n, "usd", "0.01"],
    [99n, "eur", "0.99"],
    [123_456_789_012_345_678n, "usd", "1234567890123456.78"],
    [1234n, "jpy", "1234"],
    // ISO gives HUF and TWD two decimals; PayPal takes whole units only.
    [150_000n, "huf", "1500"],
    [150_050n, "huf", null],
    [2_500n, "twd", "25"],
    [2_550n, "twd", null],
    [0n, "usd", null],
    [-5n, "usd", null],
    [100n, "kwd", null],
    [100n, "xyz", null],
  ];
  for (const [amount, currency, value] of outbound) {
    test(`${amount} ${currency} → ${value ?? "not sendable"}`, () => {
      const money = toPayPalMoney(amount, currency);
      if (value === null) assert.equal(money, null);
      else assert.deepEqual(money, { currency_code: currency.toUpperCase(), value });
    });
  }

  const inbound: Array<[string, string, bigint | null]> = [
    ["USD", "100.00", 10_000n],
    ["USD", "100", 10_000n],
    ["USD", "0.5", 50n],
    ["USD", "1.230", 123n],
    ["USD", "1.234", null],
    ["JPY", "1234", 1234n],
    ["JPY", "1234.00", 1234n],
    ["JPY", "1234.5", null],
    ["HUF", "1500", 150_000n],
    ["TWD", "25", 2_500n],
    ["USD", "-1.00", null],
    ["USD", "1e3", null],
    ["ZZZ", "1.00", null],
  ];
  for (const [currency, value, amount] of inbound) {
    test(`${value} ${currency} → ${amount ?? "refused"}`, () => {
      const parsed = fromPayPalMoney({ currency_code: currency, value });
      if (amount === null) assert.equal(parsed, null);
      else assert.deepEqual(parsed, { amount, currency: currency.toLowerCase() });
    });
  }

  test("every PayPal currency goes there and back exactly", () => {
    assert.equal(PAYPAL_CURRENCIES.length, 24);
    for (const currency of PAYPAL_CURRENCIES) {
      const money = toPayPalMoney(1_234_500n, currency);
      assert.ok(money, currency);
      assert.deepEqual(fromPayPalMoney(money), { amount: 1_234_500n, currency });
    }
  });
});
