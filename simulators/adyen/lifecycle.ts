/** Timers and background work of one simulator instance; `close()` stops them all. */

export interface Lifecycle {
  readonly signal: AbortSignal;
  readonly closed: boolean;
  later(ms: number, fn: () => void): void;
  /** Resolves after `ms`, or at once when the simulator closes. */
  sleep(ms: number): Promise<void>;
  track(work: Promise<unknown>): void;
  close(): Promise<void>;
}

/** setTimeout fires at once above 2^31-1 ms; long capture delays are clamped to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createLifecycle(): Lifecycle {
  const controller = new AbortController();
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
