import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PaymentStatus } from "../contract.ts";
import {
  approvalLinkOf,
  authorizationStatus,
  captureStatus,
  captureToModifyResult,
  completionRefusal,
  orderExpiry,
  orderStatus,
  refundToModifyResult,
  refundToRefundStatus,
  statusToAuthorizeResult,
} from "./transformers.ts";
import type { PayPalAuthorization, PayPalCapture, PayPalOrder } from "./wire.ts";

const ORDER = "5O190127TN364715T";
const usd = (value: string) => ({ currency_code: "USD", value });

function capture(status: string, value = "100.00", extra: Partial<PayPalCapture> = {}): PayPalCapture {
  return { id: "CAP1", status, amount: usd(value), ...extra };
}

function authorization(status: string, value = "100.00"): PayPalAuthorization {
  return { id: "AUTH1", status, amount: usd(value) };
}

function completed(
  payments: NonNullable<NonNullable<PayPalOrder["purchase_units"]>[number]["payments"]>,
): PayPalOrder {
  return { id: ORDER, status: "COMPLETED", purchase_units: [{ amount: usd("100.00"), payments }] };
}

const taken = (amount: bigint, capturedAmount = amount): PaymentStatus => ({
  status: "authorized",
  connectorReference: ORDER,
  amount,
  currency: "usd",
  captured: true,
  capturedAmount,
});

describe("paypal transformers: order status", () => {
  const cases: Array<[string, PayPalOrder, PaymentStatus["status"] | PaymentStatus]> = [
    ["CREATED waits for the shopper", { id: ORDER, status: "CREATED" }, "pending"],
    [
      "PAYER_ACTION_REQUIRED waits for the shopper",
      { id: ORDER, status: "PAYER_ACTION_REQUIRED" },
      "pending",
    ],
    ["APPROVED is pending until completed", { id: ORDER, status: "APPROVED" }, "pending"],
    [
      "VOIDED never took money",
      { id: ORDER, status: "VOIDED" },
      { status: "expired", connectorReference: ORDER },
    ],
    ["an unknown status is pending, never a success", { id: ORDER, status: "SOMETHING_NEW" }, "pending"],
    ["COMPLETED with a completed capture", completed({ captures: [capture("COMPLETED")] }), taken(10_000n)],
    [
      "COMPLETED, captured then partly refunded",
      completed({ captures: [capture("PARTIALLY_REFUNDED")] }),
      taken(10_000n),
    ],
    [
      "COMPLETED with an eCheck capture still pending",
      completed({ captures: [capture("PENDING")] }),
      "pending",
    ],
    ["COMPLETED with a declined capture", completed({ captures: [capture("DECLINED")] }), "declined"],
    ["COMPLETED without payments says nothing yet", completed({}), "pending"],
    [
      "COMPLETED with a fresh authorization",
      completed({ authorizations: [authorization("CREATED")] }),
      {
        status: "authorized",
        connectorReference: ORDER,
        amount: 10_000n,
        currency: "usd",
        captured: false,
        capturedAmount: 0n,
      },
    ],
    [
      "an authorization partly captured",
      completed({
        authorizations: [authorization("PARTIALLY_CAPTURED")],
        captures: [capture("COMPLETED", "40.00")],
      }),
      taken(10_000n, 4_000n),
    ],
    [
      "an authorization captured by a capture still pending is not captured yet",
      completed({ authorizations: [authorization("CAPTURED")], captures: [capture("PENDING")] }),
      "pending",
    ],
    ["a voided authorization", completed({ authorizations: [authorization("VOIDED")] }), "voided"],
    ["an authorization that lapsed", completed({ authorizations: [authorization("EXPIRED")] }), "voided"],
    ["a denied authorization", completed({ authorizations: [authorization("DENIED")] }), "declined"],
    ["an authorization still pending", completed({ authorizations: [authorization("PENDING")] }), "pending"],
  ];
  for (const [name, order, expected] of cases) {
    test(name, () => {
      const status = orderStatus(order);
      if (typeof expected === "string") assert.equal(status.status, expected);
      else assert.deepEqual(status, expected);
    });
  }

  test("amounts are read exactly in the currency's minor units", () => {
    const jpy = { id: "C", status: "COMPLETED", amount: { currency_code: "JPY", value: "1234" } };
    assert.deepEqual(captureStatus(ORDER, jpy), {
      status: "authorized",
      connectorReference: ORDER,
      amount: 1234n,
      currency: "jpy",
      captured: true,
      capturedAmount: 1234n,
    });
    assert.equal(captureStatus(ORDER, capture("COMPLETED", "1.001")).status, "pending");
  });

  test("captures in another currency than the authorization are not added up", () => {
    const eur = { ...capture("COMPLETED"), amount: { currency_code: "EUR", value: "1.00" } };
    assert.equal(authorizationStatus(ORDER, authorization("CAPTURED"), [eur]).status, "pending");
  });
});

