import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  chargeToAuthorizeResult,
  chargeToCaptureResult,
  chargeToPaymentStatus,
  chargeToVoidResult,
  eventToWebhookEvent,
  firstOfList,
  invalidParamDecline,
  mapDeclineCode,
  parseCharge,
  parseError,
  parseRefund,
  refundToModifyResult,
  refundToRefundStatus,
  type WireCharge,
  type WireRefund,
} from "./transformers.ts";

function charge(overrides: Partial<WireCharge> = {}): WireCharge {
  return {
    id: "ch_1",
    object: "charge",
    reference: "pa_1",
    status: "authorized",
    amount: 1000,
    currency: "usd",
    amount_captured: 0,
    amount_refunded: 0,
    capture: false,
    decline_code: null,
    message: null,
    redirect_url: null,
    network_transaction_id: "123456789012345",
    created: 1_800_000_000,
    ...overrides,
  };
}

function refund(overrides: Partial<WireRefund> = {}): WireRefund {
  return {
    id: "rf_1",
    object: "refund",
    charge: "ch_1",
    reference: "re_1",
    amount: 500,
    currency: "usd",
    status: "succeeded",
    failure_reason: null,
    created: 1_800_000_000,
    ...overrides,
  };
}

const asked = { reference: "pa_1", amount: 1000n, currency: "USD" };

describe("chargeToAuthorizeResult", () => {
  const table: Array<[string, Partial<WireCharge>, unknown]> = [
    [
      "authorized",
      {},
      {
        outcome: "authorized",
        connectorReference: "ch_1",
        amount: 1000n,
        currency: "usd",
        captured: false,
        networkTransactionId: "123456789012345",
      },
    ],
    [
      "captured",
      { status: "captured", capture: true, amount_captured: 1000 },
      {
        outcome: "authorized",
        connectorReference: "ch_1",
        amount: 1000n,
        currency: "usd",
        captured: true,
        networkTransactionId: "123456789012345",
      },
    ],
    [
      "requires_action",
      { status: "requires_action", redirect_url: "http://sim/3ds/ch_1", network_transaction_id: null },
      {
        outcome: "requires_action",
        connectorReference: "ch_1",
        action: { type: "redirect_to_url", url: "http://sim/3ds/ch_1" },
      },
    ],
    [
      "requires_action without a URL",
      { status: "requires_action", redirect_url: null },
      { outcome: "pending", connectorReference: "ch_1", reason: "status_requires_action" },
    ],
    [
      "declined",
      { status: "declined", decline_code: "insufficient_funds", message: "Insufficient funds." },
      {
        outcome: "declined",
        declineCode: "insufficient_funds",
        providerMessage: "Insufficient funds.",
        connectorReference: "ch_1",
      },
    ],
    [
      "declined with an unknown code",
      { status: "declined", decline_code: "call_issuer", message: null },
      {
        outcome: "declined",
        declineCode: "generic_decline",
        providerMessage: undefined,
        connectorReference: "ch_1",
      },
    ],
    [
      "processing",
      { status: "processing" },
      { outcome: "pending", connectorReference: "ch_1", reason: "status_processing" },
    ],
    [
      "voided",
      { status: "voided" },
      { outcome: "pending", connectorReference: "ch_1", reason: "status_voided" },
    ],
    [
      "an unknown status",
      { status: "settled" },
      { outcome: "pending", connectorReference: "ch_1", reason: "status_settled" },
    ],
    [
      "another amount",
      { amount: 999 },
      { outcome: "pending", connectorReference: "ch_1", reason: "amount_mismatch" },
    ],
    [
      "another currency",
      { currency: "eur" },
      { outcome: "pending", connectorReference: "ch_1", reason: "amount_mismatch" },
    ],
    [
      "a declined charge for another amount",
      { status: "declined", amount: 5, decline_code: "generic_decline" },
      { outcome: "pending", connectorReference: "ch_1", reason: "amount_mismatch" },
    ],
    [
      "another reference",
      { reference: "pa_2" },
      { outcome: "pending", connectorReference: "ch_1", reason: "reference_mismatch" },
    ],
  ];
  for (const [name, overrides, expected] of table) {
    test(name, () => assert.deepEqual(chargeToAuthorizeResult(asked, charge(overrides)), expected));
  }
});

