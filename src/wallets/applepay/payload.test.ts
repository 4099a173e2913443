import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApplePayTokenError } from "./errors.ts";
import { parseDecryptedPayload, toNetworkTokenCard } from "./payload.ts";

const base = {
  applicationPrimaryAccountNumber: "4761120010000492",
  applicationExpirationDate: "291130",
  currencyCode: "978",
  transactionAmount: 4999,
  deviceManufacturerIdentifier: "040010030273",
  paymentDataType: "3DSecure",
  paymentData: { onlinePaymentCryptogram: "Af9x/QwAA/DjmU65oyc1MAABAAA=", eciIndicator: "5" },
};
const parse = (value: unknown) => parseDecryptedPayload(Buffer.from(JSON.stringify(value)));
const refused = (value: unknown, field: RegExp) =>
  assert.throws(
    () => parse(value),
    (e) => e instanceof ApplePayTokenError && e.code === "malformed_payload" && field.test(e.message),
  );

describe("decrypted payload", () => {
  it("keeps optional fields only when present and the amount as bigint", () => {
    const parsed = parse({ ...base, cardholderName: "A N Other" });
    assert.equal(parsed.transactionAmount, 4999n);
    assert.equal(parsed.cardholderName, "A N Other");
    assert.ok(!("merchantTokenIdentifier" in parsed));
    assert.deepEqual(toNetworkTokenCard(parsed), {
      number: "4761120010000492",
      exp_month: 11,
      exp_year: 2029,
      cryptogram: "Af9x/QwAA/DjmU65oyc1MAABAAA=",
      eci: "5",
    });
  });

  it("names the bad field, never its value", () => {
    refused({ ...base, applicationExpirationDate: "291330" }, /applicationExpirationDate/);
    refused({ ...base, transactionAmount: 49.99 }, /transactionAmount/);
    refused({ ...base, transactionAmount: "4999" }, /transactionAmount/);
    refused({ ...base, applicationPrimaryAccountNumber: "4761-1200" }, /applicationPrimaryAccountNumber/);
    refused({ ...base, paymentData: {} }, /paymentData\.onlinePaymentCryptogram/);
    refused({ ...base, paymentDataType: "Other" }, /paymentDataType/);
    refused([base], /object/);
    assert.throws(
      () => parse({ ...base, applicationPrimaryAccountNumber: "4761-1200" }),
      (e: Error) => !e.message.includes("4761"),
    );
  });

  it("EMV tokens (China) parse but are not network token cards", () => {
    const emv = parse({
      ...base,
      paymentDataType: "EMV",
      paymentData: { emvData: "9F26...", encryptedPINData: "AB" },
    });
    assert.equal(emv.paymentDataType, "EMV");
    assert.throws(
      () => toNetworkTokenCard(emv),
      (e) => e instanceof ApplePayTokenError && e.code === "unsupported_payment_data_type",
    );
  });
});
