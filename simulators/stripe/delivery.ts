/**
 * Webhook delivery as Stripe does it: the Event JSON POSTed to the endpoint, signed with the endpoint's
 * secret in `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, retried on any
 * answer other than 2xx.
 */
import { createHmac } from "node:crypto";
import { Agent, request } from "node:http";
import { Agent as TlsAgent, request as tlsRequest } from "node:https";
import type { Lifecycle } from "../common/lifecycle.ts";
import { eventWire, type SendWebhook } from "./events.ts";
import type { FaultBook } from "./faults.ts";
import type { SimulatorLogger } from "./logger.ts";
import type { EventRecord, WebhookEndpointRecord } from "./store.ts";

export function stripeSignature(secret: string, payload: string, timestamp: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

export interface WebhookSenderOptions {
  lifecycle: Lifecycle;
  faults: FaultBook;
  logger: SimulatorLogger;
  now: () => Date;
  /** Waits between attempts; one more attempt is made than there are entries. */
  retryDelaysMs: number[];
  attemptTimeoutMs?: number;
}

export function createWebhookSender(options: WebhookSenderOptions): SendWebhook {
  const { lifecycle, logger } = options;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const tlsAgent = new TlsAgent({ keepAlive: true, maxSockets: 32 });
  lifecycle.signal.addEventListener(
    "abort",
    () => {
      agent.destroy();
      tlsAgent.destroy();
    },
    { once: true },
  );

  function attempt(target: URL, secret: string, payload: string): Promise<boolean> {
    return new Promise((resolve) => {
      const secure = target.protocol === "https:";
      const body = Buffer.from(payload, "utf8");
      const timestamp = Math.floor(options.now().getTime() / 1000);
      const req = (secure ? tlsRequest : request)(
        target,
        {
          method: "POST",
          agent: secure ? tlsAgent : agent,
          signal: lifecycle.signal,
          timeout: attemptTimeoutMs,
          headers: {
            "content-type": "application/json; charset=utf-8",
            "content-length": String(body.length),
            "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "stripe-signature": stripeSignature(secret, payload, timestamp),
          },
        },
        (res) => {
          res.resume();
          const status = res.statusCode ?? 0;
          res.on("end", () => resolve(status >= 200 && status < 300));
          res.on("error", () => resolve(false));
        },
      );
      req.on("timeout", () => req.destroy(new Error("webhook attempt timed out")));
      req.on("error", () => resolve(false));
      req.end(body);
    });
  }

  async function deliver(endpoint: WebhookEndpointRecord, event: EventRecord, target: URL): Promise<void> {
    const payload = JSON.stringify(eventWire(event), null, 2);
    for (let tries = 0; !lifecycle.closed; tries++) {
      if (await attempt(target, endpoint.secret, payload)) {
        event.pendingWebhooks = Math.max(0, event.pendingWebhooks - 1);
        return;
      }
      const delay = options.retryDelaysMs[tries];
      if (delay === undefined) {
        logger.warn({ eventId: event.id, endpointId: endpoint.id, tries: tries + 1 }, "webhook abandoned");
        return;
      }
      await lifecycle.sleep(delay);
    }
  }

  return (endpoint, event) => {
    let target: URL;
    try {
      target = new URL(endpoint.url);
    } catch {
      return;
    }
    const faults = options.faults.forNotification(target.pathname);
    const copies = faults.duplicate ? 2 : 1;
    lifecycle.later(faults.delayMs, () => {
      for (let i = 0; i < copies; i++) lifecycle.track(deliver(endpoint, event, target));
    });
  };
}
