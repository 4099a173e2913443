import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PaymentStatus } from "../contract.ts";
import { formatDecimal, fromMollieAmount, parseDecimal, toMollieAmount } from "./amounts.ts";
import { localRequest } from "./test-support.ts";
import {
  closeOutcome,
  createdPaymentToResult,
  createPaymentBody,
  createRefundBody,
  createRefusal,
  mollieLocale,
  parseRefundConnectorReference,
  paymentToStatus,
  refundConnectorReference,
  refundStatusToModifyResult,
  refundToStatus,
  statusToAuthorizeResult,
} from "./transformers.ts";
import type { WirePayment, WireRefund } from "./wire.ts";

const payment = (overrides: Partial<WirePayment> = {}): WirePayment => ({
  resource: "payment",
  id: "tr_WDqYK6vllg",
  status: "open",
  amount: { currency: "EUR", value: "10.00" },
  isCancelable: false,
  metadata: { payrail_reference: "pa_1" },
  expiresAt: "2024-04-03T10:15:00+00:00",
  _links: { checkout: { href: "https://www.mollie.com/checkout/select-issuer/ideal/7UhSN1zuXS" } },
  ...overrides,
});

const refund = (overrides: Partial<WireRefund> = {}): WireRefund => ({
  resource: "refund",
  id: "re_4qqhO89gsT",
  paymentId: "tr_WDqYK6vllg",
  status: "pending",
  amount: { currency: "EUR", value: "5.10" },
  metadata: { payrail_reference: "re_ours" },
  ...overrides,
});

describe("amounts: string arithmetic, exact decimals", () => {
  const to: Array<[bigint, string, string, string]> = [
    [1000n, "eur", "EUR", "10.00"],
    [1n, "eur", "EUR", "0.01"],
    [10n, "eur", "EUR", "0.10"],
    [0n, "eur", "EUR", "0.00"],
    [5_000_000n, "eur", "EUR", "50000.00"],
    [123456789012345678n, "eur", "EUR", "1234567890123456.78"],
    [1500n, "jpy", "JPY", "1500"],
    [1234n, "kwd", "KWD", "1.234"],
  ];
  for (const [amount, currency, wireCurrency, value] of to) {
    test(`${amount} ${currency} ⇄ ${value} ${wireCurrency}`, () => {
      assert.deepEqual(toMollieAmount({ amount, currency }), { currency: wireCurrency, value });
      assert.deepEqual(fromMollieAmount({ currency: wireCurrency, value }), { amount, currency });
    });
  }

  const unreadable: Array<[string, string]> = [
    ["EUR", "10"],
    ["EUR", "10.0"],
    ["EUR", "10.000"],
    ["EUR", "1e3"],
    ["EUR", " 10.00"],
    ["EUR", "10,00"],
    ["EUR", ""],
    ["eur", "10.00"],
    ["XYZ", "10.00"],
    ["JPY", "10.00"],
  ];
  for (const [currency, value] of unreadable) {
    test(`unreadable: ${currency} "${value}"`, () => {
      assert.equal(fromMollieAmount({ currency, value }), null);
    });
  }

  test("negative and four-decimal values", () => {
    assert.equal(formatDecimal(-5n, 2), "-0.05");
    assert.equal(parseDecimal("-23.20", 2), -2320n);
    assert.equal(parseDecimal("2.5410", 4), 25410n);
    assert.equal(parseDecimal("2.541", 4), null);
    assert.throws(() => toMollieAmount({ amount: 1n, currency: "xyz" }), RangeError);
  });
});

describe("locale", () => {
  const table: Array<[string | undefined, string | undefined]> = [
    ["nl-NL", "nl_NL"],
    ["nl_BE", "nl_BE"],
    ["nl", "nl_NL"],
    ["NL-nl", "nl_NL"],
    ["de-CH", "de_CH"],
    ["de-LU", "de_DE"],
    ["en", "en_US"],
    ["en-GB", "en_GB"],
    ["en-IE", "en_US"],
    ["fr-CA", "fr_FR"],
    ["no", "nb_NO"],
    ["nb-NO", "nb_NO"],
    ["zh-Hant-TW", undefined],
    ["ja-JP", undefined],
    ["", undefined],
    [undefined, undefined],
    ["not a locale", undefined],
  ];
  for (const [input, expected] of table) {
    test(`${String(input)} → ${String(expected)}`, () => assert.equal(mollieLocale(input), expected));
  }
});

