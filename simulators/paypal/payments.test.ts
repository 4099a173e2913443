import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { PayPalSimulator } from "./index.ts";
import {
  approvedOrder,
  call,
  newApp,
  orderBody,
  type Receiver,
  startReceiver,
  startTestSimulator,
  subscribe,
  type TestApp,
  waitUntil,
} from "./test-support.ts";

let sim: PayPalSimulator;
let app: TestApp;
let receiver: Receiver;
before(async () => {
  sim = await startTestSimulator();
  app = await newApp(sim);
  receiver = await startReceiver();
  await subscribe(sim, app, receiver.url);
});
after(async () => {
  await sim.close();
  await receiver.close();
});

describe("paypal simulator: Payments v2", () => {
  async function authorization(value = "100.00"): Promise<string> {
    const id = await approvedOrder(sim, app, {
      intent: "AUTHORIZE",
      purchase_units: [{ amount: { currency_code: "USD", value }, invoice_id: `INV-${Math.random()}` }],
    });
    const authorized = await call(sim, app, "POST", `/v2/checkout/orders/${id}/authorize`, {});
    return authorized.json.purchase_units[0].payments.authorizations[0].id;
  }

  async function capturedOrder(value = "50.00"): Promise<{ orderId: string; captureId: string }> {
    const orderId = await approvedOrder(sim, app, {
      purchase_units: [{ amount: { currency_code: "USD", value } }],
    });
    const captured = await call(sim, app, "POST", `/v2/checkout/orders/${orderId}/capture`, {});
    return { orderId, captureId: captured.json.purchase_units[0].payments.captures[0].id };
  }

  it("captures an authorization in parts, then finally; each capture is shown with related ids", async () => {
    const authId = await authorization("100.00");
    const shown = await call(sim, app, "GET", `/v2/payments/authorizations/${authId}`);
    assert.equal(shown.json.status, "CREATED");
    assert.ok(shown.json.supplementary_data.related_ids.order_id);

    const first = await call(sim, app, "POST", `/v2/payments/authorizations/${authId}/capture`, {
      amount: { currency_code: "USD", value: "30.00" },
    });
    assert.equal(first.status, 201);
    assert.deepEqual(Object.keys(first.json).sort(), ["id", "links", "status"]);
    assert.equal(first.json.status, "COMPLETED");
    assert.equal(
      (await call(sim, app, "GET", `/v2/payments/authorizations/${authId}`)).json.status,
      "PARTIALLY_CAPTURED",
    );

    const tooMuch = await call(sim, app, "POST", `/v2/payments/authorizations/${authId}/capture`, {
      amount: { currency_code: "USD", value: "80.00" },
    });
    assert.equal(tooMuch.status, 422);
    assert.equal(tooMuch.json.details[0].issue, "MAX_CAPTURE_AMOUNT_EXCEEDED");
    const wrongCurrency = await call(sim, app, "POST", `/v2/payments/authorizations/${authId}/capture`, {
      amount: { currency_code: "EUR", value: "1.00" },
    });
    assert.equal(wrongCurrency.json.details[0].issue, "AUTH_CAPTURE_CURRENCY_MISMATCH");

    const last = await call(
      sim,
      app,
      "POST",
      `/v2/payments/authorizations/${authId}/capture`,
      { amount: { currency_code: "USD", value: "20.00" }, final_capture: true },
      { prefer: "return=representation" },
    );
    assert.equal(last.json.final_capture, true);
    assert.deepEqual(last.json.amount, { currency_code: "USD", value: "20.00" });
    assert.equal(last.json.supplementary_data.related_ids.authorization_id, authId);
    assert.equal(
      (await call(sim, app, "GET", `/v2/payments/authorizations/${authId}`)).json.status,
      "CAPTURED",
    );
    const afterFinal = await call(sim, app, "POST", `/v2/payments/authorizations/${authId}/capture`, {});
    assert.equal(afterFinal.json.details[0].issue, "AUTHORIZATION_ALREADY_CAPTURED");
    const voidCaptured = await call(sim, app, "POST", `/v2/payments/authorizations/${authId}/void`);
    assert.equal(voidCaptured.json.details[0].issue, "PREVIOUSLY_CAPTURED");

    const capture = await call(sim, app, "GET", `/v2/payments/captures/${first.json.id}`);
    assert.equal(capture.json.amount.value, "30.00");
    assert.equal(capture.json.payee.merchant_id, app.merchantId);
  });

  it("voids an authorization (204, then VOIDED) and refuses to capture it afterwards", async () => {
    const authId = await authorization("10.00");
    const voided = await call(sim, app, "POST", `/v2/payments/authorizations/${authId}/void`);
    assert.equal(voided.status, 204);
    assert.equal(voided.text, "");
    assert.equal(
      (await call(sim, app, "GET", `/v2/payments/authorizations/${authId}`)).json.status,
      "VOIDED",
    );
    const again = await call(sim, app, "POST", `/v2/payments/authorizations/${authId}/void`, undefined, {
      prefer: "return=representation",
    });
    assert.equal(again.json.details[0].issue, "PREVIOUSLY_VOIDED");
    const capture = await call(sim, app, "POST", `/v2/payments/authorizations/${authId}/capture`, {});
    assert.equal(capture.json.details[0].issue, "AUTHORIZATION_VOIDED");
    await receiver.waitFor(() =>
      receiver.ofType("PAYMENT.AUTHORIZATION.VOIDED").some((r) => r.body.resource.id === authId),
    );
  });

  it("refunds a capture partially, then the rest; more than is left is refused", async () => {
    const { captureId } = await capturedOrder("50.00");
    const partial = await call(sim, app, "POST", `/v2/payments/captures/${captureId}/refund`, {
      amount: { currency_code: "USD", value: "20.00" },
      note_to_payer: "Sorry",
      invoice_id: "REFUND-1",
    });
    assert.equal(partial.status, 201);
    assert.equal(partial.json.status, "COMPLETED");
    assert.equal(
      (await call(sim, app, "GET", `/v2/payments/captures/${captureId}`)).json.status,
      "PARTIALLY_REFUNDED",
    );

    const tooMuch = await call(sim, app, "POST", `/v2/payments/captures/${captureId}/refund`, {
      amount: { currency_code: "USD", value: "30.01" },
    });
    assert.equal(tooMuch.status, 422);
    assert.equal(tooMuch.json.details[0].issue, "REFUND_AMOUNT_EXCEEDED");
    assert.equal(
      tooMuch.json.details[0].description,
      "The refund amount must be less than or equal to the capture amount that has not yet been refunded.",
    );

    const rest = await call(
      sim,
      app,
      "POST",
      `/v2/payments/captures/${captureId}/refund`,
      {},
      {
        prefer: "return=representation",
      },
    );
    assert.deepEqual(rest.json.amount, { currency_code: "USD", value: "30.00" });
    assert.deepEqual(rest.json.seller_payable_breakdown.total_refunded_amount, {
      currency_code: "USD",
      value: "50.00",
    });
    assert.equal((await call(sim, app, "GET", `/v2/payments/captures/${captureId}`)).json.status, "REFUNDED");
    const shown = await call(sim, app, "GET", `/v2/payments/refunds/${partial.json.id}`);
    assert.equal(shown.json.note_to_payer, "Sorry");
    assert.equal(shown.json.invoice_id, "REFUND-1");
    const done = await call(sim, app, "POST", `/v2/payments/captures/${captureId}/refund`, {});
    assert.equal(done.json.details[0].issue, "CAPTURE_FULLY_REFUNDED");

    await receiver.waitFor(
      () =>
        receiver.ofType("PAYMENT.CAPTURE.REFUNDED").filter((r) => r.body.resource.id === rest.json.id)
          .length === 1,
    );
  });

  it("validates refund bodies against the spec and amounts against the currency", async () => {
    const { captureId } = await capturedOrder("5.00");
    const syntax = await call(sim, app, "POST", `/v2/payments/captures/${captureId}/refund`, {
      amount: { currency_code: "USD" },
    });
    assert.equal(syntax.status, 400);
    assert.equal(syntax.json.details[0].issue, "MISSING_REQUIRED_PARAMETER");
    assert.equal(syntax.json.details[0].field, "/amount/value");
    const precision = await call(sim, app, "POST", `/v2/payments/captures/${captureId}/refund`, {
      amount: { currency_code: "USD", value: "1.234" },
    });
    assert.equal(precision.json.details[0].issue, "DECIMAL_PRECISION");
    const missing = await call(sim, app, "GET", "/v2/payments/captures/0000000000000000X");
    assert.equal(missing.status, 404);
  });

  it("eCheck funding: the capture is PENDING, then COMPLETED; or PENDING, then DENIED", async () => {
    for (const [funding, finalType, finalStatus] of [
      ["echeck", "PAYMENT.CAPTURE.COMPLETED", "COMPLETED"],
      ["echeck_denied", "PAYMENT.CAPTURE.DENIED", "DECLINED"],
    ] as const) {
      const orderId = await approvedOrder(sim, app, {}, funding);
      const captured = await call(sim, app, "POST", `/v2/checkout/orders/${orderId}/capture`, {});
      assert.equal(captured.json.status, "COMPLETED");
      const capture = captured.json.purchase_units[0].payments.captures[0];
      assert.equal(capture.status, "PENDING");
      assert.deepEqual(capture.status_details, { reason: "ECHECK" });
      const refund = await call(sim, app, "POST", `/v2/payments/captures/${capture.id}/refund`, {});
      assert.equal(refund.json.details[0].issue, "PENDING_CAPTURE");
      await receiver.waitFor(() => receiver.ofType(finalType).some((r) => r.body.resource.id === capture.id));
      assert.ok(receiver.ofType("PAYMENT.CAPTURE.PENDING").some((r) => r.body.resource.id === capture.id));
      assert.equal(
        (await call(sim, app, "GET", `/v2/payments/captures/${capture.id}`)).json.status,
        finalStatus,
      );
    }
  });
});

