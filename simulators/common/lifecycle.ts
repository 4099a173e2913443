/** Timers and background work owned by one simulator instance; `close()` stops them all. */
import { setMaxListeners } from "node:events";

export interface Lifecycle {
  readonly signal: AbortSignal;
  readonly closed: boolean;
  later(ms: number, fn: () => void): void;
  /** Resolves after `ms`, or at once when the simulator closes. */
  sleep(ms: number): Promise<void>;
  track(work: Promise<unknown>): void;
  close(): Promise<void>;
}

/** setTimeout fires at once above 2^31-1 ms; long delays are clamped to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createLifecycle(): Lifecycle {
  const controller = new AbortController();
  // Every outgoing notification listens on this one signal; many in flight at once is normal here.
  setMaxListeners(0, controller.signal);
  const timers = new Set<NodeJS.Timeout>();
  const wakers = new Set<() => void>();
  const running = new Set<Promise<unknown>>();

  function later(ms: number, fn: () => void): void {
    if (controller.signal.aborted) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        fn();
      },
      Math.min(Math.max(0, ms), MAX_TIMER_MS),
    );
    timers.add(timer);
  }

  return {
    signal: controller.signal,
    get closed() {
      return controller.signal.aborted;
    },
    later,
    sleep(ms) {
      return new Promise<void>((resolve) => {
        if (controller.signal.aborted) return resolve();
        const wake = () => {
          wakers.delete(wake);
          resolve();
        };
        wakers.add(wake);
        later(ms, wake);
      });
    },
    track(work) {
      running.add(work);
      void work.finally(() => running.delete(work)).catch(() => undefined);
    },
    async close() {
      controller.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const wake of [...wakers]) wake();
      await Promise.allSettled([...running]);
    },
  };
}
