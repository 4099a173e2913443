import assert from "node:assert/strict";
import { test } from "node:test";
import type { PaymentIntentRow } from "../db/schema.ts";
import { type PlanOptions, planAuthorizationOutcome, planOlderAttempt } from "./outcomes.ts";

const now = new Date("2026-11-25T12:00:00Z");
const options: PlanOptions = {
  now,
  captureWindowMs: 7 * 86_400_000,
  syncDelaysMs: [10_000, 30_000],
  fromConfirm: false,
  reviewAfterSyncs: 8,
  connectorTimeoutMs: 30_000,
};

function intent(over: Partial<PaymentIntentRow> = {}): PaymentIntentRow {
  return {
    id: "pi_test0000000000000001",
    merchant_id: "acct_1",
    livemode: false,
    status: "processing",
    amount: 1000n,
    currency: "usd",
    capture_method: "automatic",
    amount_capturable: 0n,
    amount_received: 0n,
    amount_refunded: 0n,
    customer_id: null,
    merchant_reference: null,
    description: null,
    metadata: {},
    return_url: null,
    client_secret: "x",
    payment_method_type: "card",
    payment_method: null,
    connector: "sandbox",
    connector_account_id: "mca_1",
    connector_transaction_id: null,
    authorize_attempts: 1,
    last_payment_error: null,
    next_action: null,
    payment_method_types: null,
    action_expires_at: null,
    cancellation_reason: null,
    canceled_at: null,
    capture_before: null,
    processing_since: new Date(now.getTime() - 5_000),
    surcharge_amount: 0n,
    application_fee_amount: null,
    transfer_destination: null,
    splits: null,
    ledger_hold: null,
    ledger_holds: 0,
    fx_quote_id: null,
    settlement_currency: null,
    settlement_rate: null,
    settlement_reference_rate: null,
    payment_method_id: null,
    setup_future_usage: null,
    off_session: false,
    next_sync_at: null,
    sync_attempts: 0,
    review_requested: false,
    created_at: now,
    updated_at: now,
    ...over,
  };
}

const authorized = {
  status: "authorized" as const,
  connectorReference: "ch_1",
  amount: 1000n,
  currency: "usd",
  captured: true,
  capturedAmount: 1000n,
};

test("captured → succeeded, authorized only → requires_capture with a capture deadline", () => {
  assert.equal(planAuthorizationOutcome(intent(), authorized, options)?.status, "succeeded");
  const manual = planAuthorizationOutcome(
    intent(),
    { ...authorized, captured: false, capturedAmount: 0n },
    options,
  );
  assert.equal(manual?.status, "requires_capture");
  assert.equal((manual!.changes.capture_before as Date).getTime(), now.getTime() + 7 * 86_400_000);
});

test("an amount the provider confirms differently is never a success", () => {
  const plan = planAuthorizationOutcome(intent(), { ...authorized, amount: 999n }, options);
  assert.equal(plan?.status, "processing");
  assert.deepEqual(plan?.events, ["payment_intent.requires_review"]);
});

test("not found is unknown while the original call may still be in flight, a failure after", () => {
  const young = intent({ sync_attempts: 5, processing_since: new Date(now.getTime() - 59_000) });
  assert.equal(planAuthorizationOutcome(young, { status: "not_found" }, options)?.status, "processing");
  const firstSyncs = intent({ sync_attempts: 1, processing_since: new Date(now.getTime() - 120_000) });
  assert.equal(planAuthorizationOutcome(firstSyncs, { status: "not_found" }, options)?.status, "processing");
  const old = intent({ sync_attempts: 2, processing_since: new Date(now.getTime() - 61_000) });
  const plan = planAuthorizationOutcome(old, { status: "not_found" }, options);
  assert.equal(plan?.status, "requires_payment_method");
  assert.deepEqual(plan?.events, ["payment_intent.payment_failed"]);
});

test("unknown from the confirm emits processing once; the review flag is raised once after the limit", () => {
  assert.deepEqual(
    planAuthorizationOutcome(intent(), { status: "pending" }, { ...options, fromConfirm: true })?.events,
    ["payment_intent.processing"],
  );
  const late = planAuthorizationOutcome(intent({ sync_attempts: 7 }), { status: "pending" }, options);
  assert.deepEqual(late?.events, ["payment_intent.requires_review"]);
  const flagged = planAuthorizationOutcome(
    intent({ sync_attempts: 9, review_requested: true }),
    { status: "pending" },
    options,
  );
  assert.deepEqual(flagged?.events, []);
});

test("money held for an intent that moved on is flagged for review, never absorbed or dropped", () => {
  for (const status of ["requires_payment_method", "canceled"] as const) {
    const plan = planAuthorizationOutcome(intent({ status }), authorized, options);
    assert.equal(plan?.status, status);
    assert.equal(plan?.changes.review_requested, true);
    assert.deepEqual(plan?.events, ["payment_intent.requires_review"]);
  }
  assert.equal(
    planAuthorizationOutcome(intent({ status: "succeeded" }), authorized, options),
    undefined,
    "a repeated success changes nothing",
  );
  assert.equal(
    planOlderAttempt(intent({ status: "succeeded", authorize_attempts: 2 }), authorized, now)?.changes
      .review_requested,
    true,
  );
  assert.equal(
    planOlderAttempt(intent(), { status: "declined", declineCode: "generic_decline" }, now),
    undefined,
  );
});
