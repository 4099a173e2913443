import type { Logger } from "../core/logging.ts";

/** One kind of background work. `run` does a bounded batch and says how many items it handled. */
export interface Job {
  name: string;
  run(): Promise<number>;
}

export interface WorkerRuntime {
  start(): void;
  /** Runs every job until none has work left (tests use it to drive the worker deterministically). */
  drain(maxRounds?: number): Promise<void>;
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Polls each job; a job that found work runs again at once, otherwise the loop sleeps for `pollMs` or
 * until woken. Several workers (processes) may run side by side: jobs claim rows with SKIP LOCKED or
 * leases, never by being alone.
 */
export function createWorkerRuntime(jobs: Job[], options: { pollMs: number; logger: Logger }): WorkerRuntime {
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  async function runOnce(): Promise<number> {
    let handled = 0;
    for (const job of jobs) {
      try {
        handled += await job.run();
      } catch (error) {
        options.logger.error({ err: error, job: job.name }, "job failed");
      }
    }
    return handled;
  }

  async function main() {
    while (running) {
      const handled = await runOnce();
      if (!running) break;
      if (handled > 0) continue;
      if (woken) {
        woken = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = main();
    },
    async drain(maxRounds = 50) {
      for (let i = 0; i < maxRounds; i++) if ((await runOnce()) === 0) return;
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
