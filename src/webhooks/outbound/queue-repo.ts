import type { Insertable } from "kysely";
import type { Db } from "../../db/index.ts";
import type { WebhookAttemptsTable } from "../../db/schema.ts";

/**
 * SQL for the worker side: the outbox of events and the queue of deliveries. Workers are not scoped
 * to a merchant, except when `merchantIds` restricts one (dedicated workers, tests on a shared database).
 */

export type MerchantFilter = readonly string[] | undefined;

/** Locks up to `limit` undispatched events, oldest first; other workers skip them. */
export async function claimEvents(tx: Db, limit: number, merchantIds: MerchantFilter) {
  let query = tx
    .selectFrom("events")
    .select(["id", "merchant_id", "livemode", "type"])
    .where("dispatched", "=", false);
  if (merchantIds) query = query.where("merchant_id", "in", [...merchantIds]);
  return query.orderBy("created_at").orderBy("id").limit(limit).forUpdate().skipLocked().execute();
}

export async function enabledEndpointsOf(tx: Db, merchantIds: string[]) {
  return tx
    .selectFrom("webhook_endpoints")
    .select(["id", "merchant_id", "livemode", "enabled_events"])
    .where("status", "=", "enabled")
    .where("merchant_id", "in", merchantIds)
    .execute();
}

export async function markDispatched(tx: Db, eventIds: string[]): Promise<void> {
  await tx.updateTable("events").set({ dispatched: true }).where("id", "in", eventIds).execute();
}

export async function backlog(db: Db, merchantIds: MerchantFilter) {
  let events = db
    .selectFrom("events")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("dispatched", "=", false);
  let deliveries = db
    .selectFrom("webhook_deliveries")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("status", "=", "pending");
  if (merchantIds) {
    events = events.where("merchant_id", "in", [...merchantIds]);
    deliveries = deliveries.where("merchant_id", "in", [...merchantIds]);
  }
  const [e, d] = await Promise.all([events.executeTakeFirstOrThrow(), deliveries.executeTakeFirstOrThrow()]);
  return { events: Number(e.n), deliveries: Number(d.n) };
}

/**
 * Leases due deliveries in one statement: the inner SELECT locks with SKIP LOCKED, the UPDATE sets
 * `locked_until`, and the statement commits at once, so no transaction stays open during HTTP.
 */
export async function claimDeliveries(
  db: Db,
  options: { now: Date; leaseUntil: Date; limit: number; merchantIds: MerchantFilter },
) {
  const { now, leaseUntil, limit, merchantIds } = options;
  return db
    .updateTable("webhook_deliveries")
    .set({ locked_until: leaseUntil, updated_at: now })
    .where("id", "in", (eb) => {
      let due = eb
        .selectFrom("webhook_deliveries as due")
        .select("due.id")
        .where("due.status", "=", "pending")
        .where("due.next_attempt_at", "<=", now)
        .where((w) => w.or([w("due.locked_until", "is", null), w("due.locked_until", "<=", now)]));
      if (merchantIds) due = due.where("due.merchant_id", "in", [...merchantIds]);
      return due.orderBy("due.next_attempt_at").limit(limit).forUpdate().skipLocked();
    })
    .where("status", "=", "pending")
    .returningAll()
    .execute();
}

export async function endpointsByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("webhook_endpoints").selectAll().where("id", "in", ids).execute();
}

export async function eventsByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("events").selectAll().where("id", "in", ids).execute();
}

/** Fails leased deliveries without an attempt (their endpoint is disabled or gone). */
export async function failUnattempted(db: Db, ids: string[], reason: string, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("webhook_deliveries")
    .set({ status: "failed", last_error: reason, locked_until: null, updated_at: now })
    .where("id", "in", ids)
    .where("status", "=", "pending")
    .execute();
}

export async function lockDelivery(tx: Db, id: string) {
  return tx.selectFrom("webhook_deliveries").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

export async function insertAttempt(tx: Db, values: Insertable<WebhookAttemptsTable>): Promise<void> {
  await tx.insertInto("webhook_attempts").values(values).execute();
}

/** Whether the endpoint answered 2xx to any attempt since `since`. */
export async function succeededSince(tx: Db, endpointId: string, since: Date): Promise<boolean> {
  const row = await tx
    .selectFrom("webhook_attempts")
    .select("id")
    .where("endpoint_id", "=", endpointId)
    .where("created_at", ">=", since)
    .where("status_code", ">=", 200)
    .where("status_code", "<", 300)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function disableEndpoint(tx: Db, id: string, reason: string, now: Date) {
  return tx
    .updateTable("webhook_endpoints")
    .set({ status: "disabled", disabled_reason: reason, updated_at: now })
    .where("id", "=", id)
    .where("status", "=", "enabled")
    .returningAll()
    .executeTakeFirst();
}
