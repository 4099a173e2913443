import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type AdyenSimulator, startAdyenSimulator } from "./index.ts";
import { compileSpecValidators, explain } from "./spec.ts";
import {
  api,
  assertEveryWebhookOfficiallySigned,
  card,
  configureWebhook,
  MERCHANT,
  newApiKey,
  paymentBody,
  type Receiver,
  sleep,
  startReceiver,
} from "./test-support.ts";

let sim: AdyenSimulator;
let receiver: Receiver;
let clock = new Date("2026-03-15T12:00:00Z");

before(async () => {
  sim = await startAdyenSimulator({ strictResponses: true, now: () => clock, modificationDelayMs: 20 });
  receiver = await startReceiver();
});
after(async () => {
  try {
    assertEveryWebhookOfficiallySigned(receiver);
  } finally {
    await receiver.close();
    await sim.close();
  }
});

const pay = (key: string, body: unknown, idempotencyKey?: string) =>
  api(sim.url, "POST", "/v71/payments", { key, body, idempotencyKey });

describe("request validation against the v71 spec", () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["missing returnUrl", { returnUrl: undefined }, "14_030", /^Return URL is missing\.$/],
    ["missing amount", { amount: undefined }, "100", /Required object 'amount'/],
    ["missing merchantAccount", { merchantAccount: undefined }, "702", /Required field 'merchantAccount'/],
    ["missing amount.currency", { amount: { value: 100 } }, "702", /Required field 'amount\.currency'/],
    [
      "unknown field",
      { colour: "red" },
      "702",
      /Structure request contains the following unknown fields: \[colour\]/,
    ],
    [
      "unknown card field",
      { paymentMethod: { ...card(), numbr: "1" } },
      "702",
      /Structure paymentMethod .*\[numbr\]/,
    ],
    [
      "wrong type",
      { amount: { value: "10.00", currency: "EUR" } },
      "702",
      /Field 'amount\.value' must be of type integer/,
    ],
    [
      "enum",
      { shopperInteraction: "Phone" },
      "702",
      /Field 'shopperInteraction' must be one of: Ecommerce, ContAuth/,
    ],
    ["format", { mpiData: { cavv: "not base64!" } }, "702", /Field 'mpiData\.cavv' must match format "byte"/],
    ["no payment method type matches", { paymentMethod: {} }, "702", /Field 'paymentMethod' does not match/],
    ["lower-case currency", { amount: { value: 100, currency: "eur" } }, "702", /amount\.currency/],
    ["negative amount", { amount: { value: -1, currency: "EUR" } }, "137", /Invalid amount/],
    ["empty merchant account", { merchantAccount: " " }, "901", /Invalid Merchant Account/],
    ["Luhn-invalid number", { paymentMethod: card("4242424242424241") }, "101", /^Invalid card number$/],
    ["letters in the number", { paymentMethod: card("4242x42424242424") }, "101", /^Invalid card number$/],
    [
      "bad expiry",
      { paymentMethod: card("4242424242424242", { expiryMonth: "13" }) },
      "129",
      /Expiry Date Invalid/,
    ],
    [
      "two-digit year",
      { paymentMethod: card("4242424242424242", { expiryYear: "30" }) },
      "129",
      /Expiry Date Invalid/,
    ],
    [
      "bad CVC",
      { paymentMethod: card("4242424242424242", { cvc: "12" }) },
      "103",
      /CVC is not the right length/,
    ],
    [
      "encrypted card fields",
      { paymentMethod: { type: "scheme", encryptedCardNumber: "adyenjs_0_1_25$..." } },
      "174",
      /decrypt/,
    ],
  ];
  for (const [name, overrides, errorCode, message] of cases) {
    test(`${name} → 422 ${errorCode}`, async () => {
      const key = newApiKey();
      const res = await pay(key, paymentBody(overrides));
      assert.equal(res.status, 422, res.text);
      assert.equal(res.json.status, 422);
      assert.equal(res.json.errorCode, errorCode);
      assert.equal(res.json.errorType === "validation" || res.json.errorType === "security", true);
      assert.match(res.json.message, message);
      assert.doesNotMatch(res.text, /4242/, "card numbers never appear in errors");
      assert.equal(sim.paymentCount(key), 0);
    });
  }

  test("malformed JSON is a 400 that does not quote the body", async () => {
    const res = await api(sim.url, "POST", "/v71/payments", {
      key: newApiKey(),
      rawBody: '{"paymentMethod":{"number":"4242424242424242"',
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.errorCode, "702");
    assert.match(res.json.message, /^Unexpected input/);
    assert.doesNotMatch(res.text, /4242/);
  });

  test("modification and details bodies are validated too", async () => {
    const key = newApiKey();
    const paid = await pay(key, paymentBody({ additionalData: { manualCapture: "true" } }));
    const path = `/v71/payments/${paid.json.pspReference}`;
    const noAmount = await api(sim.url, "POST", `${path}/captures`, {
      key,
      body: { merchantAccount: MERCHANT },
    });
    assert.equal(noAmount.json.errorCode, "100");
    const zero = await api(sim.url, "POST", `${path}/refunds`, {
      key,
      body: { merchantAccount: MERCHANT, amount: { value: 0, currency: "EUR" } },
    });
    assert.equal(zero.json.errorCode, "137");
    const reason = await api(sim.url, "POST", `${path}/refunds`, {
      key,
      body: {
        merchantAccount: MERCHANT,
        amount: { value: 1, currency: "EUR" },
        merchantRefundReason: "BORED",
      },
    });
    assert.match(reason.json.message, /merchantRefundReason/);
    const details = await api(sim.url, "POST", "/v71/payments/details", { key, body: { paymentData: "x" } });
    assert.equal(details.status, 422);
    assert.match(details.json.message, /Required field 'details'/);
    const standalone = await api(sim.url, "POST", "/v71/cancels", {
      key,
      body: { merchantAccount: MERCHANT },
    });
    assert.match(standalone.json.message, /Required field 'paymentReference'/);
  });
});