describe("request bodies", () => {
  test("a payment: Mollie's fields only, deterministic for a retry", () => {
    const request = localRequest({
      reference: "pa_1",
      amount: 1999n,
      description: "x".repeat(300),
      shopper: { locale: "de-AT" },
    });
    const body = createPaymentBody(request, "https://payrail.example/hooks/mca_1");
    assert.deepEqual(body, {
      amount: { currency: "EUR", value: "19.99" },
      description: "x".repeat(255),
      redirectUrl: request.returnUrl,
      webhookUrl: "https://payrail.example/hooks/mca_1",
      method: "ideal",
      metadata: { payrail_reference: "pa_1" },
      locale: "de_AT",
    });
    assert.deepEqual(createPaymentBody(request, "https://payrail.example/hooks/mca_1"), body);
  });

  test("a long description is cut on characters, not bytes; no webhook URL, no locale", () => {
    const body = createPaymentBody(localRequest({ description: "€".repeat(300), shopper: {} }), "");
    assert.equal(body.description, "€".repeat(255));
    assert.equal("webhookUrl" in body, false);
    assert.equal("locale" in body, false);
  });

  test("a refund", () => {
    assert.deepEqual(
      createRefundBody({ reference: "re_1", connectorReference: "tr_x", amount: 510n, currency: "eur" }),
      { amount: { currency: "EUR", value: "5.10" }, metadata: { payrail_reference: "re_1" } },
    );
  });
});

describe("payment statuses", () => {
  const table: Array<[string, PaymentStatus]> = [
    ["open", { status: "pending", connectorReference: "tr_WDqYK6vllg" }],
    ["pending", { status: "pending", connectorReference: "tr_WDqYK6vllg" }],
    [
      "authorized",
      {
        status: "authorized",
        connectorReference: "tr_WDqYK6vllg",
        amount: 1000n,
        currency: "eur",
        captured: false,
        capturedAmount: 0n,
      },
    ],
    [
      "paid",
      {
        status: "authorized",
        connectorReference: "tr_WDqYK6vllg",
        amount: 1000n,
        currency: "eur",
        captured: true,
        capturedAmount: 1000n,
      },
    ],
    [
      "failed",
      {
        status: "declined",
        declineCode: "generic_decline",
        connectorReference: "tr_WDqYK6vllg",
        providerMessage: "the iDEAL payment failed",
      },
    ],
    [
      "canceled",
      {
        status: "declined",
        declineCode: "generic_decline",
        connectorReference: "tr_WDqYK6vllg",
        providerMessage: "canceled by the shopper",
      },
    ],
    ["expired", { status: "expired", connectorReference: "tr_WDqYK6vllg" }],
    ["charged_back", { status: "pending", connectorReference: "tr_WDqYK6vllg" }],
    ["PAID", { status: "pending", connectorReference: "tr_WDqYK6vllg" }],
  ];
  for (const [status, expected] of table) {
    test(`${status}`, () => assert.deepEqual(paymentToStatus(payment({ status })), expected));
  }

  test("paid with an amount we cannot read exactly is not a success", () => {
    assert.deepEqual(paymentToStatus(payment({ status: "paid", amount: { currency: "EUR", value: "10" } })), {
      status: "pending",
      connectorReference: "tr_WDqYK6vllg",
    });
  });

  test("as an authorize result", () => {
    assert.deepEqual(statusToAuthorizeResult(paymentToStatus(payment({ status: "canceled" }))), {
      outcome: "declined",
      declineCode: "generic_decline",
      connectorReference: "tr_WDqYK6vllg",
      providerMessage: "canceled by the shopper",
    });
    assert.deepEqual(statusToAuthorizeResult({ status: "expired", connectorReference: "tr_1" }), {
      outcome: "pending",
      connectorReference: "tr_1",
      reason: "expired",
    });
    assert.deepEqual(statusToAuthorizeResult({ status: "not_found" }), {
      outcome: "pending",
      reason: "not_found",
    });
  });
});

describe("the created payment", () => {
  const request = localRequest({ reference: "pa_1", amount: 1000n });

  test("open: redirect to the checkout, with Mollie's expiry", () => {
    assert.deepEqual(createdPaymentToResult(payment(), request), {
      outcome: "requires_action",
      connectorReference: "tr_WDqYK6vllg",
      action: {
        type: "redirect_to_url",
        url: "https://www.mollie.com/checkout/select-issuer/ideal/7UhSN1zuXS",
      },
      expiresAt: new Date("2024-04-03T10:15:00Z"),
    });
  });

  test("not what we asked: pending, never a redirect", () => {
    const other = payment({ amount: { currency: "EUR", value: "10.01" } });
    assert.equal(createdPaymentToResult(other, request).outcome, "pending");
    const notOurs = payment({ metadata: { payrail_reference: "pa_2" } });
    assert.deepEqual(createdPaymentToResult(notOurs, request), {
      outcome: "pending",
      connectorReference: "tr_WDqYK6vllg",
      reason: "reference_mismatch",
    });
  });

  test("open without a checkout link: pending; already paid: authorized", () => {
    assert.equal(createdPaymentToResult(payment({ _links: {} }), request).outcome, "pending");
    assert.equal(createdPaymentToResult(payment({ status: "paid" }), request).outcome, "authorized");
  });

  test("Mollie's 422 on the amount is a decline; on anything else it is our bug", () => {
    assert.equal(createRefusal("amount.currency"), "currency_not_supported");
    assert.equal(createRefusal("amount"), "generic_decline");
    assert.equal(createRefusal("amount.value"), "generic_decline");
    assert.equal(createRefusal("redirectUrl"), null);
    assert.equal(createRefusal(undefined), null);
  });
});

