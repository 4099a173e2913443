/** Domestic refunds end to end against the simulator: partial, full, retried, refused, and syncRefund. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { CallContext, RefundStatus } from "../contract.ts";
import { eventually, type Harness, paymentRequest, shopperActs, startHarness } from "./test-support.ts";

let h: Harness;

before(async () => {
  h = await startHarness({ resolveAfterMs: 20 });
});
after(() => h.close());

const refundReference = () => `re_${randomBytes(8).toString("hex")}`;
const REFUND_ID = /^50\d{27}$/;

/** A paid order: its reference and WeChat transaction_id. */
async function paidOrder(call: CallContext, amount = 12_345n) {
  const req = paymentRequest(h.clock, { amount });
  const started = await h.connector.startPayment(call, req);
  assert.ok(started.outcome === "requires_action" && "action" in started);
  await shopperActs(h.sim, started.action, "approve");
  const status = await h.connector.sync(call, { reference: req.reference });
  assert.ok(status.status === "authorized");
  return { reference: req.reference, transactionId: status.connectorReference };
}

function settled(call: CallContext, reference: string): Promise<RefundStatus> {
  return eventually(async () => {
    const status = await h.connector.syncRefund(call, { reference });
    return status.status === "pending" ? undefined : status;
  });
}

describe("refunds", () => {
  test("partial refunds up to the amount paid, then a refusal; each settles through syncRefund", async () => {
    const call = h.newCall();
    const order = await paidOrder(call);
    const first = refundReference();
    const accepted = await h.connector.refund(call, {
      reference: first,
      connectorReference: order.transactionId,
      amount: 2_000n,
      currency: "cny",
    });
    assert.equal(accepted.outcome, "pending");
    assert.ok(accepted.outcome === "pending");
    assert.match(accepted.connectorReference ?? "", REFUND_ID);
    assert.equal(accepted.reason, "refund_processing");
    const done = await settled(call, first);
    assert.deepEqual(done, {
      status: "succeeded",
      connectorReference: accepted.connectorReference,
      amount: 2_000n,
      currency: "cny",
    });

    const rest = refundReference();
    const second = await h.connector.refund(call, {
      reference: rest,
      connectorReference: order.transactionId,
      amount: 10_345n,
      currency: "cny",
    });
    assert.equal(second.outcome, "pending");
    assert.equal((await settled(call, rest)).status, "succeeded");

    const tooMuch = await h.connector.refund(call, {
      reference: refundReference(),
      connectorReference: order.transactionId,
      amount: 1n,
      currency: "cny",
    });
    assert.equal(tooMuch.outcome, "failed");
    assert.ok(tooMuch.outcome === "failed");
    assert.equal(tooMuch.reason, "wechat_invalid_request");

    // The payment stands: WeChat's REFUND trade state is a paid order with refunds.
    const payment = await h.connector.sync(call, { reference: order.reference });
    assert.equal(payment.status === "authorized" && payment.amount, 12_345n);
  });

  test("a full refund by out_trade_no; the same refund reference again is the same refund", async () => {
    const call = h.newCall();
    const order = await paidOrder(call, 777n);
    const reference = refundReference();
    const request = { reference, connectorReference: order.reference, amount: 777n, currency: "cny" };
    const first = await h.connector.refund(call, request);
    const settledFirst = await settled(call, reference);
    assert.deepEqual(settledFirst, {
      status: "succeeded",
      connectorReference: first.outcome === "pending" ? first.connectorReference : "",
      amount: 777n,
      currency: "cny",
    });
    assert.ok(settledFirst.status === "succeeded");
    const again = await h.connector.refund(call, request);
    assert.deepEqual(again, {
      outcome: "succeeded",
      connectorReference: settledFirst.connectorReference,
      amount: 777n,
      currency: "cny",
    });
  });

  test("refunds of unpaid, unknown or non-CNY payments fail without refunding", async () => {
    const call = h.newCall();
    const unpaid = paymentRequest(h.clock);
    await h.connector.startPayment(call, unpaid);
    const base = { reference: refundReference(), amount: 100n, currency: "cny" };
    assert.deepEqual(await h.connector.refund(call, { ...base, connectorReference: unpaid.reference }), {
      outcome: "failed",
      reason: "payment_not_paid",
    });
    assert.deepEqual(await h.connector.refund(call, { ...base, connectorReference: "pi_never_placed_a1" }), {
      outcome: "failed",
      reason: "payment_not_found",
    });
    assert.deepEqual(
      await h.connector.refund(call, { ...base, connectorReference: unpaid.reference, currency: "usd" }),
      { outcome: "failed", reason: "currency_not_supported" },
    );
    assert.deepEqual(await h.connector.syncRefund(call, { reference: base.reference }), {
      status: "not_found",
    });
  });
});
