/**
 * The standard faults a provider simulator injects on demand; each applies `times` times (default 1)
 * to requests (or notifications) whose path starts with `match` — which may name a method, as in
 * `POST /v71/payments` — and is then gone.
 */
import { z } from "zod";
import { createFaultQueue, sumLatency } from "./fault-queue.ts";

const common = {
  times: z.number().int().positive().optional(),
  /** Path prefix: the request path for API faults, the notification URL's path for notification faults. */
  match: z.string().min(1).optional(),
};

export const faultSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("latency"), ms: z.number().int().nonnegative(), ...common }),
  z.strictObject({
    kind: z.literal("status"),
    status: z.union([z.literal(500), z.literal(503), z.literal(429)]),
    ...common,
  }),
  /** Drops the connection without an answer, before the request acts (default) or after it acted. */
  z.strictObject({ kind: z.literal("reset"), after: z.boolean().optional(), ...common }),
  /** The request acts, then the answer is a 200 with a truncated body. */
  z.strictObject({ kind: z.literal("malformed"), ...common }),
  /** The same notification (same id, same bytes) is sent twice. */
  z.strictObject({ kind: z.literal("duplicate_notifications"), ...common }),
  z.strictObject({ kind: z.literal("delay_notifications"), ms: z.number().int().nonnegative(), ...common }),
  /** Holds the next `count` notifications (at most `flushAfterMs`) and then sends them newest first. */
  z.strictObject({
    kind: z.literal("reorder_notifications"),
    count: z.number().int().min(2).optional(),
    flushAfterMs: z.number().int().nonnegative().optional(),
    ...common,
  }),
]);

export type StandardFault = z.infer<typeof faultSchema>;

export type RequestAction =
  | { kind: "status"; status: 500 | 503 | 429 }
  | { kind: "reset"; after: boolean }
  | { kind: "malformed" };

export interface RequestFaults {
  latencyMs: number;
  action: RequestAction | null;
}

export interface NotificationFaults {
  duplicate: boolean;
  delayMs: number;
}

export interface ReorderGroupSpec {
  count: number;
  flushAfterMs: number;
}

export interface FaultBook {
  inject(fault: StandardFault): void;
  clear(): void;
  forRequest(path: string, method?: string): RequestFaults;
  forNotification(path: string): NotificationFaults;
  /** Asked only while no reorder group is collecting notifications. */
  takeReorder(path: string): ReorderGroupSpec | null;
}

export function createFaultBook(): FaultBook {
  const queue = createFaultQueue<StandardFault>();
  return {
    inject(fault) {
      queue.add(faultSchema.parse(fault));
    },
    clear() {
      queue.clear();
    },
    forRequest(path, method) {
      const latencyMs = sumLatency(queue.take(path, ["latency"], true, method));
      const [fault] = queue.take(path, ["status", "reset", "malformed"], false, method);
      let action: RequestAction | null = null;
      if (fault?.kind === "status") action = { kind: "status", status: fault.status };
      else if (fault?.kind === "reset") action = { kind: "reset", after: fault.after ?? false };
      else if (fault?.kind === "malformed") action = { kind: "malformed" };
      return { latencyMs, action };
    },
    forNotification(path) {
      const result: NotificationFaults = { duplicate: false, delayMs: 0 };
      for (const fault of queue.take(path, ["duplicate_notifications", "delay_notifications"], true)) {
        if (fault.kind === "duplicate_notifications") result.duplicate = true;
        if (fault.kind === "delay_notifications") result.delayMs += fault.ms;
      }
      return result;
    },
    takeReorder(path) {
      const [fault] = queue.take(path, ["reorder_notifications"], false);
      if (fault?.kind !== "reorder_notifications") return null;
      return { count: fault.count ?? 2, flushAfterMs: fault.flushAfterMs ?? 2000 };
    },
  };
}
