import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import Stripe from "stripe";
import { type StripeSimulator, startStripeSimulator } from "./index.ts";
import {
  newSecretKey,
  paymentParams,
  type Received,
  type Receiver,
  sdk,
  sleep,
  startReceiver,
  stripeFailure,
  waitUntil,
} from "./test-support.ts";

let sim: StripeSimulator;
let receiver: Receiver;

before(async () => {
  sim = await startStripeSimulator({ notificationRetryDelaysMs: [30, 30] });
  receiver = await startReceiver();
});
after(async () => {
  await sim.close();
  await receiver.close();
});
afterEach(() => {
  receiver.received.length = 0;
  receiver.script([]);
});

async function account(enabledEvents: Stripe.WebhookEndpointCreateParams.EnabledEvent[] = ["*"]) {
  const stripe = sdk(sim, newSecretKey());
  const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: enabledEvents });
  return { stripe, endpoint, secret: endpoint.secret ?? "" };
}

const typesFor = (id: string) =>
  receiver.received
    .filter((r) => r.body?.data?.object?.payment_intent === id || r.body?.data?.object?.id === id)
    .map((r) => r.body.type);

function verify(stripe: Stripe, received: Received, secret: string): Stripe.Event {
  return stripe.webhooks.constructEvent(received.raw, String(received.headers["stripe-signature"]), secret);
}

describe("webhook endpoints", () => {
  test("create, retrieve, list, update and delete", async () => {
    const { stripe, endpoint } = await account(["charge.succeeded"]);
    assert.match(endpoint.id, /^we_/);
    assert.match(endpoint.secret ?? "", /^whsec_[0-9A-Za-z]{32}$/);
    assert.equal(endpoint.status, "enabled");
    assert.deepEqual(endpoint.enabled_events, ["charge.succeeded"]);
    assert.equal((await stripe.webhookEndpoints.retrieve(endpoint.id)).url, receiver.url);
    const listed = await stripe.webhookEndpoints.list();
    assert.deepEqual(
      listed.data.map((e) => e.id),
      [endpoint.id],
    );
    const updated = await stripe.webhookEndpoints.update(endpoint.id, {
      disabled: true,
      enabled_events: ["*"],
    });
    assert.equal(updated.status, "disabled");
    const deleted = await stripe.webhookEndpoints.del(endpoint.id);
    assert.deepEqual({ ...deleted }, { id: endpoint.id, object: "webhook_endpoint", deleted: true });
    assert.equal((await stripeFailure(stripe.webhookEndpoints.retrieve(endpoint.id))).statusCode, 404);
  });

  test("bad URLs and unknown event types are refused", async () => {
    const stripe = sdk(sim, newSecretKey());
    const url = await stripeFailure(
      stripe.webhookEndpoints.create({ url: "not a url", enabled_events: ["*"] }),
    );
    assert.equal(url.code, "url_invalid");
    const type = await stripeFailure(
      stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ["charge.exploded" as never] }),
    );
    assert.equal(type.param, "enabled_events[0]");
  });
});

