import type { AuthorizeResult, PaymentStatus, ShopperAction } from "../connectors/contract.ts";
import { confirmsRequest } from "../connectors/contract.ts";
import { json, type NextAction, type PaymentIntentRow, type PaymentIntentUpdate } from "../db/schema.ts";
import type { EventType } from "../events/types.ts";
import { declineError } from "./decline-messages.ts";
import { assertTransition } from "./state-machine.ts";

export function authorizeReference(intentId: string, attempt: number): string {
  return `${intentId}_a${attempt}`;
}

/** The answer to an authorize call, seen as the provider's current status of the attempt. */
export function asPaymentStatus(
  result: AuthorizeResult,
  asked: { amount: bigint; currency: string },
): PaymentStatus {
  switch (result.outcome) {
    case "authorized":
      return {
        status: "authorized",
        connectorReference: result.connectorReference,
        amount: result.amount,
        currency: result.currency,
        captured: result.captured,
        capturedAmount: result.captured ? asked.amount : 0n,
        ...(result.networkTransactionId ? { networkTransactionId: result.networkTransactionId } : {}),
      };
    case "requires_action":
      return {
        status: "requires_action",
        connectorReference: result.connectorReference,
        action: result.action,
        ...(result.expiresAt ? { expiresAt: result.expiresAt } : {}),
      };
    case "declined":
      return {
        status: "declined",
        declineCode: result.declineCode,
        connectorReference: result.connectorReference,
        providerMessage: result.providerMessage,
      };
    case "pending":
      return { status: "pending", connectorReference: result.connectorReference };
  }
}

export interface OutcomePlan {
  changes: PaymentIntentUpdate;
  attempt: {
    status: "pending" | "succeeded" | "failed" | "requires_action";
    connector_reference?: string | null;
    error?: string | null;
  };
  events: EventType[];
  /** The status the intent ends in, for metrics. */
  status: PaymentIntentRow["status"];
}

export interface PlanOptions {
  now: Date;
  captureWindowMs: number;
  syncDelaysMs: readonly number[];
  /** The confirm call itself (not the sync job) ended unknown: the shop hears `processing` once. */
  fromConfirm: boolean;
  /** After this many syncs a still-unknown payment asks for a human. */
  reviewAfterSyncs: number;
  /** How long a provider call may take; a payment younger than twice this may still be in flight. */
  connectorTimeoutMs: number;
  /** The `next_action` drawn for a `requires_action` status (a QR code's image is made ahead). */
  nextAction?: NextAction | undefined;
}

/** After a provider order's expiry, this long passes before Payrail closes it (clocks differ a little). */
export const EXPIRY_GRACE_MS = 30_000;

/**
 * Decides what a provider status means for an intent whose latest authorization it describes. Returns
 * undefined when there is nothing to change (a late or repeated notification).
 */
