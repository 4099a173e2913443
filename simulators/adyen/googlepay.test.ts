import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  createGooglePayTestIssuer,
  generateMerchantKeyPair,
  type IssueTokenRequest,
  type TestCardPayload,
} from "../googlepay/index.ts";
import { type AdyenSimulator, startAdyenSimulator } from "./index.ts";
import { compileSpecValidators } from "./spec.ts";
import { api, MERCHANT, newApiKey, paymentBody } from "./test-support.ts";

const NOW = new Date("2026-03-15T12:00:00Z");
const HOUR = 3_600_000;
const issuer = createGooglePayTestIssuer({ now: () => NOW });
const spec = compileSpecValidators();
let sim: AdyenSimulator;

before(async () => {
  sim = await startAdyenSimulator({
    strictResponses: true,
    now: () => NOW,
    modificationDelayMs: 20,
    googlePayRootKeys: issuer.rootSigningKeys,
  });
});
after(() => sim.close());

const visa: TestCardPayload = {
  pan: "4242424242424242",
  expMonth: 12,
  expYear: 2030,
  authMethod: "PAN_ONLY",
};

function token(overrides: Partial<IssueTokenRequest> = {}, payload: Partial<TestCardPayload> = {}): string {
  return issuer.issueToken({
    recipientId: "gateway:adyen",
    merchantPublicKeyUncompressedBase64: sim.googlePayPublicKey,
    gatewayMerchantId: MERCHANT,
    ...overrides,
    payload: { ...visa, ...payload },
  });
}

async function payWith(googlePayToken: string, target: AdyenSimulator = sim) {
  const body = paymentBody({ paymentMethod: { type: "googlepay", googlePayToken } });
  const res = await api(target.url, "POST", "/v71/payments", { key: newApiKey(), body });
  const schema = res.status === 200 ? "PaymentResponse" : "ServiceError";
  assert.equal(spec.response(schema, res.json), null, "the answer validates against Adyen's spec");
  return res;
}

describe("Google Pay tokens for gateway:adyen", () => {
  test("the simulator publishes its recipient id and an uncompressed P-256 public key", () => {
    assert.equal(sim.googlePayRecipientId, "gateway:adyen");
    const point = Buffer.from(sim.googlePayPublicKey, "base64");
    assert.equal(point.length, 65);
    assert.equal(point[0], 0x04);
  });

  test("a good PAN_ONLY token is authorised like the card inside", async () => {
    const res = await payWith(token());
    assert.equal(res.status, 200);
    assert.equal(res.json.resultCode, "Authorised");
    assert.deepEqual(res.json.paymentMethod, { type: "googlepay", brand: "visa" });
    assert.equal(res.json.additionalData.cardSummary, "4242");
    assert.equal(res.json.additionalData.expiryDate, "12/2030");
    assert.ok(!res.text.includes(visa.pan), "the PAN never comes back");
  });

  test("a token without gatewayMerchantId is accepted", async () => {
    const res = await payWith(token({ gatewayMerchantId: undefined }));
    assert.equal(res.json.resultCode, "Authorised");
  });

  test("the test-card table applies to the card inside", async () => {
    const res = await payWith(token({}, { pan: "4000000000009995" }));
    assert.equal(res.json.resultCode, "Refused");
    assert.equal(res.json.refusalReason, "Not enough balance");
    assert.equal(res.json.refusalReasonCode, "12");
  });

  test("the 3-D Secure card: CRYPTOGRAM_3DS skips the challenge, PAN_ONLY is redirected", async () => {
    const threeDs = { pan: "4000002760003184" };
    const withCryptogram = await payWith(
      token({}, { ...threeDs, authMethod: "CRYPTOGRAM_3DS", cryptogram: "AgAAAAAABk4DWZ4C28yUQAAAAAA=" }),
    );
    assert.equal(withCryptogram.json.resultCode, "Authorised");
    const panOnly = await payWith(token({}, threeDs));
    assert.equal(panOnly.json.resultCode, "RedirectShopper");
    assert.equal(panOnly.json.action.paymentMethodType, "googlepay");
  });

  const refusals: { name: string; token: () => string; errorCode: string }[] = [
    {
      name: "a signed message changed after signing",
      token: () => {
        const parsed = JSON.parse(token());
        const message = JSON.parse(parsed.signedMessage);
        message.tag = Buffer.alloc(32, 7).toString("base64");
        return JSON.stringify({ ...parsed, signedMessage: JSON.stringify(message) });
      },
      errorCode: "5_206",
    },
    {
      name: "a ciphertext that fails the tag",
      token: () => token({ fault: "ciphertext_bit_flipped" }),
      errorCode: "5_202",
    },
    { name: "a wrong tag", token: () => token({ fault: "tag_wrong" }), errorCode: "5_202" },
    {
      name: "a token for another recipient",
      token: () => token({ recipientId: "gateway:stripe" }),
      errorCode: "5_206",
    },
    {
      name: "a token encrypted to another key",
      token: () =>
        token({ merchantPublicKeyUncompressedBase64: generateMerchantKeyPair().publicKeyUncompressedBase64 }),
      errorCode: "5_202",
    },
    {
      name: "an expired message",
      token: () => token({ messageExpiration: new Date(NOW.getTime() - 1) }),
      errorCode: "5_208",
    },
    {
      name: "an expired intermediate signing key",
      token: () => token({ keyExpiration: new Date(NOW.getTime() - HOUR) }),
      errorCode: "5_208",
    },
    {
      name: "a token for another merchant account",
      token: () => token({ gatewayMerchantId: "SomeoneElseECOM" }),
      errorCode: "5_202",
    },
    {
      name: "a token signed by an untrusted root",
      token: () =>
        createGooglePayTestIssuer({ now: () => NOW }).issueToken({
          recipientId: "gateway:adyen",
          merchantPublicKeyUncompressedBase64: sim.googlePayPublicKey,
          payload: visa,
        }),
      errorCode: "5_206",
    },
    {
      name: "a signing-only token",
      token: () => token({ protocolVersion: "ECv2SigningOnly" }),
      errorCode: "5_202",
    },
    { name: "text that is not a token", token: () => "not a token", errorCode: "5_202" },
  ];
  for (const c of refusals) {
    test(`${c.name} → 422 ${c.errorCode}`, async () => {
      const res = await payWith(c.token());
      assert.equal(res.status, 422);
      assert.equal(res.json.errorCode, c.errorCode);
      assert.equal(res.json.errorType, "validation");
    });
  }

  test("without googlePayRootKeys, googlepay payments are refused as not configured", async () => {
    const plain = await startAdyenSimulator({ strictResponses: true, now: () => NOW });
    try {
      const res = await payWith(token(), plain);
      assert.equal(res.status, 422);
      assert.equal(res.json.errorCode, "905");
      assert.match(res.json.message, /googlePayRootKeys/);
    } finally {
      await plain.close();
    }
  });
});