describe("deliveries", () => {
  test("a payment's events arrive signed, verifiable with the SDK", async () => {
    const { stripe, secret } = await account();
    const intent = await stripe.paymentIntents.create(paymentParams("4242424242424242"));
    await waitUntil(() => typesFor(intent.id).length >= 3);
    assert.deepEqual(
      new Set(typesFor(intent.id)),
      new Set(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"]),
    );
    for (const received of receiver.received) {
      const event = verify(stripe, received, secret);
      assert.equal(event.object, "event");
      assert.equal(received.headers["content-type"], "application/json; charset=utf-8");
      assert.match(String(received.headers["user-agent"]), /^Stripe\/1\.0/);
    }
    const succeeded = receiver.ofType("payment_intent.succeeded")[0];
    assert.equal(succeeded?.body.data.object.status, "succeeded");
    assert.equal(succeeded?.body.request.id, intent.lastResponse.requestId);
    const created = receiver.ofType("payment_intent.created")[0];
    assert.equal(created?.body.data.object.status, "requires_confirmation", "data.object is a snapshot");
    assert.throws(
      () => verify(stripe, succeeded as Received, "whsec_wrong"),
      (error: unknown) => error instanceof Stripe.errors.StripeSignatureVerificationError,
    );
  });

  test("manual capture, decline and cancel send their events", async () => {
    const { stripe } = await account();
    const held = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", { capture_method: "manual" }),
    );
    await stripe.paymentIntents.capture(held.id, { amount_to_capture: 500 });
    const declined = await stripeFailure(stripe.paymentIntents.create(paymentParams("4000000000000002")));
    const open = await stripe.paymentIntents.create({ amount: 1000, currency: "usd" });
    await stripe.paymentIntents.cancel(open.id);
    await waitUntil(() => typesFor(held.id).includes("payment_intent.succeeded"));
    assert.ok(typesFor(held.id).includes("payment_intent.amount_capturable_updated"));
    assert.ok(typesFor(held.id).includes("charge.captured"));
    await waitUntil(() => typesFor(declined.payment_intent.id).includes("payment_intent.payment_failed"));
    assert.ok(typesFor(declined.payment_intent.id).includes("charge.failed"));
    await waitUntil(() => typesFor(open.id).includes("payment_intent.canceled"));
  });

  test("only enabled events are sent", async () => {
    const { stripe } = await account(["payment_intent.succeeded"]);
    await stripe.paymentIntents.create(paymentParams("4242424242424242"));
    await waitUntil(() => receiver.received.length >= 1);
    await sleep(50);
    assert.deepEqual(
      receiver.received.map((r) => r.body.type),
      ["payment_intent.succeeded"],
    );
  });

  test("non-2xx answers and dropped connections are retried", async () => {
    const { stripe } = await account(["payment_intent.succeeded"]);
    receiver.script([500, "destroy"]);
    const intent = await stripe.paymentIntents.create(paymentParams("4242424242424242"));
    await waitUntil(() => receiver.received.length >= 3);
    const ids = new Set(receiver.received.map((r) => r.body.id));
    assert.equal(ids.size, 1, "the same event each time");
    const [event] = (await stripe.events.list({ type: "payment_intent.succeeded" })).data;
    assert.equal(event?.data.object && (event.data.object as Stripe.PaymentIntent).id, intent.id);
    await waitUntil(async () => (await stripe.events.retrieve(event?.id ?? "")).pending_webhooks === 0);
  });

  test("delivery gives up after the last retry and the event stays pending", async () => {
    const { stripe } = await account(["payment_intent.created"]);
    receiver.script([500, 500, 500]);
    await stripe.paymentIntents.create({ amount: 1000, currency: "usd" });
    await waitUntil(() => receiver.received.length >= 3);
    await sleep(80);
    assert.equal(receiver.received.length, 3);
    const [event] = (await stripe.events.list({ delivery_success: false })).data;
    assert.equal(event?.pending_webhooks, 1);
  });

  test("disabled and deleted endpoints receive nothing", async () => {
    const { stripe, endpoint } = await account();
    await stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
    await stripe.paymentIntents.create(paymentParams("4242424242424242"));
    await stripe.webhookEndpoints.del(endpoint.id);
    await stripe.paymentIntents.create(paymentParams("4242424242424242"));
    await sleep(80);
    assert.equal(receiver.received.length, 0);
  });
});

describe("events API", () => {
  test("list filters and retrieve", async () => {
    const stripe = sdk(sim, newSecretKey());
    const intent = await stripe.paymentIntents.create(paymentParams("4242424242424242"), {
      idempotencyKey: "evt-1",
    });
    const all = await stripe.events.list();
    assert.deepEqual(
      all.data.map((event) => event.type),
      ["payment_intent.succeeded", "charge.succeeded", "payment_intent.created"],
    );
    const charges = await stripe.events.list({ type: "charge.*" });
    assert.deepEqual(
      charges.data.map((event) => event.type),
      ["charge.succeeded"],
    );
    const some = await stripe.events.list({
      types: ["payment_intent.created", "charge.succeeded"],
      limit: 1,
    });
    assert.equal(some.data.length, 1);
    assert.equal(some.has_more, true);
    const event = await stripe.events.retrieve(all.data[0]?.id ?? "");
    assert.equal((event.data.object as Stripe.PaymentIntent).id, intent.id);
    assert.equal(event.request?.idempotency_key, "evt-1");
    assert.equal(event.pending_webhooks, 0);
    assert.equal((await stripeFailure(stripe.events.retrieve("evt_nope"))).statusCode, 404);
  });
});
