import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { before, describe, it } from "node:test";
import {
  type ApplePayTestAuthority,
  createApplePayTestAuthority,
  merchantIdHexOf,
  type TestPaymentData,
  type TestTokenPayload,
} from "../../../simulators/applepay/index.ts";
import { decryptApplePayToken } from "./decrypt.ts";
import { ApplePayTokenError, type ApplePayTokenErrorCode } from "./errors.ts";
import { extractMerchantId } from "./merchant-id.ts";
import { toNetworkTokenCard } from "./payload.ts";
import type { ApplePayPaymentData, DecryptApplePayTokenOptions } from "./types.ts";

const now = new Date("2026-03-01T12:00:00Z");
const merchantIdentifier = "merchant.com.payrail.test";
const merchantIdHex = merchantIdHexOf(merchantIdentifier);
const pem = (
  key: { export(o: { type: "pkcs8" | "spki"; format: "pem" }): string | Buffer },
  type: "pkcs8" | "spki",
) => key.export({ type, format: "pem" }) as string;

const ecKeys = generateKeyPairSync("ec", { namedCurve: "P-256" });
const rsaKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = { privateKeyPem: pem(ecKeys.privateKey, "pkcs8"), publicKeyPem: pem(ecKeys.publicKey, "spki") };
const rsa = { privateKeyPem: pem(rsaKeys.privateKey, "pkcs8"), publicKeyPem: pem(rsaKeys.publicKey, "spki") };

const payload: TestTokenPayload = {
  pan: "4111111111111111",
  expiry: "281231",
  cryptogram: "AgAAAAAABk4DWZ4C28yUQAAAAAA=",
  eci: "07",
  amount: 123456n,
  currencyCode: "978",
};

let authority: ApplePayTestAuthority;
before(async () => {
  authority = await createApplePayTestAuthority(now);
});

const optionsFor = (overrides: Partial<DecryptApplePayTokenOptions> = {}): DecryptApplePayTokenOptions => ({
  privateKeyPem: ec.privateKeyPem,
  trustedRootPem: authority.rootCertificatePem,
  merchantId: merchantIdHex,
  now,
  ...overrides,
});

const asToken = (token: TestPaymentData) => token as ApplePayPaymentData;

