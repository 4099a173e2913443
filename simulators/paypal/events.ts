/**
 * Webhook events as PayPal builds them (`WH-...` ids, event_version 1.0, resource_version 2.0, a summary,
 * the resource and self/resend links), kept for the events API and delivered to every webhook of the app
 * that subscribed to the type or to `*`.
 */
import type { Ids } from "./ids.ts";
import type { Notifier } from "./notifier.ts";
import type { ResourceType, SpecValidators } from "./spec.ts";
import type { EventRecord, Store } from "./store.ts";

export interface EventPublisher {
  publish(
    clientId: string,
    eventType: string,
    resourceType: ResourceType,
    resource: object,
    summary: string,
  ): void;
  /** Sends a stored event again to the webhooks subscribed to it (or to the listed ones). */
  redeliver(event: EventRecord, webhookIds?: string[]): void;
}

export interface EventPublisherOptions {
  store: Store;
  ids: Ids;
  now: () => Date;
  baseUrl: () => string;
  notifier: Notifier;
  spec: SpecValidators;
  /** Called when an event fails its spec; false keeps it from being sent. */
  conforms(violation: string): boolean;
}

export function createEventPublisher(options: EventPublisherOptions): EventPublisher {
  const { store, ids } = options;

  function redeliver(event: EventRecord, webhookIds?: string[]): void {
    const type = String(event.body.event_type);
    for (const webhook of store.webhooks.values()) {
      if (webhook.clientId !== event.clientId) continue;
      if (webhookIds && !webhookIds.includes(webhook.id)) continue;
      if (!webhook.eventTypes.includes(type) && !webhook.eventTypes.includes("*")) continue;
      options.notifier.deliver(webhook, event);
    }
  }

  return {
    publish(clientId, eventType, resourceType, resource, summary) {
      const id = ids.eventId();
      const self = `${options.baseUrl()}/v1/notifications/webhooks-events/${id}`;
      const body = {
        id,
        event_version: "1.0",
        create_time: options.now().toISOString(),
        resource_type: resourceType,
        resource_version: "2.0",
        event_type: eventType,
        summary,
        resource,
        links: [
          { href: self, rel: "self", method: "GET" },
          { href: `${self}/resend`, rel: "resend", method: "POST" },
        ],
      };
      const violation = options.spec.event(body) ?? options.spec.resource(resourceType, resource);
      if (violation && !options.conforms(violation)) return;
      const event: EventRecord = { id, clientId, body };
      store.events.set(id, event);
      redeliver(event);
    },
    redeliver,
  };
}
