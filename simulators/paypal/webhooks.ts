/**
 * Webhooks Management v1: subscribe a listener URL to event types (or `*`), list, show and delete them,
 * show and resend events, and POST /v1/notifications/verify-webhook-signature, which checks a delivery's
 * headers and event against the simulator's signing certificate as PayPal's own endpoint does.
 */
import { answer, type Call, type Context, type Outcome } from "./context.ts";
import { webhooksError } from "./errors.ts";
import { AUTH_ALGO, type SigningIdentity, verifyTransmission } from "./signing.ts";
import { owned, type WebhookRecord } from "./store.ts";

export const EVENT_TYPES: Record<string, string> = {
  "CHECKOUT.ORDER.APPROVED": "An order has been approved by buyer.",
  "CHECKOUT.ORDER.COMPLETED": "Checkout Order Completed",
  "PAYMENT.AUTHORIZATION.CREATED": "A payment authorization was created.",
  "PAYMENT.AUTHORIZATION.VOIDED": "A payment authorization was voided.",
  "PAYMENT.CAPTURE.COMPLETED": "A payment capture completes.",
  "PAYMENT.CAPTURE.DENIED": "A payment capture is denied.",
  "PAYMENT.CAPTURE.PENDING": "The state of a payment capture changes to pending.",
  "PAYMENT.CAPTURE.REFUNDED": "A merchant refunds a payment capture.",
  "PAYMENT.CAPTURE.REVERSED": "PayPal reverses a payment capture.",
  "*": "ALL",
};

const MAX_WEBHOOKS_PER_APP = 10;

export interface VerifierDeps {
  identity: SigningIdentity;
  certUrl: () => string;
}

function webhookWire(ctx: Context, webhook: WebhookRecord): Record<string, unknown> {
  const self = `${ctx.baseUrl()}/v1/notifications/webhooks/${webhook.id}`;
  return {
    id: webhook.id,
    url: webhook.url,
    event_types: webhook.eventTypes.map((name) => ({ name, description: EVENT_TYPES[name] ?? name })),
    links: [
      { href: self, rel: "self", method: "GET" },
      { href: self, rel: "update", method: "PATCH" },
      { href: self, rel: "delete", method: "DELETE" },
    ],
  };
}

function rejected(status: number, body: unknown): Outcome {
  return { status, body, remember: false };
}

function missingWebhook(ctx: Context): Outcome {
  return rejected(404, webhooksError("INVALID_RESOURCE_ID", "Resource id is invalid", ctx.ids.debugId()));
}

export function createWebhook(ctx: Context, call: Call): Outcome {
  const url = String(call.body.url);
  const names = (call.body.event_types as Array<{ name: string }>).map((type) => type.name);
  const unknown = names.findIndex((name) => EVENT_TYPES[name] === undefined);
  if (unknown >= 0 || names.length === 0) {
    const field = unknown >= 0 ? `event_types[${unknown}].name` : "event_types";
    return rejected(
      400,
      webhooksError("VALIDATION_ERROR", "Invalid data provided", ctx.ids.debugId(), [
        { field, issue: unknown >= 0 ? "Invalid event type" : "At least one event type is required" },
      ]),
    );
  }
  if (!/^https?:\/\//i.test(url)) {
    return rejected(
      400,
      webhooksError("VALIDATION_ERROR", "Invalid data provided", ctx.ids.debugId(), [
        { field: "url", issue: "Invalid url" },
      ]),
    );
  }
  const mine = [...ctx.store.webhooks.values()].filter((webhook) => webhook.clientId === call.app.clientId);
  if (mine.some((webhook) => webhook.url === url)) {
    return rejected(
      400,
      webhooksError("WEBHOOK_URL_ALREADY_EXISTS", "Webhook URL already exists", ctx.ids.debugId()),
    );
  }
  if (mine.length >= MAX_WEBHOOKS_PER_APP) {
    return rejected(
      400,
      webhooksError("WEBHOOK_NUMBER_LIMIT_EXCEEDED", "Maximum number of webhooks reached", ctx.ids.debugId()),
    );
  }
  const webhook: WebhookRecord = {
    id: ctx.ids.webhookId(),
    clientId: call.app.clientId,
    url,
    eventTypes: [...new Set(names)],
  };
  ctx.store.webhooks.set(webhook.id, webhook);
  return answer(201, webhookWire(ctx, webhook));
}

export function listWebhooks(ctx: Context, call: Call): Outcome {
  const webhooks = [...ctx.store.webhooks.values()].filter(
    (webhook) => webhook.clientId === call.app.clientId,
  );
  return answer(200, { webhooks: webhooks.map((webhook) => webhookWire(ctx, webhook)) });
}

export function showWebhook(ctx: Context, call: Call): Outcome {
  const webhook = owned(ctx.store.webhooks, call.params[0] ?? "", call.app.clientId);
  return webhook ? answer(200, webhookWire(ctx, webhook)) : missingWebhook(ctx);
}

export function deleteWebhook(ctx: Context, call: Call): Outcome {
  const webhook = owned(ctx.store.webhooks, call.params[0] ?? "", call.app.clientId);
  if (!webhook) return missingWebhook(ctx);
  ctx.store.webhooks.delete(webhook.id);
  return answer(204, null);
}

export function showEvent(ctx: Context, call: Call): Outcome {
  const event = owned(ctx.store.events, call.params[0] ?? "", call.app.clientId);
  return event ? answer(200, event.body) : missingWebhook(ctx);
}

export function resendEvent(ctx: Context, call: Call): Outcome {
  const event = owned(ctx.store.events, call.params[0] ?? "", call.app.clientId);
  if (!event) return missingWebhook(ctx);
  const ids = call.body?.webhook_ids as string[] | undefined;
  ctx.events.redeliver(event, ids && ids.length > 0 ? ids : undefined);
  return { status: 202, body: event.body, remember: false };
}

/**
 * PayPal re-serialises `webhook_event` to compute the CRC32, so a listener must pass the event exactly as
 * received (key order and all); the simulator's events are sent as compact JSON, which JSON.parse followed
 * by JSON.stringify reproduces.
 */
export function verifyWebhookSignature(ctx: Context, call: Call, deps: VerifierDeps): Outcome {
  const body = call.body as {
    auth_algo: string;
    cert_url: string;
    transmission_id: string;
    transmission_sig: string;
    transmission_time: string;
    webhook_id: string;
    webhook_event: unknown;
  };
  const webhook = owned(ctx.store.webhooks, body.webhook_id, call.app.clientId);
  const verified =
    webhook !== undefined &&
    body.auth_algo === AUTH_ALGO &&
    body.cert_url === deps.certUrl() &&
    verifyTransmission(
      deps.identity.publicKey,
      {
        transmissionId: body.transmission_id,
        transmissionTime: body.transmission_time,
        webhookId: body.webhook_id,
        body: JSON.stringify(body.webhook_event),
      },
      body.transmission_sig,
    );
  return { status: 200, body: { verification_status: verified ? "SUCCESS" : "FAILURE" }, remember: false };
}
