import type { KeyObject } from "node:crypto";
import type { Lifecycle } from "../common/lifecycle.ts";
import type { Ids } from "./ids.ts";
import type { SimulatorLogger } from "./logger.ts";
import type { Notifier } from "./notifier.ts";
import type { Store } from "./store.ts";

export interface Context {
  store: Store;
  ids: Ids;
  now: () => Date;
  lifecycle: Lifecycle;
  notifier: Notifier;
  logger: SimulatorLogger;
  /** The simulator's own "Alipay" key: signs responses, notifications and return parameters. */
  alipayPrivateKey: KeyObject;
  baseUrl(): string;
  /** Delay before an app payment answered "8000 processing" completes. */
  resolveAfterMs: number;
  /** Service fee the daily bill charges, in basis points of the amount (Alipay's standard 0.6% = 60). */
  serviceFeeBp: bigint;
}
