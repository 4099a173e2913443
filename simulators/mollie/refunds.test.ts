import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type MollieSimulator, startMollieSimulator } from "./index.ts";
import {
  answerCheckout,
  api,
  newKey,
  paymentBody,
  type Receiver,
  startReceiver,
  waitUntil,
} from "./test-support.ts";

let sim: MollieSimulator;
let receiver: Receiver;

before(async () => {
  sim = await startMollieSimulator({ resolveAfterMs: 30, notificationRetryDelaysMs: [20] });
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
  await sim.close();
});

async function paidPayment(key: string, value = "25.00"): Promise<string> {
  const created = await api(sim.url, "POST", "/v2/payments", {
    key,
    body: paymentBody({ amount: { currency: "EUR", value }, webhookUrl: `${receiver.url}/refund-hook` }),
  });
  await answerCheckout(created.json._links.checkout.href, "paid");
  await waitUntil(() => receiver.received.some((r) => r.id === created.json.id));
  return created.json.id;
}

const refund = (key: string, paymentId: string, body: unknown, idempotencyKey?: string) =>
  api(sim.url, "POST", `/v2/payments/${paymentId}/refunds`, { key, body, idempotencyKey });
const eur = (value: string) => ({ currency: "EUR", value });
const hooks = (id: string) => receiver.received.filter((r) => r.id === id).length;

describe("refunds", () => {
  test("a partial refund: pending, then processing and refunded, each notified to the payment's webhook", async () => {
    const key = newKey();
    const paymentId = await paidPayment(key);
    const res = await refund(key, paymentId, {
      amount: eur("10.00"),
      description: "Return 1",
      metadata: { rma: 7 },
    });
    assert.equal(res.status, 201);
    const r = res.json;
    assert.match(r.id, /^re_[A-Za-z0-9]{10}$/);
    assert.equal(r.resource, "refund");
    assert.equal(r.status, "pending");
    assert.deepEqual(r.amount, eur("10.00"));
    assert.deepEqual(r.settlementAmount, eur("-10.00"));
    assert.equal(r.paymentId, paymentId);
    assert.deepEqual(r.metadata, { rma: 7 });
    assert.equal(r._links.payment.href, `${sim.url}/v2/payments/${paymentId}`);

    const payment = (await api(sim.url, "GET", `/v2/payments/${paymentId}`, { key })).json;
    assert.equal(payment.status, "paid", "a refund does not change the payment status");
    assert.deepEqual(payment.amountRefunded, eur("10.00"));
    assert.deepEqual(payment.amountRemaining, eur("15.00"));
    assert.equal(payment._links.refunds.href, `${sim.url}/v2/payments/${paymentId}/refunds`);

    await waitUntil(() => hooks(paymentId) === 3, 5000, "paid + processing + refunded webhooks");
    const done = await api(sim.url, "GET", `/v2/payments/${paymentId}/refunds/${r.id}`, { key });
    assert.equal(done.json.status, "refunded");
  });

  test("the rest, then nothing more: 422 above amountRemaining", async () => {
    const key = newKey();
    const paymentId = await paidPayment(key, "12.34");
    assert.equal((await refund(key, paymentId, { amount: eur("2.34") })).status, 201);
    const over = await refund(key, paymentId, { amount: eur("10.01") });
    assert.equal(over.status, 422);
    assert.equal(over.json.field, "amount");
    assert.equal((await refund(key, paymentId, { amount: eur("10.00") })).status, 201);
    const payment = (await api(sim.url, "GET", `/v2/payments/${paymentId}`, { key })).json;
    assert.deepEqual(payment.amountRemaining, eur("0.00"));
    const list = await api(sim.url, "GET", `/v2/payments/${paymentId}/refunds`, { key });
    assert.equal(list.json.count, 2);
    assert.equal(list.json._embedded.refunds[0].amount.value, "10.00", "newest first");
  });

  test("an amount ending in 78 cents fails after processing and frees the amount again", async () => {
    const key = newKey();
    const paymentId = await paidPayment(key);
    const r = (await refund(key, paymentId, { amount: eur("5.78") })).json;
    await waitUntil(() => hooks(paymentId) === 3);
    assert.equal(
      (await api(sim.url, "GET", `/v2/payments/${paymentId}/refunds/${r.id}`, { key })).json.status,
      "failed",
    );
    const payment = (await api(sim.url, "GET", `/v2/payments/${paymentId}`, { key })).json;
    assert.deepEqual(payment.amountRemaining, eur("25.00"));
  });

  test("a pending refund can be canceled (204), a processing one not", async () => {
    const key = newKey();
    const paymentId = await paidPayment(key);
    const r = (await refund(key, paymentId, { amount: eur("1.00") })).json;
    const canceled = await api(sim.url, "DELETE", `/v2/payments/${paymentId}/refunds/${r.id}`, { key });
    assert.equal(canceled.status, 204);
    assert.equal(canceled.text, "");
    const r2 = (await refund(key, paymentId, { amount: eur("1.00") })).json;
    await waitUntil(() => hooks(paymentId) >= 2, 5000, "processing webhook");
    const late = await api(sim.url, "DELETE", `/v2/payments/${paymentId}/refunds/${r2.id}`, { key });
    assert.equal(late.status, 422);
  });

  test("refusals in Mollie's shape", async () => {
    const key = newKey();
    const open = await api(sim.url, "POST", "/v2/payments", { key, body: paymentBody() });
    const notPaid = await refund(key, open.json.id, { amount: eur("1.00") });
    assert.equal(notPaid.status, 422);
    const paymentId = await paidPayment(key);
    assert.equal((await refund(key, paymentId, {})).json.field, "amount");
    assert.equal((await refund(key, paymentId, { amount: eur("1.00"), reason: "x" })).json.field, "reason");
    assert.equal((await refund(key, paymentId, { amount: { currency: "USD", value: "1.00" } })).status, 422);
    assert.equal((await refund(key, "tr_missing000", { amount: eur("1.00") })).status, 404);
    const noRefund = await api(sim.url, "GET", `/v2/payments/${paymentId}/refunds/re_missing000`, { key });
    assert.equal(noRefund.status, 404);
    assert.equal(noRefund.json.detail, "No refund exists with token re_missing000.");
  });

  test("an idempotent retry does not refund twice", async () => {
    const key = newKey();
    const paymentId = await paidPayment(key);
    const first = await refund(key, paymentId, { amount: eur("3.00") }, "refund-1");
    const second = await refund(key, paymentId, { amount: eur("3.00") }, "refund-1");
    assert.equal(second.json.id, first.json.id);
    const payment = (await api(sim.url, "GET", `/v2/payments/${paymentId}`, { key })).json;
    assert.deepEqual(payment.amountRefunded, eur("3.00"));
  });
});