async function rejectsWith(code: ApplePayTokenErrorCode, token: TestPaymentData, options = optionsFor()) {
  await assert.rejects(decryptApplePayToken(asToken(token), options), (error) => {
    assert.ok(error instanceof ApplePayTokenError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}

describe("tokens from the simulator's test authority", () => {
  it("EC_v1 decrypts to the payload it was issued with", async () => {
    const token = await authority.issueToken({
      merchantPublicKeyPem: ec.publicKeyPem,
      merchantIdHex,
      payload,
    });
    assert.equal(token.version, "EC_v1");
    const decrypted = await decryptApplePayToken(asToken(token), optionsFor());
    assert.deepEqual(decrypted, {
      applicationPrimaryAccountNumber: payload.pan,
      applicationExpirationDate: payload.expiry,
      currencyCode: "978",
      transactionAmount: 123456n,
      deviceManufacturerIdentifier: "040010030273",
      paymentDataType: "3DSecure",
      paymentData: { onlinePaymentCryptogram: payload.cryptogram, eciIndicator: "07" },
    });
    assert.deepEqual(toNetworkTokenCard(decrypted), {
      number: payload.pan,
      exp_month: 12,
      exp_year: 2028,
      cryptogram: payload.cryptogram,
      eci: "07",
    });
  });

  it("RSA_v1 decrypts with the merchant RSA key", async () => {
    const token = await authority.issueToken({
      merchantPublicKeyPem: rsa.publicKeyPem,
      payload,
      version: "RSA_v1",
    });
    assert.ok(token.header.wrappedKey && !token.header.ephemeralPublicKey);
    const decrypted = await decryptApplePayToken(
      asToken(token),
      optionsFor({ privateKeyPem: rsa.privateKeyPem, merchantId: undefined }),
    );
    assert.equal(decrypted.applicationPrimaryAccountNumber, payload.pan);
    assert.equal(decrypted.transactionAmount, 123456n);
  });

  it("with a processing certificate: merchant id read from it on both sides", async () => {
    const { certificatePem, merchantIdHex: fromAuthority } = await authority.issueMerchantCertificate({
      merchantIdentifier,
      publicKeyPem: ec.publicKeyPem,
    });
    assert.equal(fromAuthority, merchantIdHex);
    assert.equal(extractMerchantId(certificatePem), merchantIdHex);
    const token = await authority.issueToken({ merchantCertificatePem: certificatePem, payload });
    const decrypted = await decryptApplePayToken(
      asToken(token),
      optionsFor({ merchantId: undefined, merchantIdentityOrProcessingCertificatePem: certificatePem }),
    );
    assert.equal(decrypted.applicationPrimaryAccountNumber, payload.pan);
  });

  it("applicationData is part of the signed content", async () => {
    const applicationData = "a1".repeat(32);
    const token = await authority.issueToken({
      merchantPublicKeyPem: ec.publicKeyPem,
      merchantIdHex,
      payload,
      applicationDataHex: applicationData,
    });
    await decryptApplePayToken(asToken(token), optionsFor());
    const { applicationData: _dropped, ...headerWithout } = token.header;
    await rejectsWith("signature_invalid", { ...token, header: headerWithout });
    await rejectsWith("signature_invalid", {
      ...token,
      header: { ...token.header, applicationData: "b2".repeat(32) },
    });
  });

  it("a signing time within tolerance passes, outside fails", async () => {
    const early = await authority.issueToken({
      merchantPublicKeyPem: ec.publicKeyPem,
      merchantIdHex,
      payload,
      signingTime: new Date(now.getTime() - 4 * 60_000),
    });
    await decryptApplePayToken(asToken(early), optionsFor());
    await rejectsWith(
      "signing_time_out_of_window",
      early,
      optionsFor({ signingTimeToleranceMs: 3 * 60_000 }),
    );
  });
});

describe("refusals only a signed-but-wrong token can reach", () => {
  it("truncated ciphertext (signed as truncated)", async () => {
    const token = await authority.issueToken({
      merchantPublicKeyPem: ec.publicKeyPem,
      merchantIdHex,
      payload,
      faults: { truncateDataTo: 10 },
    });
    await rejectsWith("truncated_ciphertext", token);
  });

  it("ciphertext cut short but longer than a tag fails authentication", async () => {
    const token = await authority.issueToken({
      merchantPublicKeyPem: ec.publicKeyPem,
      merchantIdHex,
      payload,
      faults: { truncateDataTo: 40 },
    });
    await rejectsWith("decryption_failed", token);
  });

  it("no signingTime attribute", async () => {
    const token = await authority.issueToken({
      merchantPublicKeyPem: ec.publicKeyPem,
      merchantIdHex,
      payload,
      faults: { omitSigningTime: true },
    });
    await rejectsWith("missing_signing_time", token);
  });

  it("a decrypted payload that is not JSON, or misses fields, without echoing it", async () => {
    const notJson = await authority.issueToken({
      merchantPublicKeyPem: ec.publicKeyPem,
      merchantIdHex,
      payload,
      faults: { plaintext: "4111111111111111 is not json" },
    });
    const error = await decryptApplePayToken(asToken(notJson), optionsFor()).catch((e: Error) => e);
    assert.ok(error instanceof ApplePayTokenError);
    assert.equal(error.code, "malformed_payload");
    assert.ok(!error.message.includes("4111"));

    const noCryptogram = await authority.issueToken({
      merchantPublicKeyPem: ec.publicKeyPem,
      merchantIdHex,
      payload,
      faults: { plaintext: JSON.stringify({ applicationPrimaryAccountNumber: "4111111111111111" }) },
    });
    await rejectsWith("malformed_payload", noCryptogram);
  });

  it("the wrong merchant key type for the version", async () => {
    const token = await authority.issueToken({
      merchantPublicKeyPem: rsa.publicKeyPem,
      payload,
      version: "RSA_v1",
    });
    await rejectsWith("invalid_merchant_key", token);
  });

  it("a leaf without Apple's signing OID", async () => {
    const noLeafOid = await createApplePayTestAuthority(now, { leafWithoutAppleOid: true });
    const token = await noLeafOid.issueToken({
      merchantPublicKeyPem: ec.publicKeyPem,
      merchantIdHex,
      payload,
    });
    await rejectsWith(
      "missing_apple_oid",
      token,
      optionsFor({ trustedRootPem: noLeafOid.rootCertificatePem }),
    );
  });

  it("an intermediate without Apple's OID", async () => {
    const noIntermediateOid = await createApplePayTestAuthority(now, { intermediateWithoutAppleOid: true });
    const token = await noIntermediateOid.issueToken({
      merchantPublicKeyPem: ec.publicKeyPem,
      merchantIdHex,
      payload,
    });
    await rejectsWith(
      "missing_apple_oid",
      token,
      optionsFor({ trustedRootPem: noIntermediateOid.rootCertificatePem }),
    );
  });

  it("a leaf not valid at the signing time", async () => {
    const expired = await createApplePayTestAuthority(now, {
      leafValidity: {
        notBefore: new Date("2020-01-01T00:00:00Z"),
        notAfter: new Date("2021-01-01T00:00:00Z"),
      },
    });
    const token = await expired.issueToken({ merchantPublicKeyPem: ec.publicKeyPem, merchantIdHex, payload });
    await rejectsWith(
      "certificate_chain_invalid",
      token,
      optionsFor({ trustedRootPem: expired.rootCertificatePem }),
    );
  });

  it("a token from another authority than the trusted root", async () => {
    const other = await createApplePayTestAuthority(new Date(now.getTime() + 1));
    const token = await other.issueToken({ merchantPublicKeyPem: ec.publicKeyPem, merchantIdHex, payload });
    await rejectsWith("certificate_chain_invalid", token);
    await decryptApplePayToken(asToken(token), optionsFor({ trustedRootPem: other.rootCertificatePem }));
  });
});
