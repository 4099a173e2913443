/** What every handler needs: state, clock, ids, timers and the webhook sender. */
import type { Lifecycle } from "../common/lifecycle.ts";
import type { Ids } from "./ids.ts";
import type { Notifier } from "./notifier.ts";
import type { Account, Store } from "./store.ts";

export interface Context {
  store: Store;
  ids: Ids;
  now: () => Date;
  lifecycle: Lifecycle;
  notifier: Notifier;
  baseUrl: () => string;
  /** Delay of each asynchronous step: bank processing of a pending payment, each refund step. */
  resolveAfterMs: number;
  /** Mollie reports open iDEAL payments as not cancelable; tests of the cancel path turn this on. */
  idealCancelable: boolean;
  account(apiKey: string): Account;
}

/** An API answer before it is written: status and JSON body (null for 204). */
export interface Outcome {
  status: number;
  body: unknown;
}
