import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AuthorizeResult, ModifyResult, PaymentStatus, RefundStatus } from "../contract.ts";
import { eventToWebhookEvent } from "./events.ts";
import { sample, sampleCharge, sampleEvent, samplePaymentIntent, sampleRefund } from "./test-support.ts";
import {
  chargeToPaymentStatus,
  paymentIntentToAuthorizeResult,
  paymentIntentToCaptureResult,
  paymentIntentToPaymentStatus,
  paymentIntentToVoidResult,
  refundToModifyResult,
  refundToRefundStatus,
} from "./transformers.ts";
import { parseCharge, parseEvent, parsePaymentIntent, parseRefund } from "./wire.ts";

const pi = (overrides: Record<string, unknown> = {}) => {
  const parsed = parsePaymentIntent(samplePaymentIntent(overrides));
  assert.ok(parsed, "payment intent fixture parses");
  return parsed;
};
const charge = (overrides: Record<string, unknown> = {}) => {
  const parsed = parseCharge(sampleCharge(overrides));
  assert.ok(parsed, "charge fixture parses");
  return parsed;
};
const refund = (overrides: Record<string, unknown> = {}) => {
  const parsed = parseRefund(sampleRefund(overrides));
  assert.ok(parsed, "refund fixture parses");
  return parsed;
};

const declined = {
  code: "card_declined",
  decline_code: "insufficient_funds",
  message: "Insufficient funds.",
};

describe("Stripe's published sample objects parse", () => {
  for (const [resource, parse] of [
    ["payment_intent", parsePaymentIntent],
    ["charge", parseCharge],
    ["refund", parseRefund],
    ["event", parseEvent],
  ] as const) {
    test(resource, () => assert.notEqual(parse(sample(resource)), null));
  }

  test("objects of another type do not parse as a payment intent", () => {
    assert.equal(parsePaymentIntent(sample("charge")), null);
    assert.equal(parseRefund(sample("payment_intent")), null);
  });

  test("a fractional or unsafe amount is refused", () => {
    assert.equal(parsePaymentIntent(samplePaymentIntent({ amount: 10.5 })), null);
    assert.equal(parsePaymentIntent(samplePaymentIntent({ amount: 2 ** 60 })), null);
  });
});

describe("payment intent status", () => {
  const cases: Array<[string, Record<string, unknown>, PaymentStatus]> = [
    [
      "requires_capture is authorized, not captured",
      { status: "requires_capture", amount_capturable: 1000 },
      {
        status: "authorized",
        connectorReference: "pi_3Test",
        amount: 1000n,
        currency: "usd",
        captured: false,
        capturedAmount: 0n,
      },
    ],
    [
      "succeeded is authorized and captured for what was received",
      { status: "succeeded", amount_received: 600 },
      {
        status: "authorized",
        connectorReference: "pi_3Test",
        amount: 1000n,
        currency: "usd",
        captured: true,
        capturedAmount: 600n,
      },
    ],
    [
      "requires_action with a redirect",
      {
        status: "requires_action",
        next_action: {
          type: "redirect_to_url",
          redirect_to_url: { url: "https://hooks.example/3ds", return_url: "x" },
        },
      },
      {
        status: "requires_action",
        connectorReference: "pi_3Test",
        action: { type: "redirect_to_url", url: "https://hooks.example/3ds" },
      },
    ],
    [
      "requires_action without a redirect we can follow is pending",
      { status: "requires_action", next_action: { type: "use_stripe_sdk", use_stripe_sdk: {} } },
      { status: "pending", connectorReference: "pi_3Test" },
    ],
    [
      "processing is pending",
      { status: "processing" },
      { status: "pending", connectorReference: "pi_3Test" },
    ],
    [
      "requires_payment_method after a decline is declined",
      { status: "requires_payment_method", last_payment_error: { type: "card_error", ...declined } },
      {
        status: "declined",
        declineCode: "insufficient_funds",
        connectorReference: "pi_3Test",
        providerMessage: "Insufficient funds.",
      },
    ],
    [
      "failed 3-D Secure is authentication_failed",
      {
        status: "requires_payment_method",
        last_payment_error: { type: "invalid_request_error", code: "payment_intent_authentication_failure" },
      },
      { status: "declined", declineCode: "authentication_failed", connectorReference: "pi_3Test" },
    ],
    [
      "requires_payment_method without an error is pending",
      { status: "requires_payment_method" },
      { status: "pending", connectorReference: "pi_3Test" },
    ],
    ["canceled is voided", { status: "canceled" }, { status: "voided", connectorReference: "pi_3Test" }],
    [
      "an unknown status is pending, never a success",
      { status: "something_new" },
      { status: "pending", connectorReference: "pi_3Test" },
    ],
  ];
  for (const [name, overrides, expected] of cases) {
    test(name, () => {
      const status = paymentIntentToPaymentStatus(pi(overrides));
      if (status.status === "declined" && !("providerMessage" in expected)) delete status.providerMessage;
      assert.deepEqual(status, expected);
    });
  }
});

