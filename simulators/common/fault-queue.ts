/**
 * The faults a simulator was asked to inject, each applying `times` times (default 1) to requests or
 * notifications whose path starts with `match` (any path when unset), then gone. `match` may start with
 * a method (`POST /v1/payment_intents`) to leave other requests on the same path alone (a status
 * query while a create is being faulted). Shared by every provider simulator; each decides what its
 * own fault kinds do.
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
  take<K extends F["kind"]>(
    path: string,
    kinds: readonly K[],
    all: boolean,
    method?: string,
  ): Array<Extract<F, { kind: K }>>;
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
    take(path, kinds, all, method) {
      const taken: F[] = [];
      for (const entry of active) {
        if (!(kinds as readonly string[]).includes(entry.fault.kind)) continue;
        if (!applies(entry.fault.match, path, method)) continue;
        entry.remaining -= 1;
        taken.push(entry.fault);
        if (!all) break;
      }
      active = active.filter((entry) => entry.remaining > 0);
      return taken as never;
    },
  };
}

const METHOD_PREFIX = /^(GET|POST|PUT|PATCH|DELETE) (.*)$/;

function applies(match: string | undefined, path: string, method: string | undefined): boolean {
  if (match === undefined) return true;
  const withMethod = METHOD_PREFIX.exec(match);
  if (withMethod) return method === withMethod[1] && path.startsWith(withMethod[2] as string);
  return path.startsWith(match);
}

/** Several latency faults on one request add up. */
export function sumLatency(faults: ReadonlyArray<{ ms: number }>): number {
  return faults.reduce((total, fault) => total + fault.ms, 0);
}
