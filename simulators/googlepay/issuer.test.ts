import assert from "node:assert/strict";
import { createECDH, createPrivateKey } from "node:crypto";
import { describe, it } from "node:test";
import { unsealGooglePayToken } from "../../src/wallets/googlepay/index.ts";
import { loadTinkVectors, vector } from "../../src/wallets/googlepay/test-support.ts";
import { createGooglePayTestIssuer, generateMerchantKeyPair, seededRandom } from "./index.ts";

const NOW = new Date("2026-05-10T08:00:00Z");
const vectors = loadTinkVectors();
const docsExample = vector(vectors, "ECv2");
const payload = { pan: "5204740000001002", expMonth: 3, expYear: 2031, authMethod: "PAN_ONLY" as const };

function issueWith(seed: string) {
  const random = seededRandom(seed);
  const issuer = createGooglePayTestIssuer({ now: () => NOW, random });
  const merchant = generateMerchantKeyPair(random);
  const token = issuer.issueToken({
    recipientId: "merchant:simulator",
    merchantPublicKeyUncompressedBase64: merchant.publicKeyUncompressedBase64,
    payload,
  });
  return { issuer, merchant, token };
}

describe("createGooglePayTestIssuer", () => {
  it("issues tokens shaped like Google's documented example, Gson-escaped", () => {
    const { token } = issueWith("shape");
    const parsed = JSON.parse(token);
    assert.deepEqual(Object.keys(parsed), Object.keys(docsExample.token));
    assert.deepEqual(Object.keys(parsed.intermediateSigningKey), ["signedKey", "signatures"]);
    assert.ok(!token.includes("="), "every '=' is written as \\u003d, as Google's Gson does");
    assert.ok(parsed.signedMessage.includes("\\u003d"), "base64 padding inside signedMessage is escaped too");

    const signedKey = JSON.parse(parsed.intermediateSigningKey.signedKey);
    const exampleKey = JSON.parse(docsExample.token.intermediateSigningKey!.signedKey);
    assert.deepEqual(Object.keys(signedKey), Object.keys(exampleKey));
    assert.equal(signedKey.keyExpiration, String(NOW.getTime() + 7 * 24 * 3_600_000));

    const message = JSON.parse(parsed.signedMessage);
    assert.deepEqual(
      Object.keys(message).sort(),
      Object.keys(JSON.parse(docsExample.token.signedMessage)).sort(),
    );
    const point = Buffer.from(message.ephemeralPublicKey, "base64");
    assert.equal(point.length, 65);
    assert.equal(point[0], 0x04);
    assert.equal(Buffer.from(message.tag, "base64").length, 32);
  });

  it("publishes its root key in the keys.json format for ECv2 and ECv2SigningOnly", () => {
    const { issuer } = issueWith("keys");
    assert.deepEqual(
      issuer.rootSigningKeys.keys.map((k) => k.protocolVersion),
      ["ECv2", "ECv2SigningOnly"],
    );
    assert.ok(
      issuer.rootSigningKeys.keys.every((k) => k.keyValue.startsWith("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")),
    );
    const expiring = createGooglePayTestIssuer({
      now: () => NOW,
      rootKeyExpiration: new Date(NOW.getTime() + 1000),
    });
    assert.equal(expiring.rootSigningKeys.keys[0]?.keyExpiration, String(NOW.getTime() + 1000));
  });

  it("replays keys, ephemeral keys, ciphertext and message ids from a seeded random source", () => {
    const first = issueWith("replay");
    const second = issueWith("replay");
    assert.deepEqual(first.issuer.rootSigningKeys, second.issuer.rootSigningKeys);
    assert.deepEqual(first.merchant, second.merchant);
    // ECDSA signatures use OpenSSL's own nonce, so only the signed content replays exactly.
    assert.equal(JSON.parse(first.token).signedMessage, JSON.parse(second.token).signedMessage);
    assert.notDeepEqual(issueWith("other").merchant, first.merchant);
  });

  it("round-trips through Payrail's verifier", () => {
    const { issuer, merchant, token } = issueWith("roundtrip");
    const result = unsealGooglePayToken(token, {
      recipientId: "merchant:simulator",
      merchantPrivateKeysPkcs8Base64: [merchant.privateKeyPkcs8Base64],
      googleRootSigningKeys: issuer.rootSigningKeys.keys,
      now: NOW,
    });
    assert.equal(result.paymentMethodDetails.pan, payload.pan);
    assert.ok(result.messageId.startsWith("AH2Ej"));
  });

  it("signs and encrypts with Tink's published test keys so that Tink's public keys verify and open it", () => {
    const issuer = createGooglePayTestIssuer({
      now: () => NOW,
      rootPrivateKeyPkcs8Base64: vectors.googleSigningEcV2PrivateKeyPkcs8Base64,
      intermediatePrivateKeyPkcs8Base64: vectors.googleSigningEcV2IntermediatePrivateKeyPkcs8Base64,
    });
    const tinkEcv2Root = vectors.googleVerifyingKeys.keys.find((k) => k.protocolVersion === "ECv2");
    assert.equal(issuer.rootSigningKeys.keys[0]?.keyValue, tinkEcv2Root?.keyValue);
    const token = issuer.issueToken({
      recipientId: "merchant:tink",
      merchantPublicKeyUncompressedBase64: vectors.merchantPublicKeyUncompressedBase64,
      payload,
    });
    // The intermediate key's SPKI is byte for byte the one in Google's documented example.
    const signedKey = JSON.parse(JSON.parse(token).intermediateSigningKey.signedKey);
    assert.equal(
      signedKey.keyValue,
      JSON.parse(docsExample.token.intermediateSigningKey!.signedKey).keyValue,
    );
    const result = unsealGooglePayToken(token, {
      recipientId: "merchant:tink",
      merchantPrivateKeysPkcs8Base64: [vectors.merchantPrivateKeyPkcs8Base64],
      googleRootSigningKeys: [{ keyValue: tinkEcv2Root?.keyValue ?? "", protocolVersion: "ECv2" }],
      now: NOW,
    });
    assert.equal(result.paymentMethodDetails.pan, payload.pan);
  });
});

describe("generateMerchantKeyPair", () => {
  it("returns a PKCS#8 P-256 private key and its uncompressed public point", () => {
    const pair = generateMerchantKeyPair();
    const privateKey = createPrivateKey({
      key: Buffer.from(pair.privateKeyPkcs8Base64, "base64"),
      format: "der",
      type: "pkcs8",
    });
    assert.equal(privateKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
    const d = Buffer.from(privateKey.export({ format: "jwk" }).d ?? "", "base64url");
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(d);
    assert.equal(ecdh.getPublicKey("base64"), pair.publicKeyUncompressedBase64);
    assert.notDeepEqual(generateMerchantKeyPair(), pair);
  });

  it("matches the format of Tink's merchant key pair", () => {
    const tinkPoint = Buffer.from(vectors.merchantPublicKeyUncompressedBase64, "base64");
    const ours = Buffer.from(generateMerchantKeyPair().publicKeyUncompressedBase64, "base64");
    assert.equal(ours.length, tinkPoint.length);
    assert.equal(ours[0], tinkPoint[0]);
    assert.equal(
      generateMerchantKeyPair().privateKeyPkcs8Base64.length,
      vectors.merchantPrivateKeyPkcs8Base64.length,
    );
  });
});