describe("authorize result", () => {
  const asked = { reference: "pa_1", amount: 1000n, currency: "USD" };

  test("authorized, with the network transaction id of the expanded latest charge", () => {
    const latest = sampleCharge();
    (latest.payment_method_details as { card: Record<string, unknown> }).card.network_transaction_id =
      "583091234567890";
    const result = paymentIntentToAuthorizeResult(
      asked,
      pi({ status: "requires_capture", latest_charge: latest }),
    );
    assert.deepEqual(result, {
      outcome: "authorized",
      connectorReference: "pi_3Test",
      amount: 1000n,
      currency: "usd",
      captured: false,
      networkTransactionId: "583091234567890",
    });
  });

  test("a latest charge given only as an id has no network transaction id", () => {
    const result = paymentIntentToAuthorizeResult(asked, pi({ status: "succeeded", latest_charge: "ch_1" }));
    assert.equal(result.outcome === "authorized" && result.networkTransactionId, undefined);
    assert.equal(result.outcome === "authorized" && result.captured, true);
  });

  const cases: Array<[string, Record<string, unknown>, AuthorizeResult]> = [
    [
      "another amount is not a success",
      { status: "requires_capture", amount: 999 },
      { outcome: "pending", connectorReference: "pi_3Test", reason: "amount_mismatch" },
    ],
    [
      "another currency is not a success",
      { status: "requires_capture", currency: "eur" },
      { outcome: "pending", connectorReference: "pi_3Test", reason: "amount_mismatch" },
    ],
    [
      "another reference is not ours",
      { status: "requires_capture", metadata: { payrail_reference: "pa_2" } },
      { outcome: "pending", connectorReference: "pi_3Test", reason: "reference_mismatch" },
    ],
    [
      "no reference at all is not ours",
      { status: "requires_capture", metadata: {} },
      { outcome: "pending", connectorReference: "pi_3Test", reason: "reference_mismatch" },
    ],
    [
      "requires_action",
      {
        status: "requires_action",
        next_action: { type: "redirect_to_url", redirect_to_url: { url: "https://a/b" } },
      },
      {
        outcome: "requires_action",
        connectorReference: "pi_3Test",
        action: { type: "redirect_to_url", url: "https://a/b" },
      },
    ],
    [
      "processing",
      { status: "processing" },
      { outcome: "pending", connectorReference: "pi_3Test", reason: "status_processing" },
    ],
    [
      "canceled right away is not an authorization",
      { status: "canceled" },
      { outcome: "pending", connectorReference: "pi_3Test", reason: "status_canceled" },
    ],
    [
      "declined",
      { status: "requires_payment_method", last_payment_error: { ...declined, decline_code: "lost_card" } },
      {
        outcome: "declined",
        declineCode: "lost_card",
        providerMessage: "Insufficient funds.",
        connectorReference: "pi_3Test",
      },
    ],
  ];
  for (const [name, overrides, expected] of cases) {
    test(name, () => assert.deepEqual(paymentIntentToAuthorizeResult(asked, pi(overrides)), expected));
  }
});

