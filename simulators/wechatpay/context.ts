/** What every handler needs, built once per simulator instance. */
import type { Lifecycle } from "../common/lifecycle.ts";
import type { BillFiles } from "./bill-files.ts";
import type { Ids } from "./ids.ts";
import type { PlatformKeys } from "./keys.ts";
import type { Merchants } from "./merchants.ts";
import type { Notifier } from "./notifier.ts";
import type { Signer } from "./signer.ts";
import type { Store } from "./store.ts";

export interface Context {
  store: Store;
  merchants: Merchants;
  ids: Ids;
  keys: PlatformKeys;
  signer: Signer;
  notifier: Notifier;
  lifecycle: Lifecycle;
  bills: BillFiles;
  now: () => Date;
  /** Delay before a refund leaves PROCESSING. */
  resolveAfterMs: number;
  baseUrl(): string;
}
