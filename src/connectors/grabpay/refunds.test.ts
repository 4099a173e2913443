import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { type GrabPaySimulator, startGrabPaySimulator } from "../../../simulators/grabpay/index.ts";
import type { CallContext } from "../contract.ts";
import { createGrabPayConnector } from "./index.ts";
import { formatChargeHandle, parseChargeHandle } from "./references.ts";
import { localRequest, newCall, payAndReturn } from "./test-support.ts";

let sim: GrabPaySimulator;
const connector = createGrabPayConnector({ baseUrl: () => sim.url });

before(async () => {
  sim = await startGrabPaySimulator();
});
after(async () => {
  await sim.close();
});

const refundId = () => `re_${randomBytes(12).toString("hex")}`;

async function paidCharge(call: CallContext, amount = 1500n, currency = "sgd") {
  const { returned } = await payAndReturn(connector, call, localRequest({ amount, currency }), "approve");
  assert.ok(returned?.outcome === "authorized");
  return returned.connectorReference;
}

describe("refund", () => {
  it("refunds in full, and syncRefund confirms the amount", async () => {
    const call = newCall(sim);
    const charge = await paidCharge(call);
    const reference = refundId();
    const refunded = await connector.refund(call, {
      reference,
      connectorReference: charge,
      amount: 1500n,
      currency: "sgd",
    });
    assert.ok(refunded.outcome === "succeeded");
    assert.equal(refunded.amount, 1500n);
    assert.equal(refunded.currency, "sgd");
    assert.match(refunded.connectorReference, /^[0-9a-f]{32}$/);
    assert.deepEqual(await connector.syncRefund(call, { reference }), {
      status: "succeeded",
      connectorReference: refunded.connectorReference,
      amount: 1500n,
      currency: "sgd",
    });
  });

  it("refunds in parts up to the charge, and refuses more", async () => {
    const call = newCall(sim);
    const charge = await paidCharge(call);
    const first = await connector.refund(call, {
      reference: refundId(),
      connectorReference: charge,
      amount: 500n,
      currency: "sgd",
    });
    const second = await connector.refund(call, {
      reference: refundId(),
      connectorReference: charge,
      amount: 1000n,
      currency: "sgd",
    });
    assert.equal(first.outcome === "succeeded" && first.amount, 500n);
    assert.equal(second.outcome === "succeeded" && second.amount, 1000n);
    const more = await connector.refund(call, {
      reference: refundId(),
      connectorReference: charge,
      amount: 1n,
      currency: "sgd",
    });
    assert.equal(more.outcome === "failed" && more.reason, "amount_exceeds_refundable");
  });

  it("the same refund reference twice refunds once", async () => {
    const call = newCall(sim);
    const charge = await paidCharge(call);
    const request = { reference: refundId(), connectorReference: charge, amount: 600n, currency: "sgd" };
    const first = await connector.refund(call, request);
    const again = await connector.refund(call, request);
    assert.deepEqual(again, first);
    const rest = await connector.refund(call, { ...request, reference: refundId(), amount: 900n });
    assert.equal(rest.outcome, "succeeded", "the repeat did not use up the refundable amount");
  });

  it("refunds IDR in whole rupiah and answers in Payrail's minor units", async () => {
    const call = newCall(sim, { country: "ID" });
    const charge = await paidCharge(call, 2_000_000n, "idr");
    const reference = refundId();
    const refunded = await connector.refund(call, {
      reference,
      connectorReference: charge,
      amount: 500_000n,
      currency: "idr",
    });
    assert.equal(refunded.outcome === "succeeded" && refunded.amount, 500_000n);
    const synced = await connector.syncRefund(call, { reference });
    assert.equal(synced.status === "succeeded" && synced.amount, 500_000n);
    const cents = await connector.refund(call, {
      reference: refundId(),
      connectorReference: charge,
      amount: 50n,
      currency: "idr",
    });
    assert.deepEqual(cents, { outcome: "failed", reason: "amount_not_representable" });
  });

  it("finds the charge's txID when the handle was kept before GrabPay named it", async () => {
    const call = newCall(sim);
    const charge = parseChargeHandle(await paidCharge(call));
    assert.ok(charge);
    const early = formatChargeHandle({ partnerTxID: charge.partnerTxID, amount: charge.amount });
    const refunded = await connector.refund(call, {
      reference: refundId(),
      connectorReference: early,
      amount: 100n,
      currency: "sgd",
    });
    assert.equal(refunded.outcome, "succeeded");
  });

  it("fails for a charge that was never paid, and for a reference that names no charge", async () => {
    const call = newCall(sim);
    const request = localRequest();
    const started = await connector.startPayment?.(call, request);
    assert.ok(started?.outcome === "requires_action");
    const unpaid = await connector.refund(call, {
      reference: refundId(),
      connectorReference: started.connectorReference,
      amount: 100n,
      currency: "sgd",
    });
    assert.deepEqual(unpaid, { outcome: "failed", reason: "charge_not_refundable" });
    const garbage = await connector.refund(call, {
      reference: refundId(),
      connectorReference: "nope",
      amount: 1n,
      currency: "sgd",
    });
    assert.deepEqual(garbage, { outcome: "failed", reason: "charge_not_found" });
  });

  it("syncRefund of an unknown reference is not_found", async () => {
    const call = newCall(sim);
    assert.deepEqual(await connector.syncRefund(call, { reference: refundId() }), { status: "not_found" });
  });
});
