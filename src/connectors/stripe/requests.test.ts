import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { stripeConfigSchema } from "./config.ts";
import { defaultTestAccountConfig, generateStripeTestKey, simulatorPublishableKey } from "./index.ts";
import {
  paymentIntentParams,
  referenceSearchQuery,
  stripeTokenIdOf,
  toStripeAmount,
  walletTokenIntentParams,
} from "./requests.ts";
import { authorizeRequest, googlePayStripeToken, walletTokenRequest } from "./test-support.ts";

describe("payment intent parameters", () => {
  test("a card payment: confirmed at once, manual capture, our reference as metadata", () => {
    const request = authorizeRequest({ reference: "pa_1", paymentIntentId: "pi_ours" });
    assert.deepEqual(paymentIntentParams(request), {
      amount: 1000,
      currency: "usd",
      confirm: true,
      capture_method: "manual",
      payment_method_data: {
        type: "card",
        card: { number: "4242424242424242", exp_month: 12, exp_year: 2040, cvc: "123" },
        billing_details: { name: "Ada Lovelace" },
      },
      return_url: "http://127.0.0.1/return",
      metadata: { payrail_reference: "pa_1", payrail_payment_intent: "pi_ours" },
      expand: ["latest_charge"],
      description: "Order 1",
    });
  });

  test("automatic capture, no CVC, no holder, no description", () => {
    const params = paymentIntentParams(
      authorizeRequest({
        capture: true,
        description: null,
        card: { number: "4242424242424242", exp_month: 1, exp_year: 2041 },
      }),
    );
    assert.equal(params.capture_method, "automatic");
    assert.deepEqual(params.payment_method_data, {
      type: "card",
      card: { number: "4242424242424242", exp_month: 1, exp_year: 2041 },
    });
    assert.equal("description" in params, false);
  });

  test("a decrypted wallet token: the device PAN as a network token, with its cryptogram and ECI", () => {
    const params = paymentIntentParams(
      authorizeRequest({
        networkToken: { wallet: "apple_pay", cryptogram: "AgAAAAAABk4DWZ4C28yUQAAAAAA=", eci: "05" },
      }),
    );
    assert.deepEqual(params.payment_method_data, {
      type: "card",
      card: {
        exp_month: 12,
        exp_year: 2040,
        network_token: {
          number: "4242424242424242",
          exp_month: 12,
          exp_year: 2040,
          tokenization_method: "apple_pay",
        },
      },
      billing_details: { name: "Ada Lovelace" },
    });
    assert.deepEqual(params.payment_method_options, {
      card: {
        network_token: { cryptogram: "AgAAAAAABk4DWZ4C28yUQAAAAAA=", electronic_commerce_indicator: "05" },
      },
    });
  });

  test("a Google Pay device token; an ECI Stripe does not take is left out", () => {
    const params = paymentIntentParams(
      authorizeRequest({
        networkToken: { wallet: "google_pay", cryptogram: "AgAAAAAAAIR8CQrXcIhbQAAAAAA=", eci: "00" },
      }),
    );
    const card = (params.payment_method_data as { card: { network_token: Record<string, unknown> } }).card;
    assert.equal(card.network_token.tokenization_method, "google_pay_dpan");
    assert.deepEqual(params.payment_method_options, {
      card: { network_token: { cryptogram: "AgAAAAAAAIR8CQrXcIhbQAAAAAA=" } },
    });
  });

  test("the first stored-credential payment sets the card up for later off-session use", () => {
    const params = paymentIntentParams(
      authorizeRequest({ storedCredential: { sequence: "first", initiator: "customer" } }),
    );
    assert.equal(params.setup_future_usage, "off_session");
    assert.equal("off_session" in params, false);
  });

  test("a merchant-initiated later payment is off-session with the first payment's transaction id", () => {
    const params = paymentIntentParams(
      authorizeRequest({
        storedCredential: {
          sequence: "subsequent",
          initiator: "merchant",
          networkTransactionId: "583091234567890",
        },
      }),
    );
    assert.equal(params.off_session, true);
    assert.equal("setup_future_usage" in params, false);
    assert.deepEqual(params.payment_method_options, {
      card: { mit_exemption: { network_transaction_id: "583091234567890" } },
    });
  });

  test("a shopper-initiated later payment is an ordinary on-session payment", () => {
    const params = paymentIntentParams(
      authorizeRequest({ storedCredential: { sequence: "subsequent", initiator: "customer" } }),
    );
    assert.equal("off_session" in params, false);
    assert.equal("payment_method_options" in params, false);
  });

  test("amounts beyond what a JSON number holds exactly are refused", () => {
    assert.equal(toStripeAmount(99_999_999n), 99_999_999);
    assert.throws(() => toStripeAmount(2n ** 53n), RangeError);
    assert.throws(() => toStripeAmount(-1n), RangeError);
  });

  test("search queries escape quotes and backslashes", () => {
    assert.equal(referenceSearchQuery("pa_1"), "metadata['payrail_reference']:'pa_1'");
    assert.equal(referenceSearchQuery("a'b\\c"), "metadata['payrail_reference']:'a\\'b\\\\c'");
  });
});

