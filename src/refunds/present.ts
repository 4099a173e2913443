import { unixSeconds } from "../core/clock.ts";
import { toJsonAmount } from "../core/money.ts";
import type { RefundRow } from "../db/schema.ts";

export function presentRefund(row: RefundRow) {
  return {
    id: row.id,
    object: "refund",
    amount: toJsonAmount(row.amount),
    currency: row.currency,
    payment_intent: row.payment_intent_id,
    status: row.status,
    reason: row.reason,
    failure_reason: row.failure_reason,
    metadata: row.metadata,
    created: unixSeconds(row.created_at),
    livemode: row.livemode,
  };
}
