/** Signed, retried delivery of sandbox events to an account's notification URL. */
import { createHmac } from "node:crypto";
import type { FaultBook } from "./faults.ts";
import type { Lifecycle } from "./lifecycle.ts";
import type { SimulatorLogger } from "./logger.ts";
import { newId } from "./store.ts";

export type EventType =
  | "charge.authorized"
  | "charge.captured"
  | "charge.declined"
  | "charge.voided"
  | "charge.requires_action"
  | "refund.succeeded"
  | "refund.pending"
  | "refund.failed";

export interface NotifierOptions {
  now: () => Date;
  retryDelaysMs: number[];
  lifecycle: Lifecycle;
  faults: FaultBook;
  logger: SimulatorLogger;
  attemptTimeoutMs?: number;
}

export interface Notifier {
  /** Queues one event for `url`, signed with the account's API key; returns the event id. */
  notify(target: { apiKey: string; url: string }, type: EventType, object: object): string;
}

export function signatureHeader(apiKey: string, body: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  const v1 = createHmac("sha256", apiKey).update(`${t}.${body}`, "utf8").digest("hex");
  return `t=${t},v1=${v1}`;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const { lifecycle, logger } = options;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;

  async function attempt(url: string, apiKey: string, body: string): Promise<boolean> {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "SandboxProcessor-Notifier/1.0",
          "sandbox-signature": signatureHeader(apiKey, body, options.now()),
        },
        body,
        signal: AbortSignal.any([lifecycle.signal, AbortSignal.timeout(attemptTimeoutMs)]),
      });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  async function deliver(url: string, apiKey: string, eventId: string, body: string): Promise<void> {
    for (let tries = 0; !lifecycle.closed; tries++) {
      if (await attempt(url, apiKey, body)) return;
      const delay = options.retryDelaysMs[tries];
      if (delay === undefined) {
        logger.warn({ eventId, url, tries: tries + 1 }, "notification abandoned");
        return;
      }
      await lifecycle.sleep(delay);
    }
  }

  return {
    notify(target, type, object) {
      const id = newId("evt");
      const body = JSON.stringify({
        id,
        object: "event",
        type,
        created: Math.floor(options.now().getTime() / 1000),
        data: { object },
      });
      const path = URL.canParse(target.url) ? new URL(target.url).pathname : "/";
      const faults = options.faults.forNotification(path);
      const copies = faults.duplicate ? 2 : 1;
      lifecycle.later(faults.delayMs, () => {
        for (let i = 0; i < copies; i++) lifecycle.track(deliver(target.url, target.apiKey, id, body));
      });
      return id;
    },
  };
}
