import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { type GrabPaySimulator, startGrabPaySimulator } from "../../../simulators/grabpay/index.ts";
import type { CallContext } from "../contract.ts";
import { createGrabPayConnector } from "./index.ts";
import { localRequest, newCall, payAndReturn, redirectUrlOf, shopperAnswers, sleep } from "./test-support.ts";

const API = "/grabpay/partner/v2";
let sim: GrabPaySimulator;
const connector = createGrabPayConnector({ baseUrl: () => sim.url });
const partnerOf = (call: CallContext) => String(call.account.config.partner_id);

before(async () => {
  sim = await startGrabPaySimulator();
});
after(async () => {
  await sim.close();
});

describe("charge init faults: pending, and the retry charges once", () => {
  for (const [name, fault] of [
    ["a 500", { kind: "status", status: 500 }],
    ["a 503", { kind: "status", status: 503 }],
    ["a 429", { kind: "status", status: 429 }],
    ["a reset after the charge was made", { kind: "reset", after: true }],
    ["a truncated answer", { kind: "malformed" }],
  ] as const) {
    it(name, async () => {
      const call = newCall(sim);
      const request = localRequest();
      sim.injectFault({ ...fault, match: `${API}/charge/init` });
      const first = await connector.startPayment?.(call, request);
      assert.ok(first?.outcome === "pending", first?.outcome);
      assert.equal(first.connectorReference, `${request.reference}:1500`);
      const retry = await connector.startPayment?.(call, request);
      redirectUrlOf(retry!);
      assert.equal(sim.chargeCount(partnerOf(call)), 1);
    });
  }

  it("a timeout (call.timeoutMs)", async () => {
    const call = newCall(sim, { timeoutMs: 150 });
    const request = localRequest();
    sim.injectFault({ kind: "latency", ms: 400, match: `${API}/charge/init` });
    const first = await connector.startPayment?.(call, request);
    assert.deepEqual(first, {
      outcome: "pending",
      connectorReference: `${request.reference}:1500`,
      reason: "timeout",
    });
    await sleep(400);
    const retry = await connector.startPayment?.(call, request);
    redirectUrlOf(retry!);
    assert.equal(sim.chargeCount(partnerOf(call)), 1);
  });
});

describe("faults on the way back and in queries", () => {
  it("a 429 at the token endpoint is pending; the same return again completes the charge", async () => {
    const call = newCall(sim);
    const request = localRequest();
    const started = await connector.startPayment?.(call, request);
    assert.ok(started?.outcome === "requires_action");
    const params = await shopperAnswers(redirectUrlOf(started), "approve");
    assert.ok(params);
    const back = {
      connectorReference: started.connectorReference,
      reference: request.reference,
      params,
      amount: request.amount,
      currency: request.currency,
      capture: true,
    };
    sim.injectFault({ kind: "status", status: 429, match: "/grabid/v1/oauth2/token" });
    assert.equal((await connector.completeRedirect?.(call, back))?.outcome, "pending");
    assert.equal((await connector.completeRedirect?.(call, back))?.outcome, "authorized");
  });

  it("a lost charge-complete answer is pending; sync then finds the charge paid", async () => {
    const call = newCall(sim);
    const request = localRequest();
    sim.injectFault({ kind: "reset", after: true, match: `${API}/charge/complete` });
    const { started, returned } = await payAndReturn(connector, call, request, "approve");
    assert.equal(returned?.outcome, "pending");
    assert.ok(started.outcome === "requires_action");
    const synced = await connector.sync(call, {
      reference: request.reference,
      connectorReference: started.connectorReference,
    });
    assert.equal(synced.status === "authorized" && synced.amount, 1500n);
  });

  it("status queries that fail (503, timeout, truncated) are pending, never not_found or declined", async () => {
    const call = newCall(sim, { timeoutMs: 150 });
    const request = localRequest();
    const started = await connector.startPayment?.(call, request);
    assert.ok(started?.outcome === "requires_action");
    const path = `${API}/charge/${request.reference}/status`;
    for (const fault of [
      { kind: "status", status: 503 },
      { kind: "latency", ms: 400 },
      { kind: "malformed" },
    ] as const) {
      sim.injectFault({ ...fault, match: path });
      const synced = await connector.sync(call, {
        reference: request.reference,
        connectorReference: started.connectorReference,
      });
      assert.deepEqual(
        synced,
        { status: "pending", connectorReference: started.connectorReference },
        fault.kind,
      );
    }
  });
});

describe("refund faults: pending, and the retry refunds once", () => {
  it("a reset after the refund was made, then a 500", async () => {
    const call = newCall(sim);
    const { returned } = await payAndReturn(connector, call, localRequest(), "approve");
    assert.ok(returned?.outcome === "authorized");
    const request = {
      reference: `re_${randomBytes(12).toString("hex")}`,
      connectorReference: returned.connectorReference,
      amount: 1000n,
      currency: "sgd",
    };
    sim.injectFault({ kind: "reset", after: true, match: `${API}/refund` });
    assert.equal((await connector.refund(call, request)).outcome, "pending");
    sim.injectFault({ kind: "status", status: 500, match: `${API}/refund` });
    assert.equal((await connector.refund(call, request)).outcome, "pending");
    const retried = await connector.refund(call, request);
    assert.equal(retried.outcome === "succeeded" && retried.amount, 1000n);
    const rest = await connector.refund(call, {
      ...request,
      reference: `re_${randomBytes(12).toString("hex")}`,
      amount: 500n,
    });
    assert.equal(rest.outcome, "succeeded", "500 of 1500 were left: the first refund happened once");
    sim.injectFault({ kind: "status", status: 503, match: `${API}/refund/` });
    assert.deepEqual(await connector.syncRefund(call, { reference: request.reference }), {
      status: "pending",
      connectorReference: undefined,
    });
  });
});
