import { sql } from "kysely";
import type { PaymentAttemptRow, PaymentIntentRow, RefundRow } from "../db/schema.ts";
import type { Job } from "../jobs/runtime.ts";
import type { RefundService } from "../refunds/service.ts";
import type { PaymentsDeps } from "./apply.ts";
import type { CaptureCancelService } from "./capture-cancel.ts";
import { syncIntent } from "./sync.ts";

const BATCH = 20;
const LEASE_MS = 60_000;

/**
 * Asks the provider about payments whose outcome is unknown (`processing`) or waiting on the shopper
 * (`requires_action`), until the outcome is known. Rows are claimed by moving `next_sync_at` forward,
 * so several workers never sync the same payment at once.
 */
export function syncPaymentsJob(deps: PaymentsDeps): Job {
  const { ctx } = deps;
  return {
    name: "sync-payments",
    async run() {
      const now = ctx.clock.now();
      const slow = ctx.config.PAYRAIL_SYNC_SCHEDULE.at(-1) ?? 3_600_000;
      const claimed = await sql<PaymentIntentRow>`
        update payment_intents set next_sync_at = case when status = 'processing' or action_expires_at <= ${now} then ${new Date(now.getTime() + LEASE_MS)}::timestamptz
                                                      else ${new Date(now.getTime() + slow)}::timestamptz end
        where id in (
          select id from payment_intents
          where status in ('processing', 'requires_action') and next_sync_at <= ${now}
          order by next_sync_at limit ${BATCH} for update skip locked)
        returning *`.execute(ctx.db);
      for (const intent of claimed.rows) {
        try {
          await syncIntent(deps, intent);
        } catch (error) {
          ctx.logger.error({ err: error, payment_intent: intent.id }, "payment sync failed");
        }
      }
      return claimed.rows.length;
    },
  };
}

/** Releases authorizations not captured within their window. */
export function expireAuthorizationsJob(deps: PaymentsDeps, captureCancel: CaptureCancelService): Job {
  const { ctx } = deps;
  return {
    name: "expire-authorizations",
    async run() {
      const now = ctx.clock.now();
      const claimed = await sql<PaymentIntentRow>`
        update payment_intents set capture_before = ${new Date(now.getTime() + LEASE_MS)}::timestamptz
        where id in (
          select id from payment_intents
          where status = 'requires_capture' and capture_before <= ${now} and amount_capturable > 0
          order by capture_before limit ${BATCH} for update skip locked)
        returning *`.execute(ctx.db);
      for (const intent of claimed.rows) {
        try {
          await captureCancel.expireAuthorization(intent);
        } catch (error) {
          ctx.logger.warn(
            { err: error, payment_intent: intent.id },
            "could not release an expired authorization yet",
          );
        }
      }
      return claimed.rows.length;
    },
  };
}

/** Captures and voids whose outcome was unknown are sent again with their original reference. */
export function retryOperationsJob(deps: PaymentsDeps, captureCancel: CaptureCancelService): Job {
  const { ctx } = deps;
  return {
    name: "retry-operations",
    async run() {
      const now = ctx.clock.now();
      const delay = ctx.config.PAYRAIL_SYNC_SCHEDULE[0] ?? 10_000;
      const claimed = await sql<PaymentAttemptRow>`
        update payment_attempts set updated_at = ${now}
        where id in (
          select id from payment_attempts
          where status = 'pending' and operation in ('capture', 'void') and updated_at <= ${new Date(now.getTime() - delay)}
          order by updated_at limit ${BATCH} for update skip locked)
        returning *`.execute(ctx.db);
      for (const attempt of claimed.rows) {
        try {
          await captureCancel.retryOperation(attempt);
        } catch (error) {
          ctx.logger.error({ err: error, attempt: attempt.id }, "operation retry failed");
        }
      }
      return claimed.rows.length;
    },
  };
}

/** Pending refunds are re-sent with the same reference (idempotent at the provider) until final. */
export function syncRefundsJob(deps: PaymentsDeps, refunds: RefundService): Job {
  const { ctx } = deps;
  return {
    name: "sync-refunds",
    async run() {
      const now = ctx.clock.now();
      const claimed = await sql<RefundRow>`
        update refunds set next_sync_at = ${new Date(now.getTime() + LEASE_MS)}::timestamptz
        where id in (
          select id from refunds where status = 'pending' and next_sync_at <= ${now}
          order by next_sync_at limit ${BATCH} for update skip locked)
        returning *`.execute(ctx.db);
      for (const refund of claimed.rows) {
        try {
          await refunds.submit(refund);
        } catch (error) {
          ctx.logger.error({ err: error, refund: refund.id }, "refund sync failed");
        }
      }
      return claimed.rows.length;
    },
  };
}
