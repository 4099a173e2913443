/**
 * The faults a simulator was asked to inject, each applying `times` times (default 1) to requests or
 * notifications whose path starts with `match` (any path when unset), then gone. Shared by every
 * provider simulator; each decides what its own fault kinds do.
 */
export interface QueuedFault {
  kind: string;
  match?: string | undefined;
  times?: number | undefined;
}

export interface FaultQueue<F extends QueuedFault> {
  add(fault: F): void;
  clear(): void;
  /** Uses up the faults of these kinds that apply to `path`: the first one, or all of them. */
  take<K extends F["kind"]>(path: string, kinds: readonly K[], all: boolean): Array<Extract<F, { kind: K }>>;
}

export function createFaultQueue<F extends QueuedFault>(): FaultQueue<F> {
  let active: Array<{ fault: F; remaining: number }> = [];
  return {
    add(fault) {
      active.push({ fault, remaining: fault.times ?? 1 });
    },
    clear() {
      active = [];
    },
    take(path, kinds, all) {
      const taken: F[] = [];
      for (const entry of active) {
        if (!(kinds as readonly string[]).includes(entry.fault.kind)) continue;
        if (entry.fault.match !== undefined && !path.startsWith(entry.fault.match)) continue;
        entry.remaining -= 1;
        taken.push(entry.fault);
        if (!all) break;
      }
      active = active.filter((entry) => entry.remaining > 0);
      return taken as never;
    },
  };
}

/** Several latency faults on one request add up. */
export function sumLatency(faults: ReadonlyArray<{ ms: number }>): number {
  return faults.reduce((total, fault) => total + fault.ms, 0);
}
