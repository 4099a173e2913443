/** What operations share, and what they decide before the HTTP layer turns it into bytes. */

import type { Lifecycle } from "../common/lifecycle.ts";
import type { ServiceError } from "./errors.ts";
import type { GooglePayRecipient } from "./googlepay.ts";
import type { Ids } from "./ids.ts";
import type { Notifier } from "./notifier.ts";
import type { Store } from "./store.ts";

export interface Context {
  store: Store;
  ids: Ids;
  notifier: Notifier;
  lifecycle: Lifecycle;
  now: () => Date;
  resolveAfterMs: number;
  modificationDelayMs: number;
  baseUrl: () => string;
  /** Null when the simulator was started without Google's root keys: googlepay payments are refused. */
  googlePay: GooglePayRecipient | null;
}

export interface Outcome {
  status: number;
  body: unknown;
  /** Kept for Idempotency-Key replays; answers to invalid requests are not. */
  remember: boolean;
  /** The simulated processor timeout: the answer is remembered, but the socket is destroyed. */
  hangUp?: boolean;
}

export function answer(status: number, body: unknown): Outcome {
  return { status, body, remember: true };
}

export function rejected(error: ServiceError): Outcome {
  return { status: error.status, body: error, remember: false };
}
