/** Card tokens made with a publishable key (Google Pay PAYMENT_GATEWAY mode) and paid with once. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type Stripe from "stripe";
import { type StripeSimulator, startStripeSimulator } from "./index.ts";
import { FUTURE_YEAR, newSecretKey, raw, sdk, stripeFailure } from "./test-support.ts";
import { TOKEN_LIFETIME_SECONDS } from "./tokens.ts";

let sim: StripeSimulator;
let clock = new Date();

before(async () => {
  sim = await startStripeSimulator({ now: () => clock });
});
after(() => sim.close());

const publishableKeyOf = (secretKey: string) => secretKey.replace(/^sk_test_/, "pk_test_");

function account() {
  const secretKey = newSecretKey();
  return { secretKey, publishableKey: publishableKeyOf(secretKey), stripe: sdk(sim, secretKey) };
}

function createToken(stripe: Stripe, publishableKey: string, number = "4242424242424242") {
  return stripe.tokens.create(
    { card: { number, exp_month: "12", exp_year: String(FUTURE_YEAR), cvc: "123" } },
    { apiKey: publishableKey },
  );
}

/** `payment_method_data[card][token]` is gated at Stripe and absent from the SDK's types. */
function payWith(token: string, extra: Record<string, unknown> = {}): Stripe.PaymentIntentCreateParams {
  return {
    amount: 1000,
    currency: "usd",
    confirm: true,
    payment_method_data: { type: "card", card: { token } },
    return_url: "https://shop.example/return",
    ...extra,
  } as unknown as Stripe.PaymentIntentCreateParams;
}

