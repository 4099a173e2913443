import type { RefundStatus as ProviderRefundStatus } from "../connectors/contract.ts";
import { confirmsRequest } from "../connectors/contract.ts";
import { ApiError, invalidRequest, notFound } from "../core/errors.ts";
import { retryOnContention } from "../db/errors.ts";
import type { Db } from "../db/index.ts";
import { json, type Metadata, type RefundRow } from "../db/schema.ts";
import { findCreatedByIdempotencyKey, recordEvents } from "../events/service.ts";
import type { EventCause, EventType } from "../events/types.ts";
import type { AuthContext } from "../http/context.ts";
import { applyCreatedRange, type PageParams, paginate } from "../http/pagination.ts";
import { callContextFor, type PaymentsDeps } from "../payments/apply.ts";
import type { RefundHold } from "../settlement/refund-postings.ts";
import { presentRefund } from "./present.ts";

export const REFUND_REASONS = [
  "duplicate",
  "fraudulent",
  "requested_by_customer",
  "expired_uncaptured_charge",
] as const;

export interface CreateRefundInput {
  payment_intent: string;
  amount?: number | undefined;
  reason?: (typeof REFUND_REASONS)[number] | undefined;
  metadata?: Metadata | undefined;
}

export function createRefundService(deps: PaymentsDeps) {
  const { ctx, connectors } = deps;

  function scoped(db: Db, auth: AuthContext) {
    return db
      .selectFrom("refunds")
      .selectAll()
      .where("merchant_id", "=", auth.merchantId)
      .where("livemode", "=", auth.livemode);
  }

  /**
   * Reserves the amount under a lock on the intent: pending refunds count against what is refundable,
   * so concurrent requests can never together refund more than was captured.
   */
  async function reserve(auth: AuthContext, input: CreateRefundInput, cause: EventCause): Promise<RefundRow> {
    const snapshot = await ctx.db
      .selectFrom("payment_intents")
      .selectAll()
      .where("id", "=", input.payment_intent)
      .where("merchant_id", "=", auth.merchantId)
      .where("livemode", "=", auth.livemode)
      .executeTakeFirst();
    if (!snapshot) throw notFound("payment_intent", input.payment_intent, "payment_intent");
    const pa = await deps.money.prepare(snapshot);
    return retryOnContention(() => reserveIn(pa, auth, input, cause));
  }

  async function reserveIn(
    pa: Awaited<ReturnType<PaymentsDeps["money"]["prepare"]>>,
    auth: AuthContext,
    input: CreateRefundInput,
    cause: EventCause,
  ): Promise<RefundRow> {
    return ctx.db.transaction().execute(async (tx) => {
      const intent = await tx
        .selectFrom("payment_intents")
        .selectAll()
        .where("id", "=", input.payment_intent)
        .where("merchant_id", "=", auth.merchantId)
        .where("livemode", "=", auth.livemode)
        .forUpdate()
        .executeTakeFirst();
      if (!intent) throw notFound("payment_intent", input.payment_intent, "payment_intent");
      if (intent.amount_received === 0n || !intent.connector_transaction_id || !intent.connector_account_id) {
        throw new ApiError(400, {
          type: "invalid_request_error",
          code: "charge_not_refundable",
          message: `PaymentIntent ${intent.id} has no captured funds to refund (status ${intent.status}).`,
          param: "payment_intent",
        });
      }
      const pending = await tx
        .selectFrom("refunds")
        .select((eb) => eb.fn.coalesce(eb.fn.sum<bigint>("amount"), eb.val(0n)).as("total"))
        .where("payment_intent_id", "=", intent.id)
        .where("status", "=", "pending")
        .executeTakeFirstOrThrow();
      const refundable = intent.amount_received - intent.amount_refunded - BigInt(pending.total);
      const amount = input.amount === undefined ? refundable : BigInt(input.amount);
      if (refundable <= 0n) {
        throw new ApiError(400, {
          type: "invalid_request_error",
          code: "charge_already_refunded",
          message: `PaymentIntent ${intent.id} has already been refunded in full (including refunds still pending).`,
          param: "payment_intent",
        });
      }
      if (amount > refundable) {
        throw invalidRequest(
          `Refund amount (${amount}) is greater than the amount still refundable (${refundable}).`,
          "amount",
          "amount_too_large",
        );
      }
      const now = ctx.clock.now();
      const id = ctx.ids.next("re");
      const row = await tx
        .insertInto("refunds")
        .values({
          id,
          merchant_id: auth.merchantId,
          livemode: auth.livemode,
          payment_intent_id: intent.id,
          amount,
          currency: intent.currency,
          reason: input.reason ?? null,
          status: "pending",
          failure_reason: null,
          connector_refund_id: null,
          metadata: json(input.metadata ?? {}),
          next_sync_at: new Date(now.getTime() + (ctx.config.PAYRAIL_SYNC_SCHEDULE[0] ?? 10_000)),
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx
        .insertInto("payment_attempts")
        .values({
          id: ctx.ids.next("pa"),
          merchant_id: auth.merchantId,
          payment_intent_id: intent.id,
          refund_id: id,
          operation: "refund",
          reference: id,
          status: "pending",
          amount,
          connector_account_id: intent.connector_account_id,
          connector_reference: null,
          error: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      // The funds are held in the ledger now: a refund the balances cannot cover is refused here.
      const holds = await deps.money.refunds.reserve(
        tx,
        pa,
        row,
        now,
        intent.amount_refunded + BigInt(pending.total),
      );
      await tx
        .updateTable("refunds")
        .set({ ledger_holds: JSON.stringify(holds) })
        .where("id", "=", id)
        .execute();
      await recordEvents(ctx, tx, [
        {
          merchantId: auth.merchantId,
          livemode: auth.livemode,
          type: "refund.created",
          object: presentRefund(row),
          cause,
        },
      ]);
      return row;
    });
  }

  /** Applies the provider's view of a refund; repeated or late answers change nothing. */
  async function applyRefundStatus(
    refundId: string,
    status: ProviderRefundStatus,
    cause?: EventCause,
  ): Promise<RefundRow> {
    const now = ctx.clock.now();
    const snapshot = await ctx.db
      .selectFrom("refunds")
      .innerJoin("payment_intents", "payment_intents.id", "refunds.payment_intent_id")
      .selectAll("payment_intents")
      .where("refunds.id", "=", refundId)
      .executeTakeFirstOrThrow();
    const pa = await deps.money.prepare(snapshot);
    const result = await ctx.db.transaction().execute(async (tx) => {
      const refund = await tx
        .selectFrom("refunds")
        .selectAll()
        .where("id", "=", refundId)
        .executeTakeFirstOrThrow();
      // Lock order everywhere: intent first, then refund.
      await tx
        .selectFrom("payment_intents")
        .select("id")
        .where("id", "=", refund.payment_intent_id)
        .forUpdate()
        .execute();
      const locked = await tx
        .selectFrom("refunds")
        .selectAll()
        .where("id", "=", refundId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (locked.status !== "pending") return { row: locked, changed: false };
      let next: { status: RefundRow["status"]; failure_reason?: string | null; type: EventType } | undefined;
      if (status.status === "succeeded") {
        if (!confirmsRequest(locked, status)) {
          ctx.logger.error(
            { refund: refundId },
            "provider confirmed a refund amount we did not ask for; left pending for review",
          );
        } else {
          next = { status: "succeeded", type: "refund.updated" };
        }
      } else if (status.status === "failed") {
        next = { status: "failed", failure_reason: status.reason, type: "refund.failed" };
      }
      if (!next) {
        const syncs = locked.sync_attempts + 1;
        const delays = ctx.config.PAYRAIL_SYNC_SCHEDULE;
        await tx
          .updateTable("refunds")
          .set({
            sync_attempts: syncs,
            next_sync_at: new Date(now.getTime() + (delays[Math.min(syncs, delays.length - 1)] ?? 60_000)),
            ...("connectorReference" in status && status.connectorReference
              ? { connector_refund_id: status.connectorReference }
              : {}),
            updated_at: now,
          })
          .where("id", "=", refundId)
          .execute();
        return { row: locked, changed: false };
      }
      const row = await tx
        .updateTable("refunds")
        .set({
          status: next.status,
          failure_reason: next.failure_reason ?? null,
          connector_refund_id:
            status.status === "succeeded" ? status.connectorReference : locked.connector_refund_id,
          next_sync_at: null,
          updated_at: now,
        })
        .where("id", "=", refundId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx
        .updateTable("payment_attempts")
        .set({ status: next.status === "succeeded" ? "succeeded" : "failed", updated_at: now })
        .where("reference", "=", refundId)
        .execute();
      const holds = (locked.ledger_holds ?? []) as RefundHold[];
      if (next.status === "succeeded") await deps.money.refunds.succeeded(tx, pa, locked, holds);
      else await deps.money.refunds.failed(tx, pa, locked, holds, now);
      if (next.status === "succeeded") {
        await tx
          .updateTable("payment_intents")
          .set((eb) => ({ amount_refunded: eb("amount_refunded", "+", row.amount), updated_at: now }))
          .where("id", "=", row.payment_intent_id)
          .execute();
      }
      await recordEvents(ctx, tx, [
        {
          merchantId: row.merchant_id,
          livemode: row.livemode,
          type: next.type,
          object: presentRefund(row),
          cause,
        },
      ]);
      return { row, changed: true };
    });
    if (result.changed) ctx.wakeWorker();
    return result.row;
  }

  /**
   * Sends a pending refund to the provider (again with the same reference when the outcome of the first
   * call is unknown), or asks about one the provider has acknowledged.
   */
  async function submit(refund: RefundRow, cause?: EventCause): Promise<RefundRow> {
    const intent = await ctx.db
      .selectFrom("payment_intents")
      .selectAll()
      .where("id", "=", refund.payment_intent_id)
      .executeTakeFirstOrThrow();
    const call = await callContextFor(deps, intent.connector_account_id as string);
    const connector = connectors.require(call.account.connector);
    const started = process.hrtime.bigint();
    let status: ProviderRefundStatus;
    const sendRefund = async (): Promise<ProviderRefundStatus> => {
      const result = await connector.refund(call, {
        reference: refund.id,
        connectorReference: intent.connector_transaction_id as string,
        amount: refund.amount,
        currency: refund.currency,
      });
      return result.outcome === "succeeded"
        ? {
            status: "succeeded",
            connectorReference: result.connectorReference,
            amount: result.amount,
            currency: result.currency,
          }
        : result.outcome === "failed"
          ? { status: "failed", reason: result.reason }
          : { status: "pending", connectorReference: result.connectorReference };
    };
    try {
      if (refund.connector_refund_id) {
        // The provider has it: ask rather than send again (some keep idempotency keys only for an hour).
        status = await connector.syncRefund(call, {
          reference: refund.id,
          connectorReference: refund.connector_refund_id,
        });
        if (status.status === "not_found") status = { status: "pending" };
      } else {
        status = await sendRefund();
      }
    } catch (error) {
      ctx.logger.error({ err: error, refund: refund.id }, "refund call failed unexpectedly");
      status = { status: "pending" };
    }
    ctx.metrics.connectorCalls.observe(
      { connector: connector.id, operation: "refund", outcome: status.status },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
    return applyRefundStatus(refund.id, status, cause);
  }

  return {
    applyRefundStatus,
    submit,
    async create(auth: AuthContext, input: CreateRefundInput, cause: EventCause, recovered = false) {
      if (recovered && cause.idempotencyKey) {
        const existing = await findCreatedByIdempotencyKey(
          ctx.db,
          auth,
          cause.idempotencyKey,
          "refund.created",
        );
        if (existing) {
          const row = await scoped(ctx.db, auth).where("id", "=", existing).executeTakeFirstOrThrow();
          // A refund the dead run reserved but never sent is sent now, with its original reference.
          return presentRefund(row.status === "pending" ? await submit(row, cause) : row);
        }
      }
      const reserved = await reserve(auth, input, cause);
      ctx.wakeWorker();
      return presentRefund(await submit(reserved, cause));
    },
    async get(auth: AuthContext, id: string) {
      const row = await scoped(ctx.db, auth).where("id", "=", id).executeTakeFirst();
      if (!row) throw notFound("refund", id);
      return presentRefund(row);
    },
    async list(
      auth: AuthContext,
      page: PageParams,
      filters: {
        payment_intent?: string | undefined;
        "created[gte]"?: number;
        "created[lte]"?: number;
        "created[gt]"?: number;
        "created[lt]"?: number;
      },
    ) {
      let qb = scoped(ctx.db, auth);
      if (filters.payment_intent) qb = qb.where("payment_intent_id", "=", filters.payment_intent);
      qb = applyCreatedRange(qb, "refunds.created_at", filters);
      const { rows, has_more } = await paginate(qb, "refunds", page);
      return { rows: rows.map(presentRefund), has_more };
    },
  };
}

export type RefundService = ReturnType<typeof createRefundService>;
