import assert from "node:assert/strict";
import { describe, test } from "node:test";
import Stripe from "stripe";
import type { DeclineCode } from "../contract.ts";
import { mapStripeDecline } from "./declines.ts";
import { classifyStripeError, DeadlineExceeded } from "./errors.ts";

describe("Stripe decline codes", () => {
  const cases: Array<[string | null, string | null, DeclineCode]> = [
    ["card_declined", "generic_decline", "generic_decline"],
    ["card_declined", "insufficient_funds", "insufficient_funds"],
    ["card_declined", "lost_card", "lost_card"],
    ["card_declined", "stolen_card", "stolen_card"],
    ["card_declined", "do_not_honor", "do_not_honor"],
    ["card_declined", "fraudulent", "fraudulent"],
    ["card_declined", "card_not_supported", "card_not_supported"],
    ["card_declined", "currency_not_supported", "currency_not_supported"],
    ["card_declined", "card_velocity_exceeded", "insufficient_funds"],
    ["card_declined", "authentication_required", "authentication_required"],
    ["card_declined", "something_stripe_adds_later", "generic_decline"],
    ["card_declined", null, "generic_decline"],
    ["expired_card", null, "expired_card"],
    ["incorrect_cvc", null, "incorrect_cvc"],
    ["invalid_cvc", null, "incorrect_cvc"],
    ["incorrect_number", null, "incorrect_number"],
    ["invalid_number", null, "incorrect_number"],
    ["invalid_expiry_year", null, "expired_card"],
    ["invalid_expiry_month", null, "expired_card"],
    ["processing_error", null, "processing_error"],
    ["authentication_required", null, "authentication_required"],
    ["payment_intent_authentication_failure", null, "authentication_failed"],
    ["unknown_code", null, "generic_decline"],
    [null, null, "generic_decline"],
  ];
  for (const [code, declineCode, expected] of cases) {
    test(`${code} / ${declineCode} → ${expected}`, () => {
      assert.equal(mapStripeDecline({ code, decline_code: declineCode }), expected);
    });
  }
});

describe("classifying what the SDK throws", () => {
  const { errors } = Stripe;
  const raw = (statusCode: number, fields: Record<string, unknown>) =>
    ({ statusCode, message: "message", ...fields }) as never;

  test("a 402 card error is a decline with its payment intent", () => {
    const failure = classifyStripeError(
      new errors.StripeCardError(
        raw(402, {
          type: "card_error",
          code: "card_declined",
          decline_code: "insufficient_funds",
          payment_intent: { id: "pi_1", object: "payment_intent", amount: 1, currency: "usd", status: "x" },
        }),
      ),
    );
    assert.equal(failure.kind, "declined");
    assert.equal(failure.kind === "declined" && failure.declineCode, "insufficient_funds");
    assert.equal(failure.kind === "declined" && failure.paymentIntent?.id, "pi_1");
  });

  test("a failed authentication answered with a 400 is a decline", () => {
    const error = new errors.StripeInvalidRequestError(
      raw(400, { type: "invalid_request_error", code: "payment_intent_authentication_failure" }),
    );
    assert.equal(classifyStripeError(error).kind, "declined");
  });

  const unknowns: Array<[string, unknown, string]> = [
    [
      "connection error",
      new errors.StripeConnectionError({ message: "An error occurred" } as never),
      "network_error",
    ],
    [
      "socket timeout",
      new errors.StripeConnectionError({ message: "x", detail: { code: "ETIMEDOUT" } } as never),
      "timeout",
    ],
    ["our deadline", new DeadlineExceeded("late"), "timeout"],
    ["500", new errors.StripeAPIError(raw(500, { type: "api_error" })), "http_500"],
    ["503", new errors.StripeAPIError(raw(503, { type: "api_error" })), "http_503"],
    ["429", new errors.StripeRateLimitError(raw(429, { type: "rate_limit_error" })), "rate_limited"],
    [
      "lock_timeout",
      new errors.StripeRateLimitError(raw(429, { type: "invalid_request_error", code: "lock_timeout" })),
      "lock_timeout",
    ],
    [
      "409 key in use",
      new errors.StripeAPIError(raw(409, { type: "idempotency_error", code: "idempotency_key_in_use" })),
      "idempotency_key_in_use",
    ],
    [
      "unreadable JSON",
      new errors.StripeAPIError({ message: "Invalid JSON received" } as never),
      "malformed_response",
    ],
  ];
  for (const [name, error, reason] of unknowns) {
    test(`${name} is unknown (${reason})`, () => {
      assert.deepEqual(classifyStripeError(error), { kind: "unknown", reason });
    });
  }

  test("a reused idempotency key with other parameters", () => {
    const error = new errors.StripeIdempotencyError(raw(400, { type: "idempotency_error" }));
    assert.equal(classifyStripeError(error).kind, "idempotency_mismatch");
  });

  test("other 4xx are refusals", () => {
    for (const [status, Class] of [
      [400, errors.StripeInvalidRequestError],
      [401, errors.StripeAuthenticationError],
      [403, errors.StripePermissionError],
      [404, errors.StripeInvalidRequestError],
    ] as const) {
      const failure = classifyStripeError(
        new Class(raw(status, { type: "invalid_request_error", code: "x" })),
      );
      assert.deepEqual(failure, { kind: "refused", status, code: "x", message: "message" });
    }
  });

  test("anything that is not a Stripe error is a bug and is thrown again", () => {
    const bug = new TypeError("undefined is not a function");
    assert.throws(() => classifyStripeError(bug), TypeError);
  });
});