export function planAuthorizationOutcome(
  intent: PaymentIntentRow,
  status: PaymentStatus,
  options: PlanOptions,
): OutcomePlan | undefined {
  const { now } = options;
  if (intent.status !== "processing" && intent.status !== "requires_action") {
    return planLateAuthorization(intent, status, now);
  }
  const base: PaymentIntentUpdate = { updated_at: now };
  const plan = (
    to: PaymentIntentRow["status"],
    changes: PaymentIntentUpdate,
    attempt: OutcomePlan["attempt"],
    events: EventType[],
  ): OutcomePlan => {
    assertTransition(intent.status, to);
    return { changes: { ...base, ...changes, status: to }, attempt, events, status: to };
  };

  switch (status.status) {
    case "authorized": {
      if (!confirmsRequest(intent, status)) {
        // The provider confirmed something we did not ask for: never call that a success.
        return plan(
          intent.status,
          { review_requested: true, next_sync_at: null },
          {
            status: "pending",
            connector_reference: status.connectorReference,
            error: json("amount_mismatch"),
          },
          intent.review_requested ? [] : ["payment_intent.requires_review"],
        );
      }
      const common: PaymentIntentUpdate = {
        connector_transaction_id: status.connectorReference,
        next_action: null,
        last_payment_error: null,
        next_sync_at: null,
        processing_since: null,
      };
      const attempt = { status: "succeeded" as const, connector_reference: status.connectorReference };
      if (status.captured) {
        return plan(
          "succeeded",
          { ...common, amount_received: intent.amount, amount_capturable: 0n },
          attempt,
          ["payment_intent.succeeded"],
        );
      }
      return plan(
        "requires_capture",
        {
          ...common,
          amount_capturable: intent.amount,
          capture_before: new Date(now.getTime() + options.captureWindowMs),
        },
        attempt,
        ["payment_intent.amount_capturable_updated"],
      );
    }
    case "requires_action": {
      if (intent.status === "requires_action") return undefined;
      const expiresAt = status.expiresAt ?? intent.action_expires_at;
      const slowSync = now.getTime() + (options.syncDelaysMs.at(-1) ?? 3_600_000);
      // A payment waiting on the shopper is looked at again when its provider order expires, at the latest.
      const nextSync = expiresAt ? Math.min(slowSync, expiresAt.getTime() + EXPIRY_GRACE_MS) : slowSync;
      return plan(
        "requires_action",
        {
          connector_transaction_id: status.connectorReference,
          next_action: json(options.nextAction ?? redirectNextAction(status.action, intent.return_url)),
          action_expires_at: expiresAt ?? null,
          next_sync_at: new Date(nextSync),
        },
        { status: "requires_action", connector_reference: status.connectorReference },
        ["payment_intent.requires_action"],
      );
    }
    case "expired": {
      // The provider's order expired or was closed unpaid: nothing was charged and nothing can be.
      return plan(
        "canceled",
        {
          cancellation_reason: "expired",
          canceled_at: now,
          next_action: null,
          next_sync_at: null,
          processing_since: null,
          ...(status.connectorReference ? { connector_transaction_id: status.connectorReference } : {}),
        },
        { status: "failed", connector_reference: status.connectorReference ?? null, error: json("expired") },
        ["payment_intent.canceled"],
      );
    }
    case "requires_review": {
      if (intent.status === "processing" && intent.review_requested && intent.next_sync_at === null) {
        return undefined;
      }
      // Money arrived, but not as asked (underpaid, late): a person decides, never an automatic success.
      return plan(
        "processing",
        {
          review_requested: true,
          next_action: null,
          next_sync_at: null,
          connector_transaction_id: status.connectorReference,
        },
        { status: "pending", connector_reference: status.connectorReference, error: json(status.reason) },
        intent.review_requested ? [] : ["payment_intent.requires_review"],
      );
    }
    case "declined":
    case "voided": {
      const error = declineError(status.status === "declined" ? status.declineCode : "generic_decline");
      return plan(
        "requires_payment_method",
        {
          last_payment_error: json(error),
          next_action: null,
          next_sync_at: null,
          processing_since: null,
          connector_transaction_id: status.connectorReference ?? intent.connector_transaction_id,
        },
        { status: "failed", connector_reference: status.connectorReference ?? null, error: json(error) },
        ["payment_intent.payment_failed"],
      );
    }
    case "not_found": {
      // The provider never saw the reference. Right after a timeout it may still be in flight, so only
      // a repeated answer counts as a definite failure.
      // The confirm's own call may still be on its way for up to the connector timeout: only after
      // that has surely passed does "never heard of it" mean it never happened.
      const inFlightUntil = (intent.processing_since?.getTime() ?? 0) + 2 * options.connectorTimeoutMs;
      if (intent.status === "processing" && intent.sync_attempts >= 2 && now.getTime() > inFlightUntil) {
        const error = declineError("processing_error");
        return plan(
          "requires_payment_method",
          { last_payment_error: json(error), next_action: null, next_sync_at: null, processing_since: null },
          { status: "failed", error: json(error) },
          ["payment_intent.payment_failed"],
        );
      }
      return planStillUnknown(intent, options);
    }
    case "pending":
      return planStillUnknown(intent, options, status.connectorReference);
  }
}

function planStillUnknown(
  intent: PaymentIntentRow,
  options: PlanOptions,
  connectorReference?: string,
): OutcomePlan | undefined {
  if (intent.status !== "processing") return undefined;
  const syncs = options.fromConfirm ? 0 : intent.sync_attempts + 1;
  const delays = options.syncDelaysMs;
  const delay = delays[Math.min(syncs, delays.length - 1)] ?? 60_000;
  const events: EventType[] = [];
  if (options.fromConfirm) events.push("payment_intent.processing");
  const raiseReview = !intent.review_requested && syncs >= options.reviewAfterSyncs;
  if (raiseReview) events.push("payment_intent.requires_review");
  return {
    status: "processing",
    changes: {
      updated_at: options.now,
      sync_attempts: syncs,
      next_sync_at: new Date(options.now.getTime() + delay),
      ...(raiseReview ? { review_requested: true } : {}),
      ...(connectorReference ? { connector_transaction_id: connectorReference } : {}),
    },
    attempt: {
      status: "pending",
      ...(connectorReference ? { connector_reference: connectorReference } : {}),
    },
    events,
  };
}

/**
 * The provider holds money for an authorization this intent no longer expects (it was failed or
 * canceled meanwhile). Nothing may silently absorb that: the attempt is recorded as succeeded and the
 * intent is flagged for review, once, so a person releases or refunds the funds.
 */
export function planLateAuthorization(
  intent: PaymentIntentRow,
  status: PaymentStatus,
  now: Date,
): OutcomePlan | undefined {
  if (intent.status !== "requires_payment_method" && intent.status !== "canceled") return undefined;
  return planOlderAttempt(intent, status, now);
}

/** A 3-D Secure redirect needs no drawing; every other action is drawn ahead by the caller. */
function redirectNextAction(action: ShopperAction, returnUrl: string | null): NextAction {
  if (action.type !== "redirect_to_url") throw new Error(`next_action ${action.type} was not drawn`);
  return { type: "redirect_to_url", redirect_to_url: { url: action.url, return_url: returnUrl } };
}

/** An earlier attempt of an intent that has since been confirmed again reports money held. */
export function planOlderAttempt(
  intent: PaymentIntentRow,
  status: PaymentStatus,
  now: Date,
): OutcomePlan | undefined {
  if (status.status !== "authorized" && status.status !== "requires_review") return undefined;
  return {
    status: intent.status,
    changes: { review_requested: true, updated_at: now },
    attempt: {
      status: "succeeded",
      connector_reference: status.connectorReference,
      error: json("authorized_after_intent_moved_on"),
    },
    events: intent.review_requested ? [] : ["payment_intent.requires_review"],
  };
}
