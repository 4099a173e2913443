import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import type Stripe from "stripe";
import { type StripeSimulator, startStripeSimulator } from "./index.ts";
import {
  FUTURE_YEAR,
  newSecretKey,
  paymentParams,
  sdk,
  stripeFailure,
  withLuhnDigit,
} from "./test-support.ts";

let sim: StripeSimulator;
let stripe: Stripe;

before(async () => {
  sim = await startStripeSimulator();
  stripe = sdk(sim, newSecretKey());
});
after(() => sim.close());

describe("Stripe's test cards", () => {
  for (const number of ["4242424242424242", "5555555555554444"]) {
    test(`${number} approves`, async () => {
      const intent = await stripe.paymentIntents.create(paymentParams(number));
      assert.equal(intent.status, "succeeded");
    });
  }

  const declines: Array<[string, string, string, string]> = [
    ["4000000000000002", "card_declined", "generic_decline", "Your card was declined."],
    ["4000000000009995", "card_declined", "insufficient_funds", "Your card has insufficient funds."],
    ["4000000000009987", "card_declined", "lost_card", "Your card was declined."],
    ["4000000000009979", "card_declined", "stolen_card", "Your card was declined."],
    ["4000000000000069", "expired_card", "expired_card", "Your card has expired."],
    ["4000000000000127", "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."],
    [
      "4000000000000119",
      "processing_error",
      "processing_error",
      "An error occurred while processing your card.",
    ],
  ];
  for (const [number, code, declineCode, message] of declines) {
    test(`${number} declines with ${code}/${declineCode}`, async () => {
      const error = await stripeFailure(stripe.paymentIntents.create(paymentParams(number)));
      assert.equal(error.type, "StripeCardError");
      assert.equal(error.statusCode, 402);
      assert.equal(error.code, code);
      assert.equal(error.decline_code, declineCode);
      assert.ok(error.message.startsWith(message));
      assert.match(error.charge, /^ch_/);
      assert.equal(error.payment_intent.status, "requires_payment_method");
      assert.equal(error.payment_intent.last_payment_error.code, code);
      assert.equal(error.payment_intent.last_payment_error.decline_code, declineCode);
      assert.equal(error.payment_method.card.last4, number.slice(-4));
      assert.ok(!JSON.stringify(error.raw).includes(number), "the card number is never echoed");
      const charge = await stripe.charges.retrieve(error.charge);
      assert.equal(charge.status, "failed");
      assert.equal(charge.failure_code, code);
      assert.equal(charge.outcome?.reason, declineCode);
      assert.equal(charge.outcome?.type, "issuer_declined");
    });
  }

  test("4000002760003184 requires 3-D Secure", async () => {
    const intent = await stripe.paymentIntents.create(paymentParams("4000002760003184"));
    assert.equal(intent.status, "requires_action");
    assert.equal(intent.next_action?.type, "redirect_to_url");
    assert.equal(intent.latest_charge, null);
  });

  test("4000002760003184 off session declines with authentication_required", async () => {
    const error = await stripeFailure(
      stripe.paymentIntents.create(
        paymentParams("4000002760003184", { off_session: true, return_url: undefined }),
      ),
    );
    assert.equal(error.code, "authentication_required");
    assert.equal(error.decline_code, "authentication_required");
  });

  test("any other Luhn-valid number approves", async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^5[1-5]\d{13}$/), async (body) => {
        const intent = await stripe.paymentIntents.create(paymentParams(withLuhnDigit(body)));
        assert.equal(intent.status, "succeeded");
      }),
      { numRuns: 15 },
    );
  });
});

