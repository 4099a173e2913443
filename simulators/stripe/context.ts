/** What every operation is given: the simulator's state and services, and the request being served. */

import type { Lifecycle } from "../common/lifecycle.ts";
import type { EventPublisher, RequestRef } from "./events.ts";
import type { Params } from "./params.ts";
import type { Ids } from "./random.ts";
import type { Account, Store } from "./store.ts";

export interface SimContext {
  store: Store;
  ids: Ids;
  now: () => Date;
  lifecycle: Lifecycle;
  events: EventPublisher;
  resolveAfterMs: number;
  baseUrl: () => string;
  /** Keys card fingerprints, so the same card has the same fingerprint within one simulator only. */
  fingerprintKey: string;
}

export interface Call {
  account: Account;
  params: Params;
  path: Record<string, string>;
  request: RequestRef;
}

export function unixNow(ctx: Pick<SimContext, "now">): number {
  return Math.floor(ctx.now().getTime() / 1000);
}