describe("capture and void results", () => {
  const asked = { amount: 600n, currency: "usd" };
  const captures: Array<[string, Record<string, unknown>, ModifyResult]> = [
    [
      "captured exactly what we asked",
      { status: "succeeded", amount_received: 600 },
      { outcome: "succeeded", connectorReference: "pi_3Test", amount: 600n, currency: "usd" },
    ],
    [
      "captured another amount",
      { status: "succeeded", amount_received: 1000 },
      { outcome: "pending", connectorReference: "pi_3Test", reason: "amount_mismatch" },
    ],
    [
      "still capturable",
      { status: "requires_capture" },
      { outcome: "pending", connectorReference: "pi_3Test", reason: "status_requires_capture" },
    ],
    ["canceled", { status: "canceled" }, { outcome: "failed", reason: "payment_intent_canceled" }],
  ];
  for (const [name, overrides, expected] of captures) {
    test(`capture: ${name}`, () =>
      assert.deepEqual(paymentIntentToCaptureResult(asked, pi(overrides)), expected));
  }

  const voids: Array<[string, Record<string, unknown>, ModifyResult]> = [
    [
      "canceled",
      { status: "canceled", cancellation_reason: "requested_by_customer" },
      { outcome: "succeeded", connectorReference: "pi_3Test", amount: 1000n, currency: "usd" },
    ],
    ["already captured", { status: "succeeded" }, { outcome: "failed", reason: "payment_intent_captured" }],
    [
      "still authorized",
      { status: "requires_capture" },
      { outcome: "pending", connectorReference: "pi_3Test", reason: "status_requires_capture" },
    ],
  ];
  for (const [name, overrides, expected] of voids) {
    test(`void: ${name}`, () =>
      assert.deepEqual(
        paymentIntentToVoidResult({ amount: 1000n, currency: "USD" }, pi(overrides)),
        expected,
      ));
  }
});

describe("refunds", () => {
  const statuses: Array<[string, Record<string, unknown>, RefundStatus]> = [
    [
      "succeeded",
      { status: "succeeded" },
      { status: "succeeded", connectorReference: "re_3Test", amount: 400n, currency: "usd" },
    ],
    ["pending", { status: "pending" }, { status: "pending", connectorReference: "re_3Test" }],
    ["requires_action", { status: "requires_action" }, { status: "pending", connectorReference: "re_3Test" }],
    [
      "failed",
      { status: "failed", failure_reason: "expired_or_canceled_card" },
      {
        status: "failed",
        reason: "expired_or_canceled_card",
      },
    ],
    ["canceled", { status: "canceled" }, { status: "failed", reason: "refund_canceled" }],
    ["unknown status", { status: "new_thing" }, { status: "pending", connectorReference: "re_3Test" }],
  ];
  for (const [name, overrides, expected] of statuses) {
    test(`status: ${name}`, () => assert.deepEqual(refundToRefundStatus(refund(overrides)), expected));
  }

  const asked = { reference: "rf_1", connectorReference: "pi_3Test", amount: 400n, currency: "USD" };
  test("a refund that confirms our request succeeded", () => {
    assert.deepEqual(refundToModifyResult(asked, refund({ status: "succeeded" })), {
      outcome: "succeeded",
      connectorReference: "re_3Test",
      amount: 400n,
      currency: "usd",
    });
  });
  test("a refund of another payment intent or reference is not ours", () => {
    for (const overrides of [{ payment_intent: "pi_other" }, { metadata: { payrail_reference: "rf_2" } }]) {
      assert.deepEqual(refundToModifyResult(asked, refund({ status: "succeeded", ...overrides })), {
        outcome: "pending",
        connectorReference: "re_3Test",
        reason: "reference_mismatch",
      });
    }
  });
  test("a refund of another amount is not a success", () => {
    assert.equal(
      refundToModifyResult(asked, refund({ status: "succeeded", amount: 500 })).outcome,
      "pending",
    );
  });
});