describe("chargeToPaymentStatus", () => {
  const table: Array<[string, Partial<WireCharge>, unknown]> = [
    [
      "authorized",
      {},
      {
        status: "authorized",
        connectorReference: "ch_1",
        amount: 1000n,
        currency: "usd",
        captured: false,
        capturedAmount: 0n,
      },
    ],
    [
      "partially captured",
      { amount_captured: 300 },
      {
        status: "authorized",
        connectorReference: "ch_1",
        amount: 1000n,
        currency: "usd",
        captured: false,
        capturedAmount: 300n,
      },
    ],
    [
      "captured",
      { status: "captured", amount_captured: 1000 },
      {
        status: "authorized",
        connectorReference: "ch_1",
        amount: 1000n,
        currency: "usd",
        captured: true,
        capturedAmount: 1000n,
      },
    ],
    [
      "requires_action",
      { status: "requires_action", redirect_url: "http://sim/3ds/ch_1" },
      {
        status: "requires_action",
        connectorReference: "ch_1",
        action: { type: "redirect_to_url", url: "http://sim/3ds/ch_1" },
      },
    ],
    [
      "declined",
      { status: "declined", decline_code: "authentication_failed", message: "3DS failed" },
      {
        status: "declined",
        declineCode: "authentication_failed",
        connectorReference: "ch_1",
        providerMessage: "3DS failed",
      },
    ],
    ["voided", { status: "voided" }, { status: "voided", connectorReference: "ch_1" }],
    ["processing", { status: "processing" }, { status: "pending", connectorReference: "ch_1" }],
    ["unknown", { status: "refunded" }, { status: "pending", connectorReference: "ch_1" }],
  ];
  for (const [name, overrides, expected] of table) {
    test(name, () => assert.deepEqual(chargeToPaymentStatus(charge(overrides)), expected));
  }
});

describe("mapDeclineCode", () => {
  const table: Array<[string | null, string]> = [
    ["generic_decline", "generic_decline"],
    ["insufficient_funds", "insufficient_funds"],
    ["lost_card", "lost_card"],
    ["stolen_card", "stolen_card"],
    ["expired_card", "expired_card"],
    ["incorrect_cvc", "incorrect_cvc"],
    ["processing_error", "processing_error"],
    ["authentication_failed", "authentication_failed"],
    ["do_not_honor", "do_not_honor"],
    ["something_new", "generic_decline"],
    ["", "generic_decline"],
    [null, "generic_decline"],
  ];
  for (const [code, expected] of table) {
    test(`${code} → ${expected}`, () => assert.equal(mapDeclineCode(code), expected));
  }
});

describe("invalidParamDecline", () => {
  const table: Array<[string | undefined, string | null]> = [
    ["card[number]", "incorrect_number"],
    ["card[cvc]", "incorrect_cvc"],
    ["card[exp_month]", "expired_card"],
    ["card[exp_year]", "expired_card"],
    ["amount", null],
    ["currency", null],
    [undefined, null],
  ];
  for (const [param, expected] of table) {
    test(`${param} → ${expected}`, () => assert.equal(invalidParamDecline(param), expected));
  }
});

