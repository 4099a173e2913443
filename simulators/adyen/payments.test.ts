import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type AdyenSimulator, startAdyenSimulator } from "./index.ts";
import {
  api,
  assertEveryWebhookOfficiallySigned,
  card,
  configureWebhook,
  MERCHANT,
  newApiKey,
  officiallySigned,
  paymentBody,
  type Receiver,
  sleep,
  startReceiver,
  uniqueRef,
  withLuhnDigit,
} from "./test-support.ts";

let sim: AdyenSimulator;
let receiver: Receiver;

before(async () => {
  sim = await startAdyenSimulator({
    strictResponses: true,
    now: () => new Date("2026-03-15T12:00:00Z"),
    modificationDelayMs: 20,
    resolveAfterMs: 80,
    notificationRetryDelaysMs: [20],
  });
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

async function account() {
  const key = newApiKey();
  const { hmacKey } = await configureWebhook(sim.url, key, receiver.url);
  return { key, hmacKey };
}

const pay = (key: string, body: unknown, idempotencyKey?: string) =>
  api(sim.url, "POST", "/v71/payments", { key, body, idempotencyKey });

describe("test cards", () => {
  const cases = [
    { number: "4242424242424242", resultCode: "Authorised", brand: "visa" },
    { number: "5555555555554444", resultCode: "Authorised", brand: "mc" },
    { number: withLuhnDigit("401288888888188"), resultCode: "Authorised", brand: "visa" },
    { number: "4000000000000002", resultCode: "Refused", reason: "Refused", code: "2" },
    { number: "4000000000009995", resultCode: "Refused", reason: "Not enough balance", code: "12" },
    {
      number: "4000000000009987",
      resultCode: "Refused",
      reason: "Blocked Card",
      code: "5",
      raw: "41 : Lost card",
    },
    {
      number: "4000000000009979",
      resultCode: "Refused",
      reason: "Restricted Card",
      code: "25",
      raw: "43 : Stolen card",
    },
    { number: "4000000000000069", resultCode: "Refused", reason: "Expired Card", code: "6" },
    { number: "4000000000000127", resultCode: "Refused", reason: "CVC Declined", code: "24" },
    { number: "4000000000000119", resultCode: "Error", reason: "Acquirer Error", code: "4" },
  ];
  for (const c of cases) {
    test(`${c.number.slice(-4)} → ${c.resultCode}${c.reason ? ` (${c.reason})` : ""}`, async () => {
      const { key, hmacKey } = await account();
      const body = paymentBody({ paymentMethod: card(c.number) });
      const res = await pay(key, body);
      assert.equal(res.status, 200);
      assert.equal(res.json.resultCode, c.resultCode);
      assert.match(res.json.pspReference, /^[A-Z0-9]{16}$/);
      assert.equal(res.json.merchantReference, body.reference);
      assert.deepEqual(res.json.amount, { value: 1000, currency: "EUR" });
      if (c.reason) {
        assert.equal(res.json.refusalReason, c.reason);
        assert.equal(res.json.refusalReasonCode, c.code);
        if (c.raw) assert.equal(res.json.additionalData.refusalReasonRaw, c.raw);
      } else {
        assert.equal(res.json.paymentMethod.brand, c.brand);
        assert.match(res.json.additionalData.networkTxReference, /^\d{15}$/);
      }
      const webhook = await receiver.waitForEvent("AUTHORISATION", res.json.pspReference);
      assert.ok(officiallySigned(webhook, hmacKey));
      assert.equal(webhook.item.success, c.resultCode === "Authorised" ? "true" : "false");
      assert.equal(webhook.item.merchantAccountCode, MERCHANT);
      assert.equal(webhook.item.merchantReference, body.reference);
      if (c.reason) assert.equal(webhook.item.reason, c.reason);
      assert.doesNotMatch(webhook.raw, new RegExp(c.number), "no card number in webhooks");
      assert.equal(sim.paymentCount(key), 1);
    });
  }

  test("a card whose expiry date has passed is refused as Expired Card", async () => {
    const { key } = await account();
    const res = await pay(
      key,
      paymentBody({ paymentMethod: card("4242424242424242", { expiryMonth: "2", expiryYear: "2026" }) }),
    );
    assert.equal(res.json.resultCode, "Refused");
    assert.equal(res.json.refusalReason, "Expired Card");
    assert.equal(res.json.refusalReasonCode, "6");
  });

  for (const [number, success] of [
    ["4000000000000408", "true"],
    ["4000000000000416", "false"],
  ] as const) {
    test(`timeout card ${number.slice(-4)}: no answer, recorded as Received, webhook says ${success}`, async () => {
      const { key, hmacKey } = await account();
      const body = paymentBody({ paymentMethod: card(number) });
      await assert.rejects(pay(key, body, "timeout-key"));
      assert.equal(sim.paymentCount(key), 1);
      const retry = await pay(key, body, "timeout-key");
      assert.equal(retry.status, 200);
      assert.equal(retry.json.resultCode, "Received");
      assert.equal(sim.paymentCount(key), 1, "the retry replays, it does not pay twice");
      const webhook = await receiver.waitForEvent("AUTHORISATION", retry.json.pspReference);
      assert.equal(webhook.item.success, success);
      assert.ok(officiallySigned(webhook, hmacKey));
    });
  }
});

describe("capture modes", () => {
  test("automatic capture by default: a CAPTURE webhook follows the authorisation", async () => {
    const { key, hmacKey } = await account();
    const res = await pay(key, paymentBody());
    const auth = await receiver.waitForEvent("AUTHORISATION", res.json.pspReference);
    assert.deepEqual(auth.item.operations, ["REFUND"]);
    const capture = await receiver.waitForEvent("CAPTURE", res.json.pspReference);
    assert.equal(capture.item.originalReference, res.json.pspReference);
    assert.notEqual(capture.item.pspReference, res.json.pspReference);
    assert.equal(capture.item.success, "true");
    assert.deepEqual(capture.item.amount, { value: 1000, currency: "EUR" });
    assert.ok(officiallySigned(capture, hmacKey));
  });

  for (const [name, extra] of [
    ["additionalData.manualCapture", { additionalData: { manualCapture: "true" } }],
    ["captureDelayHours", { captureDelayHours: 48 }],
  ] as const) {
    test(`${name} leaves the payment authorised`, async () => {
      const { key } = await account();
      const res = await pay(key, paymentBody(extra));
      const auth = await receiver.waitForEvent("AUTHORISATION", res.json.pspReference);
      assert.deepEqual(auth.item.operations, ["CANCEL", "CAPTURE", "REFUND"]);
      await sleep(100);
      assert.ok(
        !receiver.received.some(
          (r) => r.item?.eventCode === "CAPTURE" && r.item.originalReference === res.json.pspReference,
        ),
      );
    });
  }

  test("a zero-value authorisation is never captured", async () => {
    const { key } = await account();
    const res = await pay(key, paymentBody({ amount: { value: 0, currency: "EUR" } }));
    assert.equal(res.json.resultCode, "Authorised");
    await sleep(100);
    assert.ok(
      !receiver.received.some(
        (r) => r.item?.eventCode === "CAPTURE" && r.item.originalReference === res.json.pspReference,
      ),
    );
  });
});

describe("recurring and tokens", () => {
  test("first payment returns networkTxReference and a stored card; MIT ContAuth reuses them", async () => {
    const { key, hmacKey } = await account();
    const shopperReference = uniqueRef("shopper");
    const first = await pay(
      key,
      paymentBody({
        storePaymentMethod: true,
        shopperReference,
        recurringProcessingModel: "Subscription",
        shopperInteraction: "Ecommerce",
      }),
    );
    assert.equal(first.json.resultCode, "Authorised");
    const networkTxReference = first.json.additionalData.networkTxReference;
    const storedId = first.json.additionalData["tokenization.storedPaymentMethodId"];
    assert.match(networkTxReference, /^\d{15}$/);
    assert.equal(first.json.additionalData["tokenization.store.operationType"], "created");
    assert.equal(first.json.additionalData["tokenization.shopperReference"], shopperReference);
    const auth = await receiver.waitForEvent("AUTHORISATION", first.json.pspReference);
    assert.equal(auth.item.additionalData["tokenization.storedPaymentMethodId"], storedId);
    assert.ok(officiallySigned(auth, hmacKey));

    const mit = await pay(
      key,
      paymentBody({
        paymentMethod: { type: "scheme", storedPaymentMethodId: storedId },
        shopperReference,
        shopperInteraction: "ContAuth",
        recurringProcessingModel: "Subscription",
        additionalData: { networkTxReference },
      }),
    );
    assert.equal(mit.json.resultCode, "Authorised");
    assert.equal(mit.json.additionalData.shopperInteraction, "ContAuth");

    const rawMit = await pay(
      key,
      paymentBody({
        paymentMethod: card("4242424242424242", { cvc: undefined }),
        shopperInteraction: "ContAuth",
        recurringProcessingModel: "UnscheduledCardOnFile",
        additionalData: { networkTxReference },
      }),
    );
    assert.equal(rawMit.json.resultCode, "Authorised");

    const otherShopper = await pay(
      key,
      paymentBody({
        paymentMethod: { type: "scheme", storedPaymentMethodId: storedId },
        shopperReference: "someone-else",
        shopperInteraction: "ContAuth",
        recurringProcessingModel: "Subscription",
      }),
    );
    assert.equal(otherShopper.status, 422);
    assert.equal(otherShopper.json.errorCode, "800");
  });

  test("storing a card needs a shopperReference", async () => {
    const { key } = await account();
    const res = await pay(key, paymentBody({ storePaymentMethod: true }));
    assert.equal(res.status, 422);
    assert.equal(sim.paymentCount(key), 0);
  });

  test("network token and decrypted wallet data with mpiData are authorised without a challenge", async () => {
    const { key } = await account();
    const mpiData = {
      cavv: "AQIDBAUGBwgJCgsMDQ4PEBESExQ=",
      eci: "05",
      directoryResponse: "Y",
      authenticationResponse: "Y",
    };
    const token = await pay(
      key,
      paymentBody({
        paymentMethod: {
          type: "networkToken",
          brand: "visa",
          number: "4000002760003184",
          expiryMonth: "12",
          expiryYear: "2030",
        },
        mpiData,
      }),
    );
    assert.equal(token.json.resultCode, "Authorised");
    assert.equal(token.json.paymentMethod.type, "networkToken");
    assert.equal(token.json.additionalData.threeDAuthenticated, "true");
    const wallet = await pay(
      key,
      paymentBody({ paymentMethod: card("4000002760003184", { cvc: undefined }), mpiData }),
    );
    assert.equal(wallet.json.resultCode, "Authorised");
  });

  test("payment methods other than cards are not supported", async () => {
    const { key } = await account();
    const res = await pay(key, paymentBody({ paymentMethod: { type: "paypal" } }));
    assert.equal(res.status, 422);
    assert.equal(res.json.errorCode, "905");
  });
});

describe("accounts", () => {
  test("a missing or short X-API-Key is 401 in Adyen's shape", async () => {
    for (const key of [null, "short-key"]) {
      const res = await pay(key as string, paymentBody());
      assert.equal(res.status, 401);
      assert.deepEqual(res.json, {
        status: 401,
        errorCode: "000",
        message: "HTTP Status Response - Unauthorized",
        errorType: "security",
      });
    }
  });

  test("each API key is its own company account", async () => {
    const a = await account();
    const b = newApiKey();
    const res = await pay(a.key, paymentBody({ additionalData: { manualCapture: "true" } }));
    const before = sim.paymentCount();
    const foreign = await api(sim.url, "POST", `/v71/payments/${res.json.pspReference}/captures`, {
      key: b,
      body: { merchantAccount: MERCHANT, amount: { value: 1000, currency: "EUR" } },
    });
    assert.equal(foreign.status, 422);
    assert.equal(foreign.json.errorCode, "167");
    assert.equal(sim.paymentCount(a.key), 1);
    assert.equal(sim.paymentCount(b), 0);
    assert.equal(sim.paymentCount(), before);
  });

  test("unknown paths answer 404 in Adyen's shape", async () => {
    const res = await api(sim.url, "POST", "/v70/payments", { key: newApiKey(), body: paymentBody() });
    assert.equal(res.status, 404);
    assert.equal(res.json.status, 404);
  });
});
