import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fromGrabPayAmount, majorTextToMinor, toGrabPayAmount } from "./amounts.ts";
import { formatChargeHandle, parseChargeHandle, partnerTxIdFor, referenceOf } from "./references.ts";
import {
  chargeState,
  chargeToPaymentStatus,
  declineCodeFor,
  notificationToEvent,
  parseRefundEcho,
  paymentStatusToAuthorizeResult,
  refundEcho,
  refundStatusToModifyResult,
  refundToRefundStatus,
} from "./transformers.ts";
import { parseCharge, parseNotification, parseToken } from "./wire.ts";

describe("amounts", () => {
  it("converts Payrail minor units to GrabPay's and back, exactly", () => {
    const table: Array<[bigint, string, bigint | undefined]> = [
      [1500n, "sgd", 1500n],
      [1n, "myr", 1n],
      [99_999n, "php", 99_999n],
      [2599n, "THB", 2599n],
      [1_500_000n, "idr", 15_000n],
      [1_500_050n, "idr", undefined],
      [35_000n, "vnd", 35_000n],
      [0n, "sgd", undefined],
      [-5n, "sgd", undefined],
      [100n, "usd", undefined],
      [BigInt(Number.MAX_SAFE_INTEGER) + 1n, "sgd", undefined],
    ];
    for (const [amount, currency, expected] of table) {
      assert.equal(toGrabPayAmount(amount, currency), expected, `${amount} ${currency}`);
      if (expected !== undefined) assert.equal(fromGrabPayAmount(expected, currency), amount);
    }
    assert.equal(fromGrabPayAmount(10n, "eur"), undefined);
  });

  it("reads the report's major-unit texts", () => {
    const table: Array<[string, string, bigint | undefined]> = [
      ["25.99", "sgd", 2599n],
      ["-15.00", "sgd", -1500n],
      ["0.23", "myr", 23n],
      ["15000", "idr", 1_500_000n],
      ["35000", "vnd", 35_000n],
      ["1.5", "sgd", 150n],
      ["1.005", "sgd", undefined],
      ["1e3", "sgd", undefined],
      ["", "sgd", undefined],
      ["1.00", "xyz", undefined],
    ];
    for (const [text, currency, expected] of table)
      assert.equal(majorTextToMinor(text, currency), expected, text);
  });
});

describe("references", () => {
  it("sends a Payrail reference as it is, and digests a longer or unusual one into 32 characters", () => {
    assert.equal(partnerTxIdFor("pi_0Vc3ZdUn11Q6mNcudRTTM0R3_a1"), "pi_0Vc3ZdUn11Q6mNcudRTTM0R3_a1");
    const long = `pi_0Vc3ZdUn11Q6mNcudRTTM0R3_a1${"x".repeat(10)}`;
    const derived = partnerTxIdFor(long);
    assert.match(derived, /^H[A-Za-z0-9_-]{31}$/);
    assert.equal(partnerTxIdFor(long), derived);
    assert.notEqual(partnerTxIdFor(`${long}y`), derived);
    assert.equal(partnerTxIdFor("has:colon").length, 32);
    assert.equal(referenceOf(derived), undefined);
    assert.equal(referenceOf("pi_0Vc3ZdUn11Q6mNcudRTTM0R3_a1"), "pi_0Vc3ZdUn11Q6mNcudRTTM0R3_a1");
  });

  it("keeps partnerTxID, amount and txID in the charge handle", () => {
    const early = { partnerTxID: "pi_abc_a1", amount: 1500n };
    assert.equal(formatChargeHandle(early), "pi_abc_a1:1500");
    const settled = { ...early, txID: "0123456789abcdef0123456789abcdef" };
    assert.equal(formatChargeHandle(settled), "pi_abc_a1:1500:0123456789abcdef0123456789abcdef");
    assert.deepEqual(parseChargeHandle(formatChargeHandle(early)), early);
    assert.deepEqual(parseChargeHandle(formatChargeHandle(settled)), settled);
    for (const bad of ["", "pi_abc_a1", "pi_abc_a1:", "pi:abc:1", "a:1.5", undefined, null]) {
      assert.equal(parseChargeHandle(bad), undefined, String(bad));
    }
  });
});

