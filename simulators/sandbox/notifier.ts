/** Signed, retried delivery of sandbox events to an account's notification URL. */
import { createHmac } from "node:crypto";
import { Agent, request } from "node:http";
import { Agent as TlsAgent, request as tlsRequest } from "node:https";
import type { Lifecycle } from "../common/lifecycle.ts";
import type { FaultBook } from "./faults.ts";
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

  // Plain node:http with keep-alive: notifications go out for every charge, and fetch costs more CPU.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const tlsAgent = new TlsAgent({ keepAlive: true, maxSockets: 64 });
  lifecycle.signal.addEventListener(
    "abort",
    () => {
      agent.destroy();
      tlsAgent.destroy();
    },
    { once: true },
  );

  function attempt(url: string, apiKey: string, body: string): Promise<boolean> {
    return new Promise((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return resolve(false);
      }
      const secure = target.protocol === "https:";
      if (!secure && target.protocol !== "http:") return resolve(false);
      const payload = Buffer.from(body, "utf8");
      const req = (secure ? tlsRequest : request)(
        target,
        {
          method: "POST",
          agent: secure ? tlsAgent : agent,
          signal: lifecycle.signal,
          timeout: attemptTimeoutMs,
          headers: {
            "content-type": "application/json",
            "content-length": String(payload.length),
            "user-agent": "SandboxProcessor-Notifier/1.0",
            "sandbox-signature": signatureHeader(apiKey, body, options.now()),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
          res.on("error", () => resolve(false));
        },
      );
      req.on("timeout", () => req.destroy(new Error("notification timed out")));
      req.on("error", () => resolve(false));
      req.end(payload);
    });
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
