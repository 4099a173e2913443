/**
 * Webhook delivery as PayPal does it: the event JSON POSTed to each subscribed URL with PAYPAL-TRANSMISSION-ID,
 * -TIME, -SIG, PAYPAL-CERT-URL and PAYPAL-AUTH-ALGO headers, every attempt a new transmission signed anew,
 * retried until the listener answers 2xx.
 */
import { Agent, request } from "node:http";
import { Agent as TlsAgent, request as tlsRequest } from "node:https";
import type { Lifecycle } from "../common/lifecycle.ts";
import type { FaultBook } from "./faults.ts";
import type { Ids } from "./ids.ts";
import type { SimulatorLogger } from "./logger.ts";
import { AUTH_ALGO, type SigningIdentity, signTransmission } from "./signing.ts";
import type { EventRecord, WebhookRecord } from "./store.ts";

export interface NotifierOptions {
  lifecycle: Lifecycle;
  faults: FaultBook;
  logger: SimulatorLogger;
  ids: Ids;
  now: () => Date;
  identity: SigningIdentity;
  certUrl: () => string;
  /** Waits between attempts; one more attempt is made than there are entries. */
  retryDelaysMs: number[];
  attemptTimeoutMs?: number;
}

export interface Notifier {
  deliver(webhook: WebhookRecord, event: EventRecord): void;
}

/** PayPal's transmission times carry whole seconds: 2016-02-18T20:01:35Z. */
export function transmissionTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function createNotifier(options: NotifierOptions): Notifier {
  const { lifecycle, logger, ids } = options;
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

  function attempt(target: URL, webhook: WebhookRecord, payload: string): Promise<boolean> {
    return new Promise((resolve) => {
      const secure = target.protocol === "https:";
      const body = Buffer.from(payload, "utf8");
      const transmission = {
        transmissionId: ids.uuid(),
        transmissionTime: transmissionTime(options.now()),
        webhookId: webhook.id,
        body,
      };
      const req = (secure ? tlsRequest : request)(
        target,
        {
          method: "POST",
          agent: secure ? tlsAgent : agent,
          signal: lifecycle.signal,
          timeout: attemptTimeoutMs,
          headers: {
            "content-type": "application/json",
            "content-length": String(body.length),
            "user-agent": "PayPal/AUHD-214.0-58391543",
            "correlation-id": ids.hex(13),
            "paypal-transmission-id": transmission.transmissionId,
            "paypal-transmission-time": transmission.transmissionTime,
            "paypal-transmission-sig": signTransmission(options.identity.privateKey, transmission),
            "paypal-cert-url": options.certUrl(),
            "paypal-auth-algo": AUTH_ALGO,
            "paypal-auth-version": "v2",
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

  async function deliverWithRetries(target: URL, webhook: WebhookRecord, event: EventRecord): Promise<void> {
    const payload = JSON.stringify(event.body);
    for (let tries = 0; !lifecycle.closed; tries++) {
      if (await attempt(target, webhook, payload)) return;
      const delay = options.retryDelaysMs[tries];
      if (delay === undefined) {
        logger.warn({ eventId: event.id, webhookId: webhook.id, tries: tries + 1 }, "webhook abandoned");
        return;
      }
      await lifecycle.sleep(delay);
    }
  }

  let held: Array<() => void> | null = null;
  let heldLimit = 0;
  function flushHeld(): void {
    const group = held ?? [];
    held = null;
    // A short gap between them keeps the reversed order on the wire, not only in the queue.
    group.reverse().forEach((send, index) => {
      lifecycle.later(index * 25, send);
    });
  }

  return {
    deliver(webhook, event) {
      let target: URL;
      try {
        target = new URL(webhook.url);
      } catch {
        return;
      }
      const faults = options.faults.forNotification(target.pathname);
      const copies = faults.duplicate ? 2 : 1;
      const send = () =>
        lifecycle.later(faults.delayMs, () => {
          for (let i = 0; i < copies; i++) lifecycle.track(deliverWithRetries(target, webhook, event));
        });
      if (!held) {
        const reorder = options.faults.takeReorder(target.pathname);
        if (reorder) {
          const group: Array<() => void> = [];
          held = group;
          heldLimit = reorder.count;
          lifecycle.later(reorder.flushAfterMs, () => {
            if (held === group) flushHeld();
          });
        }
      }
      if (!held) return send();
      held.push(send);
      if (held.length >= heldLimit) flushHeld();
    },
  };
}
