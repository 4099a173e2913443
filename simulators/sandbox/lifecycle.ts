/** Timers and in-flight work owned by one simulator instance, all stopped by `close()`. */

export interface Lifecycle {
  readonly signal: AbortSignal;
  readonly closed: boolean;
  later(ms: number, fn: () => void): void;
  /** Resolves after `ms`, or at once when the simulator closes. */
  sleep(ms: number): Promise<void>;
  track(work: Promise<unknown>): void;
  close(): Promise<void>;
}

export function createLifecycle(): Lifecycle {
  const controller = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const sleepers = new Set<() => void>();
  const work = new Set<Promise<unknown>>();

  function later(ms: number, fn: () => void): void {
    if (controller.signal.aborted) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
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
        const done = () => {
          sleepers.delete(done);
          resolve();
        };
        sleepers.add(done);
        later(ms, done);
      });
    },
    track(promise) {
      work.add(promise);
      void promise.finally(() => work.delete(promise)).catch(() => undefined);
    },
    async close() {
      controller.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const wake of [...sleepers]) wake();
      await Promise.allSettled([...work]);
    },
  };
}
