/**
 * Lets a request retried after its process died find what the first run already created (the
 * created-event carries the Idempotency-Key), instead of creating it twice.
 */
export const statements = [
  `create index events_idempotency_key on events (merchant_id, livemode, idempotency_key)
     where idempotency_key is not null`,
];