describe("closing", () => {
  const closed = {
    outcome: "succeeded",
    connectorReference: "tr_WDqYK6vllg",
    amount: 1000n,
    currency: "eur",
  };
  const table: Array<[Partial<WirePayment>, unknown]> = [
    [{ status: "canceled" }, closed],
    [{ status: "expired" }, closed],
    [{ status: "failed" }, closed],
    [{ status: "paid" }, { outcome: "failed", reason: "already_paid" }],
    [{ status: "authorized" }, { outcome: "failed", reason: "already_authorized" }],
    [{ status: "open", isCancelable: true }, "cancel"],
    [
      { status: "open", isCancelable: false },
      { outcome: "pending", connectorReference: "tr_WDqYK6vllg", reason: "not_cancelable_until_expiry" },
    ],
    [
      { status: "pending" },
      { outcome: "pending", connectorReference: "tr_WDqYK6vllg", reason: "payment_pending" },
    ],
  ];
  for (const [overrides, expected] of table) {
    test(`${overrides.status}${overrides.isCancelable ? " (cancelable)" : ""}`, () =>
      assert.deepEqual(closeOutcome(payment(overrides)), expected));
  }
});

describe("refunds", () => {
  test("the connector reference holds the payment id", () => {
    assert.equal(refundConnectorReference("tr_WDqYK6vllg", "re_4qqhO89gsT"), "tr_WDqYK6vllg/re_4qqhO89gsT");
    assert.equal(refundConnectorReference("tr_WDqYK6vllg"), "tr_WDqYK6vllg");
    assert.deepEqual(parseRefundConnectorReference("tr_WDqYK6vllg/re_4qqhO89gsT"), {
      paymentId: "tr_WDqYK6vllg",
      refundId: "re_4qqhO89gsT",
    });
    assert.deepEqual(parseRefundConnectorReference("tr_WDqYK6vllg"), {
      paymentId: "tr_WDqYK6vllg",
      refundId: undefined,
    });
    for (const bad of ["re_4qqhO89gsT", "tr_WDqYK6vllg/", "tr_WDqYK6vllg/re_x/y", "../x", ""]) {
      assert.equal(parseRefundConnectorReference(bad), null, bad);
    }
  });

  const pending = { status: "pending", connectorReference: "tr_WDqYK6vllg/re_4qqhO89gsT" };
  const table: Array<[string, unknown]> = [
    ["queued", pending],
    ["pending", pending],
    ["processing", pending],
    [
      "refunded",
      {
        status: "succeeded",
        connectorReference: "tr_WDqYK6vllg/re_4qqhO89gsT",
        amount: 510n,
        currency: "eur",
      },
    ],
    ["failed", { status: "failed", reason: "refund_failed" }],
    ["canceled", { status: "failed", reason: "refund_canceled" }],
    ["something_new", pending],
  ];
  for (const [status, expected] of table) {
    test(`refund ${status}`, () => assert.deepEqual(refundToStatus(refund({ status })), expected));
  }

  test("refunded with an unreadable amount is not a success", () => {
    assert.equal(
      refundToStatus(refund({ status: "refunded", amount: { currency: "EUR", value: "5.1" } })).status,
      "pending",
    );
  });

  test("as a refund call's result", () => {
    assert.deepEqual(refundStatusToModifyResult(refundToStatus(refund()), "tr_WDqYK6vllg"), {
      outcome: "pending",
      connectorReference: "tr_WDqYK6vllg/re_4qqhO89gsT",
      reason: "refund_processing",
    });
    assert.deepEqual(
      refundStatusToModifyResult(refundToStatus(refund({ status: "refunded" })), "tr_WDqYK6vllg"),
      {
        outcome: "succeeded",
        connectorReference: "tr_WDqYK6vllg/re_4qqhO89gsT",
        amount: 510n,
        currency: "eur",
      },
    );
    assert.deepEqual(refundStatusToModifyResult({ status: "failed", reason: "refund_failed" }, "tr_x"), {
      outcome: "failed",
      reason: "refund_failed",
    });
  });
});
