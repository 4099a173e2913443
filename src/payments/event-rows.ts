import type { Db } from "../db/index.ts";
import { json } from "../db/schema.ts";
import type { EventRowInput } from "./repo.ts";

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
