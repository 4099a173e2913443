/**
 * Webhook delivery as BTCPay's WebhookSender does it: the event is serialized once (indented JSON), signed
 * with `BTCPay-Sig: sha256=<hex HMAC-SHA256(secret, body)>`, posted, and recorded as a delivery. Deliveries
 * to one webhook go out one at a time, in order. A failed delivery (no answer or a non-2xx) is retried, when
 * the webhook has automaticRedelivery, as *new* deliveries of the same event (new deliveryId,
 * `isRedelivery: true`, `originalDeliveryId` the first one).
 */
import { createHmac } from "node:crypto";
import { Agent, request } from "node:http";
import { Agent as TlsAgent, request as tlsRequest } from "node:https";
import type { Lifecycle } from "../common/lifecycle.ts";
import type { EventSink, WebhookType } from "./context.ts";
import { unixSeconds } from "./context.ts";
import type { FaultBook } from "./faults.ts";
import type { Ids } from "./ids.ts";
import type { SimulatorLogger } from "./logger.ts";
import type { Delivery, Invoice, Store, Webhook } from "./store.ts";

export interface NotifierOptions {
  store: Store;
  ids: Ids;
  now: () => Date;
  lifecycle: Lifecycle;
  faults: FaultBook;
  logger: SimulatorLogger;
  retryDelaysMs: number[];
  /** Checks an outgoing body against the spec; false means do not send it. */
  conforms(type: string, body: unknown): boolean;
  attemptTimeoutMs?: number;
}

export interface Notifier extends EventSink {
  /** Queues a new delivery of a recorded one; null when that delivery does not exist. */
  redeliver(deliveryId: string): string | null;
}

export function signature(secret: string, body: Buffer): string {
  return `sha256=${createHmac("sha256", Buffer.from(secret, "utf8")).update(body).digest("hex")}`;
}

function subscribed(webhook: Webhook, type: string): boolean {
  return webhook.enabled && (webhook.everything || webhook.specificEvents.includes(type));
}

