import type { PaymentIntentStatus } from "../db/schema.ts";
import type { AppContext } from "../http/context.ts";
import type { Job } from "../jobs/runtime.ts";
import type { CaptureCancelService } from "../payments/capture-cancel.ts";
import { completePaidSessions, markSessionExpired } from "./outcomes.ts";

const BATCH = 50;
const CANCELABLE: PaymentIntentStatus[] = [
  "requires_payment_method",
  "requires_confirmation",
  "requires_action",
];

/**
 * Announces paid sessions, and closes sessions past their expiry: their intent is canceled (which also
 * closes a provider order the shopper could still pay, such as a QR code) before the session is marked
 * expired. A payment still being confirmed waits: it may yet succeed.
 */
export function checkoutSessionsJob(ctx: AppContext, captureCancel: CaptureCancelService): Job {
  return {
    name: "checkout-sessions",
    async run() {
      let done = await completePaidSessions(ctx, BATCH);
      const due = await ctx.db
        .selectFrom("checkout_sessions as s")
        .innerJoin("payment_intents as p", "p.id", "s.payment_intent_id")
        .selectAll("s")
        .select("p.status as intent_status")
        .where("s.completed_at", "is", null)
        .where("s.expired_at", "is", null)
        .where("s.expires_at", "<=", ctx.clock.now())
        .where("p.status", "in", [...CANCELABLE, "canceled"])
        .orderBy("s.expires_at")
        .limit(BATCH)
        .execute();
      for (const { intent_status, ...session } of due) {
        try {
          let status = intent_status as string;
          if (CANCELABLE.includes(status as PaymentIntentStatus)) {
            const auth = {
              merchantId: session.merchant_id,
              livemode: session.livemode,
              keyKind: "secret" as const,
              keyId: "checkout_expiry",
            };
            const canceled = await captureCancel.cancel(
              auth,
              session.payment_intent_id,
              { cancellation_reason: "abandoned" },
              { cause: {} },
            );
            status = canceled.status;
          }
          if (status === "canceled" && (await markSessionExpired(ctx, session, status))) done++;
        } catch (error) {
          ctx.logger.warn(
            { err: error, checkout_session: session.id },
            "could not expire checkout session yet",
          );
        }
      }
      return done;
    },
  };
}
