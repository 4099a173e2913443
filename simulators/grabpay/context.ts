/** What every handler needs: state, the injected clock and randomness, timers and the notifier. */
import type { Lifecycle } from "../common/lifecycle.ts";
import type { Notifier } from "./notifier.ts";
import type { Store } from "./store.ts";

export type RandomSource = (size: number) => Buffer;

export interface Settings {
  /** How long a charge waits for the shopper's consent before it fails as expired. */
  chargeExpiryMs: number;
  authorizationCodeTtlMs: number;
  accessTokenTtlSeconds: number;
  /** Largest difference allowed between a request's Date (or PoP timestamp) and the simulator's clock. */
  maxClockSkewSeconds: number;
  /** Merchant discount rate in basis points, for the transaction report. */
  mdrBasisPoints: bigint;
  /** Offset of the report's business day from UTC (Singapore, Malaysia, the Philippines: +480). */
  reportUtcOffsetMinutes: number;
}

export interface Context {
  store: Store;
  now: () => Date;
  random: RandomSource;
  lifecycle: Lifecycle;
  notifier: Notifier;
  settings: Settings;
  /** Key of the simulator's own HS256 tokens (`request`, `id_token`). */
  tokenKey: Buffer;
  baseUrl: () => string;
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomToken(random: RandomSource, length: number): string {
  const bytes = random(length);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[(bytes[i] ?? 0) % ALPHANUMERIC.length];
  return out;
}

/** GrabPay transaction ids are 32 lowercase hex characters. */
export function newTxID(random: RandomSource): string {
  return random(16).toString("hex");
}