describe("chargeToCaptureResult", () => {
  const ask = (amount: bigint, final: boolean) => ({ amount, currency: "usd", final });
  const table: Array<[string, ReturnType<typeof ask>, Partial<WireCharge>, unknown]> = [
    [
      "a full capture",
      ask(1000n, true),
      { status: "captured", amount_captured: 1000 },
      { outcome: "succeeded", connectorReference: "ch_1", amount: 1000n, currency: "usd" },
    ],
    [
      "a partial non-final capture",
      ask(300n, false),
      { status: "authorized", amount_captured: 300 },
      { outcome: "succeeded", connectorReference: "ch_1", amount: 300n, currency: "usd" },
    ],
    [
      "a final capture left authorized",
      ask(300n, true),
      { status: "authorized", amount_captured: 300 },
      { outcome: "pending", connectorReference: "ch_1", reason: "capture_not_final" },
    ],
    [
      "a captured total below the asked amount",
      ask(1000n, true),
      { status: "captured", amount_captured: 900 },
      { outcome: "pending", connectorReference: "ch_1", reason: "amount_mismatch" },
    ],
    [
      "another currency",
      ask(1000n, true),
      { status: "captured", amount_captured: 1000, currency: "eur" },
      { outcome: "pending", connectorReference: "ch_1", reason: "amount_mismatch" },
    ],
    [
      "a voided charge",
      ask(1000n, true),
      { status: "voided" },
      { outcome: "failed", reason: "charge_voided" },
    ],
    [
      "a declined charge",
      ask(1000n, true),
      { status: "declined", message: "no" },
      { outcome: "failed", reason: "charge_declined", providerMessage: "no" },
    ],
    [
      "an unknown status",
      ask(1000n, true),
      { status: "settling", amount_captured: 1000 },
      { outcome: "pending", connectorReference: "ch_1", reason: "status_settling" },
    ],
  ];
  for (const [name, request, overrides, expected] of table) {
    test(name, () => assert.deepEqual(chargeToCaptureResult(request, charge(overrides)), expected));
  }
});

describe("chargeToVoidResult", () => {
  test("voided", () => {
    assert.deepEqual(chargeToVoidResult({ amount: 1000n, currency: "usd" }, charge({ status: "voided" })), {
      outcome: "succeeded",
      connectorReference: "ch_1",
      amount: 1000n,
      currency: "usd",
    });
  });
  test("not voided", () => {
    assert.deepEqual(chargeToVoidResult({ amount: 1000n, currency: "usd" }, charge()), {
      outcome: "pending",
      connectorReference: "ch_1",
      reason: "status_authorized",
    });
  });
  test("another amount", () => {
    assert.deepEqual(chargeToVoidResult({ amount: 10n, currency: "usd" }, charge({ status: "voided" })), {
      outcome: "pending",
      connectorReference: "ch_1",
      reason: "amount_mismatch",
    });
  });
});

describe("refunds", () => {
  const ask = { reference: "re_1", connectorReference: "ch_1", amount: 500n, currency: "usd" };
  const table: Array<[string, Partial<WireRefund>, unknown, unknown]> = [
    [
      "succeeded",
      {},
      { outcome: "succeeded", connectorReference: "rf_1", amount: 500n, currency: "usd" },
      { status: "succeeded", connectorReference: "rf_1", amount: 500n, currency: "usd" },
    ],
    [
      "pending",
      { status: "pending" },
      { outcome: "pending", connectorReference: "rf_1", reason: "refund_pending" },
      { status: "pending", connectorReference: "rf_1" },
    ],
    [
      "failed",
      { status: "failed", failure_reason: "expired_or_canceled_card" },
      { outcome: "failed", reason: "expired_or_canceled_card" },
      { status: "failed", reason: "expired_or_canceled_card" },
    ],
    [
      "failed without reason",
      { status: "failed" },
      { outcome: "failed", reason: "refund_failed" },
      { status: "failed", reason: "refund_failed" },
    ],
    [
      "unknown status",
      { status: "reversed" },
      { outcome: "pending", connectorReference: "rf_1", reason: "refund_reversed" },
      { status: "pending", connectorReference: "rf_1" },
    ],
    [
      "another amount",
      { amount: 499 },
      { outcome: "pending", connectorReference: "rf_1", reason: "amount_mismatch" },
      { status: "succeeded", connectorReference: "rf_1", amount: 499n, currency: "usd" },
    ],
    [
      "another charge",
      { charge: "ch_2" },
      { outcome: "pending", connectorReference: "rf_1", reason: "reference_mismatch" },
      { status: "succeeded", connectorReference: "rf_1", amount: 500n, currency: "usd" },
    ],
  ];
  for (const [name, overrides, modify, status] of table) {
    test(`${name}: refund result`, () =>
      assert.deepEqual(refundToModifyResult(ask, refund(overrides)), modify));
    test(`${name}: refund status`, () => assert.deepEqual(refundToRefundStatus(refund(overrides)), status));
  }
});

