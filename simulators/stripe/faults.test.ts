import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { type StripeSimulator, startStripeSimulator } from "./index.ts";
import {
  newSecretKey,
  paymentParams,
  type Receiver,
  raw,
  sdk,
  sleep,
  startReceiver,
  stripeFailure,
  waitUntil,
} from "./test-support.ts";

let sim: StripeSimulator;
let receiver: Receiver;

before(async () => {
  sim = await startStripeSimulator({ notificationRetryDelaysMs: [] });
  receiver = await startReceiver();
});
after(async () => {
  await sim.close();
  await receiver.close();
});
afterEach(() => {
  sim.clearFaults();
  receiver.received.length = 0;
});

const create = (key: string, idempotencyKey = `fault-${Math.random()}`) =>
  sdk(sim, key).paymentIntents.create(paymentParams("4242424242424242"), { idempotencyKey });

describe("request faults", () => {
  test("latency delays the answer once", async () => {
    sim.injectFault({ kind: "latency", ms: 400 });
    const started = Date.now();
    await create(newSecretKey());
    assert.ok(Date.now() - started >= 390);
    const quick = Date.now();
    await create(newSecretKey());
    assert.ok(Date.now() - quick < 390);
  });

  for (const status of [500, 503] as const) {
    test(`${status} answers Stripe's api_error without acting`, async () => {
      const key = newSecretKey();
      sim.injectFault({ kind: "status", status });
      const error = await stripeFailure(create(key));
      assert.equal(error.type, "StripeAPIError");
      assert.equal(error.statusCode, status);
      assert.equal(error.raw.type, "api_error");
      assert.equal(sim.paymentIntentCount(key), 0);
      await create(key);
      assert.equal(sim.paymentIntentCount(key), 1);
    });
  }

  test("429 rate_limit and lock_timeout", async () => {
    sim.injectFault({ kind: "status", status: 429 });
    const limited = await stripeFailure(create(newSecretKey()));
    assert.equal(limited.type, "StripeRateLimitError");
    assert.equal(limited.code, "rate_limit");
    sim.injectFault({ kind: "status", status: 429, code: "lock_timeout" });
    const locked = await raw(sim, "GET", "/v1/payment_intents", { key: newSecretKey() });
    assert.equal(locked.status, 429);
    assert.equal(locked.json.error.code, "lock_timeout");
    assert.equal(locked.headers.get("stripe-should-retry"), "true");
  });

  test("times and match pick the requests", async () => {
    const key = newSecretKey();
    const stripe = sdk(sim, key);
    sim.injectFault({ kind: "status", status: 503, times: 2, match: "/v1/refunds" });
    const intent = await create(key);
    assert.equal((await stripeFailure(stripe.refunds.create({ payment_intent: intent.id }))).statusCode, 503);
    assert.equal((await stripeFailure(stripe.refunds.create({ payment_intent: intent.id }))).statusCode, 503);
    assert.equal((await stripe.refunds.create({ payment_intent: intent.id })).status, "succeeded");
  });

  test("reset before acting: the connection drops and nothing happened", async () => {
    const key = newSecretKey();
    // Twice: the SDK retries a dropped connection once by itself.
    sim.injectFault({ kind: "reset", times: 2 });
    const error = await stripeFailure(create(key));
    assert.equal(error.type, "StripeConnectionError");
    assert.equal(sim.paymentIntentCount(key), 0);
  });

  test("reset after acting: the SDK's retry with the same key replays the result", async () => {
    const key = newSecretKey();
    sim.injectFault({ kind: "reset", after: true });
    const intent = await create(key);
    assert.equal(intent.status, "succeeded");
    assert.equal(intent.lastResponse.headers["idempotent-replayed"], "true");
    assert.equal(sim.paymentIntentCount(key), 1);
  });

  test("reset after acting, seen raw", async () => {
    const key = newSecretKey();
    sim.injectFault({ kind: "reset", after: true });
    await assert.rejects(raw(sim, "POST", "/v1/payment_intents", { key, form: "amount=1000&currency=usd" }));
    assert.equal(sim.paymentIntentCount(key), 1);
  });

  test("malformed: the request acts but the JSON is cut short", async () => {
    const key = newSecretKey();
    sim.injectFault({ kind: "malformed" });
    const error = await stripeFailure(create(key, "malformed-1"));
    assert.equal(error.type, "StripeAPIError");
    assert.match(error.message, /Invalid JSON/);
    assert.equal(sim.paymentIntentCount(key), 1);
    const retry = await create(key, "malformed-1");
    assert.equal(retry.status, "succeeded");
    assert.equal(sim.paymentIntentCount(key), 1);
  });

  test("faults can be injected over HTTP", async () => {
    const admin = `${sim.url}/_admin/faults`;
    const post = await fetch(admin, {
      method: "POST",
      body: JSON.stringify({ kind: "status", status: 500 }),
    });
    assert.equal(post.status, 200);
    assert.equal((await raw(sim, "GET", "/v1/payment_intents", { key: newSecretKey() })).status, 500);
    await fetch(admin, { method: "POST", body: JSON.stringify({ kind: "status", status: 500 }) });
    await fetch(admin, { method: "DELETE" });
    assert.equal((await raw(sim, "GET", "/v1/payment_intents", { key: newSecretKey() })).status, 200);
    const bad = await fetch(admin, { method: "POST", body: JSON.stringify({ kind: "status", status: 418 }) });
    assert.equal(bad.status, 400);
  });
});

describe("notification faults", () => {
  async function withEndpoint() {
    const key = newSecretKey();
    await sdk(sim, key).webhookEndpoints.create({
      url: receiver.url,
      enabled_events: ["payment_intent.succeeded"],
    });
    return key;
  }

  test("duplicate notifications deliver the same event twice", async () => {
    const key = await withEndpoint();
    sim.injectFault({ kind: "duplicate_notifications", match: "/webhooks" });
    await create(key);
    await waitUntil(() => receiver.received.length >= 2);
    assert.equal(receiver.received[0]?.body.id, receiver.received[1]?.body.id);
  });

  test("delayed notifications arrive late", async () => {
    const key = await withEndpoint();
    sim.injectFault({ kind: "delay_notifications", ms: 400 });
    const started = Date.now();
    await create(key);
    await sleep(100);
    assert.equal(receiver.received.length, 0);
    await waitUntil(() => receiver.received.length >= 1);
    assert.ok(Date.now() - started >= 390);
  });
});