describe("card data checks", () => {
  test("a Luhn-invalid number is incorrect_number", async () => {
    const error = await stripeFailure(stripe.paymentIntents.create(paymentParams("4242424242424241")));
    assert.equal(error.statusCode, 402);
    assert.equal(error.code, "incorrect_number");
    assert.equal(error.param, "payment_method_data[card][number]");
    assert.ok(!error.message.includes("4242424242424241"));
  });

  test("an expiry in the past year is invalid_expiry_year", async () => {
    const lastYear = new Date().getUTCFullYear() - 1;
    const error = await stripeFailure(
      stripe.paymentIntents.create(paymentParams("4242424242424242", {}, { exp_year: lastYear })),
    );
    assert.equal(error.code, "invalid_expiry_year");
    assert.equal(error.param, "payment_method_data[card][exp_year]");
  });

  test("an earlier month of this year, or month 13, is invalid_expiry_month", async () => {
    const now = new Date();
    if (now.getUTCMonth() > 0) {
      const earlier = await stripeFailure(
        stripe.paymentIntents.create(
          paymentParams(
            "4242424242424242",
            {},
            { exp_month: now.getUTCMonth(), exp_year: now.getUTCFullYear() },
          ),
        ),
      );
      assert.equal(earlier.code, "invalid_expiry_month");
    }
    const thirteen = await stripeFailure(
      stripe.paymentIntents.create(paymentParams("4242424242424242", {}, { exp_month: 13 })),
    );
    assert.equal(thirteen.code, "invalid_expiry_month");
  });

  test("a malformed CVC is invalid_cvc", async () => {
    const error = await stripeFailure(
      stripe.paymentIntents.create(paymentParams("4242424242424242", {}, { cvc: "12" })),
    );
    assert.equal(error.code, "invalid_cvc");
  });

  test("a missing number is parameter_missing", async () => {
    const error = await stripeFailure(
      stripe.paymentIntents.create(paymentParams("4242424242424242", {}, { number: undefined })),
    );
    assert.equal(error.code, "parameter_missing");
    assert.equal(error.param, "payment_method_data[card][number]");
  });

  test("the same card has the same fingerprint", async () => {
    const a = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", { expand: ["payment_method"] }),
    );
    const b = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", { expand: ["payment_method"] }),
    );
    const c = await stripe.paymentIntents.create(
      paymentParams("5555555555554444", { expand: ["payment_method"] }),
    );
    const print = (intent: Stripe.PaymentIntent) =>
      (intent.payment_method as Stripe.PaymentMethod).card?.fingerprint;
    assert.equal(print(a), print(b));
    assert.notEqual(print(a), print(c));
  });
});

describe("wallet tokens and merchant-initiated payments", () => {
  test("a decrypted Apple Pay token with its cryptogram skips 3-D Secure", async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      confirm: true,
      payment_method_data: {
        type: "card",
        card: {
          exp_month: 12,
          exp_year: FUTURE_YEAR,
          last4: "1111",
          network_token: {
            number: "4000002760003184",
            exp_month: 12,
            exp_year: FUTURE_YEAR,
            tokenization_method: "apple_pay",
          },
        },
      },
      payment_method_options: {
        card: {
          network_token: { cryptogram: "AgAAAAAAAIR8CQrXcIhbQAAAAAA=", electronic_commerce_indicator: "05" },
        },
      },
      expand: ["latest_charge"],
    } as unknown as Stripe.PaymentIntentCreateParams);
    assert.equal(intent.status, "succeeded");
    const card = (intent.latest_charge as Stripe.Charge).payment_method_details?.card;
    assert.equal(card?.network_token?.used, true);
    assert.equal(card?.wallet?.type, "apple_pay");
    assert.equal(card?.wallet?.dynamic_last4, "3184");
    assert.equal(card?.last4, "1111");
    assert.ok(!JSON.stringify(intent).includes("AgAAAAAAAIR8"), "the cryptogram is never echoed");
  });

  test("an off-session payment with the network transaction id of an earlier one", async () => {
    const first = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", { setup_future_usage: "off_session", expand: ["latest_charge"] }),
    );
    assert.equal(first.setup_future_usage, "off_session");
    const networkTransactionId = (first.latest_charge as Stripe.Charge).payment_method_details?.card
      ?.network_transaction_id;
    assert.match(networkTransactionId ?? "", /^\d{15}$/);
    const next = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", {
        off_session: true,
        return_url: undefined,
        payment_method_options: { card: { mit_exemption: { network_transaction_id: networkTransactionId } } },
      }),
    );
    assert.equal(next.status, "succeeded");
  });
});
