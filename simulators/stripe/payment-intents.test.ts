import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type Stripe from "stripe";
import { type StripeSimulator, startStripeSimulator } from "./index.ts";
import { cardData, newSecretKey, paymentParams, sdk, stripeFailure } from "./test-support.ts";

let sim: StripeSimulator;

before(async () => {
  sim = await startStripeSimulator();
});
after(() => sim.close());

const client = () => sdk(sim, newSecretKey());

describe("create and confirm", () => {
  test("automatic capture succeeds at once with a captured charge", async () => {
    const stripe = client();
    const intent = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", { metadata: { order: "42" }, description: "Order 42" }),
    );
    assert.equal(intent.status, "succeeded");
    assert.equal(intent.amount_received, 1000);
    assert.equal(intent.amount_capturable, 0);
    assert.deepEqual(intent.metadata, { order: "42" });
    assert.equal(intent.description, "Order 42");
    const charge = await stripe.charges.retrieve(String(intent.latest_charge));
    assert.equal(charge.status, "succeeded");
    assert.equal(charge.captured, true);
    assert.equal(charge.amount_captured, 1000);
    assert.equal(charge.payment_intent, intent.id);
    assert.equal(charge.payment_method_details?.card?.last4, "4242");
    assert.equal(charge.payment_method_details?.card?.brand, "visa");
    assert.equal(charge.payment_method_details?.card?.checks?.cvc_check, "pass");
    assert.equal(charge.outcome?.type, "authorized");
  });

  test("created without confirm, then confirmed with card data", async () => {
    const stripe = client();
    const created = await stripe.paymentIntents.create({
      amount: 2500,
      currency: "eur",
      capture_method: "manual",
    });
    assert.equal(created.status, "requires_payment_method");
    assert.equal(created.latest_charge, null);
    const confirmed = await stripe.paymentIntents.confirm(created.id, {
      payment_method_data: cardData("5555555555554444"),
    } as unknown as Stripe.PaymentIntentConfirmParams);
    assert.equal(confirmed.status, "requires_capture");
    assert.equal(confirmed.amount_capturable, 2500);
    const charge = await stripe.charges.retrieve(String(confirmed.latest_charge));
    assert.equal(charge.payment_method_details?.card?.brand, "mastercard");
    assert.equal(charge.captured, false);
    assert.equal(charge.balance_transaction, null);
  });

  test("a payment method without confirm waits in requires_confirmation", async () => {
    const stripe = client();
    const created = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", { confirm: false, return_url: undefined }),
    );
    assert.equal(created.status, "requires_confirmation");
    assert.match(String(created.payment_method), /^pm_/);
    const confirmed = await stripe.paymentIntents.confirm(created.id);
    assert.equal(confirmed.status, "succeeded");
  });

  test("confirm without a payment method is refused", async () => {
    const stripe = client();
    const created = await stripe.paymentIntents.create({ amount: 1000, currency: "usd" });
    const error = await stripeFailure(stripe.paymentIntents.confirm(created.id));
    assert.equal(error.statusCode, 400);
    assert.equal(error.code, "payment_intent_unexpected_state");
  });

  test("a succeeded intent cannot be confirmed again", async () => {
    const stripe = client();
    const intent = await stripe.paymentIntents.create(paymentParams("4242424242424242"));
    const error = await stripeFailure(stripe.paymentIntents.confirm(intent.id));
    assert.equal(error.code, "payment_intent_unexpected_state");
    assert.equal(error.payment_intent.status, "succeeded");
  });

  test("a declined intent can be confirmed again with another card", async () => {
    const stripe = client();
    const error = await stripeFailure(stripe.paymentIntents.create(paymentParams("4000000000000002")));
    const intentId = error.payment_intent.id;
    const retried = await stripe.paymentIntents.confirm(intentId, {
      payment_method_data: cardData("4242424242424242"),
    } as unknown as Stripe.PaymentIntentConfirmParams);
    assert.equal(retried.status, "succeeded");
    assert.equal(retried.last_payment_error, null);
    assert.notEqual(retried.latest_charge, error.charge);
  });

  test("Stripe's test payment method ids work", async () => {
    const stripe = client();
    const intent = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      confirm: true,
      payment_method: "pm_card_visa",
    });
    assert.equal(intent.status, "succeeded");
    const error = await stripeFailure(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "usd",
        confirm: true,
        payment_method: "pm_nope",
      }),
    );
    assert.equal(error.code, "resource_missing");
    assert.equal(error.param, "payment_method");
  });

  test("amount limits and currencies", async () => {
    const stripe = client();
    const small = await stripeFailure(stripe.paymentIntents.create({ amount: 49, currency: "usd" }));
    assert.equal(small.code, "amount_too_small");
    assert.equal(small.param, "amount");
    assert.match(small.message, /\$0\.50/);
    const large = await stripeFailure(stripe.paymentIntents.create({ amount: 100_000_000, currency: "usd" }));
    assert.equal(large.code, "amount_too_large");
    const currency = await stripeFailure(stripe.paymentIntents.create({ amount: 1000, currency: "xyz" }));
    assert.equal(currency.param, "currency");
    const yen = await stripe.paymentIntents.create({ amount: 500, currency: "JPY" });
    assert.equal(yen.currency, "jpy");
  });

  test("return_url needs confirm=true", async () => {
    const stripe = client();
    const error = await stripeFailure(
      stripe.paymentIntents.create({ amount: 1000, currency: "usd", return_url: "https://shop.example/r" }),
    );
    assert.equal(error.param, "return_url");
  });

  test("objects are per API key", async () => {
    const first = client();
    const intent = await first.paymentIntents.create({ amount: 1000, currency: "usd" });
    const error = await stripeFailure(client().paymentIntents.retrieve(intent.id));
    assert.equal(error.statusCode, 404);
    assert.equal(error.code, "resource_missing");
    assert.equal(error.param, "intent");
  });
});