describe("the spec validators", () => {
  const spec = compileSpecValidators();

  test("response bodies the simulator could get wrong are caught", () => {
    assert.equal(spec.response("PaymentResponse", { resultCode: "Authorised", pspReference: "A" }), null);
    assert.match(spec.response("PaymentResponse", { resultCode: "Approved" }) ?? "", /resultCode/);
    assert.match(spec.response("PaymentCaptureResponse", { status: "received" }) ?? "", /required/);
    assert.match(spec.response("ServiceError", { status: "422" }) ?? "", /status/);
  });

  test("webhook bodies are checked against the schema of their event", () => {
    const item = {
      amount: { value: 1, currency: "EUR" },
      eventCode: "CAPTURE",
      eventDate: "2026-03-15T12:00:00+00:00",
      merchantAccountCode: MERCHANT,
      merchantReference: "r",
      pspReference: "ABCDEFGHIJKLMNOP",
      success: "true",
    };
    assert.equal(
      spec.webhook("CAPTURE", { live: "false", notificationItems: [{ NotificationRequestItem: item }] }),
      null,
    );
    const withUnknown = { ...item, additionalData: { networkTxReference: "1" } };
    assert.match(
      spec.webhook("CAPTURE", {
        live: "false",
        notificationItems: [{ NotificationRequestItem: withUnknown }],
      }) ?? "",
      /additional properties/,
    );
    assert.match(spec.webhook("NOT_AN_EVENT", {}) ?? "", /no webhook schema/);
  });

  test("explanations name the field and never the value", () => {
    const problem = spec.request("PaymentRequest", { ...paymentBody(), telephoneNumber: 5 });
    assert.deepEqual(problem, {
      kind: "invalid",
      field: "telephoneNumber",
      message: "Field 'telephoneNumber' must be of type string",
    });
    assert.equal(explain([]).kind, "invalid");
  });
});

