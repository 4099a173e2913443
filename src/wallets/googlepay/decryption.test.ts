import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decryptSignedMessage, importMerchantPrivateKeys } from "./decryption.ts";
import { GooglePayTokenError } from "./errors.ts";
import { loadTinkVectors, vector } from "./test-support.ts";

const vectors = loadTinkVectors();
const docsExample = vector(vectors, "ECv2");
const tinkEcv1 = vector(vectors, "ECv1");
const merchantKey = importMerchantPrivateKeys([vectors.merchantPrivateKeyPkcs8Base64]);
const alternateKey = importMerchantPrivateKeys([vectors.alternateMerchantPrivateKeyPkcs8Base64]);

function withSignedMessage(edit: (message: Record<string, string>) => void): string {
  const message = JSON.parse(docsExample.token.signedMessage) as Record<string, string>;
  edit(message);
  return JSON.stringify(message);
}

const rejects = (code: string) => (error: unknown) =>
  error instanceof GooglePayTokenError && error.code === code;

describe("decryptSignedMessage (signatures not involved)", () => {
  it("decrypts Google's documented ECv2 example with the vector's merchant key", () => {
    const plaintext = decryptSignedMessage(docsExample.token.signedMessage, merchantKey, "ECv2");
    assert.equal(plaintext.toString("utf8"), docsExample.expectedPlaintext);
  });

  it("decrypts Tink's ECv1 vector (AES-128-CTR, 16-byte MAC key)", () => {
    const plaintext = decryptSignedMessage(tinkEcv1.token.signedMessage, merchantKey, "ECv1");
    assert.equal(plaintext.toString("utf8"), tinkEcv1.expectedPlaintext);
  });

  it("tries every private key, in order, until one verifies the tag", () => {
    const both = [...alternateKey, ...merchantKey];
    const plaintext = decryptSignedMessage(docsExample.token.signedMessage, both, "ECv2");
    assert.equal(plaintext.toString("utf8"), "plaintext");
  });

  it("refuses when no key verifies the tag", () => {
    assert.throws(
      () => decryptSignedMessage(docsExample.token.signedMessage, alternateKey, "ECv2"),
      rejects("mac_invalid"),
    );
  });

  it("refuses the ECv2 example read as ECv1 (other key sizes)", () => {
    assert.throws(
      () => decryptSignedMessage(docsExample.token.signedMessage, merchantKey, "ECv1"),
      rejects("mac_invalid"),
    );
  });

  it("refuses a flipped ciphertext bit, a truncated ciphertext and a changed tag", () => {
    const flipped = withSignedMessage((m) => {
      const bytes = Buffer.from(m.encryptedMessage ?? "", "base64");
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      m.encryptedMessage = bytes.toString("base64");
    });
    const truncated = withSignedMessage((m) => {
      m.encryptedMessage = Buffer.from(m.encryptedMessage ?? "", "base64")
        .subarray(0, 6)
        .toString("base64");
    });
    const badTag = withSignedMessage((m) => {
      const bytes = Buffer.from(m.tag ?? "", "base64");
      bytes[31] = (bytes[31] ?? 0) ^ 0x80;
      m.tag = bytes.toString("base64");
    });
    const shortTag = withSignedMessage((m) => {
      m.tag = Buffer.from(m.tag ?? "", "base64")
        .subarray(0, 16)
        .toString("base64");
    });
    for (const message of [flipped, truncated, badTag, shortTag]) {
      assert.throws(() => decryptSignedMessage(message, merchantKey, "ECv2"), rejects("mac_invalid"));
    }
  });

  it("refuses a malformed signedMessage as malformed_token", () => {
    const cases = [
      "not json",
      "[]",
      withSignedMessage((m) => {
        delete m.tag;
      }),
      withSignedMessage((m) => {
        m.encryptedMessage = "***";
      }),
      withSignedMessage((m) => {
        m.ephemeralPublicKey = Buffer.alloc(65, 4).toString("base64"); // not on the curve
      }),
      withSignedMessage((m) => {
        m.ephemeralPublicKey = Buffer.from(m.ephemeralPublicKey ?? "", "base64")
          .subarray(0, 33)
          .toString("base64");
      }),
    ];
    for (const message of cases) {
      assert.throws(() => decryptSignedMessage(message, merchantKey, "ECv2"), rejects("malformed_token"));
    }
  });
});

describe("importMerchantPrivateKeys", () => {
  it("skips unusable entries but refuses a list with no usable key", () => {
    assert.equal(importMerchantPrivateKeys(["not a key", vectors.merchantPrivateKeyPkcs8Base64]).length, 1);
    assert.throws(() => importMerchantPrivateKeys([]), rejects("no_matching_private_key"));
    assert.throws(() => importMerchantPrivateKeys(["bm90IGEga2V5"]), rejects("no_matching_private_key"));
  });
});
