import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { decryptApplePayToken } from "./decrypt.ts";
import { ApplePayTokenError, type ApplePayTokenErrorCode } from "./errors.ts";
import { deriveEcV1Key, ecdhSharedSecret, loadMerchantPrivateKey } from "./keys.ts";
import { extractMerchantId } from "./merchant-id.ts";
import { toNetworkTokenCard } from "./payload.ts";
import type { ApplePayPaymentData, DecryptApplePayTokenOptions } from "./types.ts";

const specs = new URL("../../../../shared/specs/applepay/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, specs), "utf8");

const token: ApplePayPaymentData = JSON.parse(read("gala-token-ec_v1.json"));
const expected = JSON.parse(read("gala-expected.json"));
const privateKeyPem = read("gala-merchant-private-key.pem");
const appleRootPem = read("AppleRootCA-G3.pem");
const merchantCertificatePem = read("gala-merchant-certificate.pem");
const signedAt = new Date(expected.cmsSigningTimeUnix * 1000);

const options: DecryptApplePayTokenOptions = {
  privateKeyPem,
  trustedRootPem: appleRootPem,
  merchantId: expected.merchantIdHex,
  now: signedAt,
};

async function rejectsWith(
  code: ApplePayTokenErrorCode,
  input: ApplePayPaymentData,
  overrides: Partial<DecryptApplePayTokenOptions> = {},
) {
  await assert.rejects(decryptApplePayToken(input, { ...options, ...overrides }), (error) => {
    assert.ok(error instanceof ApplePayTokenError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}

/** Flips one bit in the middle of a base64 field, keeping its length. */
function flipBit(base64: string, at?: number): string {
  const bytes = Buffer.from(base64, "base64");
  const index = at ?? Math.floor(bytes.length / 2);
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes.toString("base64");
}

/** A self-signed P-256 root with the same name as Apple Root CA - G3, made on the fly. */
async function impostorRootPem(): Promise<string> {
  const engine = new pkijs.CryptoEngine({ name: "node", crypto: globalThis.crypto });
  const apple = pkijs.Certificate.fromBER(
    Buffer.from(appleRootPem.replace(/-----[^-]+-----|\s/g, ""), "base64"),
  );
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ]);
  const root = new pkijs.Certificate();
  root.version = 2;
  root.serialNumber = new asn1js.Integer({ value: 7 });
  root.subject = apple.subject;
  root.issuer = apple.subject;
  root.notBefore.value = new Date("2010-01-01T00:00:00Z");
  root.notAfter.value = new Date("2040-01-01T00:00:00Z");
  root.extensions = [
    new pkijs.Extension({
      extnID: "2.5.29.19",
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: true }).toSchema().toBER(false),
    }),
  ];
  await root.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  await root.sign(keys.privateKey, "SHA-256", engine);
  const der = Buffer.from(root.toSchema().toBER(false));
  return `-----BEGIN CERTIFICATE-----\n${der.toString("base64")}\n-----END CERTIFICATE-----\n`;
}

describe("Apple Pay EC_v1 token from production (spreedly/gala fixture)", () => {
  it("derives the shared secret and symmetric key of the reference", () => {
    const key = loadMerchantPrivateKey(privateKeyPem, "EC_v1");
    const sharedSecret = ecdhSharedSecret(key, Buffer.from(token.header.ephemeralPublicKey!, "base64"));
    assert.equal(sharedSecret.toString("base64"), expected.sharedSecretBase64);
    const symmetricKey = deriveEcV1Key(sharedSecret, Buffer.from(expected.merchantIdHex, "hex"));
    assert.equal(symmetricKey.toString("base64"), expected.symmetricKeyBase64);
  });

  it("reads the merchant id from the payment processing certificate", () => {
    assert.equal(extractMerchantId(merchantCertificatePem), expected.merchantIdHex);
  });

  it("verifies signature, chain and time, then decrypts to the reference payload", async () => {
    const decrypted = await decryptApplePayToken(token, options);
    assert.deepEqual(decrypted, {
      ...expected.decrypted,
      transactionAmount: BigInt(expected.decrypted.transactionAmount),
    });
  });

  it("takes the merchant id from the certificate when no merchantId is given", async () => {
    const decrypted = await decryptApplePayToken(token, {
      ...options,
      merchantId: undefined,
      merchantIdentityOrProcessingCertificatePem: merchantCertificatePem,
    });
    assert.equal(
      decrypted.applicationPrimaryAccountNumber,
      expected.decrypted.applicationPrimaryAccountNumber,
    );
  });

  it("accepts a now within the tolerance on either side of the signing time", async () => {
    for (const offset of [-5 * 60_000, 5 * 60_000]) {
      await decryptApplePayToken(token, { ...options, now: new Date(signedAt.getTime() + offset) });
    }
    await decryptApplePayToken(token, {
      ...options,
      now: new Date(signedAt.getTime() + 60 * 60_000),
      signingTimeToleranceMs: 60 * 60_000,
    });
  });

  it("maps to a network token card", async () => {
    const card = toNetworkTokenCard(await decryptApplePayToken(token, options));
    assert.deepEqual(card, {
      number: "5353756319181169",
      exp_month: 9,
      exp_year: 2024,
      cryptogram: "AMwBRjPWDnAgAA7Rls7mAoABFA==",
    });
  });
});