describe("wire parsing", () => {
  test("a charge with a fractional or unsafe amount is not a charge", () => {
    assert.equal(parseCharge({ ...charge(), amount: 10.5 }), null);
    assert.equal(parseCharge({ ...charge(), amount: 2 ** 60 }), null);
    assert.equal(parseCharge({ ...charge(), object: "refund" }), null);
    assert.equal(parseCharge("nope"), null);
    assert.deepEqual(parseCharge({ ...charge(), extra: true }), charge());
  });

  test("a refund must be a refund", () => {
    assert.equal(parseRefund(charge()), null);
    assert.deepEqual(parseRefund(refund()), refund());
  });

  test("lists: found, empty, unreadable", () => {
    assert.deepEqual(firstOfList({ object: "list", data: [charge()] }, parseCharge), charge());
    assert.equal(firstOfList({ object: "list", data: [] }, parseCharge), null);
    assert.equal(firstOfList({ object: "list", data: [{ id: 1 }] }, parseCharge), undefined);
    assert.equal(firstOfList({ data: [] }, parseCharge), undefined);
  });

  test("errors", () => {
    assert.deepEqual(parseError({ error: { code: "invalid_request", param: "amount", message: "bad" } }), {
      code: "invalid_request",
      param: "amount",
      message: "bad",
    });
    assert.equal(parseError({ message: "x" }), null);
  });
});

describe("eventToWebhookEvent", () => {
  test("charge.* maps to a payment event from the object", () => {
    assert.deepEqual(
      eventToWebhookEvent({
        id: "evt_1",
        object: "event",
        type: "charge.captured",
        created: 1,
        data: { object: charge({ status: "captured", amount_captured: 1000 }) },
      }),
      {
        kind: "payment",
        providerEventId: "evt_1",
        reference: "pa_1",
        connectorReference: "ch_1",
        status: {
          status: "authorized",
          connectorReference: "ch_1",
          amount: 1000n,
          currency: "usd",
          captured: true,
          capturedAmount: 1000n,
        },
      },
    );
  });

  test("refund.* maps to a refund event", () => {
    assert.deepEqual(
      eventToWebhookEvent({
        id: "evt_2",
        object: "event",
        type: "refund.failed",
        data: { object: refund({ status: "failed", failure_reason: "x" }) },
      }),
      {
        kind: "refund",
        providerEventId: "evt_2",
        reference: "re_1",
        connectorReference: "rf_1",
        status: { status: "failed", reason: "x" },
      },
    );
  });

  test("other types are unknown, kept with their type", () => {
    assert.deepEqual(
      eventToWebhookEvent({ id: "evt_3", object: "event", type: "payout.paid", data: { object: {} } }),
      {
        kind: "unknown",
        providerEventId: "evt_3",
        providerType: "payout.paid",
      },
    );
  });

  test("a known type with an unreadable object, or no event at all, is null", () => {
    assert.equal(
      eventToWebhookEvent({ id: "evt_4", object: "event", type: "charge.captured", data: { object: {} } }),
      null,
    );
    assert.equal(eventToWebhookEvent({ hello: "world" }), null);
    assert.equal(eventToWebhookEvent([]), null);
  });
});
