import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { describe, it } from "node:test";
import { GooglePayTokenError } from "./errors.ts";
import { lengthPrefixed, trustedRootKeys, verifyIntermediateSigningKey } from "./signing.ts";
import { loadTinkVectors, tinkRootKeys, vector } from "./test-support.ts";
import { openGooglePayToken } from "./unseal.ts";

const vectors = loadTinkVectors();
const rejects = (code: string) => (error: unknown) =>
  error instanceof GooglePayTokenError && error.code === code;
const now = new Date("2026-03-01T00:00:00Z");

describe("lengthPrefixed", () => {
  it("prefixes each part with its UTF-8 byte length, 4 bytes little-endian", () => {
    assert.equal(
      lengthPrefixed("Google", "ECv2", "é").toString("hex"),
      `06000000${Buffer.from("Google").toString("hex")}04000000${Buffer.from("ECv2").toString("hex")}02000000c3a9`,
    );
  });
});

describe("Tink's ECv1 vector (signed by the root key directly)", () => {
  const ecv1 = vector(vectors, "ECv1");
  const options = {
    recipientId: vectors.recipientId,
    merchantPrivateKeysPkcs8Base64: [vectors.merchantPrivateKeyPkcs8Base64],
    googleRootSigningKeys: tinkRootKeys(vectors),
    now,
    protocolVersions: ["ECv1"] as const,
  };

  it("verifies and decrypts to the expected plaintext", () => {
    const opened = openGooglePayToken(JSON.stringify(ecv1.token), options);
    assert.equal(opened.protocolVersion, "ECv1");
    assert.equal(opened.plaintext.toString("utf8"), ecv1.expectedPlaintext);
  });

  it("fails the signature for another recipient or a changed signedMessage", () => {
    assert.throws(
      () => openGooglePayToken(ecv1.token, { ...options, recipientId: "merchant:someRecipient" }),
      rejects("message_signature_invalid"),
    );
    const changed = { ...ecv1.token, signedMessage: ecv1.token.signedMessage.replace("\\u003d", "=") };
    assert.throws(() => openGooglePayToken(changed, options), rejects("message_signature_invalid"));
  });

  it("is refused when only ECv2 is accepted", () => {
    assert.throws(
      () => openGooglePayToken(ecv1.token, { ...options, protocolVersions: ["ECv2"] }),
      rejects("unsupported_protocol"),
    );
  });
});

describe("Google's documented ECv2 example", () => {
  it("does not verify under Tink's test root keys (it was signed by another root)", () => {
    const example = vector(vectors, "ECv2");
    assert.throws(
      () =>
        openGooglePayToken(example.token, {
          recipientId: "merchant:12345678901234567890",
          merchantPrivateKeysPkcs8Base64: [vectors.merchantPrivateKeyPkcs8Base64],
          googleRootSigningKeys: tinkRootKeys(vectors),
          now,
          protocolVersions: ["ECv2"],
        }),
      rejects("intermediate_signature_invalid"),
    );
  });
});

describe("trustedRootKeys", () => {
  const keyValue = tinkRootKeys(vectors).find((k) => k.protocolVersion === "ECv2")?.keyValue ?? "";

  it("keeps only unexpired keys of the token's protocol", () => {
    const future = String(now.getTime() + 1);
    const past = String(now.getTime());
    assert.equal(
      trustedRootKeys([{ keyValue, protocolVersion: "ECv2", keyExpiration: future }], "ECv2", now).length,
      1,
    );
    for (const roots of [
      [{ keyValue, protocolVersion: "ECv2", keyExpiration: past }],
      [{ keyValue, protocolVersion: "ECv2", keyExpiration: "soon" }],
      [{ keyValue, protocolVersion: "ECv1" }],
      [{ keyValue: "bm90IGEga2V5", protocolVersion: "ECv2" }],
      [],
    ]) {
      assert.throws(() => trustedRootKeys(roots, "ECv2", now), rejects("no_trusted_root_key"));
    }
  });
});

describe("verifyIntermediateSigningKey", () => {
  const root = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const intermediate = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const signedKey = JSON.stringify({
    keyExpiration: String(now.getTime() + 60_000),
    keyValue: intermediate.publicKey.export({ format: "der", type: "spki" }).toString("base64"),
  });
  const signature = sign("sha256", lengthPrefixed("Google", "ECv2", signedKey), root.privateKey);

  it("accepts any one valid signature among several", () => {
    const garbage = Buffer.from("3006020101020101", "hex");
    const key = verifyIntermediateSigningKey(
      { signedKey, signatures: [garbage, signature] },
      "ECv2",
      [root.publicKey],
      now,
    );
    assert.ok(key.equals(intermediate.publicKey));
  });

  it("binds the protocol version into the signed bytes", () => {
    assert.throws(
      () =>
        verifyIntermediateSigningKey(
          { signedKey, signatures: [signature] },
          "ECv2SigningOnly",
          [root.publicKey],
          now,
        ),
      rejects("intermediate_signature_invalid"),
    );
  });

  it("checks the expiry only after the signature, strictly after now", () => {
    assert.throws(
      () =>
        verifyIntermediateSigningKey(
          { signedKey, signatures: [signature] },
          "ECv2",
          [root.publicKey],
          new Date(now.getTime() + 60_000),
        ),
      rejects("intermediate_key_expired"),
    );
  });
});
