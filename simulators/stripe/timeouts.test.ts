/**
 * Timeout cards 4000000000000408 (approves later) and 4000000000000416 (declines later): the request
 * is dropped without an answer while the intent stays `processing`, then settles after resolveAfterMs.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type Stripe from "stripe";
import { type StripeSimulator, startStripeSimulator } from "./index.ts";
import {
  cardForm,
  newSecretKey,
  paymentParams,
  type Receiver,
  raw,
  sdk,
  startReceiver,
  stripeFailure,
  waitUntil,
} from "./test-support.ts";

const RESOLVE_AFTER_MS = 150;
let sim: StripeSimulator;
let receiver: Receiver;

before(async () => {
  sim = await startStripeSimulator({ resolveAfterMs: RESOLVE_AFTER_MS, notificationRetryDelaysMs: [] });
  receiver = await startReceiver();
});
after(async () => {
  await sim.close();
  await receiver.close();
});

async function account(): Promise<{ key: string; stripe: Stripe }> {
  const key = newSecretKey();
  const stripe = sdk(sim, key);
  await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ["*"] });
  return { key, stripe };
}

const eventsFor = (intentId: string) =>
  receiver.received
    .filter((r) => r.body?.data?.object?.id === intentId && r.body.type.startsWith("payment_intent."))
    .map((r) => r.body.type);

describe("timeout cards", () => {
  test("4000000000000408: no answer, processing, then succeeded with webhooks", async () => {
    const { key, stripe } = await account();
    await assert.rejects(
      raw(sim, "POST", "/v1/payment_intents", { key, form: cardForm("4000000000000408") }),
    );
    const [intent] = (await stripe.paymentIntents.list()).data;
    assert.ok(intent);
    assert.equal(intent.status, "processing");
    assert.equal(intent.processing?.type, "card");
    assert.equal((await stripe.charges.retrieve(String(intent.latest_charge))).status, "pending");
    await waitUntil(async () => (await stripe.paymentIntents.retrieve(intent.id)).status === "succeeded");
    assert.equal((await stripe.charges.retrieve(String(intent.latest_charge))).status, "succeeded");
    await waitUntil(() => eventsFor(intent.id).includes("payment_intent.succeeded"));
    assert.ok(eventsFor(intent.id).includes("payment_intent.processing"));
  });

  test("4000000000000408 with manual capture settles in requires_capture", async () => {
    const { key, stripe } = await account();
    const form = `${cardForm("4000000000000408")}&capture_method=manual`;
    await assert.rejects(raw(sim, "POST", "/v1/payment_intents", { key, form }));
    const [intent] = (await stripe.paymentIntents.list()).data;
    await waitUntil(
      async () => (await stripe.paymentIntents.retrieve(intent?.id ?? "")).status === "requires_capture",
    );
  });

  test("4000000000000416: no answer, processing, then declined with webhooks", async () => {
    const { key, stripe } = await account();
    await assert.rejects(
      raw(sim, "POST", "/v1/payment_intents", { key, form: cardForm("4000000000000416") }),
    );
    const [intent] = (await stripe.paymentIntents.list()).data;
    assert.equal(intent?.status, "processing");
    await waitUntil(
      async () =>
        (await stripe.paymentIntents.retrieve(intent?.id ?? "")).status === "requires_payment_method",
    );
    const settled = await stripe.paymentIntents.retrieve(intent?.id ?? "");
    assert.equal(settled.last_payment_error?.code, "card_declined");
    assert.equal(settled.last_payment_error?.decline_code, "generic_decline");
    await waitUntil(() => eventsFor(settled.id).includes("payment_intent.payment_failed"));
  });

  test("a retry with the same key gets 409 while processing, then the settled answer", async () => {
    const { key } = await account();
    const form = cardForm("4000000000000416");
    const idempotencyKey = "timeout-retry-1";
    await assert.rejects(raw(sim, "POST", "/v1/payment_intents", { key, form, idempotencyKey }));
    const busy = await raw(sim, "POST", "/v1/payment_intents", { key, form, idempotencyKey });
    assert.equal(busy.status, 409);
    assert.equal(busy.json.error.code, "idempotency_key_in_use");
    await waitUntil(async () => {
      const retry = await raw(sim, "POST", "/v1/payment_intents", { key, form, idempotencyKey });
      return retry.status === 402 && retry.headers.get("idempotent-replayed") === "true";
    });
    assert.equal(sim.paymentIntentCount(key), 1);
  });

  test("with the SDK: its own quick retry finds the request in flight, a later one gets the outcome", async () => {
    const { key, stripe } = await account();
    const options = { idempotencyKey: "sdk-timeout-1" };
    const busy = await stripeFailure(
      stripe.paymentIntents.create(paymentParams("4000000000000408"), options),
    );
    assert.equal(busy.statusCode, 409);
    assert.equal(busy.code, "idempotency_key_in_use");
    await waitUntil(async () => (await stripe.paymentIntents.list()).data[0]?.status === "succeeded");
    const intent = await stripe.paymentIntents.create(paymentParams("4000000000000408"), options);
    assert.equal(intent.status, "succeeded");
    assert.equal(intent.lastResponse.headers["idempotent-replayed"], "true");
    assert.equal(sim.paymentIntentCount(key), 1);
  });
});