export function createNotifier(options: NotifierOptions): Notifier {
  const { store, ids, now, lifecycle, faults, logger } = options;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const tlsAgent = new TlsAgent({ keepAlive: true, maxSockets: 16 });
  lifecycle.signal.addEventListener(
    "abort",
    () => {
      agent.destroy();
      tlsAgent.destroy();
    },
    { once: true },
  );
  const queues = new Map<string, Promise<void>>();

  function post(webhook: Webhook, delivery: Delivery): Promise<void> {
    return new Promise((resolve) => {
      const finish = (status: Delivery["status"], httpCode: number | null, errorMessage: string | null) => {
        delivery.deliveryTime = now();
        delivery.status = status;
        delivery.httpCode = httpCode;
        delivery.errorMessage = errorMessage;
        resolve();
      };
      let target: URL;
      try {
        target = new URL(webhook.url);
      } catch {
        return finish("Failed", null, "Invalid URL");
      }
      const secure = target.protocol === "https:";
      const req = (secure ? tlsRequest : request)(
        target,
        {
          method: "POST",
          agent: secure ? tlsAgent : agent,
          signal: lifecycle.signal,
          timeout: attemptTimeoutMs,
          headers: {
            "content-type": "application/json",
            "content-length": String(delivery.request.length),
            "btcpay-sig": signature(webhook.secret, delivery.request),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) finish("HttpSuccess", code, null);
            else finish("HttpError", code, `HTTP Error Code ${code}`);
          });
          res.on("error", (err) => finish("Failed", null, err.message));
        },
      );
      req.on("timeout", () => req.destroy(new Error("The request timed out")));
      req.on("error", (err) => finish("Failed", null, err.message));
      req.end(delivery.request);
    });
  }

  function record(webhookId: string, timestamp: Date, body: Record<string, unknown>): Delivery {
    const delivery: Delivery = {
      id: String(body.deliveryId),
      webhookId,
      timestamp,
      deliveryTime: null,
      status: null,
      httpCode: null,
      errorMessage: null,
      request: Buffer.from(JSON.stringify(body, null, 2), "utf8"),
    };
    store.deliveries.set(delivery.id, delivery);
    return delivery;
  }

  /** A new delivery of the event recorded in `from`, as BTCPay's CreateRedeliveryRequest builds it. */
  function redeliveryOf(from: Delivery): Delivery | null {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(from.request.toString("utf8")) as Record<string, unknown>;
    } catch {
      return null;
    }
    body.deliveryId = ids.id();
    body.webhookId = from.webhookId;
    body.originalDeliveryId ??= from.id;
    body.isRedelivery = true;
    return record(from.webhookId, from.timestamp, body);
  }

  function succeeded(delivery: Delivery): boolean {
    return delivery.status === "HttpSuccess";
  }

  async function process(webhookId: string, first: Delivery, copies: number): Promise<void> {
    const webhook = store.webhooks.get(webhookId);
    if (!webhook) return;
    for (let copy = 0; copy < copies; copy++) await post(webhook, first);
    if (succeeded(first) || !webhook.automaticRedelivery) return;
    for (const wait of options.retryDelaysMs) {
      await lifecycle.sleep(wait);
      if (lifecycle.closed) return;
      const current = store.webhooks.get(webhookId);
      const type = JSON.parse(first.request.toString("utf8")).type as string;
      if (!current?.automaticRedelivery || !subscribed(current, type)) return;
      const retry = redeliveryOf(first);
      if (!retry) return;
      await post(current, retry);
      if (succeeded(retry)) return;
    }
    logger.warn({ webhookId, deliveryId: first.id }, "webhook delivery abandoned");
  }

  function enqueue(webhookId: string, work: () => Promise<void>): void {
    const previous = queues.get(webhookId) ?? Promise.resolve();
    const next = previous.then(work).catch((err: unknown) => {
      logger.error({ err, webhookId }, "webhook delivery failed unexpectedly");
    });
    queues.set(webhookId, next);
    lifecycle.track(next);
  }

  let reorderGroup: { capacity: number; sends: Array<() => void> } | null = null;

  function flush(group: { capacity: number; sends: Array<() => void> }): void {
    if (reorderGroup === group) reorderGroup = null;
    for (const send of group.sends.splice(0).reverse()) send();
  }

  function dispatch(path: string, send: () => void): void {
    if (reorderGroup) {
      const open = reorderGroup;
      open.sends.push(send);
      if (open.sends.length >= open.capacity) flush(open);
      return;
    }
    const reorder = faults.takeReorder(path);
    if (!reorder) {
      send();
      return;
    }
    const group = { capacity: reorder.count, sends: [send] };
    reorderGroup = group;
    lifecycle.later(reorder.flushAfterMs, () => flush(group));
  }

  function emit(invoice: Invoice, type: WebhookType, fields: Record<string, unknown> = {}): void {
    const timestamp = now();
    for (const webhook of store.webhooks.values()) {
      if (webhook.storeId !== invoice.storeId || !subscribed(webhook, type)) continue;
      const deliveryId = ids.id();
      const body = {
        ...fields,
        deliveryId,
        webhookId: webhook.id,
        originalDeliveryId: deliveryId,
        isRedelivery: false,
        type,
        timestamp: unixSeconds(timestamp),
        storeId: invoice.storeId,
        invoiceId: invoice.id,
        metadata: invoice.metadata,
      };
      if (!options.conforms(type, body)) continue;
      const delivery = record(webhook.id, timestamp, body);
      const path = URL.canParse(webhook.url) ? new URL(webhook.url).pathname : "/";
      const { duplicate, delayMs } = faults.forNotification(path);
      const send = () => enqueue(webhook.id, () => process(webhook.id, delivery, duplicate ? 2 : 1));
      dispatch(path, delayMs > 0 ? () => lifecycle.later(delayMs, send) : send);
    }
  }

  return {
    emit,
    redeliver(deliveryId) {
      const from = store.deliveries.get(deliveryId);
      if (!from) return null;
      const delivery = redeliveryOf(from);
      if (!delivery) return null;
      enqueue(from.webhookId, () => process(from.webhookId, delivery, 1));
      return delivery.id;
    },
  };
}
