import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DeclineCode } from "../contract.ts";
import { refusalToDeclineCode } from "./refusals.ts";
import {
  actionUrl,
  modificationToResult,
  parseModificationResponse,
  parsePaymentResponse,
  responseToAuthorizeResult,
  responseToPaymentStatus,
  type StatusContext,
  validationDecline,
  type WirePaymentResponse,
} from "./transformers.ts";

const manual: StatusContext = {
  reference: "pi_1_a1",
  amount: 1000n,
  currency: "eur",
  captureRequested: false,
};
const automatic: StatusContext = { ...manual, captureRequested: true };

function response(overrides: Partial<WirePaymentResponse> = {}): WirePaymentResponse {
  return {
    resultCode: "Authorised",
    pspReference: "993617895204576J",
    merchantReference: "pi_1_a1",
    ...overrides,
  };
}

describe("refusal reasons", () => {
  const table: Array<
    [{ refusalReasonCode?: string; refusalReason?: string; refusalReasonRaw?: string }, DeclineCode]
  > = [
    [{ refusalReasonCode: "2", refusalReason: "Refused" }, "generic_decline"],
    [{ refusalReason: "Refused" }, "generic_decline"],
    [{ refusalReasonCode: "12", refusalReason: "Not enough balance" }, "insufficient_funds"],
    [{ refusalReason: "Not enough balance" }, "insufficient_funds"],
    [{ refusalReasonCode: "6", refusalReason: "Expired Card" }, "expired_card"],
    [{ refusalReason: "expired card" }, "expired_card"],
    [{ refusalReasonCode: "24", refusalReason: "CVC Declined" }, "incorrect_cvc"],
    [{ refusalReasonCode: "5", refusalReason: "Blocked Card" }, "lost_card"],
    [
      {
        refusalReasonCode: "5",
        refusalReason: "Blocked Card",
        refusalReasonRaw: "43 : Stolen card, pick up",
      },
      "stolen_card",
    ],
    [
      { refusalReasonCode: "5", refusalReason: "Blocked Card", refusalReasonRaw: "41 : Lost card" },
      "lost_card",
    ],
    [{ refusalReason: "Card Lost" }, "lost_card"],
    [{ refusalReason: "Stolen Card" }, "stolen_card"],
    [{ refusalReasonCode: "4", refusalReason: "Acquirer Error" }, "processing_error"],
    [{ refusalReasonCode: "9", refusalReason: "Issuer Unavailable" }, "processing_error"],
    [{ refusalReasonCode: "11", refusalReason: "3D Not Authenticated" }, "authentication_failed"],
    [{ refusalReasonCode: "20", refusalReason: "FRAUD" }, "fraudulent"],
    [{ refusalReasonCode: "22", refusalReason: "FRAUD-CANCELLED" }, "fraudulent"],
    [{ refusalReasonCode: "31", refusalReason: "Issuer Suspected Fraud" }, "fraudulent"],
    [{ refusalReasonCode: "8", refusalReason: "Invalid Card Number" }, "incorrect_number"],
    [{ refusalReasonCode: "10", refusalReason: "Not supported" }, "card_not_supported"],
    [{ refusalReasonCode: "38", refusalReason: "Authentication required" }, "authentication_required"],
    [{ refusalReasonCode: "3", refusalReason: "Referral" }, "do_not_honor"],
    [{ refusalReasonCode: "999", refusalReason: "Something new" }, "generic_decline"],
    [{}, "generic_decline"],
    // The code wins over the words when both are known.
    [{ refusalReasonCode: "12", refusalReason: "Refused" }, "insufficient_funds"],
  ];
  for (const [refusal, expected] of table) {
    test(`${JSON.stringify(refusal)} → ${expected}`, () => {
      assert.equal(refusalToDeclineCode(refusal), expected);
    });
  }
});

