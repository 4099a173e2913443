/** Faults injected on demand; each applies `times` times (default 1) and is then gone. */
import { z } from "zod";
import { createFaultQueue, sumLatency } from "../common/fault-queue.ts";

const common = {
  times: z.number().int().positive().optional(),
  /** Path prefix: the request path for API faults, the webhook URL's path for notification faults. */
  match: z.string().min(1).optional(),
};

export const faultSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("latency"), ms: z.number().int().nonnegative(), ...common }),
  z.strictObject({
    kind: z.literal("status"),
    status: z.union([z.literal(500), z.literal(503), z.literal(429)]),
    ...common,
  }),
  /** `after: true` acts first (the payment exists, the answer is stored) and then drops the connection. */
  z.strictObject({ kind: z.literal("reset"), after: z.boolean().optional(), ...common }),
  /** Answers status 200 with half of the body. */
  z.strictObject({ kind: z.literal("malformed"), ...common }),
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

export type MollieFault = z.infer<typeof faultSchema>;

export type RequestAction =
  | { kind: "status"; status: 500 | 503 | 429 }
  | { kind: "reset"; after: boolean }
  | { kind: "malformed" };

export interface FaultBook {
  inject(fault: MollieFault): void;
  clear(): void;
  forRequest(path: string): { latencyMs: number; action: RequestAction | null };
  forNotification(path: string): { duplicate: boolean; delayMs: number };
  /** Asked only while no reorder group is collecting notifications. */
  takeReorder(path: string): { count: number; flushAfterMs: number } | null;
}

export function createFaultBook(): FaultBook {
  const queue = createFaultQueue<MollieFault>();
  return {
    inject(fault) {
      queue.add(faultSchema.parse(fault));
    },
    clear() {
      queue.clear();
    },
    forRequest(path) {
      const latencyMs = sumLatency(queue.take(path, ["latency"], true));
      const [fault] = queue.take(path, ["status", "reset", "malformed"], false);
      let action: RequestAction | null = null;
      if (fault?.kind === "status") action = { kind: "status", status: fault.status };
      else if (fault?.kind === "reset") action = { kind: "reset", after: fault.after ?? false };
      else if (fault?.kind === "malformed") action = { kind: "malformed" };
      return { latencyMs, action };
    },
    forNotification(path) {
      const result = { duplicate: false, delayMs: 0 };
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
