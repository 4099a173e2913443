import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import { cryptoRandom } from "../../core/ids.ts";
import { computeSignature, generateWebhookSecret, signPayload, verifyPayrailSignature } from "./signature.ts";

const secret = "whsec_0123456789abcdefghijABCDEFGHIJ01";
const body = '{"id":"evt_1","object":"event","data":{"amount":1000,"note":"caf\\u00e9 ☕"}}';
const t = 1_767_225_600; // 2026-01-01T00:00:00Z

describe("signPayload", () => {
  test("is t=<unix>,v1=<hex HMAC-SHA256(secret, '<t>.<body>')>", () => {
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    assert.equal(signPayload(secret, body, t), `t=${t},v1=${expected}`);
    assert.equal(computeSignature(secret, Buffer.from(body), t), expected);
  });

  test("several secrets give several v1 entries; fractional seconds are floored", () => {
    const header = signPayload([secret, "whsec_other"], body, t + 0.9);
    const parts = header.split(",");
    assert.equal(parts.length, 3);
    assert.equal(parts[0], `t=${t}`);
    assert.equal(parts[2], `v1=${computeSignature("whsec_other", body, t)}`);
  });
});

describe("verifyPayrailSignature", () => {
  const header = signPayload(secret, body, t);

  test("a valid signature verifies, on a string or on the raw bytes", () => {
    assert.deepEqual(verifyPayrailSignature(body, header, secret, 300, t + 10), { ok: true, timestamp: t });
    assert.deepEqual(verifyPayrailSignature(Buffer.from(body, "utf8"), header, secret, 300, t), {
      ok: true,
      timestamp: t,
    });
  });

  test("the default `now` is the wall clock", () => {
    const now = Math.floor(Date.now() / 1000);
    assert.equal(verifyPayrailSignature(body, signPayload(secret, body, now), secret).ok, true);
    assert.equal(verifyPayrailSignature(body, header, secret).ok, false);
  });

  const failures: Array<[string, string, string, string, number, string]> = [
    ["tampered body", body.replace("1000", "1001"), header, secret, t, "signature_mismatch"],
    ["re-encoded body", JSON.stringify(JSON.parse(body)), header, secret, t, "signature_mismatch"],
    ["wrong secret", body, header, "whsec_wrong", t, "signature_mismatch"],
    ["timestamp changed", body, header.replace(`t=${t}`, `t=${t + 1}`), secret, t, "signature_mismatch"],
    ["stale by 301 s", body, header, secret, t + 301, "timestamp_outside_tolerance"],
    ["future by 301 s", body, header, secret, t - 301, "timestamp_outside_tolerance"],
    ["empty header", body, "", secret, t, "missing_header"],
    ["blank header", body, "   ", secret, t, "missing_header"],
    ["no timestamp", body, header.split(",")[1] as string, secret, t, "malformed_header"],
    ["non-numeric timestamp", body, header.replace(`t=${t}`, "t=abc"), secret, t, "malformed_header"],
    ["two timestamps", body, `t=${t},${header}`, secret, t, "malformed_header"],
    ["garbage", body, "garbage", secret, t, "malformed_header"],
    ["no v1 entry", body, `t=${t},v0=abcdef`, secret, t, "no_signature"],
    ["short v1", body, `t=${t},v1=abc`, secret, t, "signature_mismatch"],
  ];
  for (const [name, raw, h, s, now, reason] of failures) {
    test(`${name} → ${reason}`, () => {
      assert.deepEqual(verifyPayrailSignature(raw, h, s, 300, now), { ok: false, reason });
    });
  }

  test("exactly at the tolerance edge is still accepted, in both directions", () => {
    assert.equal(verifyPayrailSignature(body, header, secret, 300, t + 300).ok, true);
    assert.equal(verifyPayrailSignature(body, header, secret, 300, t - 300).ok, true);
    assert.equal(verifyPayrailSignature(body, header, secret, 60, t + 61).ok, false);
  });

  test("any v1 entry may match (secret roll), in any position; unknown schemes are ignored", () => {
    const rolled = signPayload(["whsec_old", secret], body, t);
    assert.equal(verifyPayrailSignature(body, rolled, secret, 300, t).ok, true);
    assert.equal(verifyPayrailSignature(body, rolled, "whsec_old", 300, t).ok, true);
    assert.equal(verifyPayrailSignature(body, rolled, "whsec_neither", 300, t).ok, false);
    const withV0 = `t=${t}, v0=ffff, v1=${computeSignature(secret, body, t)}`;
    assert.equal(verifyPayrailSignature(body, withV0, secret, 300, t).ok, true);
  });
});

describe("generateWebhookSecret", () => {
  test("is whsec_ and 32 base62 characters, different every time", () => {
    const a = generateWebhookSecret(cryptoRandom);
    const b = generateWebhookSecret(cryptoRandom);
    assert.match(a, /^whsec_[0-9A-Za-z]{32}$/);
    assert.notEqual(a, b);
  });

  test("comes from the injected random source", () => {
    const fixed = (size: number) => Buffer.alloc(size, 7);
    assert.equal(generateWebhookSecret(fixed), generateWebhookSecret(fixed));
  });
});
