/**
 * Asynchronous notifications (notify_type trade_status_sync): a form-encoded POST to the trade's
 * notify_url, signed RSA2 with the simulator's Alipay key over all fields but `sign` and `sign_type`.
 * A delivery counts only when the receiver answers HTTP 200 with the body `success`; anything else is
 * retried after each of the configured delays (Alipay itself waits 4m, 10m, 10m, 1h, 2h, 6h, 15h).
 */
import type { KeyObject } from "node:crypto";
import { Agent, request } from "node:http";
import { Agent as TlsAgent, request as tlsRequest } from "node:https";
import type { Lifecycle } from "../common/lifecycle.ts";
import type { FaultBook } from "./faults.ts";
import { encodeForm } from "./form.ts";
import type { SimulatorLogger } from "./logger.ts";
import { signOutgoing } from "./signing.ts";

export interface NotifierOptions {
  lifecycle: Lifecycle;
  faults: FaultBook;
  logger: SimulatorLogger;
  retryDelaysMs: number[];
  privateKey: KeyObject;
  attemptTimeoutMs?: number;
}

export interface Notifier {
  /** `params` without `sign`; it is signed here. */
  send(notifyUrl: string, params: Record<string, string>): void;
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

  function attempt(target: URL, body: string): Promise<boolean> {
    return new Promise((resolve) => {
      const secure = target.protocol === "https:";
      const payload = Buffer.from(body, "utf8");
      const req = (secure ? tlsRequest : request)(
        target,
        {
          method: "POST",
          agent: secure ? tlsAgent : agent,
          signal: lifecycle.signal,
          timeout: attemptTimeoutMs,
          headers: {
            "content-type": "application/x-www-form-urlencoded; charset=utf-8",
            "content-length": String(payload.length),
            "user-agent": "Mozilla/4.0",
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8").trim();
            resolve(res.statusCode === 200 && text === "success");
          });
          res.on("error", () => resolve(false));
        },
      );
      req.on("timeout", () => req.destroy(new Error("notification timed out")));
      req.on("error", () => resolve(false));
      req.end(payload);
    });
  }

  async function deliver(target: URL, body: string, notifyId: string): Promise<void> {
    for (let tries = 0; !lifecycle.closed; tries++) {
      if (await attempt(target, body)) return;
      const delay = options.retryDelaysMs[tries];
      if (delay === undefined) {
        logger.warn({ notifyId, tries: tries + 1 }, "notification abandoned");
        return;
      }
      await lifecycle.sleep(delay);
    }
  }

  let group: { capacity: number; sends: Array<() => void> } | null = null;

  function flush(flushed: NonNullable<typeof group>): void {
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
    const opened = { capacity: reorder.count, sends: [send] };
    group = opened;
    lifecycle.later(reorder.flushAfterMs, () => flush(opened));
  }

  return {
    send(notifyUrl, params) {
      if (!URL.canParse(notifyUrl)) return;
      const target = new URL(notifyUrl);
      const body = encodeForm(signOutgoing(params, options.privateKey));
      const notifyId = params.notify_id ?? "";
      const { duplicate, delayMs } = faults.forNotification(target.pathname);
      dispatch(target.pathname, () =>
        lifecycle.later(delayMs, () => {
          for (let copy = 0; copy < (duplicate ? 2 : 1); copy++) {
            lifecycle.track(deliver(target, body, notifyId));
          }
        }),
      );
    },
  };
}
