import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { NOTIFY_UNSIGNED_KEYS, REQUEST_UNSIGNED_KEYS, verifyParams } from "./signing.ts";

const specs = new URL("../../../shared/specs/alipay/", import.meta.url);

interface Vector {
  name: string;
  publicKeyFile: string;
  excludeFromSignContent: string[];
  expectedValid: boolean;
  params: Record<string, string>;
}

const { vectors } = JSON.parse(readFileSync(new URL("alipay-notify-vectors.json", specs), "utf8")) as {
  vectors: Vector[];
};

/** The rule the vector's notes name: notifications drop sign and sign_type, the "v2" rule only sign. */
function ruleFor(vector: Vector): readonly string[] {
  const excluded = [...vector.excludeFromSignContent].sort().join(",");
  if (excluded === [...NOTIFY_UNSIGNED_KEYS].sort().join(",")) return NOTIFY_UNSIGNED_KEYS;
  if (excluded === [...REQUEST_UNSIGNED_KEYS].sort().join(",")) return REQUEST_UNSIGNED_KEYS;
  throw new Error(`no rule for ${excluded}`);
}

for (const vector of vectors) {
  test(`real Alipay-signed vector: ${vector.name}`, () => {
    const publicKey = readFileSync(new URL(vector.publicKeyFile, specs), "utf8");
    const rule = ruleFor(vector);
    assert.equal(verifyParams(vector.params, publicKey, rule), vector.expectedValid);
  });
}

test("each vector verifies only under its own canonical-string rule", () => {
  for (const vector of vectors.filter((v) => v.expectedValid)) {
    const publicKey = readFileSync(new URL(vector.publicKeyFile, specs), "utf8");
    const other = ruleFor(vector) === NOTIFY_UNSIGNED_KEYS ? REQUEST_UNSIGNED_KEYS : NOTIFY_UNSIGNED_KEYS;
    assert.equal(verifyParams(vector.params, publicKey, other), false, vector.name);
  }
});

test("values are signed raw: URL-decoding or re-encoding a value breaks the signature", () => {
  const vector = vectors[0]!;
  const publicKey = readFileSync(new URL(vector.publicKeyFile, specs), "utf8");
  const encoded = { ...vector.params, subject: encodeURIComponent(vector.params.subject!) };
  assert.equal(verifyParams(encoded, publicKey, NOTIFY_UNSIGNED_KEYS), false);
  const emptyAdded = { ...vector.params, extra_empty: "" };
  assert.equal(verifyParams(emptyAdded, publicKey, NOTIFY_UNSIGNED_KEYS), true, "empty values are left out");
});
