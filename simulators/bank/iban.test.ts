import assert from "node:assert/strict";
import { test } from "node:test";
import { isValidIbanChecksum, normalizeIban } from "./iban.ts";
import { TEST_FAILURES } from "./outcomes.ts";

test("mod-97 accepts well-known valid IBANs and refuses a changed digit", () => {
  for (const iban of [
    "DE89370400440532013000",
    "NL91ABNA0417164300",
    "FR1420041010050500013M02606",
    "GB82WEST12345698765432",
    "BE68539007547034",
  ]) {
    assert.ok(isValidIbanChecksum(iban), iban);
  }
  assert.ok(!isValidIbanChecksum("DE88370400440532013000"));
  assert.ok(!isValidIbanChecksum("NL91ABNA0417164301"));
  assert.ok(!isValidIbanChecksum("de89370400440532013000"), "electronic format only");
  assert.ok(!isValidIbanChecksum("DE89"));
  assert.equal(normalizeIban(" de89 3704 0044 0532 0130 00 "), "DE89370400440532013000");
});

test("every built-in failing test IBAN has a valid checksum", () => {
  for (const iban of Object.keys(TEST_FAILURES)) assert.ok(isValidIbanChecksum(iban), iban);
});
