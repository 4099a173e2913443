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
    /** For 429 only: Stripe's rate limiter (`rate_limit`, the default) or an object lock (`lock_timeout`). */
    code: z.enum(["rate_limit", "lock_timeout"]).optional(),
    ...common,
  }),
  /** Drops the connection without an answer, before the request acts (default) or after it acted. */
  z.strictObject({ kind: z.literal("reset"), after: z.boolean().optional(), ...common }),
  /** The request acts, then the answer is a 200 with a truncated JSON body. */
  z.strictObject({ kind: z.literal("malformed"), ...common }),
  z.strictObject({ kind: z.literal("duplicate_notifications"), ...common }),
  z.strictObject({ kind: z.literal("delay_notifications"), ms: z.number().int().nonnegative(), ...common }),
]);

export type StripeFault = z.infer<typeof faultSchema>;

export type RequestAction =
  | { kind: "status"; status: 500 | 503 | 429; code: "rate_limit" | "lock_timeout" }
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

export interface FaultBook {
  inject(fault: StripeFault): void;
  clear(): void;
  forRequest(path: string, method?: string): RequestFaults;
  forNotification(path: string): NotificationFaults;
}

export function createFaultBook(): FaultBook {
  const queue = createFaultQueue<StripeFault>();
  const take = queue.take;

  return {
    inject(fault) {
      queue.add(faultSchema.parse(fault));
    },
    clear() {
      queue.clear();
    },
    forRequest(path, method) {
      const latencyMs = sumLatency(take(path, ["latency"], true, method));
      const [fault] = take(path, ["status", "reset", "malformed"], false, method);
      let action: RequestAction | null = null;
      if (fault?.kind === "status") {
        action = { kind: "status", status: fault.status, code: fault.code ?? "rate_limit" };
      } else if (fault?.kind === "reset") action = { kind: "reset", after: fault.after ?? false };
      else if (fault?.kind === "malformed") action = { kind: "malformed" };
      return { latencyMs, action };
    },
    forNotification(path) {
      let duplicate = false;
      let delayMs = 0;
      for (const fault of take(path, ["duplicate_notifications", "delay_notifications"], true)) {
        if (fault.kind === "duplicate_notifications") duplicate = true;
        if (fault.kind === "delay_notifications") delayMs += fault.ms;
      }
      return { duplicate, delayMs };
    },
  };
}