describe("paypal simulator: faults on demand", () => {
  after(() => sim.clearFaults());

  it("answers 500, 503 and 429 in PayPal's error shapes, then recovers", async () => {
    const expected = {
      500: "INTERNAL_SERVER_ERROR",
      503: "SERVICE_UNAVAILABLE",
      429: "RATE_LIMIT_REACHED",
    } as const;
    for (const status of [500, 503, 429] as const) {
      sim.injectFault({ kind: "status", status, match: "/v2/checkout/orders" });
      const failed = await call(sim, app, "POST", "/v2/checkout/orders", orderBody());
      assert.equal(failed.status, status);
      assert.equal(failed.json.name, expected[status]);
      assert.match(failed.json.debug_id, /^[0-9a-f]{13}$/);
    }
    assert.equal((await call(sim, app, "POST", "/v2/checkout/orders", orderBody())).status, 201);
  });

  it("resets the connection before acting (nothing done) or after acting (a retry with the request id replays)", async () => {
    const headers = { "paypal-request-id": "reset-after-1" };
    const orderId = await approvedOrder(sim, app);
    sim.injectFault({ kind: "reset", match: `/v2/checkout/orders/${orderId}/capture` });
    await assert.rejects(call(sim, app, "POST", `/v2/checkout/orders/${orderId}/capture`, {}, headers));
    assert.equal((await call(sim, app, "GET", `/v2/checkout/orders/${orderId}`)).json.status, "APPROVED");

    sim.injectFault({ kind: "reset", after: true, match: `/v2/checkout/orders/${orderId}/capture` });
    await assert.rejects(call(sim, app, "POST", `/v2/checkout/orders/${orderId}/capture`, {}, headers));
    assert.equal((await call(sim, app, "GET", `/v2/checkout/orders/${orderId}`)).json.status, "COMPLETED");
    const retried = await call(sim, app, "POST", `/v2/checkout/orders/${orderId}/capture`, {}, headers);
    assert.equal(retried.status, 201);
    assert.equal(retried.json.status, "COMPLETED");
  });

  it("truncates the body of an answer after acting, and adds latency", async () => {
    sim.injectFault({ kind: "malformed", match: "/v2/checkout/orders" });
    const malformed = await call(sim, app, "POST", "/v2/checkout/orders", orderBody());
    assert.equal(malformed.status, 200);
    assert.equal(malformed.json, null);
    sim.injectFault({ kind: "latency", ms: 50, match: "/v2/checkout/orders" });
    const slow = await call(sim, app, "POST", "/v2/checkout/orders", orderBody());
    assert.equal(slow.status, 201);
  });

  it("duplicates and delays notifications", async () => {
    sim.injectFault({ kind: "duplicate_notifications", match: "/webhooks/paypal" });
    const orderId = await approvedOrder(sim, app);
    await receiver.waitFor(
      () =>
        receiver.ofType("CHECKOUT.ORDER.APPROVED").filter((r) => r.body.resource.id === orderId).length === 2,
    );
    const copies = receiver.ofType("CHECKOUT.ORDER.APPROVED").filter((r) => r.body.resource.id === orderId);
    assert.equal(copies[0]?.body.id, copies[1]?.body.id);

    sim.injectFault({ kind: "delay_notifications", ms: 100, match: "/webhooks/paypal" });
    const delayed = await approvedOrder(sim, app);
    await receiver.waitFor(() =>
      receiver.ofType("CHECKOUT.ORDER.APPROVED").some((r) => r.body.resource.id === delayed),
    );
  });

  it("reorders notifications: the capture's webhook arrives before the approval's", async () => {
    sim.injectFault({ kind: "reorder_notifications", count: 2, match: "/webhooks/paypal" });
    const orderId = await approvedOrder(sim, app);
    const captured = await call(sim, app, "POST", `/v2/checkout/orders/${orderId}/capture`, {});
    const captureId = captured.json.purchase_units[0].payments.captures[0].id;
    await waitUntil(
      () =>
        receiver.ofType("PAYMENT.CAPTURE.COMPLETED").some((r) => r.body.resource.id === captureId) &&
        receiver.ofType("CHECKOUT.ORDER.APPROVED").some((r) => r.body.resource.id === orderId),
    );
    const order = receiver.received.map((r) =>
      r.body?.resource?.id === captureId ? "capture" : r.body?.resource?.id === orderId ? "approval" : null,
    );
    assert.ok(order.indexOf("capture") < order.indexOf("approval"));
  });

  it("rejects unknown fault kinds", () => {
    assert.throws(() => sim.injectFault({ kind: "explode" } as never));
  });
});
