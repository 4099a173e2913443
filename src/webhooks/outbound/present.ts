import type { Selectable } from "kysely";
import { unixSeconds } from "../../core/clock.ts";
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointRow } from "../../db/schema.ts";
import type { NewEvent } from "../../events/service.ts";
import type { EventCause } from "../../events/types.ts";

export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;

/** The endpoint as the API shows it; the signing secret only when just created or rolled. */
export function presentEndpoint(row: WebhookEndpointRow, options: { secret?: string } = {}) {
  return {
    id: row.id,
    object: "webhook_endpoint" as const,
    url: row.url,
    enabled_events: row.enabled_events,
    status: row.status,
    disabled_reason: row.disabled_reason,
    description: row.description,
    metadata: row.metadata,
    created: unixSeconds(row.created_at),
    livemode: row.livemode,
    ...(options.secret ? { secret: options.secret } : {}),
  };
}

export function presentAttempt(row: WebhookAttemptRow, livemode: boolean) {
  return {
    id: row.id,
    object: "webhook_attempt" as const,
    event: row.event_id,
    webhook_endpoint: row.endpoint_id,
    webhook_delivery: row.delivery_id,
    status_code: row.status_code,
    latency_ms: row.latency_ms,
    error: row.error,
    created: unixSeconds(row.created_at),
    livemode,
  };
}

export function presentDelivery(row: WebhookDeliveryRow, livemode: boolean) {
  return {
    id: row.id,
    object: "webhook_delivery" as const,
    event: row.event_id,
    webhook_endpoint: row.endpoint_id,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === "pending" ? unixSeconds(row.next_attempt_at) : null,
    created: unixSeconds(row.created_at),
    livemode,
  };
}

/** The `webhook_endpoint.disabled` event, to be written in the transaction that disabled the endpoint. */
export function endpointDisabledEvent(row: WebhookEndpointRow, cause?: EventCause): NewEvent {
  return {
    merchantId: row.merchant_id,
    livemode: row.livemode,
    type: "webhook_endpoint.disabled",
    object: presentEndpoint(row),
    cause,
  };
}
