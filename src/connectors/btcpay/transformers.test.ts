import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import { decimalToMinor, minorToDecimal } from "./amounts.ts";
import { closeDecision } from "./close.ts";
import { btcpayConfigSchema } from "./config.ts";
import { expirationMinutes, invoiceRequest, refundRequest } from "./requests.ts";
import { localRequest } from "./test-support.ts";
import {
  chooseInvoice,
  invoiceToPaymentStatus,
  invoiceToStartResult,
  pullPaymentToRefundStatus,
} from "./transformers.ts";
import { bodyToWebhookEvent, signatureMatches } from "./webhooks.ts";
import type { WireInvoice, WirePayout } from "./wire.ts";

function invoice(overrides: Partial<WireInvoice> = {}): WireInvoice {
  return {
    id: "INV1",
    status: "New",
    additionalStatus: "None",
    amount: "25.00",
    paidAmount: "0.00",
    currency: "USD",
    checkoutLink: "https://btcpay.example/i/INV1",
    expirationTime: 1_700_000_000,
    metadata: { orderId: "pa_1" },
    ...overrides,
  };
}

describe("amounts", () => {
  const table: Array<[bigint, number, string]> = [
    [2500n, 2, "25.00"],
    [5n, 2, "0.05"],
    [0n, 2, "0.00"],
    [1000n, 0, "1000"],
    [1234n, 3, "1.234"],
    [123456789012345678901234567890n, 2, "1234567890123456789012345678.90"],
  ];
  for (const [minor, exponent, text] of table) {
    test(`${minor} in exponent ${exponent} is "${text}" and back`, () => {
      assert.equal(minorToDecimal(minor, exponent), text);
      assert.equal(decimalToMinor(text, exponent), minor);
    });
  }

  test("reading BTCPay's strings: fewer decimals, zeros beyond the exponent, and what cannot be held", () => {
    assert.equal(decimalToMinor("25", 2), 2500n);
    assert.equal(decimalToMinor("25.5", 2), 2550n);
    assert.equal(decimalToMinor("25.000", 2), 2500n);
    assert.equal(decimalToMinor("25.001", 2), null);
    assert.equal(decimalToMinor("1000.5", 0), null);
    assert.equal(decimalToMinor("-1.00", 2), null);
    assert.equal(decimalToMinor("-1.00", 2, { signed: true }), -100n);
    assert.equal(decimalToMinor("1e3", 2), null);
    assert.equal(decimalToMinor("", 2), null);
    assert.throws(() => minorToDecimal(-1n, 2), RangeError);
  });
});

describe("invoice status → payment status", () => {
  const authorized = {
    status: "authorized",
    connectorReference: "INV1",
    amount: 2500n,
    currency: "usd",
    captured: true,
    capturedAmount: 2500n,
  };
  const pending = { status: "pending", connectorReference: "INV1" };
  const expired = { status: "expired", connectorReference: "INV1" };
  const review = (reason: string, amount: bigint) => ({
    status: "requires_review",
    connectorReference: "INV1",
    reason,
    amount,
    currency: "usd",
  });
  const table: Array<[string, string, string, unknown]> = [
    ["New", "None", "0.00", pending],
    ["New", "PaidPartial", "10.00", pending],
    ["Processing", "None", "25.00", pending],
    ["Processing", "PaidOver", "27.50", pending],
    ["Settled", "None", "25.00", authorized],
    ["Settled", "Marked", "0.00", authorized],
    ["Settled", "PaidOver", "27.50", authorized],
    ["Settled", "PaidLate", "25.00", review("crypto_paid_after_expiry", 2500n)],
    ["Settled", "PaidPartial", "24.00", review("crypto_underpaid", 2400n)],
    ["Settled", "SomethingNew", "25.00", pending],
    ["Expired", "None", "0.00", expired],
    ["Expired", "PaidPartial", "10.00", review("crypto_underpaid", 1000n)],
    ["Expired", "PaidLate", "25.00", review("crypto_paid_after_expiry", 2500n)],
    ["Expired", "PaidOver", "30.00", review("crypto_paid_after_expiry", 3000n)],
    ["Invalid", "None", "0.00", expired],
    ["Invalid", "Marked", "0.00", expired],
    ["Invalid", "Marked", "25.00", review("crypto_invoice_invalid_after_payment", 2500n)],
    ["Invalid", "None", "25.00", review("crypto_invoice_invalid_after_payment", 2500n)],
    ["Invalid", "PaidPartial", "5.00", review("crypto_underpaid", 500n)],
    ["SomethingNew", "None", "25.00", pending],
  ];
  for (const [status, additionalStatus, paidAmount, expected] of table) {
    test(`${status}/${additionalStatus} with ${paidAmount} paid`, () => {
      assert.deepEqual(invoiceToPaymentStatus(invoice({ status, additionalStatus, paidAmount })), expected);
    });
  }

  test("an amount the currency cannot hold is never authorized", () => {
    assert.deepEqual(invoiceToPaymentStatus(invoice({ status: "Settled", amount: "25.001" })), pending);
    assert.deepEqual(invoiceToPaymentStatus(invoice({ status: "Settled", currency: "XYZ" })), pending);
  });

  test("JPY amounts have no decimals", () => {
    const status = invoiceToPaymentStatus(invoice({ status: "Settled", amount: "1000", currency: "JPY" }));
    assert.ok(status.status === "authorized" && status.amount === 1000n && status.currency === "jpy");
  });
});

