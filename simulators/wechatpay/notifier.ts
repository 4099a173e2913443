/**
 * Payment and refund notifications: the resource encrypted with AEAD_AES_256_GCM under the merchant's API v3
 * key, the envelope signed like an API answer (re-signed, fresh timestamp, on every attempt). Delivery
 * succeeds on HTTP 200 or 204; anything else is retried with the configured delays.
 */
import { Agent, request } from "node:http";
import { Agent as TlsAgent, request as tlsRequest } from "node:https";
import type { Lifecycle } from "../common/lifecycle.ts";
import { aesGcmEncrypt } from "./crypto.ts";
import type { FaultBook } from "./faults.ts";
import type { Ids } from "./ids.ts";
import type { SimulatorLogger } from "./logger.ts";
import type { Merchant } from "./merchants.ts";
import type { Signer } from "./signer.ts";
import { rfc3339 } from "./time.ts";

/** WeChat's published schedule: 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h. */
export const WECHAT_RETRY_DELAYS_MS = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
].map((seconds) => seconds * 1000);

export interface NotificationEvent {
  merchant: Merchant;
  url: string;
  eventType: string;
  summary: string;
  /** "transaction" or "refund": the resource's original_type and associated_data. */
  originalType: string;
  resource: Record<string, unknown>;
}

export interface Delivery {
  eventType: string;
  url: string;
  attempts: number;
  delivered: boolean;
}

export interface Notifier {
  notify(event: NotificationEvent): void;
  deliveries(): readonly Delivery[];
}

export interface NotifierOptions {
  lifecycle: Lifecycle;
  faults: FaultBook;
  logger: SimulatorLogger;
  signer: Signer;
  ids: Ids;
  now: () => Date;
  retryDelaysMs: number[];
  attemptTimeoutMs?: number;
}

interface ReorderGroup {
  capacity: number;
  sends: Array<() => void>;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const { lifecycle, logger, faults, signer, ids, now } = options;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const tlsAgent = new TlsAgent({ keepAlive: true, maxSockets: 32 });
  const log: Delivery[] = [];
  lifecycle.signal.addEventListener(
    "abort",
    () => {
      agent.destroy();
      tlsAgent.destroy();
    },
    { once: true },
  );

  function attempt(merchant: Merchant, url: string, body: Buffer, tamper: boolean): Promise<boolean> {
    return new Promise((resolve) => {
      const target = new URL(url);
      const secure = target.protocol === "https:";
      const headers = {
        "content-type": "application/json",
        "content-length": String(body.length),
        "user-agent": "Mozilla/4.0",
        ...signer.headers(merchant, body, { tamper }),
      };
      const req = (secure ? tlsRequest : request)(
        target,
        {
          method: "POST",
          agent: secure ? tlsAgent : agent,
          signal: lifecycle.signal,
          timeout: attemptTimeoutMs,
          headers,
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode === 200 || res.statusCode === 204));
          res.on("error", () => resolve(false));
        },
      );
      req.on("timeout", () => req.destroy(new Error("notification timed out")));
      req.on("error", () => resolve(false));
      req.end(body);
    });
  }

  async function deliver(event: NotificationEvent, body: Buffer, tamperFirst: boolean): Promise<void> {
    const record: Delivery = { eventType: event.eventType, url: event.url, attempts: 0, delivered: false };
    log.push(record);
    for (let tries = 0; !lifecycle.closed; tries++) {
      record.attempts += 1;
      if (await attempt(event.merchant, event.url, body, tamperFirst && tries === 0)) {
        record.delivered = true;
        return;
      }
      const delay = options.retryDelaysMs[tries];
      if (delay === undefined) {
        logger.warn({ eventType: event.eventType, tries: tries + 1 }, "notification abandoned");
        return;
      }
      await lifecycle.sleep(delay);
    }
  }

  function envelope(event: NotificationEvent): Buffer {
    const at = now();
    const nonce = ids.token(12);
    const ciphertext = aesGcmEncrypt(
      event.merchant.apiV3Key,
      nonce,
      event.originalType,
      JSON.stringify(event.resource),
    );
    return Buffer.from(
      JSON.stringify({
        id: ids.notificationId(at),
        create_time: rfc3339(at),
        resource_type: "encrypt-resource",
        event_type: event.eventType,
        summary: event.summary,
        resource: {
          original_type: event.originalType,
          algorithm: "AEAD_AES_256_GCM",
          ciphertext,
          associated_data: event.originalType,
          nonce,
        },
      }),
      "utf8",
    );
  }

  let group: ReorderGroup | null = null;

  function flush(flushed: ReorderGroup): void {
    if (group === flushed) group = null;
    for (const send of flushed.sends.splice(0).reverse()) send();
  }

  function dispatch(path: string, send: () => void): void {
    if (group) {
      const open = group;
      open.sends.push(send);
      if (open.sends.length >= open.capacity) flush(open);
      return;
    }
    const reorder = faults.takeReorder(path);
    if (!reorder) {
      send();
      return;
    }
    const opened: ReorderGroup = { capacity: reorder.count, sends: [send] };
    group = opened;
    lifecycle.later(reorder.flushAfterMs, () => flush(opened));
  }

  return {
    notify(event) {
      if (lifecycle.closed || !URL.canParse(event.url)) return;
      const body = envelope(event);
      const path = new URL(event.url).pathname;
      const { duplicate, delayMs, badSignature } = faults.forNotification(path);
      dispatch(path, () =>
        lifecycle.later(delayMs, () => {
          for (let copy = 0; copy < (duplicate ? 2 : 1); copy++) {
            lifecycle.track(deliver(event, body, badSignature && copy === 0));
          }
        }),
      );
    },
    deliveries: () => log,
  };
}
