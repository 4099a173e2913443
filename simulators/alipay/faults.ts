/** Faults the simulator injects on demand; each applies `times` times (default 1) and is then gone. */
import { z } from "zod";
import { createFaultQueue, sumLatency } from "../common/fault-queue.ts";

const common = {
  times: z.number().int().positive().optional(),
  /**
   * Prefix of the fault's path. Gateway calls are matched as `/gateway.do/<method>` (so "/gateway.do"
   * hits every API call and "/gateway.do/alipay.trade.refund" only refunds); other routes by their
   * path; notifications by the notify_url's path.
   */
  match: z.string().min(1).optional(),
};

export const faultSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("latency"), ms: z.number().int().nonnegative(), ...common }),
  z.strictObject({ kind: z.literal("status"), status: z.union([z.literal(500), z.literal(503)]), ...common }),
  /** 20000 isp.unknow-error, Alipay's "service unavailable, try again" answer (HTTP 200). */
  z.strictObject({ kind: z.literal("service_unavailable"), ...common }),
  /** 40004 ACQ.SYSTEM_ERROR: the call's outcome is unknown; `after: true` acts first, then says so. */
  z.strictObject({ kind: z.literal("system_error"), after: z.boolean().optional(), ...common }),
  /** `after: true` acts first (the trade or refund exists) and then drops the connection. */
  z.strictObject({ kind: z.literal("reset"), after: z.boolean().optional(), ...common }),
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

export type AlipayFault = z.input<typeof faultSchema>;
type ParsedFault = z.infer<typeof faultSchema>;

export type RequestAction =
  | { kind: "status"; status: 500 | 503 }
  | { kind: "service_unavailable" }
  | { kind: "system_error"; after: boolean }
  | { kind: "reset"; after: boolean }
  | { kind: "malformed" };

export interface FaultBook {
  inject(fault: AlipayFault): void;
  clear(): void;
  forRequest(path: string): { latencyMs: number; action: RequestAction | null };
  forNotification(path: string): { duplicate: boolean; delayMs: number };
  takeReorder(path: string): { count: number; flushAfterMs: number } | null;
}

export function createFaultBook(): FaultBook {
  const queue = createFaultQueue<ParsedFault>();
  return {
    inject: (fault) => queue.add(faultSchema.parse(fault)),
    clear: () => queue.clear(),
    forRequest(path) {
      const latencyMs = sumLatency(queue.take(path, ["latency"], true));
      const [fault] = queue.take(
        path,
        ["status", "service_unavailable", "system_error", "reset", "malformed"],
        false,
      );
      let action: RequestAction | null = null;
      if (fault?.kind === "status") action = { kind: "status", status: fault.status };
      else if (fault?.kind === "service_unavailable") action = { kind: "service_unavailable" };
      else if (fault?.kind === "system_error") action = { kind: "system_error", after: fault.after ?? false };
      else if (fault?.kind === "reset") action = { kind: "reset", after: fault.after ?? false };
      else if (fault?.kind === "malformed") action = { kind: "malformed" };
      return { latencyMs, action };
    },
    forNotification(path) {
      const out = { duplicate: false, delayMs: 0 };
      for (const fault of queue.take(path, ["duplicate_notifications", "delay_notifications"], true)) {
        if (fault.kind === "duplicate_notifications") out.duplicate = true;
        if (fault.kind === "delay_notifications") out.delayMs += fault.ms;
      }
      return out;
    },
    takeReorder(path) {
      const [fault] = queue.take(path, ["reorder_notifications"], false);
      if (fault?.kind !== "reorder_notifications") return null;
      return { count: fault.count ?? 2, flushAfterMs: fault.flushAfterMs ?? 2000 };
    },
  };
}
