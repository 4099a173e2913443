/**
 * `Idempotency-Key` on POST, PATCH and DELETE, scoped to the API key: the same key with the same request
 * replays the first answer (status and body); with another request it is refused (422); while the first
 * is still running, 409. Keys are kept for one hour by the injected clock.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "./http.ts";
import type { Account, StoredResponse } from "./store.ts";

const RETENTION_MS = 60 * 60 * 1000;

export type Claim =
  | { kind: "fresh"; finish(response: StoredResponse | null): void }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_progress" };

export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256").update(`${method} ${path}\n`).update(canonicalJson(body)).digest("hex");
}

/** `finish(null)` forgets the key, so a request that failed on our side may be retried with it. */
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