describe("resultCode → payment status", () => {
  test("Authorised with manual capture is authorized, not captured", () => {
    assert.deepEqual(responseToPaymentStatus(response(), manual), {
      status: "authorized",
      connectorReference: "993617895204576J",
      amount: 1000n,
      currency: "eur",
      captured: false,
      capturedAmount: 0n,
    });
  });

  test("Authorised with automatic capture counts as captured", () => {
    const status = responseToPaymentStatus(response(), automatic);
    assert.equal(status.status === "authorized" && status.captured, true);
    assert.equal(status.status === "authorized" && status.capturedAmount, 1000n);
  });

  const table: Array<[Partial<WirePaymentResponse>, unknown]> = [
    [
      { resultCode: "Refused", refusalReason: "Not enough balance", refusalReasonCode: "12" },
      {
        status: "declined",
        declineCode: "insufficient_funds",
        connectorReference: "993617895204576J",
        providerMessage: "Not enough balance",
      },
    ],
    [
      { resultCode: "Error", refusalReason: "Acquirer Error" },
      {
        status: "declined",
        declineCode: "processing_error",
        connectorReference: "993617895204576J",
        providerMessage: "Acquirer Error",
      },
    ],
    [{ resultCode: "Cancelled" }, { status: "voided", connectorReference: "993617895204576J" }],
    [{ resultCode: "Pending" }, { status: "pending", connectorReference: "993617895204576J" }],
    [{ resultCode: "Received" }, { status: "pending", connectorReference: "993617895204576J" }],
    [{ resultCode: "PresentToShopper" }, { status: "pending", connectorReference: "993617895204576J" }],
    [{ resultCode: "AuthenticationFinished" }, { status: "pending", connectorReference: "993617895204576J" }],
    [{ resultCode: "SomethingNew" }, { status: "pending", connectorReference: "993617895204576J" }],
    [
      {
        resultCode: "RedirectShopper",
        action: { type: "redirect", method: "GET", url: "https://issuer.example/3ds?MD=abc" },
      },
      {
        status: "requires_action",
        connectorReference: "993617895204576J",
        action: { type: "redirect_to_url", url: "https://issuer.example/3ds?MD=abc" },
      },
    ],
    [
      { resultCode: "ChallengeShopper", action: { type: "threeDS2", url: "https://acs.example/challenge" } },
      {
        status: "requires_action",
        connectorReference: "993617895204576J",
        action: { type: "redirect_to_url", url: "https://acs.example/challenge" },
      },
    ],
    [
      { resultCode: "IdentifyShopper", action: { type: "threeDS2", token: "x" } as never },
      { status: "pending", connectorReference: "993617895204576J" },
    ],
    [
      {
        resultCode: "RedirectShopper",
        pspReference: undefined,
        action: { type: "redirect", url: "https://a.example/" },
      },
      {
        status: "requires_action",
        connectorReference: "pi_1_a1",
        action: { type: "redirect_to_url", url: "https://a.example/" },
      },
    ],
    [
      { resultCode: "Authorised", pspReference: undefined },
      { status: "pending", connectorReference: undefined },
    ],
    [
      { resultCode: "PartiallyAuthorised", amount: { value: 600, currency: "EUR" } },
      {
        status: "authorized",
        connectorReference: "993617895204576J",
        amount: 600n,
        currency: "eur",
        captured: false,
        capturedAmount: 0n,
      },
    ],
  ];
  for (const [overrides, expected] of table) {
    test(`${overrides.resultCode}${overrides.action ? ` (${overrides.action.type})` : ""}`, () => {
      assert.deepEqual(responseToPaymentStatus(response(overrides), manual), expected);
    });
  }
});

describe("responseToAuthorizeResult", () => {
  test("Authorised carries the network transaction id", () => {
    const result = responseToAuthorizeResult(
      response({
        additionalData: { networkTxReference: "MCC0123456789" },
        amount: { value: 1000, currency: "EUR" },
      }),
      automatic,
    );
    assert.deepEqual(result, {
      outcome: "authorized",
      connectorReference: "993617895204576J",
      amount: 1000n,
      currency: "eur",
      captured: true,
      networkTransactionId: "MCC0123456789",
    });
  });

  test("an amount or currency other than ours is pending, never a success", () => {
    for (const amount of [
      { value: 999, currency: "EUR" },
      { value: 1000, currency: "USD" },
    ]) {
      assert.deepEqual(responseToAuthorizeResult(response({ amount }), manual), {
        outcome: "pending",
        connectorReference: "993617895204576J",
        reason: "amount_mismatch",
      });
    }
    const partial = responseToAuthorizeResult(
      response({ resultCode: "PartiallyAuthorised", amount: { value: 600, currency: "EUR" } }),
      manual,
    );
    assert.equal(partial.outcome === "pending" && partial.reason, "amount_mismatch");
  });

  test("another merchantReference is pending", () => {
    const result = responseToAuthorizeResult(response({ merchantReference: "someone_else" }), manual);
    assert.equal(result.outcome === "pending" && result.reason, "reference_mismatch");
  });

  test("Refused is a declined value with Adyen's words", () => {
    assert.deepEqual(
      responseToAuthorizeResult(response({ resultCode: "Refused", refusalReason: "CVC Declined" }), manual),
      {
        outcome: "declined",
        declineCode: "incorrect_cvc",
        providerMessage: "CVC Declined",
        connectorReference: "993617895204576J",
      },
    );
  });

  test("Cancelled is declined for the authorize call", () => {
    const result = responseToAuthorizeResult(response({ resultCode: "Cancelled" }), manual);
    assert.equal(result.outcome === "declined" && result.declineCode, "generic_decline");
  });

  test("Received is pending with the result code as reason", () => {
    assert.deepEqual(responseToAuthorizeResult(response({ resultCode: "Received" }), manual), {
      outcome: "pending",
      connectorReference: "993617895204576J",
      reason: "result_Received",
    });
  });
});

