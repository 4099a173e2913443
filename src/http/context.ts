import type { Clock } from "../core/clock.ts";
import type { Config } from "../core/config.ts";
import type { IdGenerator, RandomSource } from "../core/ids.ts";
import type { Logger } from "../core/logging.ts";
import type { Db } from "../db/index.ts";
import type { VaultCipher } from "../payment-methods/cipher.ts";
import type { Metrics } from "./metrics.ts";

/** What every capability's service factory receives: injected, never module-level. */
export interface AppContext {
  db: Db;
  dbKind: "postgres" | "pglite";
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  random: RandomSource;
  logger: Logger;
  metrics: Metrics;
  /** Public base URL of this API, used in redirect and notification URLs. */
  publicUrl: () => string;
  /** Platform secrets shared by every process of one deployment (kept in the database). */
  secrets: PlatformSecrets;
  /** Seals and opens secrets Payrail must keep (card numbers, provider keys, signing secrets). */
  vault: VaultCipher;
  /** Wakes the in-process worker early (new events, new inbound webhooks); no-op when none runs here. */
  wakeWorker: () => void;
}

export interface AuthContext {
  merchantId: string;
  livemode: boolean;
  keyKind: "secret" | "publishable";
  keyId: string;
}

export interface PlatformSecrets {
  /** Key of the HMAC over idempotent request bodies. */
  requestHashKey: string;
}