describe("charge status (charge.* events)", () => {
  const cases: Array<[string, Record<string, unknown>, PaymentStatus]> = [
    [
      "uncaptured",
      { status: "succeeded", captured: false, amount: 1000, amount_captured: 0 },
      {
        status: "authorized",
        connectorReference: "pi_3Test",
        amount: 1000n,
        currency: "usd",
        captured: false,
        capturedAmount: 0n,
      },
    ],
    [
      "partially captured",
      { status: "succeeded", captured: true, amount: 1000, amount_captured: 600 },
      {
        status: "authorized",
        connectorReference: "pi_3Test",
        amount: 1000n,
        currency: "usd",
        captured: true,
        capturedAmount: 600n,
      },
    ],
    [
      "released without capture",
      { status: "succeeded", captured: false, refunded: true },
      { status: "voided", connectorReference: "pi_3Test" },
    ],
    [
      "failed",
      {
        status: "failed",
        failure_code: "card_declined",
        failure_message: "Your card was declined.",
        outcome: { reason: "stolen_card", type: "issuer_declined" },
      },
      {
        status: "declined",
        declineCode: "stolen_card",
        connectorReference: "pi_3Test",
        providerMessage: "Your card was declined.",
      },
    ],
    ["pending", { status: "pending" }, { status: "pending", connectorReference: "pi_3Test" }],
  ];
  for (const [name, overrides, expected] of cases) {
    test(name, () => assert.deepEqual(chargeToPaymentStatus(charge(overrides), "pi_3Test"), expected));
  }
});

describe("events", () => {
  const parse = (body: Record<string, unknown>) => {
    const event = parseEvent(body);
    assert.ok(event);
    return eventToWebhookEvent(event);
  };

  test("payment_intent.* carries the payment intent's status and our reference", () => {
    const event = parse(
      sampleEvent(
        "payment_intent.amount_capturable_updated",
        samplePaymentIntent({ status: "requires_capture" }),
      ),
    );
    assert.deepEqual(event, {
      kind: "payment",
      providerEventId: "evt_3Test",
      reference: "pa_1",
      connectorReference: "pi_3Test",
      status: {
        status: "authorized",
        connectorReference: "pi_3Test",
        amount: 1000n,
        currency: "usd",
        captured: false,
        capturedAmount: 0n,
      },
    });
  });

  test("the status comes from the object, not the event type", () => {
    const event = parse(sampleEvent("payment_intent.succeeded", samplePaymentIntent({ status: "canceled" })));
    assert.equal(event.kind === "payment" && event.status.status, "voided");
  });

  test("charge.refund.updated and refund.* carry the refund", () => {
    for (const type of ["charge.refund.updated", "refund.updated", "refund.failed"]) {
      const event = parse(sampleEvent(type, sampleRefund({ status: "succeeded" })));
      assert.deepEqual(event, {
        kind: "refund",
        providerEventId: "evt_3Test",
        reference: "rf_1",
        connectorReference: "re_3Test",
        status: { status: "succeeded", connectorReference: "re_3Test", amount: 400n, currency: "usd" },
      });
    }
  });

  test("charge.* maps the charge to its payment intent", () => {
    const body = sampleCharge({
      captured: true,
      amount_captured: 100,
      metadata: { payrail_reference: "pa_1" },
    });
    const event = parse(sampleEvent("charge.captured", body));
    assert.equal(event.kind, "payment");
    assert.equal(event.kind === "payment" && event.connectorReference, "pi_3Test");
    assert.equal(event.kind === "payment" && event.status.status, "authorized");
  });

  test("unknown types, objects without our reference and unreadable objects are unknown", () => {
    const unknowns = [
      sample("event"),
      sampleEvent("payment_intent.succeeded", samplePaymentIntent({ metadata: {} })),
      sampleEvent("payment_intent.succeeded", { object: "payment_intent" }),
      sampleEvent(
        "charge.succeeded",
        sampleCharge({ payment_intent: null, metadata: { payrail_reference: "x" } }),
      ),
    ];
    for (const body of unknowns) {
      const event = parse(body);
      assert.equal(event.kind, "unknown");
      assert.equal(event.providerEventId, body.id);
      assert.equal(event.kind === "unknown" && event.providerType, body.type);
    }
  });
});
