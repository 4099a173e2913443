import { unixSeconds } from "../core/clock.ts";
import type { Db } from "../db/index.ts";
import { type EventRow, json } from "../db/schema.ts";
import type { AppContext } from "../http/context.ts";
import type { EventCause, EventType } from "./types.ts";

export interface NewEvent {
  merchantId: string;
  livemode: boolean;
  type: EventType;
  object: { id: string } & Record<string, unknown>;
  cause?: EventCause | undefined;
}

/**
 * Writes an event in the caller's transaction: the state change and its event commit together
 * (transactional outbox); the worker fans it out to webhook endpoints afterwards.
 */
/** An event ready to insert: its id and time are fixed before the write (compare-and-set statements). */
export interface EventRowInput {
  id: string;
  event: NewEvent;
  createdAt: Date;
}

/** Inserts prepared event rows in the caller's transaction. */
export async function recordEventRows(tx: Db, events: EventRowInput[]): Promise<void> {
  if (events.length === 0) return;
  await tx
    .insertInto("events")
    .values(
      events.map(({ id, event, createdAt }) => ({
        id,
        merchant_id: event.merchantId,
        livemode: event.livemode,
        type: event.type,
        object_id: event.object.id,
        data: json({ object: event.object }),
        request_id: event.cause?.requestId ?? null,
        idempotency_key: event.cause?.idempotencyKey ?? null,
        created_at: createdAt,
      })),
    )
    .execute();
}

/**
 * Writes events in the caller's transaction: the state change and its event commit together
 * (transactional outbox); the worker fans them out to webhook endpoints afterwards.
 */
export async function recordEvents(
  ctx: Pick<AppContext, "ids" | "clock">,
  tx: Db,
  events: NewEvent[],
): Promise<void> {
  const createdAt = ctx.clock.now();
  await recordEventRows(
    tx,
    events.map((event) => ({ id: ctx.ids.next("evt"), createdAt, event })),
  );
}

export function presentEvent(row: EventRow) {
  return {
    id: row.id,
    object: "event",
    type: row.type,
    created: unixSeconds(row.created_at),
    livemode: row.livemode,
    data: row.data,
    request: { id: row.request_id, idempotency_key: row.idempotency_key },
    api_version: "2026-11-01",
  };
}

/** The object a request with this Idempotency-Key created before its process died, if it got that far. */
export async function findCreatedByIdempotencyKey(
  db: Db,
  scope: { merchantId: string; livemode: boolean },
  idempotencyKey: string,
  type: EventType,
): Promise<string | undefined> {
  const row = await db
    .selectFrom("events")
    .select("object_id")
    .where("merchant_id", "=", scope.merchantId)
    .where("livemode", "=", scope.livemode)
    .where("idempotency_key", "=", idempotencyKey)
    .where("type", "=", type)
    .orderBy("created_at", "asc")
    .executeTakeFirst();
  return row?.object_id;
}
