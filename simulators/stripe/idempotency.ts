/**
 * Stripe's idempotency rules, per API key: the same key with the same parameters replays the first
 * answer; with other parameters it is an `idempotency_error`; while the first request is still running
 * a duplicate gets 409 `idempotency_key_in_use`. Keys are forgotten after 24 hours.
 */
import type { Account, StoredResponse } from "./store.ts";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export type Admission =
  | { kind: "fresh" }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_flight" };

function forgetExpired(account: Account, nowMs: number): void {
  for (const [key, entry] of account.idempotency) {
    if (nowMs - entry.createdAt < IDEMPOTENCY_TTL_MS) break;
    account.idempotency.delete(key);
  }
}

export function admit(account: Account, key: string, fingerprint: string, nowMs: number): Admission {
  forgetExpired(account, nowMs);
  const entry = account.idempotency.get(key);
  if (!entry) return { kind: "fresh" };
  if (entry.fingerprint !== fingerprint) return { kind: "mismatch" };
  return entry.state === "done" ? { kind: "replay", response: entry.response } : { kind: "in_flight" };
}

export function reserve(account: Account, key: string, fingerprint: string, nowMs: number): void {
  account.idempotency.set(key, { state: "in_flight", fingerprint, createdAt: nowMs });
}

/** Keeps the answer for replays, or forgets the key when the answer is not to be kept. */
export function settle(account: Account, key: string, response: StoredResponse | null): void {
  const entry = account.idempotency.get(key);
  if (!entry) return;
  if (response === null) account.idempotency.delete(key);
  else account.idempotency.set(key, { ...entry, state: "done", response });
}
