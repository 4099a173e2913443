import type { Insertable, Updateable } from "kysely";
import type { Db } from "../../db/index.ts";
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from "../../db/schema.ts";

/** SQL for the webhook endpoints API. Every query is scoped by the caller's merchant and mode. */

export interface Scope {
  merchantId: string;
  livemode: boolean;
}

export const endpointsOf = (db: Db, scope: Scope) =>
  db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("merchant_id", "=", scope.merchantId)
    .where("livemode", "=", scope.livemode);

export async function findEndpoint(db: Db, scope: Scope, id: string, options: { forUpdate?: boolean } = {}) {
  const query = endpointsOf(db, scope).where("id", "=", id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/** Serializes endpoint creation per merchant, so the endpoint limit holds under concurrent requests. */
export async function lockMerchant(tx: Db, merchantId: string): Promise<void> {
  await tx.selectFrom("merchants").select("id").where("id", "=", merchantId).forUpdate().executeTakeFirst();
}

export async function countEndpoints(tx: Db, scope: Scope): Promise<number> {
  const row = await tx
    .selectFrom("webhook_endpoints")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("merchant_id", "=", scope.merchantId)
    .where("livemode", "=", scope.livemode)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertEndpoint(tx: Db, values: Insertable<WebhookEndpointsTable>) {
  return tx.insertInto("webhook_endpoints").values(values).returningAll().executeTakeFirstOrThrow();
}

export async function updateEndpoint(
  tx: Db,
  scope: Scope,
  id: string,
  values: Updateable<WebhookEndpointsTable>,
) {
  return tx
    .updateTable("webhook_endpoints")
    .set(values)
    .where("id", "=", id)
    .where("merchant_id", "=", scope.merchantId)
    .where("livemode", "=", scope.livemode)
    .returningAll()
    .executeTakeFirst();
}

/** Deliveries and their attempts go with the endpoint (ON DELETE CASCADE). */
export async function deleteEndpoint(db: Db, scope: Scope, id: string): Promise<boolean> {
  const row = await db
    .deleteFrom("webhook_endpoints")
    .where("id", "=", id)
    .where("merchant_id", "=", scope.merchantId)
    .where("livemode", "=", scope.livemode)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

export async function findEvent(db: Db, scope: Scope, id: string) {
  return db
    .selectFrom("events")
    .selectAll()
    .where("id", "=", id)
    .where("merchant_id", "=", scope.merchantId)
    .where("livemode", "=", scope.livemode)
    .executeTakeFirst();
}

/** Attempts of one merchant; callers add the endpoint or event filter after checking its scope. */
export const attemptsOf = (db: Db, merchantId: string) =>
  db.selectFrom("webhook_attempts").selectAll().where("merchant_id", "=", merchantId);

const INSERT_CHUNK = 1000;

export async function insertDeliveries(tx: Db, rows: Insertable<WebhookDeliveriesTable>[]) {
  const inserted = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    inserted.push(...(await tx.insertInto("webhook_deliveries").values(chunk).returningAll().execute()));
  }
  return inserted;
}

/** Whether an endpoint's `enabled_events` covers an event type. */
export function subscribes(enabledEvents: readonly string[], type: string): boolean {
  return enabledEvents.includes("*") || enabledEvents.includes(type);
}
