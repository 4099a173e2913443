import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { describe, test } from "node:test";
import fc from "fast-check";
import { cardFingerprint, deriveFingerprintKey } from "./fingerprint.ts";

const key = Buffer.alloc(32, 0x11);
const otherKey = Buffer.alloc(32, 0x12);

/** Reports a failing property by seed and path only: counterexamples would be card numbers. */
function holds<T>(property: fc.IProperty<T>, runs = 200) {
  const out = fc.check(property, { numRuns: runs });
  if (out.failed) assert.fail(`property failed (seed ${out.seed}, path ${out.counterexamplePath})`);
}

const panArb = fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 12, maxLength: 19 });
const merchantArb = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz_0123456789"),
  minLength: 1,
  maxLength: 24,
});

describe("cardFingerprint", () => {
  test("matches HMAC-SHA256(key, merchant || 0x00 || pan) cut to 16 bytes, computed by WebCrypto", async () => {
    const hmacKey = await webcrypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    const message = Buffer.concat([Buffer.from("acct_A"), Buffer.of(0), Buffer.from("4242424242424242")]);
    const mac = Buffer.from(await webcrypto.subtle.sign("HMAC", hmacKey, message));
    assert.equal(
      cardFingerprint(key, "acct_A", "4242424242424242"),
      mac.subarray(0, 16).toString("base64url"),
    );
  });

  test("stable within a merchant, 22 base64url characters (property)", () => {
    holds(
      fc.property(merchantArb, panArb, (merchant, pan) => {
        const a = cardFingerprint(key, merchant, pan);
        return a === cardFingerprint(key, merchant, pan) && /^[A-Za-z0-9_-]{22}$/.test(a);
      }),
    );
  });

  test("differs across merchants, cards and keys (property)", () => {
    holds(
      fc.property(merchantArb, merchantArb, panArb, panArb, (m1, m2, p1, p2) => {
        const base = cardFingerprint(key, m1, p1);
        if (m1 !== m2 && cardFingerprint(key, m2, p1) === base) return false;
        if (p1 !== p2 && cardFingerprint(key, m1, p2) === base) return false;
        return cardFingerprint(otherKey, m1, p1) !== base;
      }),
    );
  });

  test("the merchant/card boundary is unambiguous", () => {
    assert.notEqual(
      cardFingerprint(key, "acct_1", "2424242424242"),
      cardFingerprint(key, "acct_12", "424242424242"),
    );
  });

  test("reveals nothing of the number: fixed length, no digit run of the card (property)", () => {
    holds(
      fc.property(merchantArb, panArb, (merchant, pan) => {
        const fingerprint = cardFingerprint(key, merchant, pan);
        return (
          fingerprint.length === 22 && !fingerprint.includes(pan) && !fingerprint.includes(pan.slice(0, 8))
        );
      }),
    );
  });

  test("refuses weak keys and non-digit numbers without echoing the number", () => {
    assert.throws(() => cardFingerprint(Buffer.alloc(16), "acct_A", "4242424242424242"), RangeError);
    assert.throws(
      () => cardFingerprint(key, "acct_A", "4242 4242 4242 4242"),
      (e) => e instanceof TypeError && !e.message.includes("4242"),
    );
    assert.throws(() => cardFingerprint(key, "acct\0A", "4242424242424242"), TypeError);
  });
});

describe("deriveFingerprintKey", () => {
  test("32 bytes, deterministic, unlike the master key, separated by info", () => {
    const master = Buffer.alloc(32, 0x33);
    const derived = deriveFingerprintKey(master);
    assert.equal(derived.length, 32);
    assert.ok(derived.equals(deriveFingerprintKey(master)), "not deterministic");
    assert.ok(!derived.equals(master), "derived key equals the master key");
    assert.ok(!derived.equals(deriveFingerprintKey(master, "other purpose")), "info does not separate keys");
    assert.throws(() => deriveFingerprintKey(Buffer.alloc(8)), RangeError);
  });
});