describe("creating card tokens", () => {
  test("the publishable key of an account creates a token; the secret key pays with it", async () => {
    const { stripe, publishableKey } = account();
    const token = await createToken(stripe, publishableKey);
    assert.match(token.id, /^tok_[0-9A-Za-z]{24}$/);
    assert.equal(token.object, "token");
    assert.equal(token.type, "card");
    assert.equal(token.used, false);
    assert.equal(token.livemode, false);
    assert.equal(token.card?.brand, "Visa");
    assert.equal(token.card?.last4, "4242");
    assert.equal(token.card?.exp_month, 12);
    assert.equal(token.card?.exp_year, FUTURE_YEAR);
    assert.match(token.card?.id ?? "", /^card_/);

    const intent = await stripe.paymentIntents.create(payWith(token.id, { metadata: { order: "G-1" } }));
    assert.equal(intent.status, "succeeded");
    assert.deepEqual(intent.metadata, { order: "G-1" });
    const charge = await stripe.charges.retrieve(String(intent.latest_charge));
    assert.equal(charge.payment_method_details?.card?.last4, "4242");
    assert.equal(charge.payment_method_details?.card?.brand, "visa");
    assert.equal(charge.payment_method_details?.card?.fingerprint, token.card?.fingerprint);
    assert.equal((await stripe.tokens.retrieve(token.id)).used, true);
  });

  test("the secret key may create tokens too", async () => {
    const { stripe } = account();
    const token = await stripe.tokens.create({
      card: { number: "5555555555554444", exp_month: "1", exp_year: String(FUTURE_YEAR) },
    });
    assert.equal(token.card?.brand, "MasterCard");
    assert.equal(token.card?.cvc_check, null);
  });

  test("a publishable key may do nothing else; a malformed one is no key", async () => {
    const { publishableKey } = account();
    const listed = await raw(sim, "GET", "/v1/payment_intents", { key: publishableKey });
    assert.equal(listed.status, 401);
    assert.equal(listed.json.error.code, "secret_key_required");
    const refund = await raw(sim, "POST", "/v1/refunds", {
      key: publishableKey,
      form: "payment_intent=pi_1",
    });
    assert.equal(refund.json.error.code, "secret_key_required");
    const retrieve = await raw(sim, "GET", "/v1/tokens/tok_1", { key: publishableKey });
    assert.equal(retrieve.status, 401);
    const short = await raw(sim, "POST", "/v1/tokens", { key: "pk_test_short", form: "card[number]=1" });
    assert.equal(short.status, 401);
    assert.match(short.json.error.message, /^Invalid API Key provided/);
  });

  test("card details are checked as for a payment, without echoing them", async () => {
    const { stripe, publishableKey } = account();
    const badNumber = await stripeFailure(createToken(stripe, publishableKey, "4242424242424241"));
    assert.equal(badNumber.statusCode, 402);
    assert.equal(badNumber.code, "incorrect_number");
    assert.equal(badNumber.param, "card[number]");
    assert.doesNotMatch(JSON.stringify(badNumber.raw), /4242424242424241/);
    const form = (month: string, year: string) =>
      `card[number]=4242424242424242&card[exp_month]=${month}&card[exp_year]=${year}&card[cvc]=123`;
    const month = await raw(sim, "POST", "/v1/tokens", { key: publishableKey, form: form("13", "2040") });
    assert.equal(month.json.error.code, "invalid_expiry_month");
    const words = await raw(sim, "POST", "/v1/tokens", { key: publishableKey, form: form("12", "soon") });
    assert.equal(words.json.error.code, "invalid_expiry_year");
    const missing = await raw(sim, "POST", "/v1/tokens", {
      key: publishableKey,
      form: "card[exp_month]=12&card[exp_year]=2040",
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.param, "card[number]");
    const bank = await raw(sim, "POST", "/v1/tokens", {
      key: publishableKey,
      form: "bank_account[country]=US&bank_account[currency]=usd&bank_account[account_number]=000123456789",
    });
    assert.equal(bank.status, 400);
    assert.doesNotMatch(bank.text, /000123456789/);
  });
});

describe("paying with a card token", () => {
  test("a token is single-use: the second payment is refused with token_already_used", async () => {
    const { stripe, secretKey, publishableKey } = account();
    const token = await createToken(stripe, publishableKey);
    await stripe.paymentIntents.create(payWith(token.id));
    const again = await stripeFailure(stripe.paymentIntents.create(payWith(token.id)));
    assert.equal(again.statusCode, 400);
    assert.equal(again.code, "token_already_used");
    assert.equal(again.param, "payment_method_data[card][token]");
    assert.equal(sim.paymentIntentCount(secretKey), 1);
  });

  test("an idempotent retry replays the first answer instead of spending the token again", async () => {
    const { stripe, publishableKey } = account();
    const token = await createToken(stripe, publishableKey);
    const first = await stripe.paymentIntents.create(payWith(token.id), { idempotencyKey: "gp-1" });
    const retry = await stripe.paymentIntents.create(payWith(token.id), { idempotencyKey: "gp-1" });
    assert.equal(retry.id, first.id);
  });

  test("a token belongs to its account", async () => {
    const owner = account();
    const other = account();
    const token = await createToken(owner.stripe, owner.publishableKey);
    const stolen = await stripeFailure(other.stripe.paymentIntents.create(payWith(token.id)));
    assert.equal(stolen.statusCode, 400);
    assert.equal(stolen.code, "resource_missing");
    assert.equal(stolen.message, `No such token: '${token.id}'`);
    assert.equal((await owner.stripe.paymentIntents.create(payWith(token.id))).status, "succeeded");
  });

  test(`a token expires ${TOKEN_LIFETIME_SECONDS / 60} minutes after it was made`, async () => {
    const { stripe, publishableKey } = account();
    const token = await createToken(stripe, publishableKey);
    const fresh = await createToken(stripe, publishableKey);
    clock = new Date(clock.getTime() + TOKEN_LIFETIME_SECONDS * 1000 - 1000);
    try {
      assert.equal((await stripe.paymentIntents.create(payWith(fresh.id))).status, "succeeded");
      clock = new Date(clock.getTime() + 1000);
      const expired = await stripeFailure(stripe.paymentIntents.create(payWith(token.id)));
      assert.equal(expired.code, "resource_missing");
    } finally {
      clock = new Date();
    }
  });

  test("the tokenized number follows the test-card table: decline and 3-D Secure", async () => {
    const { stripe, publishableKey } = account();
    const declining = await createToken(stripe, publishableKey, "4000000000009995");
    const declined = await stripeFailure(stripe.paymentIntents.create(payWith(declining.id)));
    assert.equal(declined.statusCode, 402);
    assert.equal(declined.code, "card_declined");
    assert.equal(declined.decline_code, "insufficient_funds");
    const challenging = await createToken(stripe, publishableKey, "4000002760003184");
    const challenged = await stripe.paymentIntents.create(payWith(challenging.id));
    assert.equal(challenged.status, "requires_action");
    assert.equal(challenged.next_action?.type, "redirect_to_url");
  });

  test("confirm takes a token too, with manual capture", async () => {
    const { stripe, publishableKey } = account();
    const created = await stripe.paymentIntents.create({
      amount: 2500,
      currency: "eur",
      capture_method: "manual",
    });
    const token = await createToken(stripe, publishableKey);
    const confirmed = await stripe.paymentIntents.confirm(created.id, {
      payment_method_data: { type: "card", card: { token: token.id } },
    } as unknown as Stripe.PaymentIntentConfirmParams);
    assert.equal(confirmed.status, "requires_capture");
    assert.equal(confirmed.amount_capturable, 2500);
  });

  test("a token with card details beside it is refused, and the token stays unused", async () => {
    const { stripe, publishableKey } = account();
    const token = await createToken(stripe, publishableKey);
    const params = payWith(token.id) as unknown as { payment_method_data: { card: Record<string, unknown> } };
    params.payment_method_data.card.number = "4242424242424242";
    const both = await stripeFailure(
      stripe.paymentIntents.create(params as unknown as Stripe.PaymentIntentCreateParams),
    );
    assert.equal(both.code, "parameters_exclusive");
    assert.equal((await stripe.tokens.retrieve(token.id)).used, false);
  });
});
