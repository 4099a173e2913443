import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { WebhookEvent } from "../contract.ts";
import { eventToWebhookEvent } from "./events.ts";

const ORDER = "5O190127TN364715T";
const REFERENCE = "pi_abc_a1";

function event(eventType: string, resourceType: string, resource: unknown) {
  return { id: "WH-1", event_type: eventType, resource_type: resourceType, resource };
}

function captureResource(status: string, extra: Record<string, unknown> = {}) {
  return {
    id: "CAP1",
    status,
    amount: { currency_code: "USD", value: "100.00" },
    custom_id: REFERENCE,
    invoice_id: REFERENCE,
    supplementary_data: { related_ids: { order_id: ORDER } },
    ...extra,
  };
}

function authorizationResource(status: string) {
  return {
    id: "AUTH1",
    status,
    amount: { currency_code: "EUR", value: "25.00" },
    custom_id: REFERENCE,
    invoice_id: REFERENCE,
    supplementary_data: { related_ids: { order_id: ORDER } },
  };
}

function refundResource(status: string, customId: string | null = "re_1") {
  return {
    id: "REF1",
    status,
    amount: { currency_code: "USD", value: "30.00" },
    ...(customId ? { custom_id: customId } : {}),
  };
}

describe("paypal webhook events", () => {
  const cases: Array<[string, ReturnType<typeof event>, WebhookEvent]> = [
    [
      "an approved order is looked up: sync completes it",
      event("CHECKOUT.ORDER.APPROVED", "checkout-order", { id: ORDER, status: "APPROVED" }),
      { kind: "payment_lookup", providerEventId: "WH-1", connectorReference: ORDER },
    ],
    [
      "a completed capture of a CAPTURE order",
      event("PAYMENT.CAPTURE.COMPLETED", "capture", captureResource("COMPLETED")),
      {
        kind: "payment",
        providerEventId: "WH-1",
        reference: REFERENCE,
        connectorReference: ORDER,
        status: {
          status: "authorized",
          connectorReference: ORDER,
          amount: 10_000n,
          currency: "usd",
          captured: true,
          capturedAmount: 10_000n,
        },
      },
    ],
    [
      "a capture of an authorization names our capture reference (its invoice_id)",
      event(
        "PAYMENT.CAPTURE.COMPLETED",
        "capture",
        captureResource("COMPLETED", {
          amount: { currency_code: "USD", value: "40.00" },
          invoice_id: "pa_capture1",
          supplementary_data: { related_ids: { order_id: ORDER, authorization_id: "AUTH1" } },
        }),
      ),
      {
        kind: "payment",
        providerEventId: "WH-1",
        reference: "pa_capture1",
        connectorReference: ORDER,
        status: {
          status: "authorized",
          connectorReference: ORDER,
          amount: 4_000n,
          currency: "usd",
          captured: true,
          capturedAmount: 4_000n,
        },
      },
    ],
    [
      "a pending (eCheck) capture",
      event("PAYMENT.CAPTURE.PENDING", "capture", captureResource("PENDING")),
      {
        kind: "payment",
        providerEventId: "WH-1",
        reference: REFERENCE,
        connectorReference: ORDER,
        status: { status: "pending", connectorReference: ORDER },
      },
    ],
    [
      "a denied capture of an authorization fails that capture; the authorization stands",
      event(
        "PAYMENT.CAPTURE.DENIED",
        "capture",
        captureResource("DECLINED", {
          invoice_id: "pa_capture2",
          supplementary_data: { related_ids: { order_id: ORDER, authorization_id: "AUTH1" } },
        }),
      ),
      {
        kind: "payment",
        providerEventId: "WH-1",
        reference: "pa_capture2",
        connectorReference: ORDER,
        status: {
          status: "authorized",
          connectorReference: ORDER,
          amount: 10_000n,
          currency: "usd",
          captured: false,
          capturedAmount: 0n,
        },
      },
    ],
    [
      "a created authorization",
      event("PAYMENT.AUTHORIZATION.CREATED", "authorization", authorizationResource("CREATED")),
      {
        kind: "payment",
        providerEventId: "WH-1",
        reference: REFERENCE,
        connectorReference: ORDER,
        status: {
          status: "authorized",
          connectorReference: ORDER,
          amount: 2_500n,
          currency: "eur",
          captured: false,
          capturedAmount: 0n,
        },
      },
    ],
    [
      "a voided authorization",
      event("PAYMENT.AUTHORIZATION.VOIDED", "authorization", authorizationResource("VOIDED")),
      {
        kind: "payment",
        providerEventId: "WH-1",
        reference: REFERENCE,
        connectorReference: ORDER,
        status: { status: "voided", connectorReference: ORDER },
      },
    ],
    [
      "a refund names our refund reference (its custom_id)",
      event("PAYMENT.CAPTURE.REFUNDED", "refund", refundResource("COMPLETED")),
      {
        kind: "refund",
        providerEventId: "WH-1",
        reference: "re_1",
        connectorReference: "REF1",
        status: { status: "succeeded", connectorReference: "REF1", amount: 3_000n, currency: "usd" },
      },
    ],
    [
      "a refund that failed",
      event("PAYMENT.REFUND.FAILED", "refund", refundResource("FAILED")),
      {
        kind: "refund",
        providerEventId: "WH-1",
        reference: "re_1",
        connectorReference: "REF1",
        status: { status: "failed", reason: "refund_failed" },
      },
    ],
    [
      "a refund made outside Payrail (no custom_id) is not ours to apply",
      event("PAYMENT.CAPTURE.REFUNDED", "refund", refundResource("COMPLETED", null)),
      { kind: "unknown", providerEventId: "WH-1", providerType: "PAYMENT.CAPTURE.REFUNDED" },
    ],
    [
      "an event Payrail does not map",
      event("PAYMENT.CAPTURE.REVERSED", "capture", captureResource("REVERSED")),
      { kind: "unknown", providerEventId: "WH-1", providerType: "PAYMENT.CAPTURE.REVERSED" },
    ],
    [
      "a capture event whose resource is not a capture",
      event("PAYMENT.CAPTURE.COMPLETED", "capture", { id: 5 }),
      { kind: "unknown", providerEventId: "WH-1", providerType: "PAYMENT.CAPTURE.COMPLETED" },
    ],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => assert.deepEqual(eventToWebhookEvent(input), expected));
  }
});
