/** Greenfield store webhook endpoints: create / list / get / update / delete, deliveries and redelivery. */
import type { Context, Outcome } from "./context.ts";
import { apiError, ok, unixSeconds, validationError } from "./context.ts";
import type { Notifier } from "./notifier.ts";
import type { Delivery, Webhook } from "./store.ts";

interface WebhookBody {
  enabled?: boolean;
  automaticRedelivery?: boolean;
  url?: string;
  authorizedEvents?: { everything?: boolean; specificEvents?: string[] };
  secret?: string | null;
}

export const webhookNotFound = (): Outcome => apiError(404, "webhook-not-found", "The webhook was not found");
const deliveryNotFound = (): Outcome =>
  apiError(404, "webhookdelivery-not-found", "The webhook delivery was not found");

function absoluteUrl(url: string | undefined): boolean {
  if (typeof url !== "string" || !URL.canParse(url)) return false;
  return ["http:", "https:"].includes(new URL(url).protocol);
}

function webhookModel(webhook: Webhook, includeSecret: boolean) {
  return {
    id: webhook.id,
    enabled: webhook.enabled,
    automaticRedelivery: webhook.automaticRedelivery,
    url: webhook.url,
    authorizedEvents: { everything: webhook.everything, specificEvents: webhook.specificEvents },
    ...(includeSecret ? { secret: webhook.secret } : {}),
  };
}

function deliveryModel(delivery: Delivery) {
  return {
    id: delivery.id,
    timestamp: unixSeconds(delivery.timestamp),
    ...(delivery.deliveryTime ? { deliveryTime: unixSeconds(delivery.deliveryTime) } : {}),
    httpCode: delivery.httpCode,
    ...(delivery.errorMessage ? { errorMessage: delivery.errorMessage } : {}),
    status: delivery.status ?? "Failed",
  };
}

export function createWebhook(ctx: Context, storeId: string, body: WebhookBody): Outcome {
  if (!absoluteUrl(body.url)) return validationError([{ path: "Url", message: "Invalid Url" }]);
  const webhook: Webhook = {
    id: ctx.ids.id(),
    storeId,
    url: body.url as string,
    enabled: body.enabled ?? true,
    automaticRedelivery: body.automaticRedelivery ?? true,
    everything: body.authorizedEvents?.everything ?? true,
    specificEvents: body.authorizedEvents?.specificEvents ?? [],
    secret: body.secret ? body.secret : ctx.ids.secret(),
  };
  ctx.store.webhooks.set(webhook.id, webhook);
  return ok(webhookModel(webhook, true), "WebhookDataCreateResult");
}

export function listWebhooks(ctx: Context, storeId: string): Outcome {
  const webhooks = [...ctx.store.webhooks.values()].filter((w) => w.storeId === storeId);
  return ok(
    webhooks.map((w) => webhookModel(w, false)),
    "WebhookDataList",
  );
}

export function getWebhook(webhook: Webhook): Outcome {
  return ok(webhookModel(webhook, false), "WebhookData");
}

export function updateWebhook(webhook: Webhook, body: WebhookBody): Outcome {
  if (!absoluteUrl(body.url)) return validationError([{ path: "Url", message: "Invalid Url" }]);
  webhook.url = body.url as string;
  webhook.enabled = body.enabled ?? true;
  webhook.automaticRedelivery = body.automaticRedelivery ?? true;
  webhook.everything = body.authorizedEvents?.everything ?? true;
  webhook.specificEvents = body.authorizedEvents?.specificEvents ?? [];
  if (body.secret) webhook.secret = body.secret;
  return getWebhook(webhook);
}

export function deleteWebhook(ctx: Context, webhook: Webhook): Outcome {
  ctx.store.webhooks.delete(webhook.id);
  return { status: 200, body: null };
}

function deliveriesOf(ctx: Context, webhook: Webhook): Delivery[] {
  return [...ctx.store.deliveries.values()]
    .filter((d) => d.webhookId === webhook.id)
    .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
}

export function listDeliveries(ctx: Context, webhook: Webhook, query: URLSearchParams): Outcome {
  const count = query.get("count");
  const deliveries = deliveriesOf(ctx, webhook);
  return ok(
    (count === null ? deliveries : deliveries.slice(0, Number(count) || 0)).map(deliveryModel),
    "WebhookDeliveryList",
  );
}

function findDelivery(ctx: Context, webhook: Webhook, deliveryId: string): Delivery | null {
  const delivery = ctx.store.deliveries.get(deliveryId);
  return delivery && delivery.webhookId === webhook.id ? delivery : null;
}

export function getDelivery(ctx: Context, webhook: Webhook, deliveryId: string): Outcome {
  const delivery = findDelivery(ctx, webhook, deliveryId);
  return delivery ? ok(deliveryModel(delivery), "WebhookDeliveryData") : deliveryNotFound();
}

/** The exact bytes that were posted, as BTCPay serves them. */
export function getDeliveryRequest(ctx: Context, webhook: Webhook, deliveryId: string): Outcome {
  const delivery = findDelivery(ctx, webhook, deliveryId);
  if (!delivery) return deliveryNotFound();
  return { status: 200, body: delivery.request, headers: { "content-type": "application/json" } };
}

export function redeliver(ctx: Context, notifier: Notifier, webhook: Webhook, deliveryId: string): Outcome {
  if (!findDelivery(ctx, webhook, deliveryId)) return deliveryNotFound();
  const id = notifier.redeliver(deliveryId);
  return id === null ? deliveryNotFound() : ok(id);
}
