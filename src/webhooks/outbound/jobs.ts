import { unixSeconds } from "../../core/clock.ts";
import type { EventRow, WebhookEndpointRow } from "../../db/schema.ts";
import { presentEvent } from "../../events/service.ts";
import type { AppContext } from "../../http/context.ts";
import type { Job } from "../../jobs/runtime.ts";
import { attemptDelivery, recordAttempt } from "./deliver.ts";
import type { WebhookDeliveryRow } from "./present.ts";
import {
  backlog,
  claimDeliveries,
  claimEvents,
  enabledEndpointsOf,
  endpointsByIds,
  eventsByIds,
  failUnattempted,
  markDispatched,
} from "./queue-repo.ts";
import { insertDeliveries, subscribes } from "./repo.ts";
import { openEndpointSecret } from "./secret-box.ts";
import { createDeliveryFetch, type DeliveryFetch } from "./transport.ts";
import type { Resolver } from "./url-policy.ts";

export interface QueueOptions {
  /** Only these merchants' rows (a dedicated worker; tests sharing one database). */
  merchantIds?: string[] | undefined;
  batchSize?: number | undefined;
}

async function updateBacklog(ctx: AppContext, merchantIds: string[] | undefined): Promise<void> {
  const counts = await backlog(ctx.db, merchantIds);
  ctx.metrics.outboxBacklog.set({ queue: "events" }, counts.events);
  ctx.metrics.outboxBacklog.set({ queue: "deliveries" }, counts.deliveries);
}

/**
 * Fans undispatched events out to webhook deliveries: one pending delivery per enabled endpoint of the
 * event's merchant and mode that subscribes to its type. Events are claimed with SKIP LOCKED and marked
 * dispatched in the same transaction, so several workers never fan one event out twice.
 */
export function dispatchEventsJob(ctx: AppContext, options: QueueOptions = {}): Job {
  const limit = options.batchSize ?? 200;
  return {
    name: "webhooks.dispatch_events",
    async run() {
      const handled = await ctx.db.transaction().execute(async (tx) => {
        const events = await claimEvents(tx, limit, options.merchantIds);
        if (events.length === 0) return 0;
        const endpoints = await enabledEndpointsOf(tx, [...new Set(events.map((e) => e.merchant_id))]);
        const now = ctx.clock.now();
        const rows = events.flatMap((event) =>
          endpoints
            .filter(
              (endpoint) =>
                endpoint.merchant_id === event.merchant_id &&
                endpoint.livemode === event.livemode &&
                subscribes(endpoint.enabled_events, event.type),
            )
            .map((endpoint) => ({
              id: ctx.ids.next("wd"),
              merchant_id: event.merchant_id,
              endpoint_id: endpoint.id,
              event_id: event.id,
              status: "pending" as const,
              next_attempt_at: now,
              created_at: now,
              updated_at: now,
            })),
        );
        await insertDeliveries(tx, rows);
        await markDispatched(
          tx,
          events.map((event) => event.id),
        );
        return events.length;
      });
      await updateBacklog(ctx, options.merchantIds);
      return handled;
    },
  };
}

export interface DeliverOptions extends QueueOptions {
  /** The HTTP client; by default node:http(s) with the address guard of the delivery's mode. */
  fetch?: DeliveryFetch | undefined;
  /** Requests in flight at once. */
  concurrency?: number | undefined;
  /** DNS for the live-mode URL check before each attempt. */
  resolve?: Resolver | undefined;
}

async function inPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(lanes);
}

/**
 * Sends due deliveries. They are leased in one statement (`locked_until`), sent with no transaction
 * open, and each result is recorded in its own short transaction. A worker that dies mid-flight leaves
 * the lease to run out and another worker sends again: delivery is at least once.
 */
export function deliverWebhooksJob(ctx: AppContext, options: DeliverOptions = {}): Job {
  const concurrency = options.concurrency ?? 16;
  const limit = options.batchSize ?? concurrency * 4;
  const timeoutMs = ctx.config.PAYRAIL_WEBHOOK_TIMEOUT;
  // Each lane sends its share of the batch one after another, each bounded by the timeout.
  const leaseMs = Math.ceil(limit / concurrency) * timeoutMs + 60_000;
  const live = options.fetch ?? createDeliveryFetch("live");
  const test = options.fetch ?? createDeliveryFetch("test");

  async function deliverOne(
    claimed: WebhookDeliveryRow,
    endpoint: WebhookEndpointRow,
    event: EventRow,
    body: string,
  ) {
    const startedAt = ctx.clock.now();
    const result = await attemptDelivery({
      url: endpoint.url,
      livemode: endpoint.livemode,
      body,
      secret: await openEndpointSecret(ctx, endpoint),
      timestampSeconds: unixSeconds(startedAt),
      timeoutMs,
      fetch: endpoint.livemode ? live : test,
      resolve: options.resolve,
    });
    ctx.metrics.webhookAttempts.inc({ outcome: result.outcome });
    const disabled = await recordAttempt(ctx, { claimed, endpoint, result, startedAt });
    if (result.ok) {
      ctx.metrics.webhookLag.observe((ctx.clock.now().getTime() - event.created_at.getTime()) / 1000);
    }
    if (disabled) ctx.wakeWorker();
  }

  return {
    name: "webhooks.deliver",
    async run() {
      const now = ctx.clock.now();
      const claimed = await claimDeliveries(ctx.db, {
        now,
        leaseUntil: new Date(now.getTime() + leaseMs),
        limit,
        merchantIds: options.merchantIds,
      });
      if (claimed.length === 0) return 0;
      const endpoints = new Map(
        (await endpointsByIds(ctx.db, [...new Set(claimed.map((d) => d.endpoint_id))])).map((e) => [e.id, e]),
      );
      const events = new Map(
        (await eventsByIds(ctx.db, [...new Set(claimed.map((d) => d.event_id))])).map((e) => [e.id, e]),
      );
      const skipped = claimed.filter((d) => endpoints.get(d.endpoint_id)?.status !== "enabled");
      await failUnattempted(
        ctx.db,
        skipped.map((d) => d.id),
        "webhook endpoint is disabled",
        now,
      );
      // Serialized once per event: these exact bytes are signed and sent to every endpoint.
      const bodies = new Map<string, string>();
      for (const [id, event] of events) bodies.set(id, JSON.stringify(presentEvent(event)));
      const due = claimed.filter((d) => endpoints.get(d.endpoint_id)?.status === "enabled");
      await inPool(due, concurrency, async (delivery) => {
        const endpoint = endpoints.get(delivery.endpoint_id) as WebhookEndpointRow;
        const event = events.get(delivery.event_id) as EventRow;
        try {
          await deliverOne(delivery, endpoint, event, bodies.get(event.id) as string);
        } catch (error) {
          // The lease runs out and the delivery is tried again; nothing is lost.
          ctx.logger.error({ err: error, delivery: delivery.id }, "recording a webhook attempt failed");
        }
      });
      await updateBacklog(ctx, options.merchantIds);
      return claimed.length;
    },
  };
}
