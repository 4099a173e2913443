/**
 * Mollie's classic webhook: a POST of `id=<resource id>` (application/x-www-form-urlencoded, no signature)
 * to the payment's webhookUrl. The receiver fetches the payment to learn what changed. An answer other
 * than 2xx (or none) is retried with the configured delays.
 */
import { Agent, request } from "node:http";
import { Agent as TlsAgent, request as tlsRequest } from "node:https";
import type { Lifecycle } from "../common/lifecycle.ts";
import type { FaultBook } from "./faults.ts";
import type { SimulatorLogger } from "./logger.ts";

export interface NotifierOptions {
  lifecycle: Lifecycle;
  faults: FaultBook;
  logger: SimulatorLogger;
  retryDelaysMs: number[];
  attemptTimeoutMs?: number;
}

export interface Notifier {
  notify(webhookUrl: string, resourceId: string): void;
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

  function attempt(target: URL, payload: Buffer): Promise<boolean> {
    return new Promise((resolve) => {
      const secure = target.protocol === "https:";
      const req = (secure ? tlsRequest : request)(
        target,
        {
          method: "POST",
          agent: secure ? tlsAgent : agent,
          signal: lifecycle.signal,
          timeout: attemptTimeoutMs,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "content-length": String(payload.length),
            "user-agent": "Mollie webhook (simulator)",
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
      req.on("timeout", () => req.destroy(new Error("webhook delivery timed out")));
      req.on("error", () => resolve(false));
      req.end(payload);
    });
  }

  async function deliver(target: URL, resourceId: string): Promise<void> {
    const payload = Buffer.from(new URLSearchParams({ id: resourceId }).toString(), "utf8");
    for (let tries = 0; !lifecycle.closed; tries++) {
      if (await attempt(target, payload)) return;
      const delay = options.retryDelaysMs[tries];
      if (delay === undefined) {
        logger.warn({ resourceId, tries: tries + 1 }, "webhook delivery abandoned");
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
    notify(webhookUrl, resourceId) {
      if (!URL.canParse(webhookUrl)) return;
      const target = new URL(webhookUrl);
      const { duplicate, delayMs } = faults.forNotification(target.pathname);
      dispatch(target.pathname, () =>
        lifecycle.later(delayMs, () => {
          for (let copy = 0; copy < (duplicate ? 2 : 1); copy++) lifecycle.track(deliver(target, resourceId));
        }),
      );
    },
  };
}
