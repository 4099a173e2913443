import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Aes, Formatter, Rsa } from "wechatpay-axios-plugin";
import { parseAuthorization } from "./auth.ts";
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  requestMessage,
  responseMessage,
  signSha256Rsa,
  verifySha256Rsa,
} from "./crypto.ts";
import { generatePlatformKeys } from "./keys.ts";

const vectors = JSON.parse(
  readFileSync(
    new URL("../../../shared/specs/wechatpay/wechatpay-crypto-vectors.json", import.meta.url),
    "utf8",
  ),
);

describe("SHA256withRSA against the published vector", () => {
  const { privateKeyPkcs8Pem, message, signatureBase64 } = vectors.sha256WithRsa;
  const privateKey = createPrivateKey(privateKeyPkcs8Pem);
  const publicKey = createPublicKey(privateKey);

  it("signs the vector's message to the vector's signature", () => {
    assert.equal(signSha256Rsa(message, privateKey), signatureBase64);
  });

  it("verifies the vector's signature and refuses a changed message or signature", () => {
    assert.equal(verifySha256Rsa(message, signatureBase64, publicKey), true);
    assert.equal(verifySha256Rsa(`${message}!`, signatureBase64, publicKey), false);
    assert.equal(verifySha256Rsa(message, `A${signatureBase64.slice(1)}`, publicKey), false);
    assert.equal(verifySha256Rsa(message, "not base64 at all", publicKey), false);
  });

  it("agrees with the official package on arbitrary messages", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const ours = signSha256Rsa(text, privateKey);
        assert.equal(ours, Rsa.sign(text, privateKey));
        assert.equal(Rsa.verify(text, ours, publicKey), true);
      }),
      { numRuns: 20 },
    );
  });

  it("builds the request and response messages the way the official Formatter does", () => {
    const body = '{"mchid":"1900000109"}';
    assert.equal(
      requestMessage(
        "POST",
        "/v3/pay/transactions/native",
        "1554208460",
        "593BEC0C930BF1AFEB40B4A08C8FB242",
        body,
      ),
      Formatter.request(
        "POST",
        "/v3/pay/transactions/native",
        "1554208460",
        "593BEC0C930BF1AFEB40B4A08C8FB242",
        body,
      ),
    );
    assert.equal(responseMessage("1554208460", "n", ""), Formatter.response("1554208460", "n", ""));
  });
});

describe("AEAD_AES_256_GCM against the published vectors", () => {
  for (const vector of vectors.aeadDecrypt) {
    it(`decrypts: ${vector.name}`, () => {
      const plain = aesGcmDecrypt(vector.key, vector.nonce, vector.associated_data, vector.ciphertextBase64);
      assert.equal(plain, vector.plaintext);
    });
    it(`encrypts back to the same bytes: ${vector.name}`, () => {
      assert.equal(
        aesGcmEncrypt(vector.key, vector.nonce, vector.associated_data, vector.plaintext),
        vector.ciphertextBase64,
      );
    });
  }

  it("refuses a tampered ciphertext or the wrong associated data", () => {
    const vector = vectors.aeadDecrypt[1];
    const sealed = Buffer.from(vector.ciphertextBase64, "base64");
    sealed[0] = (sealed[0] ?? 0) ^ 1;
    assert.throws(() =>
      aesGcmDecrypt(vector.key, vector.nonce, vector.associated_data, sealed.toString("base64")),
    );
    assert.throws(() => aesGcmDecrypt(vector.key, vector.nonce, "other", vector.ciphertextBase64));
  });

  it("is read by the official Aes.AesGcm for any plaintext under a 32-byte key", () => {
    const key = "0123456789abcdefABCDEFGHIJKLMNOP";
    fc.assert(
      fc.property(fc.string(), fc.string({ maxLength: 20 }), (plaintext, aad) => {
        const sealed = aesGcmEncrypt(key, "abcdefghijkl", aad, plaintext);
        assert.equal(Aes.AesGcm.decrypt(sealed, key, "abcdefghijkl", aad), plaintext);
        assert.equal(sealed, Aes.AesGcm.encrypt(plaintext, key, "abcdefghijkl", aad));
      }),
      { numRuns: 50 },
    );
  });
});

describe("Authorization header", () => {
  it("reads the official package's header, whatever the parameter order", () => {
    const header = Formatter.authorization("1900000109", "nonce1", "c2ln", 1554208460, "ABC123");
    assert.deepEqual(parseAuthorization(header), {
      mchid: "1900000109",
      nonce: "nonce1",
      signature: "c2ln",
      timestamp: "1554208460",
      serialNo: "ABC123",
    });
    const reordered =
      'WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="nonce1",signature="c2ln",timestamp="1554208460",serial_no="ABC123"';
    assert.equal(parseAuthorization(reordered)?.serialNo, "ABC123");
  });

  it("rejects other schemes and missing parameters", () => {
    assert.equal(parseAuthorization(undefined), null);
    assert.equal(parseAuthorization('Bearer mchid="1"'), null);
    assert.equal(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",timestamp="1"'), null);
    assert.equal(
      parseAuthorization(
        'WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",signature="s",timestamp="soon",serial_no="A"',
      ),
      null,
    );
  });
});

describe("platform keys", () => {
  it("generates a platform certificate with a 40-hex serial and a separate PUB_KEY_ID key", async () => {
    const keys = await generatePlatformKeys();
    const certificate = new X509Certificate(keys.certificate.certificatePem);
    assert.match(keys.certificate.serialNo, /^[0-9A-F]{40}$/);
    assert.equal(certificate.serialNumber.toUpperCase(), keys.certificate.serialNo);
    assert.equal(certificate.verify(createPublicKey(keys.certificate.privateKey)), true);
    assert.match(keys.publicKey.keyId, /^PUB_KEY_ID_\d{28}$/);
    assert.notEqual(keys.publicKey.publicKeyPem, keys.certificate.publicKeyPem);
    const signature = signSha256Rsa("m", keys.publicKey.privateKey);
    assert.equal(
      Rsa.verify("m", signature, Rsa.from(keys.publicKey.publicKeyPem, Rsa.KEY_TYPE_PUBLIC)),
      true,
    );
  });
});
