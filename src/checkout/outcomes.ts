import type { CheckoutSessionRow } from "../db/schema.ts";
import { recordEvents } from "../events/service.ts";
import type { EventCause } from "../events/types.ts";
import type { AppContext } from "../http/context.ts";
import { presentSession } from "./sessions.ts";

/**
 * Marks a session expired and announces it (`checkout.session.expired`) in one transaction; only the
 * first caller wins, so the worker and the merchant's expire call never announce it twice.
 */
export async function markSessionExpired(
  ctx: AppContext,
  session: CheckoutSessionRow,
  intentStatus: string,
  cause?: EventCause,
): Promise<CheckoutSessionRow | undefined> {
  return ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable("checkout_sessions")
      .set({ expired_at: ctx.clock.now() })
      .where("id", "=", session.id)
      .where("merchant_id", "=", session.merchant_id)
      .where("expired_at", "is", null)
      .where("completed_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    await recordEvents(ctx, tx, [
      {
        merchantId: row.merchant_id,
        livemode: row.livemode,
        type: "checkout.session.expired",
        object: presentSession(ctx, row, intentStatus),
        cause,
      },
    ]);
    return row;
  });
}

/** Marks paid sessions complete and announces each (`checkout.session.completed`) once. */
export async function completePaidSessions(ctx: AppContext, limit: number): Promise<number> {
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now();
    const rows = await tx
      .updateTable("checkout_sessions")
      .set({ completed_at: now })
      .where("id", "in", (qb) =>
        qb
          .selectFrom("checkout_sessions as s")
          .innerJoin("payment_intents as p", "p.id", "s.payment_intent_id")
          .select("s.id")
          .where("s.completed_at", "is", null)
          .where("s.expired_at", "is", null)
          .where("p.status", "in", ["succeeded", "requires_capture"])
          .limit(limit)
          .forUpdate("s")
          .skipLocked(),
      )
      .returningAll()
      .execute();
    if (rows.length === 0) return 0;
    await recordEvents(
      ctx,
      tx,
      rows.map((row) => ({
        merchantId: row.merchant_id,
        livemode: row.livemode,
        type: "checkout.session.completed" as const,
        object: presentSession(ctx, row, "succeeded"),
      })),
    );
    return rows.length;
  });
}
