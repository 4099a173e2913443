/**
 * Delivery of standard webhooks to every active webhook configured (Management API) for the payment's
 * merchant account. A delivery succeeds when the receiver answers 2xx with `[accepted]` in the body;
 * anything else is retried with the configured delays.
 */
import { Agent, request } from "node:http";
import { Agent as TlsAgent, request as tlsRequest } from "node:https";
import type { Lifecycle } from "../common/lifecycle.ts";
import type { FaultBook } from "./faults.ts";
import type { SimulatorLogger } from "./logger.ts";
import { type NotificationItem, signed } from "./notification-items.ts";
import type { Account, WebhookConfig } from "./store.ts";

export interface NotifierOptions {
  lifecycle: Lifecycle;
  faults: FaultBook;
  logger: SimulatorLogger;
  retryDelaysMs: number[];
  /** Checks an outgoing body against the webhook spec; false means do not send it. */
  conforms(eventCode: string, body: unknown): boolean;
  attemptTimeoutMs?: number;
}

export interface Notifier {
  notify(account: Account, item: NotificationItem): void;
}

interface ReorderGroup {
  capacity: number;
  sends: Array<() => void>;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const { lifecycle, logger, faults } = options;
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

  function attempt(config: WebhookConfig, body: string): Promise<boolean> {
    return new Promise((resolve) => {
      let target: URL;
      try {
        target = new URL(config.url);
      } catch {
        return resolve(false);
      }
      const secure = target.protocol === "https:";
      const payload = Buffer.from(body, "utf8");
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "content-length": String(payload.length),
        "user-agent": "Adyen HttpClient 1.0",
      };
      if (config.username !== null) {
        const credentials = `${config.username}:${config.password ?? ""}`;
        headers.authorization = `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;
      }
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
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString("utf8");
            resolve(status >= 200 && status < 300 && text.includes("[accepted]"));
          });
          res.on("error", () => resolve(false));
        },
      );
      req.on("timeout", () => req.destroy(new Error("webhook delivery timed out")));
      req.on("error", () => resolve(false));
      req.end(payload);
    });
  }

  async function deliver(config: WebhookConfig, eventCode: string, body: string): Promise<void> {
    for (let tries = 0; !lifecycle.closed; tries++) {
      if (await attempt(config, body)) return;
      const delay = options.retryDelaysMs[tries];
      if (delay === undefined) {
        logger.warn({ webhookId: config.id, eventCode, tries: tries + 1 }, "webhook delivery abandoned");
        return;
      }
      await lifecycle.sleep(delay);
    }
  }

  let group: ReorderGroup | null = null;

  function flush(flushed: ReorderGroup): void {
    if (group === flushed) group = null;
    const sends = flushed.sends.splice(0).reverse();
    for (const send of sends) send();
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
    notify(account, item) {
      for (const config of account.webhooks.values()) {
        if (!config.active || config.merchantId !== item.merchantAccountCode) continue;
        const wire = {
          live: "false",
          notificationItems: [{ NotificationRequestItem: signed(item, config.hmacKey) }],
        };
        if (!options.conforms(item.eventCode, wire)) continue;
        const body = JSON.stringify(wire);
        const path = URL.canParse(config.url) ? new URL(config.url).pathname : "/";
        const { duplicate, delayMs } = faults.forNotification(path);
        dispatch(path, () =>
          lifecycle.later(delayMs, () => {
            for (let copy = 0; copy < (duplicate ? 2 : 1); copy++) {
              lifecycle.track(deliver(config, item.eventCode, body));
            }
          }),
        );
      }
    },
  };
}
