import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { StoredCredential } from "../contract.ts";
import { encodeJson } from "./client.ts";
import {
  modificationBody,
  paymentRequestBody,
  storedCredentialParts,
  walletTokenRequestBody,
} from "./requests.ts";
import { authorizeRequest, walletTokenRequest } from "./test-support.ts";

describe("paymentRequestBody", () => {
  test("a card payment with manual capture", () => {
    const request = authorizeRequest({ reference: "pi_1_a1", amount: 1234n, currency: "eur" });
    assert.deepEqual(paymentRequestBody(request, "Merchant"), {
      merchantAccount: "Merchant",
      reference: "pi_1_a1",
      amount: { value: 1234n, currency: "EUR" },
      paymentMethod: {
        type: "scheme",
        number: "4111111111111111",
        expiryMonth: "03",
        expiryYear: "2030",
        cvc: "737",
        holderName: "Ada Lovelace",
      },
      returnUrl: "http://127.0.0.1/pay/return/pi_1",
      shopperInteraction: "Ecommerce",
      additionalData: { manualCapture: "true" },
      redirectToIssuerMethod: "GET",
      redirectFromIssuerMethod: "GET",
      metadata: { payrailCapture: "manual" },
    });
  });

  test("automatic capture sends no manualCapture, and JSON carries the amount as an integer", () => {
    const body = paymentRequestBody(authorizeRequest({ capture: true, amount: 500n }), "M");
    assert.equal(body.additionalData, undefined);
    assert.deepEqual(body.metadata, { payrailCapture: "automatic" });
    const json = JSON.parse(encodeJson(body));
    assert.deepEqual(json.amount, { value: 500, currency: "EUR" });
  });

  test("amounts beyond 2^53 are refused rather than rounded", () => {
    const body = paymentRequestBody(authorizeRequest({ amount: 2n ** 60n }), "M");
    assert.throws(() => encodeJson(body), RangeError);
  });

  test("optional card fields stay out; two-digit years become four", () => {
    const request = authorizeRequest({
      card: { number: "5555444433331111", exp_month: 11, exp_year: 31, holder_name: null },
    });
    assert.deepEqual(paymentRequestBody(request, "M").paymentMethod, {
      type: "scheme",
      number: "5555444433331111",
      expiryMonth: "11",
      expiryYear: "2031",
    });
  });

  for (const [wallet, source] of [
    ["apple_pay", "applepay"],
    ["google_pay", "googlepay"],
  ] as const) {
    test(`a ${wallet} network token goes with its cryptogram as mpiData`, () => {
      const request = authorizeRequest({
        capture: true,
        card: { number: "4895370015293175", exp_month: 12, exp_year: 2031, cvc: "999" },
        networkToken: { wallet, cryptogram: "AgAAAAAABk4DWZ4C28yUQAAAAAA=", eci: "07" },
      });
      const body = paymentRequestBody(request, "M");
      assert.deepEqual(body.paymentMethod, {
        type: "scheme",
        number: "4895370015293175",
        expiryMonth: "12",
        expiryYear: "2031",
      });
      assert.deepEqual(body.mpiData, {
        directoryResponse: "Y",
        authenticationResponse: "Y",
        cavv: "AgAAAAAABk4DWZ4C28yUQAAAAAA=",
        eci: "07",
      });
      assert.deepEqual(body.additionalData, { "paymentdatasource.type": source });
    });
  }

  test("a network token without an ECI sends none", () => {
    const request = authorizeRequest({ networkToken: { wallet: "google_pay", cryptogram: "AAEC" } });
    const body = paymentRequestBody(request, "M");
    assert.equal((body.mpiData as Record<string, unknown>).eci, undefined);
    assert.deepEqual(body.additionalData, { manualCapture: "true", "paymentdatasource.type": "googlepay" });
  });
});

describe("walletTokenRequestBody", () => {
  test("a Google Pay gateway token goes as it is, with everything else as for a card", () => {
    const request = walletTokenRequest({ reference: "pi_2_a1", amount: 700n, currency: "usd" });
    assert.deepEqual(walletTokenRequestBody(request, "Merchant"), {
      merchantAccount: "Merchant",
      reference: "pi_2_a1",
      amount: { value: 700n, currency: "USD" },
      paymentMethod: { type: "googlepay", googlePayToken: request.walletToken.token },
      returnUrl: request.returnUrl,
      shopperInteraction: "Ecommerce",
      additionalData: { manualCapture: "true" },
      redirectToIssuerMethod: "GET",
      redirectFromIssuerMethod: "GET",
      metadata: { payrailCapture: "manual" },
    });
  });

  test("automatic capture sends no additionalData", () => {
    const body = walletTokenRequestBody(walletTokenRequest({ capture: true }), "M");
    assert.equal(body.additionalData, undefined);
    assert.deepEqual(body.metadata, { payrailCapture: "automatic" });
  });
});

describe("stored credentials", () => {
  const table: Array<[StoredCredential | undefined, Record<string, unknown>, Record<string, string>]> = [
    [undefined, { shopperInteraction: "Ecommerce" }, {}],
    [
      { sequence: "first", initiator: "customer" },
      { shopperInteraction: "Ecommerce", recurringProcessingModel: "CardOnFile" },
      {},
    ],
    [
      { sequence: "first", initiator: "merchant" },
      { shopperInteraction: "Ecommerce", recurringProcessingModel: "UnscheduledCardOnFile" },
      {},
    ],
    [
      { sequence: "subsequent", initiator: "customer" },
      { shopperInteraction: "ContAuth", recurringProcessingModel: "CardOnFile" },
      {},
    ],
    [
      { sequence: "subsequent", initiator: "merchant", networkTransactionId: "MCC123456789012" },
      { shopperInteraction: "ContAuth", recurringProcessingModel: "UnscheduledCardOnFile" },
      { networkTxReference: "MCC123456789012" },
    ],
    [
      { sequence: "subsequent", initiator: "merchant" },
      { shopperInteraction: "ContAuth", recurringProcessingModel: "UnscheduledCardOnFile" },
      {},
    ],
  ];
  for (const [stored, fields, additionalData] of table) {
    test(`${stored ? `${stored.sequence}/${stored.initiator}` : "none"}${stored?.networkTransactionId ? " with network id" : ""}`, () => {
      assert.deepEqual(storedCredentialParts(stored), { fields, additionalData });
    });
  }

  test("a merchant-initiated payment carries the network id next to manualCapture", () => {
    const body = paymentRequestBody(
      authorizeRequest({
        card: { number: "4111111111111111", exp_month: 3, exp_year: 2030 },
        storedCredential: { sequence: "subsequent", initiator: "merchant", networkTransactionId: "N1" },
      }),
      "M",
    );
    assert.deepEqual(body.additionalData, { manualCapture: "true", networkTxReference: "N1" });
    assert.equal(body.shopperInteraction, "ContAuth");
  });
});

describe("modificationBody", () => {
  test("with and without an amount", () => {
    assert.deepEqual(modificationBody("M", { reference: "cap_1", amount: 300n, currency: "usd" }), {
      merchantAccount: "M",
      reference: "cap_1",
      amount: { value: 300n, currency: "USD" },
    });
    assert.deepEqual(modificationBody("M", { reference: "void_1" }), {
      merchantAccount: "M",
      reference: "void_1",
    });
  });
});
