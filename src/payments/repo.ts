import type { Insertable, Updateable } from "kysely";
import { sql } from "kysely";
import type { Db } from "../db/index.ts";
import {
  json,
  type NewPaymentIntent,
  type PaymentAttemptsTable,
  type PaymentIntentRow,
  type PaymentIntentStatus,
  type PaymentIntentUpdate,
} from "../db/schema.ts";
import type { EventRowInput } from "../events/service.ts";
import type { AuthContext } from "../http/context.ts";

/** `insert … select from (values …)` needs typed values; only inserted when the guard CTE matched. */
function eventValues(events: EventRowInput[]) {
  return sql.join(
    events.map(
      ({ id, event, createdAt }) =>
        sql`(${id}, ${event.merchantId}, ${event.livemode}::boolean, ${event.type}, ${event.object.id}, ${json({ object: event.object })}::jsonb, ${event.cause?.requestId ?? null}, ${event.cause?.idempotencyKey ?? null}, ${createdAt}::timestamptz)`,
    ),
  );
}

const EVENT_COLUMNS = sql`(id, merchant_id, livemode, type, object_id, data, request_id, idempotency_key, created_at)`;

/**
 * Inserts an intent, optionally its first provider attempt, and its events, as one statement: one round
 * trip on the hot path, and atomic without an explicit transaction.
 */
export async function insertIntent(
  db: Db,
  intent: NewPaymentIntent,
  attempt: Insertable<PaymentAttemptsTable> | null,
  events: EventRowInput[],
): Promise<PaymentIntentRow> {
  const insertIntentQuery = db.insertInto("payment_intents").values(intent).returningAll();
  const attemptCte = attempt ? sql`, a as (${db.insertInto("payment_attempts").values(attempt)})` : sql``;
  const eventsCte =
    events.length > 0
      ? sql`, e as (insert into events ${EVENT_COLUMNS} select * from (values ${eventValues(events)}) v)`
      : sql``;
  const result =
    await sql<PaymentIntentRow>`with i as (${insertIntentQuery})${attemptCte}${eventsCte} select * from i`.execute(
      db,
    );
  return result.rows[0] as PaymentIntentRow;
}

export interface Guard {
  status: PaymentIntentStatus;
  authorizeAttempts?: number;
  amountCapturable?: bigint;
}

export interface AttemptChange {
  reference: string;
  set: Updateable<PaymentAttemptsTable>;
}

/**
 * Compare-and-set on an intent: the update applies only if the intent still is as the caller saw it
 * (status and attempt number), and the attempt change and events are written in the same
 * statement only when it did. Returns the updated row, or undefined when someone else got there first.
 */
export async function casUpdateIntent(
  db: Db,
  id: string,
  merchantId: string,
  guard: Guard,
  changes: PaymentIntentUpdate,
  options: { attemptChange?: AttemptChange; events?: EventRowInput[] } = {},
): Promise<PaymentIntentRow | undefined> {
  let update = db
    .updateTable("payment_intents")
    .set(changes)
    .where("id", "=", id)
    .where("merchant_id", "=", merchantId)
    .where("status", "=", guard.status);
  if (guard.authorizeAttempts !== undefined)
    update = update.where("authorize_attempts", "=", guard.authorizeAttempts);
  if (guard.amountCapturable !== undefined)
    update = update.where("amount_capturable", "=", guard.amountCapturable);
  const parts = [sql`with u as (${update.returningAll()})`];
  if (options.attemptChange) {
    const attemptUpdate = db
      .updateTable("payment_attempts")
      .set(options.attemptChange.set)
      .where("reference", "=", options.attemptChange.reference)
      .where("merchant_id", "=", merchantId);
    parts.push(sql`, a as (${attemptUpdate} and exists (select 1 from u))`);
  }
  if (options.events && options.events.length > 0) {
    parts.push(
      sql`, e as (insert into events ${EVENT_COLUMNS} select v.* from (values ${eventValues(options.events)}) v where exists (select 1 from u))`,
    );
  }
  const result = await sql<PaymentIntentRow>`${sql.join(parts, sql``)} select * from u`.execute(db);
  return result.rows[0];
}

export function scopedIntents(db: Db, auth: AuthContext) {
  return db
    .selectFrom("payment_intents")
    .selectAll()
    .where("merchant_id", "=", auth.merchantId)
    .where("livemode", "=", auth.livemode);
}

export async function findIntent(
  db: Db,
  auth: AuthContext,
  id: string,
): Promise<PaymentIntentRow | undefined> {
  return scopedIntents(db, auth).where("id", "=", id).executeTakeFirst();
}

/** For the worker: an intent by id without a caller's scope (the id came from our own rows). */
export async function findIntentById(db: Db, id: string): Promise<PaymentIntentRow | undefined> {
  return db.selectFrom("payment_intents").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findAttemptByReference(db: Db, reference: string) {
  return db.selectFrom("payment_attempts").selectAll().where("reference", "=", reference).executeTakeFirst();
}

const JSON_COLUMNS = new Set([
  "metadata",
  "payment_method",
  "last_payment_error",
  "next_action",
  "payment_method_types",
]);

/** The row as it will be after `changes`, for building event payloads before the write. */
export function projectIntent(row: PaymentIntentRow, changes: PaymentIntentUpdate): PaymentIntentRow {
  const out: Record<string, unknown> = { ...row };
  for (const [key, value] of Object.entries(changes)) {
    out[key] = JSON_COLUMNS.has(key) && typeof value === "string" ? JSON.parse(value) : value;
  }
  return out as PaymentIntentRow;
}