describe("Google Pay tokens for gateway stripe", () => {
  test("the token id is read from the Stripe Token object Google Pay passes on", () => {
    assert.equal(
      stripeTokenIdOf(googlePayStripeToken({ id: "tok_1Pgc7BB7WZ01zgkW" })),
      "tok_1Pgc7BB7WZ01zgkW",
    );
    assert.equal(stripeTokenIdOf('{"id":"tok_visa"}'), "tok_visa");
  });

  test("anything else has no token id", () => {
    for (const text of [
      "",
      "tok_visa",
      "not json",
      "null",
      '["tok_visa"]',
      "{}",
      '{"id":42}',
      '{"id":"pm_1Pgc7BB7WZ01zgkW"}',
      '{"id":"tok_"}',
      '{"id":"tok_a b"}',
      `{"id":"tok_${"a".repeat(251)}"}`,
      // A DIRECT-mode Google Pay token is sealed for the merchant, not for Stripe.
      '{"signature":"MEQ","protocolVersion":"ECv2","signedMessage":"{}"}',
    ]) {
      assert.equal(stripeTokenIdOf(text), null, text);
    }
  });

  test("the payment intent: the token in place of the card, the rest as for a card", () => {
    const request = walletTokenRequest('{"id":"tok_visa"}', {
      reference: "pa_1",
      paymentIntentId: "pi_ours",
    });
    const { payment_method_data: cardData, ...cardRest } = paymentIntentParams(
      authorizeRequest({ reference: "pa_1", paymentIntentId: "pi_ours" }),
    );
    const params = walletTokenIntentParams(request, "tok_visa");
    const { payment_method_data: tokenData, ...tokenRest } = params;
    assert.deepEqual(tokenData, { type: "card", card: { token: "tok_visa" } });
    assert.deepEqual(tokenRest, cardRest);
    assert.ok(cardData);
    const sale = walletTokenIntentParams(
      walletTokenRequest("{}", { capture: true, description: null }),
      "tok_x",
    );
    assert.equal(sale.capture_method, "automatic");
    assert.equal("description" in sale, false);
  });

  test("the simulator's publishable key pairs with the secret key by suffix", () => {
    const secret = `sk_test_${"A1".repeat(16)}`;
    assert.equal(simulatorPublishableKey(secret), `pk_test_${"A1".repeat(16)}`);
    assert.throws(() => simulatorPublishableKey(`sk_live_${"A1".repeat(16)}`));
    assert.throws(() => simulatorPublishableKey("sk_test_short"));
  });
});

describe("configuration", () => {
  const key = `sk_test_${"a".repeat(24)}`;

  test("secret key, webhook secret and base URL", () => {
    assert.equal(stripeConfigSchema.safeParse({ secret_key: key }).success, true);
    assert.equal(stripeConfigSchema.safeParse({ secret_key: `sk_live_${"B".repeat(30)}` }).success, true);
    assert.equal(
      stripeConfigSchema.safeParse({
        secret_key: key,
        webhook_secret: "whsec_abcDEF123456",
        base_url: "http://127.0.0.1:4010",
      }).success,
      true,
    );
  });

  test("malformed values are refused", () => {
    for (const config of [
      {},
      { secret_key: "pk_test_aaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
      { secret_key: "sk_test_short" },
      { secret_key: key, webhook_secret: "secret" },
      { secret_key: key, base_url: "ftp://127.0.0.1" },
      { secret_key: key, base_url: "http://127.0.0.1:4010/stripe" },
    ]) {
      assert.equal(stripeConfigSchema.safeParse(config).success, false, JSON.stringify(config));
    }
  });

  test("the secrets are marked secret in the schema", () => {
    const shape = stripeConfigSchema.shape;
    assert.equal((shape.secret_key.meta() as { secret?: boolean }).secret, true);
    assert.equal((shape.webhook_secret.meta() as { secret?: boolean }).secret, true);
  });

  test("a new test account gets a valid test key from the injected random source", () => {
    let seed = 7;
    const random = (size: number) =>
      Buffer.from(Array.from({ length: size }, () => (seed = (seed * 73 + 41) % 256)));
    const config = defaultTestAccountConfig(random);
    assert.match(config.secret_key, /^sk_test_[0-9A-Za-z]{32}$/);
    assert.equal(stripeConfigSchema.safeParse(config).success, true);
    seed = 7;
    assert.equal(defaultTestAccountConfig(random).secret_key, config.secret_key);
    // Bytes of 248 and above would favour some characters; they are skipped.
    assert.equal(
      generateStripeTestKey((size) => Buffer.alloc(size).fill(Buffer.from([250, 63])), 4),
      "sk_test_1111",
    );
  });
});
