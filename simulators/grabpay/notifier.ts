/**
 * Payment and refund notifications to the partner's webhook URL. Each is signed the way a partner signs
 * its own requests (partner HMAC over POST, content type, Date, the webhook URL's path and query, and the
 * body digest) with the partner secret, re-signed at every attempt, and retried until the receiver
 * answers 2xx or the retry delays run out.
 */
import { Agent, request } from "node:http";
import { Agent as TlsAgent, request as tlsRequest } from "node:https";
import type { Lifecycle } from "../common/lifecycle.ts";
import type { FaultBook } from "./faults.ts";
import type { SimulatorLogger } from "./logger.ts";
import { partnerHmac } from "./signing.ts";
import type { Partner } from "./store.ts";

const CONTENT_TYPE = "application/json";

export interface NotifierOptions {
  lifecycle: Lifecycle;
  faults: FaultBook;
  logger: SimulatorLogger;
  now: () => Date;
  retryDelaysMs: number[];
  attemptTimeoutMs?: number;
}

export interface Notifier {
  notify(partner: Partner, payload: Record<string, unknown>): void;
}

interface ReorderGroup {
  capacity: number;
  sends: Array<() => void>;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const { lifecycle, logger, faults, now } = options;
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

  function attempt(partner: Partner, target: URL, body: string): Promise<boolean> {
    return new Promise((resolve) => {
      const secure = target.protocol === "https:";
      const payload = Buffer.from(body, "utf8");
      const date = now().toUTCString();
      const signature = partnerHmac(partner.partnerSecret, {
        method: "POST",
        contentType: CONTENT_TYPE,
        date,
        pathAndQuery: `${target.pathname}${target.search}`,
        body: payload,
      });
      const req = (secure ? tlsRequest : request)(
        target,
        {
          method: "POST",
          agent: secure ? tlsAgent : agent,
          signal: lifecycle.signal,
          timeout: attemptTimeoutMs,
          headers: {
            "content-type": CONTENT_TYPE,
            "content-length": String(payload.length),
            date,
            authorization: `${partner.partnerId}:${signature}`,
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            resolve(status >= 200 && status < 300);
          });
          res.on("error", () => resolve(false));
        },
      );
      req.on("timeout", () => req.destroy(new Error("notification timed out")));
      req.on("error", () => resolve(false));
      req.end(payload);
    });
  }

  async function deliver(partner: Partner, target: URL, body: string, txID: unknown): Promise<void> {
    for (let tries = 0; !lifecycle.closed; tries++) {
      if (await attempt(partner, target, body)) return;
      const delay = options.retryDelaysMs[tries];
      if (delay === undefined) {
        logger.warn({ partnerId: partner.partnerId, txID, tries: tries + 1 }, "notification abandoned");
        return;
      }
      await lifecycle.sleep(delay);
    }
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
    notify(partner, payload) {
      if (!partner.webhookUrl || !URL.canParse(partner.webhookUrl)) return;
      const target = new URL(partner.webhookUrl);
      const body = JSON.stringify(payload);
      const { duplicate, delayMs } = faults.forNotification(target.pathname);
      dispatch(target.pathname, () =>
        lifecycle.later(delayMs, () => {
          for (let copy = 0; copy < (duplicate ? 2 : 1); copy++) {
            lifecycle.track(deliver(partner, target, body, payload.txID));
          }
        }),
      );
    },
  };
}
