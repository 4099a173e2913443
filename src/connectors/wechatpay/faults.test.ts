/** Simulator faults never decline, never pass for success, and the retry with the same reference charges once. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, afterEach, before, describe, test } from "node:test";
import type { CallContext, LocalPaymentRequest, ShopperAction } from "../contract.ts";
import { eventually, type Harness, paymentRequest, shopperActs, startHarness } from "./test-support.ts";

let h: Harness;

before(async () => {
  h = await startHarness({ resolveAfterMs: 10 });
});
after(() => h.close());
afterEach(() => h.sim.clearFaults());

const NATIVE = "/v3/pay/transactions/native";
const REFUNDS = "/v3/refund/domestic/refunds";

async function actionOf(call: CallContext, req: LocalPaymentRequest): Promise<ShopperAction> {
  const result = await h.connector.startPayment(call, req);
  assert.ok(result.outcome === "requires_action" && "action" in result, JSON.stringify(result));
  return result.action;
}

/** After the retry the shopper pays once, and placing the order again is that one payment. */
async function paysOnce(call: CallContext, req: LocalPaymentRequest): Promise<void> {
  const action = await actionOf(call, req);
  assert.deepEqual(await actionOf(call, req), action);
  await shopperActs(h.sim, action, "approve");
  const status = await h.connector.sync(call, { reference: req.reference });
  assert.equal(status.status, "authorized");
  const again = await h.connector.startPayment(call, req);
  assert.equal(
    again.outcome === "authorized" && again.connectorReference,
    status.status === "authorized" && status.connectorReference,
  );
}

describe("placing an order behind a fault", () => {
  for (const [status, reason] of [
    [500, "http_500"],
    [503, "http_503"],
    [429, "rate_limited"],
  ] as const) {
    test(`HTTP ${status} is pending; the retry places one order`, async () => {
      const call = h.newCall();
      const req = paymentRequest(h.clock);
      h.sim.injectFault({ kind: "status", status, match: NATIVE });
      assert.deepEqual(await h.connector.startPayment(call, req), {
        outcome: "pending",
        connectorReference: req.reference,
        reason,
      });
      assert.deepEqual(await h.connector.sync(call, { reference: req.reference }), { status: "not_found" });
      await paysOnce(call, req);
    });
  }

  test("a reset before acting is pending; nothing was placed", async () => {
    const call = h.newCall();
    const req = paymentRequest(h.clock);
    h.sim.injectFault({ kind: "reset", match: NATIVE });
    assert.equal((await h.connector.startPayment(call, req)).outcome, "pending");
    assert.deepEqual(await h.connector.sync(call, { reference: req.reference }), { status: "not_found" });
    await paysOnce(call, req);
  });

  test("a reset after acting is pending; the retry gets the order that was placed", async () => {
    const call = h.newCall();
    const req = paymentRequest(h.clock, { channel: "in_app" });
    h.sim.injectFault({ kind: "reset", after: true, match: "/v3/pay/transactions/jsapi" });
    assert.deepEqual(await h.connector.startPayment(call, req), {
      outcome: "pending",
      connectorReference: req.reference,
      reason: "network_error",
    });
    assert.equal((await h.connector.sync(call, { reference: req.reference })).status, "pending");
    const action = await actionOf(call, req);
    await shopperActs(h.sim, action, "approve");
    assert.equal((await h.connector.startPayment(call, req)).outcome, "authorized");
  });

  test("a timeout is pending", async () => {
    const call = h.newCall({ timeoutMs: 100 });
    const req = paymentRequest(h.clock);
    h.sim.injectFault({ kind: "latency", ms: 400, match: NATIVE });
    assert.deepEqual(await h.connector.startPayment(call, req), {
      outcome: "pending",
      connectorReference: req.reference,
      reason: "timeout",
    });
    // The simulator places the order once the delay is over; the retry gets that order.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await paysOnce(h.newCall({ account: call.account }), req);
  });

  test("a truncated or wrongly signed success answer is unknown, not success", async () => {
    const call = h.newCall();
    const req = paymentRequest(h.clock);
    h.sim.injectFault({ kind: "malformed", match: NATIVE });
    assert.deepEqual(await h.connector.startPayment(call, req), {
      outcome: "pending",
      connectorReference: req.reference,
      reason: "unverified_answer: signature_mismatch",
    });
    h.sim.injectFault({ kind: "bad_signature", match: NATIVE });
    assert.equal((await h.connector.startPayment(call, req)).outcome, "pending");
    await paysOnce(call, req);
    h.sim.injectFault({ kind: "bad_signature", match: "/v3/pay/transactions/out-trade-no/" });
    assert.deepEqual(await h.connector.sync(call, { reference: req.reference, connectorReference: "420" }), {
      status: "pending",
      connectorReference: "420",
    });
  });
});

describe("other calls behind a fault", () => {
  test("sync, closePayment and syncRefund are pending on 5xx", async () => {
    const call = h.newCall();
    const req = paymentRequest(h.clock);
    await actionOf(call, req);
    h.sim.injectFault({ kind: "status", status: 503, match: "/v3/pay/transactions/out-trade-no/" });
    assert.equal((await h.connector.sync(call, { reference: req.reference })).status, "pending");
    h.sim.injectFault({ kind: "status", status: 500, match: "/v3/pay/transactions/out-trade-no/" });
    assert.equal((await h.connector.closePayment(call, { reference: req.reference })).outcome, "pending");
    h.sim.injectFault({ kind: "status", status: 500, match: REFUNDS });
    assert.deepEqual(await h.connector.syncRefund(call, { reference: "re_x" }), {
      status: "pending",
      connectorReference: undefined,
    });
  });

  test("a refund whose answer was lost is pending; the retry is the same refund, refunded once", async () => {
    const call = h.newCall();
    const req = paymentRequest(h.clock, { amount: 1_000n });
    await shopperActs(h.sim, await actionOf(call, req), "approve");
    const refund = {
      reference: `re_${randomBytes(6).toString("hex")}`,
      connectorReference: req.reference,
      amount: 1_000n,
      currency: "cny",
    };
    h.sim.injectFault({ kind: "reset", after: true, match: REFUNDS });
    assert.deepEqual(await h.connector.refund(call, refund), { outcome: "pending", reason: "network_error" });
    h.sim.injectFault({ kind: "status", status: 500, match: REFUNDS });
    assert.deepEqual(await h.connector.refund(call, refund), { outcome: "pending", reason: "http_500" });
    const retried = await h.connector.refund(call, refund);
    assert.ok(retried.outcome === "pending" || retried.outcome === "succeeded");
    const synced = await eventually(async () => {
      const status = await h.connector.syncRefund(call, { reference: refund.reference });
      return status.status === "succeeded" ? status : undefined;
    });
    assert.equal(synced.connectorReference, retried.connectorReference);
    assert.equal(synced.amount, 1_000n);
    // The whole amount is refunded: one more fen is more than is left.
    const more = await h.connector.refund(call, {
      ...refund,
      reference: `re_${randomBytes(6).toString("hex")}`,
      amount: 1n,
    });
    assert.equal(more.outcome === "failed" && more.reason, "wechat_invalid_request");
  });
});