describe("actionUrl", () => {
  test("GET redirects are used as they are", () => {
    assert.equal(
      actionUrl({ type: "redirect", method: "GET", url: "https://x.example/a?b=c" }),
      "https://x.example/a?b=c",
    );
  });
  test("a POST redirect becomes a GET URL with its form fields", () => {
    const url = actionUrl({
      type: "redirect",
      method: "POST",
      url: "https://acs.example/pareq",
      data: { PaReq: "abc+/=", MD: "md1", TermUrl: "https://payrail.example/return" },
    });
    const parsed = new URL(url!);
    assert.equal(parsed.origin + parsed.pathname, "https://acs.example/pareq");
    assert.equal(parsed.searchParams.get("PaReq"), "abc+/=");
    assert.equal(parsed.searchParams.get("MD"), "md1");
  });
  test("no URL, a bad URL or another scheme gives none", () => {
    assert.equal(actionUrl(undefined), undefined);
    assert.equal(actionUrl({ type: "redirect" }), undefined);
    assert.equal(actionUrl({ type: "redirect", url: "not a url" }), undefined);
    assert.equal(actionUrl({ type: "redirect", url: "javascript:alert(1)" }), undefined);
  });
});

describe("validation errors", () => {
  const table: Array<[unknown, DeclineCode | null]> = [
    [
      { status: 422, errorCode: "101", message: "Invalid card number", errorType: "validation" },
      "incorrect_number",
    ],
    [
      { status: 422, errorCode: "102", message: "Unable to determine variant", errorType: "validation" },
      "incorrect_number",
    ],
    [
      { status: 422, errorCode: "103", message: "CVC is not the right length", errorType: "validation" },
      "incorrect_cvc",
    ],
    [
      {
        status: 422,
        errorCode: "140",
        message: "Invalid expiryMonth[1..12] / expiryYear",
        errorType: "validation",
      },
      "expired_card",
    ],
    [{ status: 422, errorCode: "14_030", message: "Return URL is missing.", errorType: "validation" }, null],
    [{ status: 422, errorCode: "5_202", message: "Invalid PayWithGoogle token" }, "processing_error"],
    [{ status: 422, errorCode: "5_206", message: "PayWithGoogle signature corrupt" }, "processing_error"],
    [{ status: 422, errorCode: "5_208", message: "PayWithGoogle token already expired" }, "processing_error"],
    [null, null],
  ];
  for (const [error, expected] of table) {
    test(`${JSON.stringify(error)} → ${expected}`, () => {
      assert.equal(validationDecline(error as never), expected);
    });
  }
});

describe("parsing", () => {
  test("a payment answer without resultCode is unreadable", () => {
    assert.equal(parsePaymentResponse({ pspReference: "x" }), null);
    assert.equal(parsePaymentResponse("Authorised"), null);
    assert.notEqual(parsePaymentResponse({ resultCode: "Authorised", extra: 1 }), null);
  });
  test("amounts beyond 2^53 are unreadable", () => {
    assert.equal(
      parsePaymentResponse({ resultCode: "Authorised", amount: { value: 2 ** 60, currency: "EUR" } }),
      null,
    );
  });
});

describe("modificationToResult", () => {
  const asked = { connectorReference: "PAY123", reference: "cap_1", amount: 500n, currency: "eur" };
  const received = parseModificationResponse({
    merchantAccount: "M",
    paymentPspReference: "PAY123",
    pspReference: "CAP456",
    reference: "cap_1",
    status: "received",
    amount: { value: 500, currency: "EUR" },
  })!;

  test("received means pending until the webhook", () => {
    assert.deepEqual(modificationToResult("captures", asked, received), {
      outcome: "pending",
      connectorReference: "CAP456",
      reason: "awaiting CAPTURE webhook",
    });
    assert.equal(
      (modificationToResult("cancels", asked, received) as { reason: string }).reason,
      "awaiting CANCELLATION webhook",
    );
    assert.equal(
      (modificationToResult("refunds", asked, received) as { reason: string }).reason,
      "awaiting REFUND webhook",
    );
    assert.equal(
      (modificationToResult("reversals", asked, received) as { reason: string }).reason,
      "awaiting CANCEL_OR_REFUND webhook",
    );
  });

  test("mismatches are named", () => {
    const other = (patch: object) => ({ ...received, ...patch });
    assert.equal(
      (modificationToResult("captures", asked, other({ paymentPspReference: "OTHER" })) as { reason: string })
        .reason,
      "reference_mismatch",
    );
    assert.equal(
      (
        modificationToResult("captures", asked, other({ amount: { value: 400, currency: "EUR" } })) as {
          reason: string;
        }
      ).reason,
      "amount_mismatch",
    );
    assert.equal(
      (modificationToResult("captures", asked, other({ status: "failed" })) as { reason: string }).reason,
      "status_failed",
    );
  });
});
