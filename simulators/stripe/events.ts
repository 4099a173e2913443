/** Events: every state change is recorded on its account and sent to the account's matching endpoints. */
import { type Call, type SimContext, unixNow } from "./context.ts";
import { paginate } from "./lists.ts";
import { notFound, type Outcome, ok } from "./outcomes.ts";
import type { Ids } from "./random.ts";
import type { Account, EventRecord, WebhookEndpointRecord } from "./store.ts";

/** The API version the simulator's events claim; the objects follow Stripe's current shapes. */
export const EVENT_API_VERSION = "2022-04-12";

export interface RequestRef {
  id: string | null;
  idempotency_key: string | null;
}

export const NO_REQUEST: RequestRef = { id: null, idempotency_key: null };

export interface EventPublisher {
  emit(
    account: Account,
    type: string,
    object: Record<string, unknown>,
    request: RequestRef,
    previousAttributes?: Record<string, unknown>,
  ): EventRecord;
}

export type SendWebhook = (endpoint: WebhookEndpointRecord, event: EventRecord) => void;

export function endpointWants(endpoint: WebhookEndpointRecord, type: string): boolean {
  return (
    endpoint.status === "enabled" &&
    (endpoint.enabledEvents.includes("*") || endpoint.enabledEvents.includes(type))
  );
}

export function createEventPublisher(deps: { ids: Ids; now: () => Date; send: SendWebhook }): EventPublisher {
  return {
    emit(account, type, object, request, previousAttributes) {
      const event: EventRecord = {
        id: deps.ids.id("evt"),
        created: unixNow(deps),
        type,
        object: structuredClone(object),
        previousAttributes: previousAttributes ?? null,
        request: { ...request },
        pendingWebhooks: 0,
      };
      account.events.set(event.id, event);
      const targets = [...account.webhookEndpoints.values()].filter((endpoint) =>
        endpointWants(endpoint, type),
      );
      event.pendingWebhooks = targets.length;
      for (const endpoint of targets) deps.send(endpoint, event);
      return event;
    },
  };
}

export function eventWire(event: EventRecord): Record<string, unknown> {
  const data: Record<string, unknown> = { object: event.object };
  if (event.previousAttributes) data.previous_attributes = event.previousAttributes;
  return {
    id: event.id,
    object: "event",
    api_version: EVENT_API_VERSION,
    created: event.created,
    data,
    livemode: false,
    pending_webhooks: event.pendingWebhooks,
    request: event.request,
    type: event.type,
  };
}

function typeMatches(pattern: string, type: string): boolean {
  if (!pattern.includes("*")) return pattern === type;
  const prefix = pattern.slice(0, pattern.indexOf("*"));
  return type.startsWith(prefix);
}

export function listEvents(_ctx: SimContext, call: Call): Outcome {
  const { params } = call;
  const type = typeof params.type === "string" ? params.type : null;
  const types = Array.isArray(params.types) ? (params.types as string[]) : null;
  const success = typeof params.delivery_success === "boolean" ? params.delivery_success : null;
  return paginate({
    items: call.account.events.values(),
    params,
    url: "/v1/events",
    what: "event",
    render: eventWire,
    keep: (event) =>
      (type === null || typeMatches(type, event.type)) &&
      (types === null || types.some((pattern) => typeMatches(pattern, event.type))) &&
      (success === null || (event.pendingWebhooks === 0) === success),
  });
}

export function retrieveEvent(_ctx: SimContext, call: Call): Outcome {
  const id = call.path.id ?? "";
  const event = call.account.events.get(id);
  return event ? ok(eventWire(event)) : notFound("event", id, "id");
}