describe("charge statuses", () => {
  it("reads GrabPay's txStatus with its reason", () => {
    const table: Array<[string, string, string]> = [
      ["success", "", "success"],
      ["SUCCESS", "", "success"],
      ["failed", "insufficient balance", "failed"],
      ["failed", "transaction expired", "expired"],
      ["processing", "", "processing"],
      ["init", "", "processing"],
      ["authorised", "", "processing"],
      ["something new", "", "processing"],
    ];
    for (const [txStatus, reason, expected] of table)
      assert.equal(chargeState(txStatus, reason), expected, txStatus);
  });

  it("maps failure reasons to decline codes", () => {
    assert.equal(declineCodeFor("insufficient balance"), "insufficient_funds");
    assert.equal(declineCodeFor("Insufficient funds"), "insufficient_funds");
    assert.equal(declineCodeFor("user declined the payment"), "generic_decline");
    assert.equal(declineCodeFor(""), "generic_decline");
  });

  const handle = { partnerTxID: "pi_abc_a1", amount: 15_000n };
  const charge = (txStatus: string, reason = "") => ({ txID: "tx1", txStatus, reason });

  it("success is authorized and captured with the amount GrabPay was asked for", () => {
    assert.deepEqual(chargeToPaymentStatus(charge("success"), handle, "IDR"), {
      status: "authorized",
      connectorReference: "pi_abc_a1:15000:tx1",
      amount: 1_500_000n,
      currency: "idr",
      captured: true,
      capturedAmount: 1_500_000n,
    });
  });

  it("success without a known amount is pending, never a success", () => {
    assert.deepEqual(chargeToPaymentStatus(charge("success"), undefined, "sgd"), { status: "pending" });
  });

  it("failed, expired and waiting charges", () => {
    assert.deepEqual(chargeToPaymentStatus(charge("failed", "insufficient balance"), handle, "sgd"), {
      status: "declined",
      declineCode: "insufficient_funds",
      connectorReference: "pi_abc_a1:15000:tx1",
      providerMessage: "insufficient balance",
    });
    assert.deepEqual(chargeToPaymentStatus(charge("failed", "transaction expired"), handle, "sgd"), {
      status: "expired",
      connectorReference: "pi_abc_a1:15000:tx1",
    });
    assert.deepEqual(chargeToPaymentStatus(charge("processing"), handle, "sgd"), {
      status: "pending",
      connectorReference: "pi_abc_a1:15000",
    });
    assert.deepEqual(chargeToPaymentStatus(charge("mystery"), undefined, "sgd"), {
      status: "pending",
      connectorReference: undefined,
    });
  });

  it("a status on the return leg becomes the attempt's answer; expired is left to sync", () => {
    assert.equal(
      paymentStatusToAuthorizeResult(chargeToPaymentStatus(charge("success"), handle, "sgd"), "x").outcome,
      "authorized",
    );
    assert.equal(
      paymentStatusToAuthorizeResult(chargeToPaymentStatus(charge("failed"), handle, "sgd"), "x").outcome,
      "declined",
    );
    assert.deepEqual(paymentStatusToAuthorizeResult({ status: "expired", connectorReference: "c" }, "why"), {
      outcome: "pending",
      reason: "why",
      connectorReference: "c",
    });
    assert.deepEqual(paymentStatusToAuthorizeResult({ status: "not_found" }, "why"), {
      outcome: "pending",
      reason: "why",
    });
  });
});