describe("capture", () => {
  test("full capture", async () => {
    const stripe = client();
    const intent = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", { capture_method: "manual" }),
    );
    const captured = await stripe.paymentIntents.capture(intent.id);
    assert.equal(captured.status, "succeeded");
    assert.equal(captured.amount_received, 1000);
    const charge = await stripe.charges.retrieve(String(captured.latest_charge));
    assert.equal(charge.captured, true);
    assert.equal(charge.amount_captured, 1000);
    assert.equal(charge.amount_refunded, 0);
  });

  test("partial capture releases the rest", async () => {
    const stripe = client();
    const intent = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", { capture_method: "manual" }),
    );
    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 600 });
    assert.equal(captured.status, "succeeded");
    assert.equal(captured.amount_received, 600);
    assert.equal(captured.amount_capturable, 0);
    const charge = await stripe.charges.retrieve(String(captured.latest_charge), {
      expand: ["balance_transaction"],
    });
    assert.equal(charge.amount_captured, 600);
    assert.equal(charge.amount_refunded, 400);
    assert.equal(charge.refunded, false);
    assert.equal((charge.balance_transaction as Stripe.BalanceTransaction).amount, 600);
    const again = await stripeFailure(stripe.paymentIntents.capture(intent.id));
    assert.equal(again.code, "payment_intent_unexpected_state");
  });

  test("more than authorized is refused", async () => {
    const stripe = client();
    const intent = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", { capture_method: "manual" }),
    );
    const error = await stripeFailure(stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1001 }));
    assert.equal(error.code, "amount_too_large");
    assert.equal(error.param, "amount_to_capture");
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, "requires_capture");
  });

  test("card-level capture_method=manual holds the funds", async () => {
    const stripe = client();
    const intent = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", { payment_method_options: { card: { capture_method: "manual" } } }),
    );
    assert.equal(intent.status, "requires_capture");
  });
});