describe("paypal transformers: refused completion", () => {
  const cases: Array<[number, string | undefined, PaymentStatus["status"] | "look_up" | "unexpected"]> = [
    [404, "INVALID_RESOURCE_ID", "expired"],
    [422, "ORDER_EXPIRED", "expired"],
    [422, "INSTRUMENT_DECLINED", "declined"],
    [422, "PAYER_CANNOT_PAY", "declined"],
    [422, "TRANSACTION_REFUSED", "declined"],
    [422, "ORDER_ALREADY_CAPTURED", "look_up"],
    [422, "ORDER_ALREADY_AUTHORIZED", "look_up"],
    [422, "ACTION_DOES_NOT_MATCH_INTENT", "look_up"],
    [422, "ORDER_NOT_APPROVED", "pending"],
    [422, "PAYER_ACTION_REQUIRED", "pending"],
    [422, "SOMETHING_NEW", "pending"],
    [400, "INVALID_REQUEST", "unexpected"],
    [403, "PERMISSION_DENIED", "unexpected"],
  ];
  for (const [status, issue, expected] of cases) {
    test(`${status} ${issue} → ${expected}`, () => {
      const result = completionRefusal(ORDER, status, issue, "words");
      assert.equal(typeof result === "string" ? result : result.status, expected);
    });
  }

  test("a decline keeps PayPal's issue and words for the merchant", () => {
    assert.deepEqual(completionRefusal(ORDER, 422, "INSTRUMENT_DECLINED", "The instrument was declined"), {
      status: "declined",
      declineCode: "generic_decline",
      connectorReference: ORDER,
      providerMessage: "INSTRUMENT_DECLINED: The instrument was declined",
    });
  });
});

describe("paypal transformers: answers", () => {
  test("statuses as authorize answers: expired and voided are for sync to tell", () => {
    assert.deepEqual(statusToAuthorizeResult(taken(10_000n)), {
      outcome: "authorized",
      connectorReference: ORDER,
      amount: 10_000n,
      currency: "usd",
      captured: true,
    });
    assert.deepEqual(statusToAuthorizeResult({ status: "expired", connectorReference: ORDER }), {
      outcome: "pending",
      connectorReference: ORDER,
      reason: "order_expired",
    });
    assert.equal(
      statusToAuthorizeResult({ status: "pending", connectorReference: ORDER }).outcome,
      "pending",
    );
    assert.equal(
      statusToAuthorizeResult({ status: "declined", declineCode: "generic_decline" }).outcome,
      "declined",
    );
  });

  const captures: Array<[string, string]> = [
    ["COMPLETED", "succeeded"],
    ["PENDING", "pending"],
    ["DECLINED", "failed"],
    ["FAILED", "failed"],
    ["NEW_STATE", "pending"],
  ];
  for (const [status, outcome] of captures) {
    test(`capture ${status} → ${outcome}`, () => {
      const result = captureToModifyResult(capture(status, "25.50"));
      assert.equal(result.outcome, outcome);
      if (result.outcome === "succeeded") {
        assert.deepEqual(result, {
          outcome: "succeeded",
          connectorReference: "CAP1",
          amount: 2550n,
          currency: "usd",
        });
      }
    });
  }

  const refunds: Array<[string, string]> = [
    ["COMPLETED", "succeeded"],
    ["PENDING", "pending"],
    ["FAILED", "failed"],
    ["CANCELLED", "failed"],
    ["NEW_STATE", "pending"],
  ];
  for (const [status, expected] of refunds) {
    test(`refund ${status} → ${expected}`, () => {
      const refund = { id: "REF1", status, amount: usd("30.00") };
      const result = refundToRefundStatus(refund);
      assert.equal(result.status, expected);
      if (result.status === "succeeded") {
        assert.deepEqual(result, {
          status: "succeeded",
          connectorReference: "REF1",
          amount: 3000n,
          currency: "usd",
        });
      }
      assert.equal(refundToModifyResult(refund).outcome, expected);
    });
  }

  test("the approval link is payer-action or approve, and only http(s)", () => {
    const links = (rel: string, href: string) => ({
      id: ORDER,
      status: "CREATED",
      links: [
        { rel: "self", href: "https://x/self" },
        { rel, href },
      ],
    });
    assert.equal(
      approvalLinkOf(links("payer-action", "https://www.paypal.com/checkoutnow?token=A")),
      "https://www.paypal.com/checkoutnow?token=A",
    );
    assert.equal(
      approvalLinkOf(links("approve", "https://www.paypal.com/checkoutnow?token=B")),
      "https://www.paypal.com/checkoutnow?token=B",
    );
    assert.equal(approvalLinkOf(links("approve", "javascript:alert(1)")), undefined);
    assert.equal(approvalLinkOf(links("capture", "https://x/capture")), undefined);
  });

  test("PayPal forgets an unapproved order 3 hours after creating it; later asks are reported", () => {
    const order = { id: ORDER, status: "PAYER_ACTION_REQUIRED", create_time: "2024-03-15T10:00:00Z" };
    const now = new Date("2024-03-15T10:00:01Z");
    assert.deepEqual(
      orderExpiry(order, new Date("2024-03-16T10:00:00Z"), now),
      new Date("2024-03-15T13:00:00Z"),
    );
    assert.equal(orderExpiry(order, new Date("2024-03-15T11:00:00Z"), now), undefined);
  });
});