describe("Apple Pay token refusals", () => {
  it("unsupported version", async () => {
    await rejectsWith("unsupported_version", { ...token, version: "EC_v2" as "EC_v1" });
  });

  it("malformed fields", async () => {
    await rejectsWith("malformed_token", { ...token, data: "not base64!" });
    await rejectsWith("malformed_token", { ...token, header: { ...token.header, transactionId: "xyz" } });
    await rejectsWith("malformed_token", { ...token, signature: Buffer.from("not DER").toString("base64") });
    await rejectsWith("malformed_token", null as unknown as ApplePayPaymentData);
  });

  it("tampered data breaks the signature", async () => {
    await rejectsWith("signature_invalid", { ...token, data: flipBit(token.data) });
  });

  it("truncated data breaks the signature before decryption is tried", async () => {
    const data = Buffer.from(token.data, "base64");
    await rejectsWith("signature_invalid", {
      ...token,
      data: data.subarray(0, data.length - 4).toString("base64"),
    });
  });

  it("tampered transaction id or application data breaks the signature", async () => {
    const transactionId = `00${token.header.transactionId.slice(2)}`;
    await rejectsWith("signature_invalid", { ...token, header: { ...token.header, transactionId } });
    await rejectsWith("signature_invalid", {
      ...token,
      header: { ...token.header, applicationData: "00ff" },
    });
  });

  it("tampered signature", async () => {
    const der = Buffer.from(token.signature, "base64");
    // The ECDSA signature value sits just before the trailing end-of-contents octets.
    await rejectsWith("signature_invalid", {
      ...token,
      signature: flipBit(token.signature, der.length - 20),
    });
  });

  it("a chain to a root other than the one trusted", async () => {
    await rejectsWith("certificate_chain_invalid", token, { trustedRootPem: await impostorRootPem() });
  });

  it("checked with the real clock, years after it was signed", async () => {
    // The chain is checked at the signing time (the leaf expired 2024-05-16), so the time window decides.
    await rejectsWith("signing_time_out_of_window", token, { now: new Date() });
  });

  it("signing time out of window", async () => {
    await rejectsWith("signing_time_out_of_window", token, {
      now: new Date(signedAt.getTime() + 5 * 60_000 + 1),
    });
    await rejectsWith("signing_time_out_of_window", token, {
      now: new Date(signedAt.getTime() - 5 * 60_000 - 1),
    });
  });

  it("a publicKeyHash that is not the merchant key's", async () => {
    const publicKeyHash = flipBit(token.header.publicKeyHash);
    await rejectsWith("public_key_hash_mismatch", { ...token, header: { ...token.header, publicKeyHash } });
  });

  it("the wrong merchant key", async () => {
    const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    await rejectsWith("public_key_hash_mismatch", token, { privateKeyPem: other as string });
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    await rejectsWith("invalid_merchant_key", token, { privateKeyPem: rsa as string });
    await rejectsWith("invalid_merchant_key", token, { privateKeyPem: "not a key" });
  });

  it("the wrong merchant id fails authenticated decryption", async () => {
    await rejectsWith("decryption_failed", token, { merchantId: "00".repeat(32) });
  });

  it("no merchant id at all", async () => {
    await rejectsWith("merchant_id_unavailable", token, { merchantId: undefined });
    await rejectsWith("merchant_id_unavailable", token, { merchantId: "abc" });
  });

  it("never echoes card data or token bytes in an error", async () => {
    const cases: Array<[ApplePayPaymentData, Partial<DecryptApplePayTokenOptions>]> = [
      [{ ...token, data: flipBit(token.data) }, {}],
      [token, { merchantId: "00".repeat(32) }],
      [token, { now: new Date() }],
    ];
    for (const [input, overrides] of cases) {
      const error = await decryptApplePayToken(input, { ...options, ...overrides }).catch((e: Error) => e);
      assert.ok(error instanceof ApplePayTokenError);
      for (const secret of [expected.decrypted.applicationPrimaryAccountNumber, token.data.slice(0, 16)]) {
        assert.ok(!error.message.includes(secret));
        assert.ok(!(error.stack ?? "").includes(secret));
      }
    }
  });
});
