import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cardBehavior, detectBrand, isExpired, luhnValid } from "./cards.ts";

describe("luhnValid", () => {
  for (const number of [
    "4242424242424242",
    "5555555555554444",
    "378282246310005",
    "6011111111111117",
    "4000002760003184",
  ]) {
    test(`accepts ${number}`, () => assert.equal(luhnValid(number), true));
  }
  for (const number of [
    "4242424242424241",
    "1234567890123456",
    "42424242424",
    "42424242424242424242",
    "4242 4242 4242 4242",
    "",
  ]) {
    test(`rejects ${JSON.stringify(number)}`, () => assert.equal(luhnValid(number), false));
  }
});

describe("detectBrand", () => {
  const table: Array<[string, string]> = [
    ["4242424242424242", "visa"],
    ["5105105105105100", "mastercard"],
    ["5555555555554444", "mastercard"],
    ["2221000000000009", "mastercard"],
    ["2720990000000007", "mastercard"],
    ["2220990000000000", "unknown"],
    ["2721000000000000", "unknown"],
    ["378282246310005", "amex"],
    ["341111111111111", "amex"],
    ["6011111111111117", "discover"],
    ["6500000000000002", "discover"],
    ["3528000000000007", "jcb"],
    ["3589000000000003", "jcb"],
    ["3590000000000000", "unknown"],
    ["6200000000000005", "unionpay"],
    ["5000000000000000", "unknown"],
    ["9000000000000000", "unknown"],
  ];
  for (const [number, brand] of table) {
    test(`${number} is ${brand}`, () => assert.equal(detectBrand(number), brand));
  }
});

describe("isExpired", () => {
  const now = new Date(Date.UTC(2030, 5, 15));
  test("a card is valid through its expiry month", () => assert.equal(isExpired(6, 2030, now), false));
  test("last month has expired", () => assert.equal(isExpired(5, 2030, now), true));
  test("last year has expired", () => assert.equal(isExpired(12, 2029, now), true));
  test("next year is valid", () => assert.equal(isExpired(1, 2031, now), false));
});

describe("cardBehavior", () => {
  test("unknown Luhn-valid cards are approved", () => {
    assert.deepEqual(cardBehavior("4111111111111111"), { kind: "approve" });
  });
  test("timeout cards resolve later", () => {
    assert.deepEqual(cardBehavior("4000000000000408"), { kind: "timeout", outcome: "approve" });
    assert.deepEqual(cardBehavior("4000000000000416"), { kind: "timeout", outcome: "decline" });
  });
});