describe("refund statuses", () => {
  it("keeps the refunded amount in GrabPay's echo", () => {
    assert.equal(refundEcho(15_000n, "idr"), "15000 IDR");
    assert.deepEqual(parseRefundEcho("15000 IDR"), { amount: 15_000n, currency: "idr" });
    for (const bad of [undefined, "", "15000", "1.5 SGD", "15000 idr"])
      assert.equal(parseRefundEcho(bad), undefined);
  });

  it("maps a refund's status, its amount from GrabPay's units", () => {
    const refund = (txStatus: string, reason = "") => ({ txID: "rt1", txStatus, reason });
    assert.deepEqual(refundToRefundStatus(refund("success"), { amount: 5_000n, currency: "IDR" }), {
      status: "succeeded",
      connectorReference: "rt1",
      amount: 500_000n,
      currency: "idr",
    });
    assert.deepEqual(refundToRefundStatus(refund("success"), undefined), {
      status: "pending",
      connectorReference: "rt1",
    });
    assert.deepEqual(refundToRefundStatus(refund("processing"), { amount: 1n, currency: "SGD" }), {
      status: "pending",
      connectorReference: "rt1",
    });
    assert.deepEqual(refundToRefundStatus(refund("failed", "origin reversed"), undefined), {
      status: "failed",
      reason: "origin reversed",
    });
    assert.deepEqual(refundStatusToModifyResult({ status: "not_found" }), {
      outcome: "pending",
      reason: "refund_not_found",
    });
  });
});

describe("notifications", () => {
  const payment = {
    txType: "Payment",
    txID: "tx1",
    partnerTxID: "pi_abc_a1",
    partnerGroupTxID: "pi_abc_a1",
    merchantID: "m1",
    status: "success",
    txStatus: "success",
    amount: 2599,
    currency: "SGD",
    paymentMethod: "GPWALLET",
    reason: "",
    createdAt: 1714528800,
    completedAt: 1714528860,
  };

  it("reads what GrabPay sends and refuses what lacks an id or status", () => {
    assert.ok(parseNotification(payment));
    for (const missing of ["txType", "txID", "partnerTxID"]) {
      assert.equal(parseNotification({ ...payment, [missing]: undefined }), undefined, missing);
    }
    assert.equal(parseNotification({ ...payment, status: undefined, txStatus: undefined }), undefined);
    assert.equal(parseNotification([payment]), undefined);
  });

  it("maps payments, refunds, digested references and unknown types", () => {
    const event = notificationToEvent(parseNotification(payment)!);
    assert.ok(event.kind === "payment");
    assert.equal(event.providerEventId, "Payment:tx1:success");
    assert.equal(event.reference, "pi_abc_a1");
    assert.equal(event.connectorReference, "pi_abc_a1:2599:tx1");
    assert.equal(event.status.status === "authorized" && event.status.amount, 2599n);

    const failed = notificationToEvent(
      parseNotification({
        ...payment,
        status: "failed",
        txStatus: "failed",
        reason: "insufficient balance",
      })!,
    );
    assert.ok(failed.kind === "payment" && failed.status.status === "declined");
    assert.equal(failed.providerEventId, "Payment:tx1:failed");

    const digest = partnerTxIdFor("x".repeat(40));
    assert.deepEqual(notificationToEvent(parseNotification({ ...payment, partnerTxID: digest })!), {
      kind: "payment_lookup",
      providerEventId: "Payment:tx1:success",
      connectorReference: `${digest}:2599`,
    });

    const refund = notificationToEvent(
      parseNotification({
        ...payment,
        txType: "Refund",
        txID: "rt1",
        partnerTxID: "re_1",
        originTxID: "tx1",
        amount: 500,
      })!,
    );
    assert.deepEqual(refund, {
      kind: "refund",
      providerEventId: "Refund:rt1:success",
      reference: "re_1",
      connectorReference: "rt1",
      status: { status: "succeeded", connectorReference: "rt1", amount: 500n, currency: "sgd" },
    });

    assert.deepEqual(notificationToEvent(parseNotification({ ...payment, txType: "Dispute" })!), {
      kind: "unknown",
      providerEventId: "Dispute:tx1:success",
      providerType: "Dispute",
    });
  });
});

describe("wire", () => {
  it("reads charges and tokens defensively", () => {
    assert.deepEqual(parseCharge({ txID: "t", status: "success", txStatus: "", reason: null }), {
      txID: "t",
      txStatus: "success",
      reason: "",
    });
    assert.equal(parseCharge({ txID: "t" }), undefined);
    assert.equal(parseCharge("nope"), undefined);
    assert.deepEqual(parseToken({ access_token: "a", token_type: "Bearer" }), { accessToken: "a" });
    assert.deepEqual(parseToken({ error: "invalid_grant", error_description: "used" }), {
      error: "invalid_grant",
      description: "used",
    });
    assert.equal(parseToken({}), undefined);
  });
});
