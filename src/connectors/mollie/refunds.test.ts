import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type MollieSimulator, startMollieSimulator } from "../../../simulators/mollie/index.ts";
import type { CallContext, RefundStatus } from "../contract.ts";
import { createMollieConnector } from "./index.ts";
import { answerCheckout, localRequest, newCall, nextRef, waitUntil } from "./test-support.ts";

let sim: MollieSimulator;
const connector = createMollieConnector({ baseUrl: () => sim.url });

before(async () => {
  sim = await startMollieSimulator({ resolveAfterMs: 15, notificationRetryDelaysMs: [] });
});
after(() => sim.close());

async function paid(call: CallContext, amount = 10_000n): Promise<string> {
  const result = await connector.startPayment!(call, localRequest({ amount }));
  assert.ok(result.outcome === "requires_action" && result.action.type === "redirect_to_url");
  await answerCheckout(result.action.url, "paid");
  return result.connectorReference;
}

async function settled(
  call: CallContext,
  reference: string,
  connectorReference: string,
): Promise<RefundStatus> {
  let status: RefundStatus = { status: "pending" };
  await waitUntil(async () => {
    status = await connector.syncRefund(call, { reference, connectorReference });
    return status.status !== "pending";
  });
  return status;
}

test("a full refund: pending at Mollie, then succeeded with the exact amount", async () => {
  const call = newCall();
  const paymentId = await paid(call, 10_000n);
  const reference = nextRef("re");
  const result = await connector.refund(call, {
    reference,
    connectorReference: paymentId,
    amount: 10_000n,
    currency: "eur",
  });
  assert.equal(result.outcome, "pending");
  assert.ok(result.outcome === "pending");
  assert.match(result.connectorReference ?? "", new RegExp(`^${paymentId}/re_[0-9A-Za-z]+$`));
  const refundRef = result.connectorReference ?? "";
  assert.deepEqual(await settled(call, reference, refundRef), {
    status: "succeeded",
    connectorReference: refundRef,
    amount: 10_000n,
    currency: "eur",
  });
  const again = await connector.refund(call, {
    reference: nextRef("re"),
    connectorReference: paymentId,
    amount: 1n,
    currency: "eur",
  });
  assert.equal(again.outcome, "failed");
  assert.ok(again.outcome === "failed");
  assert.equal(again.reason, "refund_refused");
  assert.match(again.providerMessage ?? "", /amount remaining/);
});

test("partial refunds, the same refund reference twice is one refund", async () => {
  const call = newCall();
  const paymentId = await paid(call, 5000n);
  const first = { reference: nextRef("re"), connectorReference: paymentId, amount: 1200n, currency: "eur" };
  const a = await connector.refund(call, first);
  const b = await connector.refund(call, first);
  assert.deepEqual(b, a);
  const second = { reference: nextRef("re"), connectorReference: paymentId, amount: 3800n, currency: "eur" };
  const c = await connector.refund(call, second);
  assert.ok(a.outcome === "pending" && c.outcome === "pending");
  const one = await settled(call, first.reference, a.connectorReference ?? "");
  const two = await settled(call, second.reference, c.connectorReference ?? "");
  assert.equal(one.status === "succeeded" && one.amount, 1200n);
  assert.equal(two.status === "succeeded" && two.amount, 3800n);
  const list = await fetch(`${sim.url}/v2/payments/${paymentId}/refunds`, {
    headers: { authorization: `Bearer ${call.account.config.api_key}` },
  });
  assert.equal((await list.json()).count, 2);
});

test("a refund the bank fails (amount ending in 78 cents): failed", async () => {
  const call = newCall();
  const paymentId = await paid(call);
  const reference = nextRef("re");
  const result = await connector.refund(call, {
    reference,
    connectorReference: paymentId,
    amount: 178n,
    currency: "eur",
  });
  assert.ok(result.outcome === "pending");
  assert.deepEqual(await settled(call, reference, result.connectorReference ?? ""), {
    status: "failed",
    reason: "refund_failed",
  });
});

test("an unpaid or unknown payment cannot be refunded", async () => {
  const call = newCall();
  const open = await connector.startPayment!(call, localRequest());
  assert.ok(open.outcome === "requires_action");
  const unpaid = await connector.refund(call, {
    reference: nextRef("re"),
    connectorReference: open.connectorReference,
    amount: 100n,
    currency: "eur",
  });
  assert.equal(unpaid.outcome === "failed" && unpaid.reason, "refund_refused");
  const unknown = await connector.refund(call, {
    reference: nextRef("re"),
    connectorReference: "tr_NoSuchPay1",
    amount: 100n,
    currency: "eur",
  });
  assert.equal(unknown.outcome === "failed" && unknown.reason, "payment_not_found");
});

test("syncRefund by the payment id alone finds the refund by our reference", async () => {
  const call = newCall();
  const paymentId = await paid(call);
  const reference = nextRef("re");
  await connector.refund(call, { reference, connectorReference: paymentId, amount: 250n, currency: "eur" });
  const status = await settled(call, reference, paymentId);
  assert.equal(status.status, "succeeded");
  assert.match(
    status.status === "succeeded" ? status.connectorReference : "",
    new RegExp(`^${paymentId}/re_`),
  );
  assert.deepEqual(
    await connector.syncRefund(call, { reference: nextRef("re"), connectorReference: paymentId }),
    {
      status: "not_found",
    },
  );
  assert.deepEqual(
    await connector.syncRefund(call, { reference, connectorReference: `${paymentId}/re_NoSuchRef1` }),
    { status: "not_found" },
  );
  assert.deepEqual(await connector.syncRefund(call, { reference, connectorReference: "tr_NoSuchPay1" }), {
    status: "not_found",
  });
  assert.deepEqual(await connector.syncRefund(call, { reference }), { status: "pending" });
});
