/** What an API operation decides, before the HTTP layer (and its faults) turns it into bytes. */
import type { Lifecycle } from "../common/lifecycle.ts";
import type { Notifier } from "./notifier.ts";
import type { Store } from "./store.ts";

export type Outcome =
  /** `remember: false` keeps the answer out of the idempotency store (invalid requests). */
  | { kind: "respond"; status: number; body: unknown; remember: boolean }
  /** The simulated processor timeout: the socket is destroyed and nothing is remembered. */
  | { kind: "hang_up" };

export interface OperationContext {
  store: Store;
  notifier: Notifier;
  lifecycle: Lifecycle;
  now: () => Date;
  resolveAfterMs: number;
  baseUrl: () => string;
}

export function ok(body: unknown): Outcome {
  return { kind: "respond", status: 200, body, remember: true };
}

export function apiError(status: number, code: string, message: string, param?: string): Outcome {
  const error = param === undefined ? { code, message } : { code, param, message };
  return { kind: "respond", status, body: { error }, remember: status !== 422 };
}

export function notFound(what: string, id: string): Outcome {
  return apiError(404, "resource_missing", `No such ${what}: '${id}'`);
}

export function unixNow(now: () => Date): number {
  return Math.floor(now().getTime() / 1000);
}