describe("cancel", () => {
  test("an authorization is released", async () => {
    const stripe = client();
    const intent = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", { capture_method: "manual" }),
    );
    const canceled = await stripe.paymentIntents.cancel(intent.id, {
      cancellation_reason: "requested_by_customer",
    });
    assert.equal(canceled.status, "canceled");
    assert.equal(canceled.cancellation_reason, "requested_by_customer");
    assert.equal(typeof canceled.canceled_at, "number");
    assert.equal(canceled.amount_capturable, 0);
    const charge = await stripe.charges.retrieve(String(canceled.latest_charge));
    assert.equal(charge.amount_refunded, 1000);
    assert.equal(charge.refunded, true);
  });

  test("an unconfirmed intent can be canceled, a succeeded one cannot", async () => {
    const stripe = client();
    const open = await stripe.paymentIntents.create({ amount: 1000, currency: "usd" });
    assert.equal((await stripe.paymentIntents.cancel(open.id)).status, "canceled");
    const done = await stripe.paymentIntents.create(paymentParams("4242424242424242"));
    const error = await stripeFailure(stripe.paymentIntents.cancel(done.id));
    assert.equal(error.code, "payment_intent_unexpected_state");
    const reason = await stripeFailure(
      stripe.paymentIntents.cancel(open.id, { cancellation_reason: "bored" } as never),
    );
    assert.equal(reason.param, "cancellation_reason");
  });
});

describe("retrieve, list, expand", () => {
  test("list is newest first with cursors", async () => {
    const key = newSecretKey();
    const stripe = sdk(sim, key);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await stripe.paymentIntents.create({ amount: 1000 + i, currency: "usd" })).id);
    const first = await stripe.paymentIntents.list({ limit: 2 });
    assert.deepEqual(
      first.data.map((intent) => intent.id),
      [ids[4], ids[3]],
    );
    assert.equal(first.has_more, true);
    const second = await stripe.paymentIntents.list({ limit: 2, starting_after: ids[3] });
    assert.deepEqual(
      second.data.map((intent) => intent.id),
      [ids[2], ids[1]],
    );
    const back = await stripe.paymentIntents.list({ limit: 2, ending_before: ids[1] });
    assert.deepEqual(
      back.data.map((intent) => intent.id),
      [ids[3], ids[2]],
    );
    const all: string[] = [];
    for await (const intent of stripe.paymentIntents.list({ limit: 2 })) all.push(intent.id);
    assert.deepEqual(all, [...ids].reverse());
    assert.equal(sim.paymentIntentCount(key), 5);
  });

  test("expand on retrieve and list", async () => {
    const stripe = client();
    const intent = await stripe.paymentIntents.create(paymentParams("4242424242424242"));
    const expanded = await stripe.paymentIntents.retrieve(intent.id, {
      expand: ["latest_charge.balance_transaction", "payment_method"],
    });
    const charge = expanded.latest_charge as Stripe.Charge;
    assert.equal(charge.object, "charge");
    assert.equal((charge.balance_transaction as Stripe.BalanceTransaction).object, "balance_transaction");
    assert.equal((expanded.payment_method as Stripe.PaymentMethod).card?.last4, "4242");
    const list = await stripe.paymentIntents.list({ expand: ["data.latest_charge"] });
    const [first] = list.data;
    assert.equal((first?.latest_charge as Stripe.Charge | undefined)?.object, "charge");
    const error = await stripeFailure(stripe.paymentIntents.retrieve(intent.id, { expand: ["customer"] }));
    assert.equal(error.param, "expand");
  });
});

describe("determinism", () => {
  function seeded(): (size: number) => Uint8Array {
    let state = 7;
    return (size) => {
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        out[i] = state >>> 24;
      }
      return out;
    };
  }

  test("a seeded random source and a fixed clock replay the same objects", async () => {
    const key = newSecretKey();
    const run = async () => {
      const replayable = await startStripeSimulator({
        random: seeded(),
        now: () => new Date(Date.UTC(2030, 0, 1)),
      });
      try {
        const intent = await sdk(replayable, key).paymentIntents.create({ amount: 1000, currency: "usd" });
        return [intent.id, intent.client_secret, intent.created];
      } finally {
        await replayable.close();
      }
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    assert.equal(first[2], Date.UTC(2030, 0, 1) / 1000);
  });
});