describe("Idempotency-Key", () => {
  test("same key and same body replay the first answer; key order does not matter", async () => {
    const key = newApiKey();
    const body = paymentBody();
    const first = await pay(key, body, "idem-1");
    assert.equal(first.headers.get("idempotency-key"), "idem-1");
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = await pay(key, reordered, "idem-1");
    assert.equal(second.status, 200);
    assert.equal(second.text, first.text);
    assert.equal(sim.paymentCount(key), 1);
  });

  test("same key with another body, or on another endpoint, is refused with 704", async () => {
    const key = newApiKey();
    const first = await pay(key, paymentBody(), "idem-2");
    const other = await pay(key, paymentBody(), "idem-2");
    assert.equal(other.status, 422);
    assert.equal(other.json.errorCode, "704");
    assert.equal(other.headers.get("transient-error"), "false");
    const elsewhere = await api(sim.url, "POST", `/v71/payments/${first.json.pspReference}/cancels`, {
      key,
      body: { merchantAccount: MERCHANT },
      idempotencyKey: "idem-2",
    });
    assert.equal(elsewhere.json.errorCode, "704");
    assert.equal(sim.paymentCount(key), 1);
  });

  test("keys are scoped to the account", async () => {
    const body = paymentBody();
    const a = newApiKey();
    const b = newApiKey();
    const first = await pay(a, body, "shared-key");
    const second = await pay(b, body, "shared-key");
    assert.notEqual(first.json.pspReference, second.json.pspReference);
  });

  test("invalid requests are not remembered; the key can be reused once corrected", async () => {
    const key = newApiKey();
    const invalid = await pay(key, paymentBody({ returnUrl: undefined }), "fix-me");
    assert.equal(invalid.status, 422);
    const fixed = await pay(key, paymentBody(), "fix-me");
    assert.equal(fixed.status, 200);
  });

  test("keys longer than 64 characters are refused", async () => {
    const res = await pay(newApiKey(), paymentBody(), "k".repeat(65));
    assert.equal(res.status, 422);
    assert.match(res.json.message, /64/);
  });

  test("without a key every request is a new payment", async () => {
    const key = newApiKey();
    const body = paymentBody();
    await pay(key, body);
    await pay(key, body);
    assert.equal(sim.paymentCount(key), 2);
  });

  test("a repeated capture with the same key is one capture and one webhook", async () => {
    const key = newApiKey();
    await configureWebhook(sim.url, key, receiver.url);
    const paid = await pay(key, paymentBody({ additionalData: { manualCapture: "true" } }));
    const capture = () =>
      api(sim.url, "POST", `/v71/payments/${paid.json.pspReference}/captures`, {
        key,
        body: { merchantAccount: MERCHANT, amount: { value: 400, currency: "EUR" } },
        idempotencyKey: "capture-once",
      });
    const first = await capture();
    const second = await capture();
    assert.equal(first.status, 201);
    assert.equal(second.text, first.text);
    await receiver.waitForEvent("CAPTURE", first.json.pspReference);
    await sleep(80);
    const captures = receiver.received.filter(
      (r) => r.item?.eventCode === "CAPTURE" && r.item.originalReference === paid.json.pspReference,
    );
    assert.equal(captures.length, 1);
  });

  test("keys are kept for 31 days", async () => {
    const key = newApiKey();
    const body = paymentBody();
    const first = await pay(key, body, "long-lived");
    clock = new Date(clock.getTime() + 30 * 24 * 3600 * 1000);
    assert.equal((await pay(key, body, "long-lived")).text, first.text);
    clock = new Date(clock.getTime() + 2 * 24 * 3600 * 1000);
    const later = await pay(key, body, "long-lived");
    assert.notEqual(later.json.pspReference, first.json.pspReference);
    assert.equal(sim.paymentCount(key), 2);
  });
});

describe("injected randomness", () => {
  test("a seeded random source makes references replay exactly", async () => {
    let next = 0;
    const counting = (size: number) => Buffer.from(Array.from({ length: size }, () => next++ % 256));
    const seeded = await startAdyenSimulator({ strictResponses: true, random: counting, now: () => clock });
    try {
      const res = await api(seeded.url, "POST", "/v71/payments", { key: newApiKey(), body: paymentBody() });
      assert.equal(res.json.pspReference, "ABCDEFGHIJKLMNOP");
      assert.equal(res.json.additionalData.authCode, "234567");
    } finally {
      await seeded.close();
    }
  });
});
