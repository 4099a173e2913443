import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type Stripe from "stripe";
import { type StripeSimulator, startStripeSimulator } from "./index.ts";
import {
  newSecretKey,
  paymentParams,
  type Receiver,
  sdk,
  startReceiver,
  stripeFailure,
  waitUntil,
} from "./test-support.ts";

let sim: StripeSimulator;
let receiver: Receiver;
let stripe: Stripe;

before(async () => {
  sim = await startStripeSimulator({ resolveAfterMs: 100, notificationRetryDelaysMs: [] });
  receiver = await startReceiver();
  stripe = sdk(sim, newSecretKey());
  await stripe.webhookEndpoints.create({
    url: receiver.url,
    enabled_events: ["charge.refunded", "charge.refund.updated"],
  });
});
after(async () => {
  await sim.close();
  await receiver.close();
});

const paid = (number = "4242424242424242", extra: Record<string, unknown> = {}) =>
  stripe.paymentIntents.create(paymentParams(number, extra));

describe("refunds", () => {
  test("full refund by payment intent", async () => {
    const intent = await paid();
    const refund = await stripe.refunds.create({
      payment_intent: intent.id,
      reason: "requested_by_customer",
    });
    assert.equal(refund.status, "succeeded");
    assert.equal(refund.amount, 1000);
    assert.equal(refund.charge, intent.latest_charge);
    assert.equal(refund.payment_intent, intent.id);
    assert.equal(refund.reason, "requested_by_customer");
    const charge = await stripe.charges.retrieve(String(intent.latest_charge));
    assert.equal(charge.amount_refunded, 1000);
    assert.equal(charge.refunded, true);
    assert.deepEqual(
      charge.refunds?.data.map((r) => r.id),
      [refund.id],
    );
    const txn = await stripe.balanceTransactions.retrieve(String(refund.balance_transaction));
    assert.equal(txn.amount, -1000);
    assert.equal(txn.type, "refund");
    await waitUntil(() =>
      receiver.ofType("charge.refunded").some((r) => r.body.data.object.id === charge.id),
    );
  });

  test("partial refunds by charge add up, and an over-refund is refused", async () => {
    const intent = await paid();
    const charge = String(intent.latest_charge);
    const first = await stripe.refunds.create({ charge, amount: 300, metadata: { reason: "damaged" } });
    assert.deepEqual(first.metadata, { reason: "damaged" });
    await stripe.refunds.create({ charge, amount: 200 });
    const over = await stripeFailure(stripe.refunds.create({ charge, amount: 501 }));
    assert.equal(over.statusCode, 400);
    assert.equal(over.param, "amount");
    assert.match(over.message, /greater than unrefunded amount/);
    const rest = await stripe.refunds.create({ charge });
    assert.equal(rest.amount, 500);
    const already = await stripeFailure(stripe.refunds.create({ charge, amount: 1 }));
    assert.equal(already.code, "charge_already_refunded");
    const listed = await stripe.refunds.list({ charge });
    assert.deepEqual(
      listed.data.map((r) => r.amount),
      [500, 200, 300],
    );
    assert.equal((await stripe.refunds.retrieve(first.id)).amount, 300);
  });

  test("a partially captured payment refunds at most what was captured", async () => {
    const intent = await paid("4242424242424242", { capture_method: "manual" });
    await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 700 });
    const over = await stripeFailure(stripe.refunds.create({ payment_intent: intent.id, amount: 701 }));
    assert.equal(over.param, "amount");
    const refund = await stripe.refunds.create({ payment_intent: intent.id });
    assert.equal(refund.amount, 700);
    const charge = await stripe.charges.retrieve(String(intent.latest_charge));
    assert.equal(charge.amount_refunded, 1000);
    assert.equal(charge.refunded, true);
  });

  test("uncaptured, declined and unknown payments cannot be refunded", async () => {
    const held = await paid("4242424242424242", { capture_method: "manual" });
    assert.equal((await stripeFailure(stripe.refunds.create({ payment_intent: held.id }))).statusCode, 400);
    const declined = await stripeFailure(paid("4000000000000002"));
    const refused = await stripeFailure(
      stripe.refunds.create({ payment_intent: declined.payment_intent.id }),
    );
    assert.equal(refused.code, "charge_not_refundable");
    const unknown = await stripeFailure(stripe.refunds.create({ charge: "ch_nope" }));
    assert.equal(unknown.code, "resource_missing");
    assert.equal(unknown.param, "charge");
    const neither = await stripeFailure(stripe.refunds.create({}));
    assert.equal(neither.code, "parameter_missing");
    const zero = await stripeFailure(
      stripe.refunds.create({ charge: String(held.latest_charge), amount: 0 }),
    );
    assert.equal(zero.statusCode, 400);
    assert.equal((await stripeFailure(stripe.refunds.retrieve("re_nope"))).statusCode, 404);
  });

  test("4000000000007726: the refund is pending, then succeeds", async () => {
    const intent = await paid("4000000000007726");
    const refund = await stripe.refunds.create({ payment_intent: intent.id });
    assert.equal(refund.status, "pending");
    await waitUntil(async () => (await stripe.refunds.retrieve(refund.id)).status === "succeeded");
    await waitUntil(() =>
      receiver.ofType("charge.refund.updated").some((r) => r.body.data.object.id === refund.id),
    );
    const update = receiver.ofType("charge.refund.updated").find((r) => r.body.data.object.id === refund.id);
    assert.deepEqual(update?.body.data.previous_attributes, { status: "pending" });
  });

  test("4000000000005126: the refund succeeds, then fails and gives the amount back", async () => {
    const intent = await paid("4000000000005126");
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 400 });
    assert.equal(refund.status, "succeeded");
    await waitUntil(async () => (await stripe.refunds.retrieve(refund.id)).status === "failed");
    const failed = await stripe.refunds.retrieve(refund.id);
    assert.equal(failed.failure_reason, "expired_or_canceled_card");
    assert.match(String(failed.failure_balance_transaction), /^txn_/);
    const charge = await stripe.charges.retrieve(String(intent.latest_charge));
    assert.equal(charge.amount_refunded, 0);
    assert.equal((await stripe.refunds.create({ payment_intent: intent.id })).amount, 1000);
  });
});
