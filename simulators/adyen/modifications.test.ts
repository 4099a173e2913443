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
  startReceiver,
  uniqueRef,
  waitUntil,
} from "./test-support.ts";

let sim: AdyenSimulator;
let receiver: Receiver;

before(async () => {
  sim = await startAdyenSimulator({ strictResponses: true, modificationDelayMs: 30, resolveAfterMs: 150 });
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

interface Setup {
  key: string;
  hmacKey: string;
}

async function account(): Promise<Setup> {
  const key = newApiKey();
  const { hmacKey } = await configureWebhook(sim.url, key, receiver.url);
  return { key, hmacKey };
}

async function authorised(setup: Setup, overrides: Record<string, unknown> = {}) {
  const res = await api(sim.url, "POST", "/v71/payments", {
    key: setup.key,
    body: paymentBody({ additionalData: { manualCapture: "true" }, ...overrides }),
  });
  assert.equal(res.status, 200);
  return res.json as { pspReference: string; merchantReference: string; resultCode: string };
}

function modify(setup: Setup, psp: string, kind: string, body: Record<string, unknown> = {}) {
  return api(sim.url, "POST", `/v71/payments/${psp}/${kind}`, {
    key: setup.key,
    body: { merchantAccount: MERCHANT, ...body },
  });
}

const eur = (value: number) => ({ value, currency: "EUR" });

/** The webhook for one modification, checked with Adyen's own HMAC validator. */
async function outcome(setup: Setup, eventCode: string, modificationPsp: string) {
  await waitUntil(
    () =>
      receiver.received.some(
        (r) => r.item?.eventCode === eventCode && r.item.pspReference === modificationPsp,
      ),
    3000,
    `${eventCode} for ${modificationPsp}`,
  );
  const webhook = receiver.received.find(
    (r) => r.item?.eventCode === eventCode && r.item.pspReference === modificationPsp,
  );
  assert.ok(webhook);
  assert.ok(officiallySigned(webhook, setup.hmacKey), "signature verifies with @adyen/api-library");
  return webhook.item;
}

describe("captures", () => {
  test("answered 201 received at once; the CAPTURE webhook carries the outcome", async () => {
    const setup = await account();
    const payment = await authorised(setup);
    const reference = uniqueRef("capture");
    const res = await modify(setup, payment.pspReference, "captures", { amount: eur(1000), reference });
    assert.equal(res.status, 201);
    assert.equal(res.json.status, "received");
    assert.equal(res.json.paymentPspReference, payment.pspReference);
    assert.equal(res.json.merchantAccount, MERCHANT);
    assert.equal(res.json.reference, reference);
    assert.deepEqual(res.json.amount, eur(1000));
    assert.match(res.json.pspReference, /^[A-Z0-9]{16}$/);
    assert.ok(!receiver.received.some((r) => r.item?.pspReference === res.json.pspReference), "asynchronous");
    const item = await outcome(setup, "CAPTURE", res.json.pspReference);
    assert.equal(item.success, "true");
    assert.equal(item.originalReference, payment.pspReference);
    assert.equal(item.merchantReference, reference);
    assert.deepEqual(item.amount, eur(1000));
  });

  test("several partial captures up to the authorised amount, then a failure", async () => {
    const setup = await account();
    const payment = await authorised(setup);
    const first = await modify(setup, payment.pspReference, "captures", { amount: eur(300) });
    const second = await modify(setup, payment.pspReference, "captures", { amount: eur(700) });
    const third = await modify(setup, payment.pspReference, "captures", { amount: eur(1) });
    assert.equal((await outcome(setup, "CAPTURE", first.json.pspReference)).success, "true");
    assert.equal((await outcome(setup, "CAPTURE", second.json.pspReference)).success, "true");
    const failed = await outcome(setup, "CAPTURE", third.json.pspReference);
    assert.equal(failed.success, "false");
    assert.equal(failed.reason, "Insufficient balance on payment");
  });

  test("capturing more than authorised, or in another currency, fails", async () => {
    const setup = await account();
    const payment = await authorised(setup);
    const tooMuch = await modify(setup, payment.pspReference, "captures", { amount: eur(1001) });
    const currency = await modify(setup, payment.pspReference, "captures", {
      amount: { value: 100, currency: "USD" },
    });
    assert.equal(tooMuch.status, 201);
    assert.equal((await outcome(setup, "CAPTURE", tooMuch.json.pspReference)).success, "false");
    const wrongCurrency = await outcome(setup, "CAPTURE", currency.json.pspReference);
    assert.equal(wrongCurrency.success, "false");
    assert.match(wrongCurrency.reason, /currency/);
  });

  test("a capture ending in 78 succeeds, then CAPTURE_FAILED arrives", async () => {
    const setup = await account();
    const payment = await authorised(setup);
    const res = await modify(setup, payment.pspReference, "captures", { amount: eur(478) });
    assert.equal((await outcome(setup, "CAPTURE", res.json.pspReference)).success, "true");
    const failed = await outcome(setup, "CAPTURE_FAILED", res.json.pspReference);
    assert.equal(failed.originalReference, payment.pspReference);
    assert.equal(failed.reason, "Capture Failed");
  });
});

describe("refunds", () => {
  test("refunds up to the captured amount; more is REFUND success false", async () => {
    const setup = await account();
    const payment = await authorised(setup, { additionalData: {} });
    const autoCapture = receiver.waitForEvent("CAPTURE", payment.pspReference);
    await autoCapture;
    const partial = await modify(setup, payment.pspReference, "refunds", {
      amount: eur(600),
      merchantRefundReason: "RETURN",
    });
    assert.equal(partial.status, 201);
    assert.equal(partial.json.merchantRefundReason, "RETURN");
    const over = await modify(setup, payment.pspReference, "refunds", { amount: eur(401) });
    const rest = await modify(setup, payment.pspReference, "refunds", { amount: eur(400) });
    assert.equal((await outcome(setup, "REFUND", partial.json.pspReference)).success, "true");
    const refused = await outcome(setup, "REFUND", over.json.pspReference);
    assert.equal(refused.success, "false");
    assert.equal(refused.reason, "Insufficient balance on payment");
    assert.equal((await outcome(setup, "REFUND", rest.json.pspReference)).success, "true");
  });

  test("nothing captured, nothing to refund", async () => {
    const setup = await account();
    const payment = await authorised(setup);
    const res = await modify(setup, payment.pspReference, "refunds", { amount: eur(100) });
    assert.equal((await outcome(setup, "REFUND", res.json.pspReference)).success, "false");
  });

  test("a refund ending in 78 succeeds, then REFUND_FAILED gives the amount back", async () => {
    const setup = await account();
    const payment = await authorised(setup);
    const capture = await modify(setup, payment.pspReference, "captures", { amount: eur(1000) });
    await outcome(setup, "CAPTURE", capture.json.pspReference);
    const late = await modify(setup, payment.pspReference, "refunds", { amount: eur(178) });
    assert.equal((await outcome(setup, "REFUND", late.json.pspReference)).success, "true");
    assert.equal((await outcome(setup, "REFUND_FAILED", late.json.pspReference)).reason, "Refund Failed");
    const all = await modify(setup, payment.pspReference, "refunds", { amount: eur(1000) });
    assert.equal((await outcome(setup, "REFUND", all.json.pspReference)).success, "true");
  });
});

describe("cancels and reversals", () => {
  test("cancel releases the authorisation; a later capture fails", async () => {
    const setup = await account();
    const payment = await authorised(setup);
    const cancel = await modify(setup, payment.pspReference, "cancels", { reference: "void-1" });
    assert.equal(cancel.status, 201);
    assert.equal(cancel.json.paymentPspReference, payment.pspReference);
    assert.equal((await outcome(setup, "CANCELLATION", cancel.json.pspReference)).success, "true");
    const capture = await modify(setup, payment.pspReference, "captures", { amount: eur(100) });
    const failed = await outcome(setup, "CAPTURE", capture.json.pspReference);
    assert.equal(failed.success, "false");
    assert.equal(failed.reason, "Transaction already cancelled");
  });

  test("cancel after capture fails", async () => {
    const setup = await account();
    const payment = await authorised(setup);
    const capture = await modify(setup, payment.pspReference, "captures", { amount: eur(100) });
    const cancel = await modify(setup, payment.pspReference, "cancels");
    await outcome(setup, "CAPTURE", capture.json.pspReference);
    const failed = await outcome(setup, "CANCELLATION", cancel.json.pspReference);
    assert.equal(failed.success, "false");
    assert.equal(failed.reason, "Transaction already captured");
  });

  test("reversal cancels what is not captured and refunds what is", async () => {
    const setup = await account();
    const open = await authorised(setup);
    const cancelled = await modify(setup, open.pspReference, "reversals", { reference: "rev-1" });
    assert.equal(cancelled.status, 201);
    const cancelItem = await outcome(setup, "CANCEL_OR_REFUND", cancelled.json.pspReference);
    assert.equal(cancelItem.success, "true");
    assert.equal(cancelItem.additionalData["modification.action"], "cancel");

    const captured = await authorised(setup, { additionalData: {} });
    await receiver.waitForEvent("CAPTURE", captured.pspReference);
    const refunded = await modify(setup, captured.pspReference, "reversals");
    const refundItem = await outcome(setup, "CANCEL_OR_REFUND", refunded.json.pspReference);
    assert.equal(refundItem.additionalData["modification.action"], "refund");
    const again = await modify(setup, captured.pspReference, "reversals");
    assert.equal((await outcome(setup, "CANCEL_OR_REFUND", again.json.pspReference)).success, "false");
  });

  test("modifications of a refused payment fail", async () => {
    const setup = await account();
    const payment = await authorised(setup, { paymentMethod: card("4000000000000002") });
    assert.equal(payment.resultCode, "Refused");
    const capture = await modify(setup, payment.pspReference, "captures", { amount: eur(100) });
    assert.equal(
      (await outcome(setup, "CAPTURE", capture.json.pspReference)).reason,
      "Transaction not authorised",
    );
  });

  test("an unknown pspReference is refused at once", async () => {
    const setup = await account();
    const res = await modify(setup, "ABCDEFGHIJKLMNOP", "captures", { amount: eur(100) });
    assert.equal(res.status, 422);
    assert.equal(res.json.errorCode, "167");
  });
});

describe("technical cancel by merchant reference (POST /cancels)", () => {
  const cancelByReference = (setup: Setup, paymentReference: string) =>
    api(sim.url, "POST", "/v71/cancels", {
      key: setup.key,
      body: { merchantAccount: MERCHANT, paymentReference, reference: uniqueRef("tc") },
    });

  test("cancels an authorised payment and answers in the StandalonePaymentCancelResponse shape", async () => {
    const setup = await account();
    const payment = await authorised(setup);
    const res = await cancelByReference(setup, payment.merchantReference);
    assert.equal(res.status, 201);
    assert.equal(res.json.status, "received");
    assert.equal(res.json.paymentReference, payment.merchantReference);
    const item = await outcome(setup, "TECHNICAL_CANCEL", res.json.pspReference);
    assert.equal(item.success, "true");
    assert.equal(item.originalReference, payment.pspReference);
  });

  test("cancels a payment whose answer never came (timeout card) once it settles", async () => {
    const setup = await account();
    const body = paymentBody({
      paymentMethod: card("4000000000000408"),
      additionalData: { manualCapture: "true" },
    });
    await assert.rejects(api(sim.url, "POST", "/v71/payments", { key: setup.key, body }));
    const res = await cancelByReference(setup, body.reference);
    const item = await outcome(setup, "TECHNICAL_CANCEL", res.json.pspReference);
    assert.equal(item.success, "true");
    assert.equal(item.merchantReference, body.reference);
    const events = receiver.received
      .filter((r) => r.item?.merchantReference === body.reference)
      .map((r) => r.item.eventCode);
    assert.deepEqual(events, ["AUTHORISATION", "TECHNICAL_CANCEL"]);
  });

  test("a cancel that arrives before its payment cancels the payment when it comes", async () => {
    const setup = await account();
    const body = paymentBody({ additionalData: { manualCapture: "true" } });
    const res = await cancelByReference(setup, body.reference);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const paid = await api(sim.url, "POST", "/v71/payments", { key: setup.key, body });
    assert.equal(paid.json.resultCode, "Authorised");
    const item = await outcome(setup, "TECHNICAL_CANCEL", res.json.pspReference);
    assert.equal(item.originalReference, paid.json.pspReference);
    assert.equal(item.success, "true");
  });
});