describe("invoice → what starting a payment gives", () => {
  test("New: the checkout link, with BTCPay's expiry", () => {
    assert.deepEqual(invoiceToStartResult(invoice()), {
      outcome: "requires_action",
      connectorReference: "INV1",
      action: { type: "redirect_to_url", url: "https://btcpay.example/i/INV1" },
      expiresAt: new Date(1_700_000_000_000),
    });
  });

  test("Settled: authorized; anything else: pending for sync to tell", () => {
    assert.deepEqual(invoiceToStartResult(invoice({ status: "Settled", paidAmount: "25.00" })), {
      outcome: "authorized",
      connectorReference: "INV1",
      amount: 2500n,
      currency: "usd",
      captured: true,
    });
    assert.deepEqual(invoiceToStartResult(invoice({ status: "Expired" })), {
      outcome: "pending",
      connectorReference: "INV1",
      reason: "invoice_expired",
    });
    assert.equal(invoiceToStartResult(invoice({ status: "Processing" })).outcome, "pending");
  });

  test("chooseInvoice: only our orderId; money first, then the live one, then the newest", () => {
    const expired = invoice({ id: "A", status: "Expired" });
    const fresh = invoice({ id: "B", status: "New" });
    const settled = invoice({ id: "C", status: "Settled" });
    const foreign = invoice({ id: "D", status: "Settled", metadata: { orderId: "pa_other" } });
    assert.equal(chooseInvoice([expired, fresh], "pa_1")?.id, "B");
    assert.equal(chooseInvoice([fresh, settled, foreign], "pa_1")?.id, "C");
    assert.equal(chooseInvoice([expired, invoice({ id: "E", status: "Expired" })], "pa_1")?.id, "A");
    assert.equal(chooseInvoice([foreign], "pa_1"), undefined);
    assert.equal(chooseInvoice([], "pa_1"), undefined);
  });

  test("closeDecision: open only when nothing was paid", () => {
    assert.equal(closeDecision(invoice()).kind, "open");
    assert.equal(closeDecision(invoice({ status: "Expired" })).kind, "open");
    assert.equal(closeDecision(invoice({ status: "Invalid" })).kind, "closed");
    assert.equal(
      closeDecision(invoice({ additionalStatus: "PaidPartial", paidAmount: "1.00" })).kind,
      "paid",
    );
    assert.equal(closeDecision(invoice({ status: "Processing" })).kind, "paid");
    assert.equal(closeDecision(invoice({ status: "Invalid", paidAmount: "25.00" })).kind, "paid");
    assert.equal(closeDecision(invoice({ status: "Expired", additionalStatus: "PaidLate" })).kind, "paid");
  });
});

describe("pull payment → refund status", () => {
  const pp = { id: "PP1", name: "Refund re_1", currency: "USD", amount: "10.00", archived: false };
  const payout = (state: string, amount = "10.00"): WirePayout => ({
    id: "P",
    state,
    originalAmount: amount,
  });
  const succeeded = { status: "succeeded", connectorReference: "PP1", amount: 1000n, currency: "usd" };
  const pending = { status: "pending", connectorReference: "PP1" };
  const table: Array<[string, WirePayout[] | undefined, boolean, unknown]> = [
    ["no payouts endpoint", undefined, false, pending],
    ["nothing claimed", [], false, pending],
    ["awaiting approval", [payout("AwaitingApproval")], false, pending],
    ["in progress", [payout("InProgress")], false, pending],
    ["completed", [payout("Completed")], false, succeeded],
    ["completed in two", [payout("Completed", "4.00"), payout("Completed", "6.00")], false, succeeded],
    ["completed in part", [payout("Completed", "4.00"), payout("AwaitingPayment", "6.00")], false, pending],
    ["1.x amount field", [{ id: "P", state: "Completed", amount: "10.00" }], false, succeeded],
    [
      "cancelled and archived",
      [payout("Cancelled")],
      true,
      { status: "failed", reason: "pull_payment_archived" },
    ],
    ["archived with a payout in flight", [payout("InProgress")], true, pending],
    ["unknown state", [payout("Exotic")], false, pending],
  ];
  for (const [name, payouts, archived, expected] of table) {
    test(name, () => {
      assert.deepEqual(pullPaymentToRefundStatus({ ...pp, archived }, payouts), expected);
    });
  }
});

