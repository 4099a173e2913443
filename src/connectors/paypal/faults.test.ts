/**
 * Simulator faults: an answer that never came is `pending`, and the retry with the same reference acts once.
 * Fault matches are path prefixes only: the PayPal simulator does not pass the method to its fault book.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import type { PayPalSimulator } from "../../../simulators/paypal/index.ts";
import { call, newToken, startTestSimulator } from "../../../simulators/paypal/test-support.ts";
import type { CallContext } from "../contract.ts";
import { createPayPalConnector } from "./index.ts";
import { newCall, paymentRequest, shopper } from "./test-support.ts";

let sim: PayPalSimulator;
const connector = createPayPalConnector({ baseUrl: () => sim.url });

before(async () => {
  sim = await startTestSimulator();
});
after(() => sim.close());
afterEach(() => sim.clearFaults());

async function orderAtPayPal(c: CallContext, orderId: string) {
  const app = await newToken(sim, {
    clientId: c.account.config.client_id as string,
    clientSecret: c.account.config.client_secret as string,
    merchantId: "",
    token: "",
  });
  return (await call(sim, app, "GET", `/v2/checkout/orders/${orderId}`)).json;
}

/** An order the shopper approved, not yet completed. */
async function approved(c: CallContext) {
  const request = paymentRequest();
  const started = await connector.startPayment!(c, request);
  assert.ok(started.outcome === "requires_action" && started.action.type === "redirect_to_url");
  const back = await shopper(started.action.url, "approve");
  const redirect = {
    connectorReference: started.connectorReference,
    reference: request.reference,
    params: back.params,
    amount: request.amount,
    currency: request.currency,
    capture: true,
  };
  return { request, orderId: started.connectorReference, redirect };
}

describe("paypal connector: faults", () => {
  for (const status of [500, 503, 429] as const) {
    test(`order creation answered ${status}: pending, never declined; the retry opens the order`, async () => {
      const c = newCall(sim);
      const request = paymentRequest();
      sim.injectFault({ kind: "status", status, match: "/v2/checkout/orders" });
      const first = await connector.startPayment!(c, request);
      assert.equal(first.outcome, "pending");
      assert.equal((await connector.startPayment!(c, request)).outcome, "requires_action");
    });
  }

  test("order creation slower than the timeout: pending; PayPal made it, and the retry gets that one", async () => {
    const c = newCall(sim, { timeoutMs: 150 });
    const request = paymentRequest();
    sim.injectFault({ kind: "latency", ms: 400, match: "/v2/checkout/orders" });
    assert.deepEqual(await connector.startPayment!(c, request), { outcome: "pending", reason: "timeout" });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const retried = await connector.startPayment!(c, request);
    const again = await connector.startPayment!(c, request);
    assert.ok(retried.outcome === "requires_action" && again.outcome === "requires_action");
    assert.equal(again.connectorReference, retried.connectorReference);
  });

  test("a dropped or truncated answer to order creation is pending; the retry replays the one order", async () => {
    const c = newCall(sim);
    const request = paymentRequest();
    sim.injectFault({ kind: "reset", after: true, match: "/v2/checkout/orders" });
    assert.deepEqual(await connector.startPayment!(c, request), {
      outcome: "pending",
      reason: "network_error",
    });
    sim.injectFault({ kind: "malformed", match: "/v2/checkout/orders" });
    assert.equal((await connector.startPayment!(c, request)).outcome, "pending");
    const retried = await connector.startPayment!(c, request);
    assert.equal(retried.outcome, "requires_action");
  });

  test("the capture's answer is lost: pending; the return again, or sync, finds one capture", async () => {
    const c = newCall(sim);
    const { request, orderId, redirect } = await approved(c);
    sim.injectFault({ kind: "reset", after: true, match: `/v2/checkout/orders/${orderId}/capture` });
    const lost = await connector.completeRedirect!(c, redirect);
    assert.deepEqual(lost, { outcome: "pending", connectorReference: orderId, reason: "paypal_pending" });
    assert.equal((await connector.completeRedirect!(c, redirect)).outcome, "authorized");
    assert.equal(
      (await connector.sync(c, { reference: request.reference, connectorReference: orderId })).status,
      "authorized",
    );
    const order = await orderAtPayPal(c, orderId);
    assert.equal(order.purchase_units[0].payments.captures.length, 1);
  });

  test("sync during an outage is pending with the order id; the token endpoint's outage too", async () => {
    const c = newCall(sim);
    const { request, orderId } = await approved(c);
    sim.injectFault({ kind: "status", status: 500, match: `/v2/checkout/orders/${orderId}` });
    assert.deepEqual(await connector.sync(c, { reference: request.reference, connectorReference: orderId }), {
      status: "pending",
      connectorReference: orderId,
    });
    const fresh = newCall(sim);
    sim.injectFault({ kind: "status", status: 503, match: "/v1/oauth2/token" });
    assert.equal(
      (await connector.sync(fresh, { reference: request.reference, connectorReference: orderId })).status,
      "pending",
    );
    assert.equal(
      (await connector.sync(c, { reference: request.reference, connectorReference: orderId })).status,
      "authorized",
    );
  });

  test("a capture of an authorization that timed out: pending; the retry captures once", async () => {
    const c = newCall(sim, { timeoutMs: 150 });
    const request = paymentRequest({ capture: false });
    const started = await connector.startPayment!(c, request);
    assert.ok(started.outcome === "requires_action" && started.action.type === "redirect_to_url");
    const back = await shopper(started.action.url, "approve");
    const orderId = started.connectorReference;
    await connector.completeRedirect!(c, {
      connectorReference: orderId,
      reference: request.reference,
      params: back.params,
      amount: request.amount,
      currency: "usd",
      capture: false,
    });
    const capture = {
      reference: "pa_slow",
      connectorReference: orderId,
      amount: 6_000n,
      currency: "usd",
      final: true,
    };
    sim.injectFault({ kind: "latency", ms: 400, match: "/v2/payments/authorizations" });
    assert.equal((await connector.capture(c, capture)).outcome, "pending");
    await new Promise((resolve) => setTimeout(resolve, 400));
    const retried = await connector.capture(c, capture);
    assert.ok(retried.outcome === "succeeded" && retried.amount === 6_000n);
    const order = await orderAtPayPal(c, orderId);
    assert.equal(order.purchase_units[0].payments.captures.length, 1);
  });

  test("a refund whose answer is lost: pending; the retry refunds once", async () => {
    const c = newCall(sim);
    const { orderId, redirect } = await approved(c);
    await connector.completeRedirect!(c, redirect);
    const refund = { reference: "re_lost", connectorReference: orderId, amount: 1_000n, currency: "usd" };
    sim.injectFault({ kind: "reset", after: true, match: "/v2/payments/captures" });
    assert.equal((await connector.refund(c, refund)).outcome, "pending");
    sim.injectFault({ kind: "status", status: 500, match: "/v2/payments/captures" });
    assert.equal((await connector.refund(c, refund)).outcome, "pending");
    const retried = await connector.refund(c, refund);
    assert.ok(retried.outcome === "succeeded" && retried.amount === 1_000n);
    const order = await orderAtPayPal(c, orderId);
    assert.equal(order.purchase_units[0].payments.refunds.length, 1);
  });
});
