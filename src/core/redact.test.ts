import assert from "node:assert/strict";
import { test } from "node:test";
import { redact } from "./redact.ts";

test("card numbers are redacted wherever they appear, grouped or not", () => {
  for (const text of [
    "4242424242424242",
    "4242 4242 4242 4242",
    "4242-4242-4242-4242",
    "x=5555555555554444;",
    '{"note":"pan 378282246310005"}',
  ]) {
    const out = redact(text);
    assert.ok(!/\d{13,}/.test(out.replace(/[ -]/g, "")), `${text} -> ${out}`);
  }
});

test("digit runs that are not card numbers stay readable", () => {
  assert.equal(redact("order 1234567890123 total"), "order 1234567890123 total");
  assert.equal(redact("ts=1732550400000"), "ts=1732550400000");
});

test("keys, secrets, bearer tokens and CVC fields are redacted", () => {
  const out = redact(
    '{"authorization":"Bearer sk_test_abcdefghijklmnopqrstuvwx","cvc":"123","k":"whsec_abcdefghijklmnop","o":"pk_live_ABCDEFGHIJKLMNOPQRSTU"}',
  );
  assert.ok(!out.includes("abcdefghijklmnopqrstuvwx"));
  assert.ok(!out.includes('"123"'));
  assert.ok(!out.includes("whsec_abcdefghijklmnop"));
  assert.ok(!out.includes("ABCDEFGHIJKLMNOPQRSTU"));
});

test("wallet cryptograms, device PANs and connector or wallet private keys are redacted by field name", () => {
  const line = JSON.stringify({
    networkToken: { cryptogram: "AMwBRjPWDnAgAA7Rls7mAoABFA==" },
    decrypted: { applicationPrimaryAccountNumber: "5353756319" },
    config: { hmac_key: "AB".repeat(32), processing_private_key: "-----BEGIN PRIVATE KEY-----x" },
  });
  const out = redact(line);
  for (const secret of ["AMwBRjPWDnAgAA7Rls7mAoABFA==", "5353756319", "AB".repeat(32), "BEGIN PRIVATE KEY"]) {
    assert.ok(!out.includes(secret), secret.slice(0, 6));
  }
});
