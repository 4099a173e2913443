import type { ModifyResult, PaymentStatus } from "../connectors/contract.ts";
import { confirmsRequest } from "../connectors/contract.ts";
import { ApiError, invalidRequest, notFound } from "../core/errors.ts";
import type { PaymentAttemptRow, PaymentIntentRow, PaymentIntentUpdate } from "../db/schema.ts";
import { recordEventRows } from "../events/service.ts";
import type { EventType } from "../events/types.ts";
import type { AuthContext } from "../http/context.ts";
import { applyAuthorizationStatus, buildEvents, callContextFor, type PaymentsDeps } from "./apply.ts";
import { isStoredLocalMethod } from "./local-methods.ts";
import { authorizeReference } from "./outcomes.ts";
import { presentIntent } from "./present.ts";
import { casUpdateIntent, findIntent, findIntentById, projectIntent } from "./repo.ts";
import type { RequestInfo } from "./service.ts";
import { assertAction, assertTransition } from "./state-machine.ts";

const operationInProgress = () =>
  new ApiError(409, {
    type: "invalid_request_error",
    code: "operation_in_progress",
    message: "A capture or cancellation of this PaymentIntent is still in progress. Retrieve it in a moment.",
  });

export const CANCELLATION_REASONS = [
  "duplicate",
  "fraudulent",
  "requested_by_customer",
  "abandoned",
  "automatic",
  "expired",
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

export function createCaptureCancelService(deps: PaymentsDeps) {
  const { ctx, connectors } = deps;

  async function reserve(
    intent: PaymentIntentRow,
    operation: "capture" | "void",
    amount: bigint,
    reserveAll: boolean,
  ): Promise<PaymentAttemptRow | undefined> {
    const now = ctx.clock.now();
    return ctx.db.transaction().execute(async (tx) => {
      const moved = await tx
        .updateTable("payment_intents")
        .set({ amount_capturable: reserveAll ? 0n : intent.amount_capturable - amount, updated_at: now })
        .where("id", "=", intent.id)
        .where("status", "=", "requires_capture")
        .where("amount_capturable", "=", intent.amount_capturable)
        .returning("id")
        .executeTakeFirst();
      if (!moved) return undefined;
      const id = ctx.ids.next("pa");
      return tx
        .insertInto("payment_attempts")
        .values({
          id,
          merchant_id: intent.merchant_id,
          payment_intent_id: intent.id,
          refund_id: null,
          operation,
          reference: id,
          status: "pending",
          amount,
          connector_account_id: intent.connector_account_id as string,
          connector_reference: null,
          error: null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  async function callProvider(
    intent: PaymentIntentRow,
    attempt: PaymentAttemptRow,
    final: boolean,
  ): Promise<ModifyResult> {
    const call = await callContextFor(deps, attempt.connector_account_id);
    const connector = connectors.require(call.account.connector);
    const request = {
      reference: attempt.reference,
      connectorReference: intent.connector_transaction_id as string,
      amount: attempt.amount,
      currency: intent.currency,
    };
    const started = process.hrtime.bigint();
    let result: ModifyResult;
    try {
      result =
        attempt.operation === "capture"
          ? await connector.capture(call, { ...request, final })
          : await connector.void(call, request);
    } catch (error) {
      ctx.logger.error({ err: error, attempt: attempt.id }, `${attempt.operation} call failed unexpectedly`);
      result = { outcome: "pending", reason: "connector_error" };
    }
    if (
      result.outcome === "succeeded" &&
      attempt.operation === "capture" &&
      !confirmsRequest(request, result)
    ) {
      result = { outcome: "pending", reason: "amount_mismatch" };
    }
    ctx.metrics.connectorCalls.observe(
      { connector: connector.id, operation: attempt.operation, outcome: result.outcome },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
    return result;
  }

  /**
   * Records the provider's answer to a capture or void. Runs under a row lock because captures may
   * finish in any order; amounts are recomputed from the attempts rather than trusted from memory.
   */
  async function settle(
    intentId: string,
    attempt: PaymentAttemptRow,
    result: ModifyResult,
    final: boolean,
    cause?: RequestInfo["cause"],
  ) {
    const now = ctx.clock.now();
    const snapshot = await findIntentById(ctx.db, intentId);
    if (!snapshot) throw new Error(`payment intent ${intentId} vanished`);
    const pa = await deps.money.prepare(snapshot);
    return ctx.db.transaction().execute(async (tx) => {
      const intent = await tx
        .selectFrom("payment_intents")
        .selectAll()
        .where("id", "=", intentId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const current = await tx
        .selectFrom("payment_attempts")
        .selectAll()
        .where("id", "=", attempt.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (current.status !== "pending" || result.outcome === "pending") return intent;
      const succeeded = result.outcome === "succeeded";
      await tx
        .updateTable("payment_attempts")
        .set({
          status: succeeded ? "succeeded" : "failed",
          connector_reference: succeeded ? result.connectorReference : null,
          error: succeeded
            ? null
            : JSON.stringify({
                type: "api_error",
                code: `${attempt.operation}_failed`,
                message: result.reason,
              }),
          updated_at: now,
        })
        .where("id", "=", attempt.id)
        .execute();
      const pendingOthers = await tx
        .selectFrom("payment_attempts")
        .select((eb) => eb.fn.coalesce(eb.fn.sum<bigint>("amount"), eb.val(0n)).as("total"))
        .where("payment_intent_id", "=", intentId)
        .where("operation", "=", "capture")
        .where("status", "=", "pending")
        .executeTakeFirstOrThrow();
      const changes: PaymentIntentUpdate = { updated_at: now };
      const events: EventType[] = [];
      let to = intent.status;
      if (attempt.operation === "capture") {
        const received = intent.amount_received + (succeeded ? attempt.amount : 0n);
        changes.amount_received = received;
        if (succeeded && (final || received === intent.amount)) {
          // A final capture releases whatever was not captured.
          to = "succeeded";
          Object.assign(changes, { amount_capturable: 0n, capture_before: null });
          events.push("payment_intent.succeeded");
        } else if (succeeded) {
          events.push("payment_intent.partially_captured", "payment_intent.amount_capturable_updated");
        } else if (intent.status === "requires_capture") {
          // Give back what this capture had reserved (unless a final capture has ended the intent).
          changes.amount_capturable = intent.amount - received - BigInt(pendingOthers.total);
          events.push("payment_intent.amount_capturable_updated");
        }
      } else if (succeeded) {
        to = intent.amount_received > 0n ? "succeeded" : "canceled";
        Object.assign(changes, { amount_capturable: 0n, capture_before: null });
        if (to === "canceled") Object.assign(changes, { canceled_at: now });
        events.push(to === "succeeded" ? "payment_intent.succeeded" : "payment_intent.canceled");
      } else if (intent.status === "requires_capture") {
        changes.amount_capturable = intent.amount - intent.amount_received - BigInt(pendingOthers.total);
        changes.cancellation_reason = null;
      }
      assertTransition(intent.status, to);
      changes.status = to;
      if (succeeded && attempt.operation === "capture") {
        const remaining =
          to === "requires_capture" ? intent.amount - (changes.amount_received as bigint) : 0n;
        Object.assign(
          changes,
          await deps.money.payments.capture(
            tx,
            intent,
            pa,
            attempt.amount,
            attempt.reference,
            remaining,
            now,
          ),
        );
      } else if (succeeded) {
        Object.assign(changes, await deps.money.payments.voidHold(tx, intent));
      }
      const row = projectIntent(intent, changes);
      const updated = await tx
        .updateTable("payment_intents")
        .set(changes)
        .where("id", "=", intentId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordEventRows(tx, buildEvents(ctx, row, events, cause));
      if (to !== intent.status)
        ctx.metrics.payments.inc({ status: to, connector: intent.connector ?? "none" });
      ctx.wakeWorker();
      return updated;
    });
  }

  /**
   * After partial captures the payment is real; ending it releases only the uncaptured rest. Processors
   * refuse to void a partly captured authorization and let the rest lapse, so nothing is sent.
   */
  async function finishPartiallyCaptured(intent: PaymentIntentRow, info?: RequestInfo) {
    const now = ctx.clock.now();
    const changes: PaymentIntentUpdate = {
      status: "succeeded",
      amount_capturable: 0n,
      capture_before: null,
      updated_at: now,
    };
    changes.ledger_hold = null;
    // The uncaptured rest of the authorization is released in the books with the state change.
    const updated = await ctx.db.transaction().execute(async (tx) => {
      const row = await casUpdateIntent(
        tx,
        intent.id,
        intent.merchant_id,
        { status: "requires_capture", amountCapturable: intent.amount_capturable },
        changes,
        {
          events: buildEvents(ctx, projectIntent(intent, changes), ["payment_intent.succeeded"], info?.cause),
        },
      );
      if (row) await deps.money.payments.voidHold(tx, intent);
      return row;
    });
    if (!updated) throw operationInProgress();
    ctx.metrics.payments.inc({ status: "succeeded", connector: intent.connector ?? "none" });
    ctx.wakeWorker();
    return updated;
  }

  async function voidAuthorization(intent: PaymentIntentRow, reason: CancellationReason, info?: RequestInfo) {
    if (intent.amount_capturable === 0n) throw operationInProgress();
    if (intent.amount_received > 0n) return finishPartiallyCaptured(intent, info);
    const attempt = await reserve(intent, "void", intent.amount_capturable, true);
    if (!attempt) throw operationInProgress();
    await ctx.db
      .updateTable("payment_intents")
      .set({ cancellation_reason: reason })
      .where("id", "=", intent.id)
      .execute();
    const result = await callProvider(intent, attempt, true);
    const settled = await settle(intent.id, attempt, result, true, info?.cause);
    if (result.outcome === "failed") {
      throw new ApiError(402, {
        type: "api_error",
        code: "void_failed",
        message: `The provider refused to release the authorization: ${result.reason}.`,
        payment_intent: presentIntent(settled),
      });
    }
    return settled;
  }

  /**
   * A canceled non-card payment's provider order is closed so the shopper can no longer pay it. If the
   * shopper paid in the meantime, the provider's answer flags the intent for review (money to return).
   */
  async function closeProviderOrder(intent: PaymentIntentRow): Promise<PaymentIntentRow> {
    try {
      const call = await callContextFor(deps, intent.connector_account_id as string);
      const connector = connectors.require(call.account.connector);
      if (!connector.closePayment) return intent;
      const reference = authorizeReference(intent.id, intent.authorize_attempts);
      const closed = await connector.closePayment(call, {
        reference,
        connectorReference: intent.connector_transaction_id,
      });
      if (closed.outcome !== "failed") return intent;
      const status = await connector.sync(call, {
        reference,
        connectorReference: intent.connector_transaction_id,
      });
      return await applyAuthorizationStatus(deps, intent, reference, status, { fromConfirm: false });
    } catch (error) {
      ctx.logger.warn({ err: error, payment_intent: intent.id }, "could not close the provider order");
      return intent;
    }
  }

  return {
    async capture(
      auth: AuthContext,
      id: string,
      input: { amount_to_capture?: number | undefined; final_capture?: boolean | undefined },
      info: RequestInfo,
    ) {
      const intent = await findIntent(ctx.db, auth, id);
      if (!intent) throw notFound("payment_intent", id);
      assertAction("capture", intent.status);
      if (intent.amount_capturable === 0n) throw operationInProgress();
      const amount =
        input.amount_to_capture === undefined ? intent.amount_capturable : BigInt(input.amount_to_capture);
      if (amount > intent.amount_capturable) {
        throw invalidRequest(
          `amount_to_capture (${amount}) is greater than the amount capturable (${intent.amount_capturable}).`,
          "amount_to_capture",
          "amount_too_large",
        );
      }
      const final = input.final_capture ?? true;
      const attempt = await reserve(intent, "capture", amount, final);
      if (!attempt) throw operationInProgress();
      const result = await callProvider(intent, attempt, final);
      const settled = await settle(intent.id, attempt, result, final, info.cause);
      if (result.outcome === "failed") {
        throw new ApiError(402, {
          type: "api_error",
          code: "capture_failed",
          message: `The provider refused the capture: ${result.reason}.`,
          payment_intent: presentIntent(settled),
        });
      }
      return presentIntent(settled);
    },

    async cancel(
      auth: AuthContext,
      id: string,
      input: { cancellation_reason?: CancellationReason | undefined },
      info: RequestInfo,
    ) {
      const intent = await findIntent(ctx.db, auth, id);
      if (!intent) throw notFound("payment_intent", id);
      assertAction("cancel", intent.status);
      const reason = input.cancellation_reason ?? "requested_by_customer";
      if (intent.status === "requires_capture")
        return presentIntent(await voidAuthorization(intent, reason, info));
      const now = ctx.clock.now();
      const changes: PaymentIntentUpdate = {
        status: "canceled",
        cancellation_reason: reason,
        canceled_at: now,
        next_action: null,
        next_sync_at: null,
        updated_at: now,
      };
      const updated = await casUpdateIntent(
        ctx.db,
        intent.id,
        intent.merchant_id,
        { status: intent.status, authorizeAttempts: intent.authorize_attempts },
        changes,
        { events: buildEvents(ctx, projectIntent(intent, changes), ["payment_intent.canceled"], info.cause) },
      );
      if (!updated) {
        const latest = await findIntentById(ctx.db, intent.id);
        assertAction("cancel", latest?.status ?? "canceled");
        throw operationInProgress();
      }
      ctx.wakeWorker();
      if (isStoredLocalMethod(intent.payment_method) && intent.connector_account_id) {
        return presentIntent(await closeProviderOrder(updated));
      }
      return presentIntent(updated);
    },

    /** Worker: authorizations left uncaptured past their window are released, with an event. */
    async expireAuthorization(intent: PaymentIntentRow) {
      return voidAuthorization(intent, "automatic");
    },

    /**
     * A provider notification about a capture or void (providers that confirm modifications
     * asynchronously, like Adyen): settles the attempt it names. A status that says nothing yet is ignored.
     */
    async applyModificationStatus(attempt: PaymentAttemptRow, status: PaymentStatus) {
      const intent = await findIntentById(ctx.db, attempt.payment_intent_id);
      if (!intent) return;
      const result = modificationOutcome(attempt, status, intent.currency);
      if (!result) return;
      const final = attempt.operation === "void" || intent.amount_capturable === 0n;
      await settle(intent.id, attempt, result, final);
    },

    /** Worker: a capture or void whose outcome was unknown is sent again with the same reference. */
    async retryOperation(attempt: PaymentAttemptRow) {
      const intent = await findIntentById(ctx.db, attempt.payment_intent_id);
      if (!intent?.connector_transaction_id) return;
      const final = attempt.operation === "void" || intent.amount_capturable === 0n;
      const result = await callProvider(intent, attempt, final);
      await settle(intent.id, attempt, result, final);
    },
  };
}

export type CaptureCancelService = ReturnType<typeof createCaptureCancelService>;

/** What a notified payment status says about one capture or void; undefined when it says nothing yet. */
export function modificationOutcome(
  attempt: PaymentAttemptRow,
  status: PaymentStatus,
  currency: string,
): ModifyResult | undefined {
  if (attempt.operation === "capture" && status.status === "authorized") {
    if (!status.captured) return { outcome: "failed", reason: "capture_refused_by_provider" };
    return {
      outcome: "succeeded",
      connectorReference: status.connectorReference,
      amount: status.capturedAmount,
      currency: status.currency,
    };
  }
  if (attempt.operation === "void" && status.status === "voided") {
    return {
      outcome: "succeeded",
      connectorReference: status.connectorReference,
      amount: attempt.amount,
      currency,
    };
  }
  return undefined;
}
