import assert from "node:assert/strict";
import { after, afterEach, before, test } from "node:test";
import { type MollieSimulator, startMollieSimulator } from "../../../simulators/mollie/index.ts";
import type { CallContext } from "../contract.ts";
import { createMollieConnector } from "./index.ts";
import { answerCheckout, apiKeyOf, localRequest, newCall, nextRef, sleep } from "./test-support.ts";

let sim: MollieSimulator;
const connector = createMollieConnector({ baseUrl: () => sim.url });
const start = connector.startPayment!.bind(connector);

before(async () => {
  sim = await startMollieSimulator({ resolveAfterMs: 15, notificationRetryDelaysMs: [] });
});
afterEach(() => sim.clearFaults());
after(() => sim.close());

for (const status of [500, 503, 429] as const) {
  test(`HTTP ${status} on create: pending, nothing made; the retry makes one payment`, async () => {
    const call = newCall();
    const request = localRequest();
    sim.injectFault({ kind: "status", status, times: 1 });
    assert.deepEqual(await start(call, request), {
      outcome: "pending",
      reason: status === 429 ? "rate_limited" : `http_${status}`,
    });
    assert.equal(sim.paymentCount(apiKeyOf(call)), 0);
    assert.deepEqual(await connector.sync(call, { reference: request.reference }), { status: "not_found" });
    assert.equal((await start(call, request)).outcome, "requires_action");
    assert.equal(sim.paymentCount(apiKeyOf(call)), 1);
  });
}

test("a timeout on create: pending; Mollie made it; the retry gets the same payment", async () => {
  const call = newCall({ timeoutMs: 100 });
  const request = localRequest();
  sim.injectFault({ kind: "latency", ms: 300, times: 1 });
  assert.deepEqual(await start(call, request), { outcome: "pending", reason: "timeout" });
  await sleep(350);
  const found = await connector.sync(call, { reference: request.reference });
  assert.equal(found.status, "pending");
  const retry = await start(call, request);
  assert.ok(retry.outcome === "requires_action");
  assert.equal(found.status === "pending" && found.connectorReference, retry.connectorReference);
  assert.equal(sim.paymentCount(apiKeyOf(call)), 1);
});

test("the connection dropped after Mollie acted: pending, then the same payment", async () => {
  const call = newCall();
  const request = localRequest();
  sim.injectFault({ kind: "reset", after: true, times: 1 });
  const lost = await start(call, request);
  assert.equal(lost.outcome, "pending");
  const retry = await start(call, request);
  assert.equal(retry.outcome, "requires_action");
  assert.equal(sim.paymentCount(apiKeyOf(call)), 1);
});

test("a truncated answer: pending, never a decline", async () => {
  const call = newCall();
  sim.injectFault({ kind: "malformed", times: 1 });
  assert.deepEqual(await start(call, localRequest()), { outcome: "pending", reason: "malformed_response" });
});

test("sync, close and syncRefund during an outage: pending with what we know", async () => {
  const call = newCall();
  const request = localRequest();
  const started = await start(call, request);
  assert.ok(started.outcome === "requires_action");
  const id = started.connectorReference;
  sim.injectFault({ kind: "status", status: 503, times: 10 });
  assert.deepEqual(await connector.sync(call, { reference: request.reference, connectorReference: id }), {
    status: "pending",
    connectorReference: id,
  });
  assert.deepEqual(await connector.sync(call, { reference: request.reference }), { status: "pending" });
  assert.deepEqual(
    await connector.closePayment!(call, { reference: request.reference, connectorReference: id }),
    {
      outcome: "pending",
      connectorReference: id,
      reason: "http_503",
    },
  );
  assert.deepEqual(
    await connector.syncRefund(call, { reference: "re_1", connectorReference: `${id}/re_abcdefghij` }),
    { status: "pending", connectorReference: `${id}/re_abcdefghij` },
  );
});

async function paidPayment(call: CallContext): Promise<string> {
  const started = await start(call, localRequest());
  assert.ok(started.outcome === "requires_action" && started.action.type === "redirect_to_url");
  await answerCheckout(started.action.url, "paid");
  return started.connectorReference;
}

test("a refund whose answer was lost: pending on the payment, found by reference, never twice", async () => {
  const call = newCall();
  const paymentId = await paidPayment(call);
  const refund = { reference: nextRef("re"), connectorReference: paymentId, amount: 700n, currency: "eur" };
  sim.injectFault({ kind: "reset", after: true, times: 1 });
  const lost = await connector.refund(call, refund);
  assert.deepEqual(lost, { outcome: "pending", connectorReference: paymentId, reason: "network_error" });
  const status = await connector.syncRefund(call, {
    reference: refund.reference,
    connectorReference: paymentId,
  });
  assert.equal(status.status, "pending");
  assert.match(status.status === "pending" ? (status.connectorReference ?? "") : "", /\/re_/);
  const retry = await connector.refund(call, refund);
  assert.ok(retry.outcome === "pending");
  assert.equal(retry.connectorReference, status.status === "pending" ? status.connectorReference : "");
  const list = await fetch(`${sim.url}/v2/payments/${paymentId}/refunds`, {
    headers: { authorization: `Bearer ${apiKeyOf(call)}` },
  });
  assert.equal((await list.json()).count, 1);
});

test("a refund refused with 500: pending, nothing refunded; the retry refunds once", async () => {
  const call = newCall();
  const paymentId = await paidPayment(call);
  const refund = { reference: nextRef("re"), connectorReference: paymentId, amount: 300n, currency: "eur" };
  sim.injectFault({ kind: "status", status: 500, times: 1 });
  assert.deepEqual(await connector.refund(call, refund), {
    outcome: "pending",
    connectorReference: paymentId,
    reason: "http_500",
  });
  assert.deepEqual(
    await connector.syncRefund(call, { reference: refund.reference, connectorReference: paymentId }),
    {
      status: "not_found",
    },
  );
  assert.equal((await connector.refund(call, refund)).outcome, "pending");
});
