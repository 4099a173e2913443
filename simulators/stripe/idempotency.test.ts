import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type StripeSimulator, startStripeSimulator } from "./index.ts";
import { newSecretKey, paymentParams, raw, sdk, stripeFailure } from "./test-support.ts";

let sim: StripeSimulator;
let clock = Date.now();

before(async () => {
  sim = await startStripeSimulator({ now: () => new Date(clock) });
});
after(() => sim.close());

describe("Idempotency-Key", () => {
  test("same key and parameters replays the first answer", async () => {
    const key = newSecretKey();
    const stripe = sdk(sim, key);
    const first = await stripe.paymentIntents.create(paymentParams("4242424242424242"), {
      idempotencyKey: "order-1",
    });
    const second = await stripe.paymentIntents.create(paymentParams("4242424242424242"), {
      idempotencyKey: "order-1",
    });
    assert.equal(second.id, first.id);
    assert.equal(second.lastResponse.headers["idempotent-replayed"], "true");
    assert.equal(second.lastResponse.headers["original-request"], first.lastResponse.requestId);
    assert.equal(first.lastResponse.headers["idempotent-replayed"], undefined);
    assert.equal(sim.paymentIntentCount(key), 1);
  });

  test("parameter order on the wire does not matter", async () => {
    const key = newSecretKey();
    const form = "amount=1000&currency=usd&metadata[a]=1&metadata[b]=2";
    const reordered = "metadata[b]=2&currency=usd&metadata[a]=1&amount=1000";
    const first = await raw(sim, "POST", "/v1/payment_intents", { key, form, idempotencyKey: "k" });
    const second = await raw(sim, "POST", "/v1/payment_intents", {
      key,
      form: reordered,
      idempotencyKey: "k",
    });
    assert.equal(second.json.id, first.json.id);
    assert.equal(second.text, first.text);
  });

  test("same key with other parameters, or on another endpoint, is an idempotency_error", async () => {
    const stripe = sdk(sim, newSecretKey());
    await stripe.paymentIntents.create({ amount: 1000, currency: "usd" }, { idempotencyKey: "order-2" });
    const error = await stripeFailure(
      stripe.paymentIntents.create({ amount: 2000, currency: "usd" }, { idempotencyKey: "order-2" }),
    );
    assert.equal(error.type, "StripeIdempotencyError");
    assert.equal(error.statusCode, 400);
    assert.equal(error.raw.type, "idempotency_error");
    const elsewhere = await stripeFailure(
      stripe.webhookEndpoints.create(
        { url: "https://x.example/h", enabled_events: ["*"] },
        { idempotencyKey: "order-2" },
      ),
    );
    assert.equal(elsewhere.type, "StripeIdempotencyError");
  });

  test("a concurrent duplicate gets 409 idempotency_key_in_use", async () => {
    const key = newSecretKey();
    const stripe = sdk(sim, key);
    sim.injectFault({ kind: "latency", ms: 500, match: "/v1/payment_intents" });
    const slow = stripe.paymentIntents.create(
      { amount: 1000, currency: "usd" },
      { idempotencyKey: "order-3" },
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    const duplicate = await stripeFailure(
      stripe.paymentIntents.create({ amount: 1000, currency: "usd" }, { idempotencyKey: "order-3" }),
    );
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.code, "idempotency_key_in_use");
    const done = await slow;
    const replay = await stripe.paymentIntents.create(
      { amount: 1000, currency: "usd" },
      { idempotencyKey: "order-3" },
    );
    assert.equal(replay.id, done.id);
    assert.equal(sim.paymentIntentCount(key), 1);
  });

  test("keys are scoped per API key", async () => {
    const a = await sdk(sim, newSecretKey()).paymentIntents.create(
      { amount: 1000, currency: "usd" },
      { idempotencyKey: "shared" },
    );
    const b = await sdk(sim, newSecretKey()).paymentIntents.create(
      { amount: 3000, currency: "usd" },
      { idempotencyKey: "shared" },
    );
    assert.notEqual(a.id, b.id);
    assert.equal(b.amount, 3000);
  });

  test("an invalid request is not remembered", async () => {
    const key = newSecretKey();
    const invalid = await raw(sim, "POST", "/v1/payment_intents", {
      key,
      form: "amount=x&currency=usd",
      idempotencyKey: "k1",
    });
    assert.equal(invalid.status, 400);
    const valid = await raw(sim, "POST", "/v1/payment_intents", {
      key,
      form: "amount=1000&currency=usd",
      idempotencyKey: "k1",
    });
    assert.equal(valid.status, 200);
  });

  test("a decline is remembered and replayed", async () => {
    const key = newSecretKey();
    const stripe = sdk(sim, key);
    const first = await stripeFailure(
      stripe.paymentIntents.create(paymentParams("4000000000009995"), { idempotencyKey: "decline-1" }),
    );
    const second = await stripeFailure(
      stripe.paymentIntents.create(paymentParams("4000000000009995"), { idempotencyKey: "decline-1" }),
    );
    assert.equal(second.statusCode, 402);
    assert.equal(second.payment_intent.id, first.payment_intent.id);
    assert.equal(second.headers["idempotent-replayed"], "true");
    assert.equal(sim.paymentIntentCount(key), 1);
  });

  test("keys are forgotten after 24 hours", async () => {
    const key = newSecretKey();
    const stripe = sdk(sim, key);
    await stripe.paymentIntents.create({ amount: 1000, currency: "usd" }, { idempotencyKey: "day-old" });
    clock += 24 * 60 * 60 * 1000 - 1000;
    const stillKept = await stripeFailure(
      stripe.paymentIntents.create({ amount: 2000, currency: "usd" }, { idempotencyKey: "day-old" }),
    );
    assert.equal(stillKept.type, "StripeIdempotencyError");
    clock += 2000;
    const fresh = await stripe.paymentIntents.create(
      { amount: 2000, currency: "usd" },
      { idempotencyKey: "day-old" },
    );
    assert.equal(fresh.amount, 2000);
  });

  test("GET ignores the key", async () => {
    const key = newSecretKey();
    const created = await raw(sim, "POST", "/v1/payment_intents", { key, form: "amount=1000&currency=usd" });
    const headers = { "idempotency-key": "get-1" };
    const first = await raw(sim, "GET", `/v1/payment_intents/${created.json.id}`, { key, headers });
    const second = await raw(sim, "GET", "/v1/payment_intents", { key, headers });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(second.headers.get("idempotent-replayed"), null);
  });
});