describe("requests", () => {
  test("the invoice: decimal amount, upper-case currency, our reference as orderId, expiry and return URL", () => {
    const config = btcpayConfigSchema.parse({
      store_id: "S",
      api_key: "k".repeat(40),
      speed_policy: "LowSpeed",
    });
    const now = new Date("2030-01-01T00:00:00Z");
    const request = localRequest({
      reference: "pa_7",
      amount: 123456n,
      currency: "eur",
      expiresAt: new Date("2030-01-01T00:45:10Z"),
      shopper: { country: "DE", locale: "de-DE" },
    });
    assert.deepEqual(invoiceRequest(request, config, now), {
      amount: "1234.56",
      currency: "EUR",
      metadata: { orderId: "pa_7", payrailReference: "pa_7", itemDesc: "Order 42" },
      checkout: {
        expirationMinutes: 45,
        redirectURL: "https://payrail.example/v1/return/pi_1",
        redirectAutomatically: true,
        speedPolicy: "LowSpeed",
        defaultLanguage: "de-DE",
      },
    });
    assert.equal(invoiceRequest({ ...request, currency: "xyz" }, config, now), undefined);
  });

  test("expirationMinutes: rounded, at least one", () => {
    const now = new Date(0);
    assert.equal(expirationMinutes(new Date(15 * 60_000 - 5), now), 15);
    assert.equal(expirationMinutes(new Date(10_000), now), 1);
    assert.equal(expirationMinutes(new Date(-60_000), now), 1);
  });

  test("the refund: Custom, exactly the amount asked, named after our reference", () => {
    assert.deepEqual(
      refundRequest({ reference: "re_1", connectorReference: "INV1", amount: 1050n, currency: "usd" }),
      {
        name: "Refund re_1",
        description: "Refund re_1 of invoice INV1",
        refundVariant: "Custom",
        customAmount: "10.50",
        customCurrency: "USD",
      },
    );
  });
});

describe("webhook bodies", () => {
  const base = {
    deliveryId: "D2",
    webhookId: "W",
    originalDeliveryId: "D1",
    isRedelivery: true,
    timestamp: 1,
    storeId: "S",
    invoiceId: "INV1",
    metadata: {},
  };
  const types = [
    "InvoiceCreated",
    "InvoiceReceivedPayment",
    "InvoicePaymentSettled",
    "InvoiceProcessing",
    "InvoiceExpired",
    "InvoiceSettled",
    "InvoiceInvalid",
    "InvoiceExpiredPaidPartial",
    "InvoicePaidAfterExpiration",
  ];
  for (const type of types) {
    test(`${type} asks Payrail to look the invoice up, under the original delivery id`, () => {
      assert.deepEqual(bodyToWebhookEvent({ ...base, type })?.event, {
        kind: "payment_lookup",
        providerEventId: "D1",
        connectorReference: "INV1",
      });
    });
  }

  test("other events are unknown; a body without the event fields is none", () => {
    assert.deepEqual(
      bodyToWebhookEvent({ ...base, type: "PayoutCreated", originalDeliveryId: undefined })?.event,
      {
        kind: "unknown",
        providerEventId: "D2",
        providerType: "PayoutCreated",
      },
    );
    assert.equal(bodyToWebhookEvent({ type: "InvoiceSettled" }), undefined);
    assert.equal(bodyToWebhookEvent([]), undefined);
    assert.equal(bodyToWebhookEvent(null), undefined);
  });

  test("signatureMatches: sha256=<hex> of the raw bytes, in either hex case", () => {
    const raw = Buffer.from('{\n  "a": 1\n}');
    const hex = createHmac("sha256", "s3cret").update(raw).digest("hex");
    assert.equal(signatureMatches("s3cret", raw, `sha256=${hex}`), true);
    assert.equal(signatureMatches("s3cret", raw, `sha256=${hex.toUpperCase()}`), true);
    assert.equal(signatureMatches("s3cret", Buffer.from('{"a":1}'), `sha256=${hex}`), false);
    assert.equal(signatureMatches("other", raw, `sha256=${hex}`), false);
    assert.equal(signatureMatches("s3cret", raw, `sha1=${hex}`), false);
    assert.equal(signatureMatches("s3cret", raw, undefined), false);
  });
});
