/**
 * Adyen's `Idempotency-Key`: keys are scoped to the account, at most 64 characters, and kept for 31
 * days (Adyen documents "a minimum period of 31 days"). The same key with the same request replays the
 * first answer; with another request it is refused with error 704.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "./http.ts";
import type { Account, StoredResponse } from "./store.ts";

export const IDEMPOTENCY_KEY_MAX = 64;
const RETENTION_MS = 31 * 24 * 3600 * 1000;

export type Claim =
  | { kind: "fresh"; finish(response: StoredResponse | null): void }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_progress" };

export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256").update(`${method} ${path}\n`).update(canonicalJson(body)).digest("hex");
}

/** `finish(null)` forgets the key (invalid requests), so the client may correct and reuse it. */
export function claim(account: Account, key: string, print: string, now: Date): Claim {
  const existing = account.idempotency.get(key);
  if (existing && existing.storedAt + RETENTION_MS > now.getTime()) {
    if (existing.fingerprint !== print) return { kind: "mismatch" };
    if (existing.response === null) return { kind: "in_progress" };
    return { kind: "replay", response: existing.response };
  }
  const entry = { fingerprint: print, storedAt: now.getTime(), response: null as StoredResponse | null };
  account.idempotency.set(key, entry);
  return {
    kind: "fresh",
    finish(response) {
      if (response === null) account.idempotency.delete(key);
      else entry.response = response;
    },
  };
}
