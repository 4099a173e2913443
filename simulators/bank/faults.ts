/** Faults the simulated bank injects into the next file submissions, in the order they were asked for. */

export interface BankFault {
  kind: "unavailable" | "reject_file";
  /** how many submissions it applies to; 1 when left out */
  count?: number;
}

export function createFaultQueue() {
  let queue: Array<{ kind: BankFault["kind"]; remaining: number }> = [];
  return {
    inject(fault: BankFault) {
      const count = fault.count ?? 1;
      if (!Number.isInteger(count) || count < 1)
        throw new RangeError("fault count must be a positive integer");
      queue.push({ kind: fault.kind, remaining: count });
    },
    clear() {
      queue = [];
    },
    /** The fault for this submission, if any, counted down. */
    next(): BankFault["kind"] | null {
      const head = queue[0];
      if (!head) return null;
      head.remaining -= 1;
      if (head.remaining === 0) queue.shift();
      return head.kind;
    },
  };
}

export type FaultQueue = ReturnType<typeof createFaultQueue>;
