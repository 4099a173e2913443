import { createHmac } from "node:crypto";
import { ApiError } from "../core/errors.ts";
import type { AppContext, AuthContext } from "./context.ts";

const RETENTION_MS = 24 * 3_600_000;
/** A request holding a key longer than this is presumed dead (crashed process) and may be retried. */
const LEASE_MS = 60_000;
const MAX_KEY_LENGTH = 255;

export type IdempotencyClaim =
  /** `recovered`: an earlier run with this key died mid-request; what it created may already exist. */
  { kind: "proceed"; key: string; recovered: boolean } | { kind: "replay"; status: number; body: string };

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Keyed, because request bodies can hold card numbers: a plain hash of a body with a card in it could
 * be brute-forced back to the number; an HMAC under a platform secret cannot.
 */
export function requestHash(key: string, method: string, path: string, body: unknown): string {
  return createHmac("sha256", key)
    .update(`${method} ${path}\n${canonical(body ?? {})}`)
    .digest("hex");
}

/**
 * Stripe's rules: the first request with a key runs; a later one with the same key and body gets the
 * stored response; another body is an error; one arriving while the first still runs gets a 409.
 */
export async function claimIdempotencyKey(
  ctx: Pick<AppContext, "db" | "clock" | "secrets">,
  auth: AuthContext,
  key: string,
  method: string,
  path: string,
  body: unknown,
): Promise<IdempotencyClaim> {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new ApiError(400, {
      type: "idempotency_error",
      code: "idempotency_key_invalid",
      message: `Idempotency-Key must be between 1 and ${MAX_KEY_LENGTH} characters.`,
    });
  }
  const hash = requestHash(ctx.secrets.requestHashKey, method, path, body);
  for (let round = 0; round < 3; round++) {
    const now = ctx.clock.now();
    const inserted = await ctx.db
      .insertInto("idempotency_keys")
      .values({
        merchant_id: auth.merchantId,
        livemode: auth.livemode,
        key,
        method,
        path,
        request_hash: hash,
        status: "in_progress",
        locked_until: new Date(now.getTime() + LEASE_MS),
        created_at: now,
        expires_at: new Date(now.getTime() + RETENTION_MS),
      })
      .onConflict((oc) => oc.doNothing())
      .returning("key")
      .executeTakeFirst();
    if (inserted) return { kind: "proceed", key, recovered: false };

    const existing = await ctx.db
      .selectFrom("idempotency_keys")
      .selectAll()
      .where("merchant_id", "=", auth.merchantId)
      .where("livemode", "=", auth.livemode)
      .where("key", "=", key)
      .executeTakeFirst();
    if (!existing) continue; // expired and deleted between the two statements: try again
    if (existing.expires_at <= now) {
      await ctx.db
        .deleteFrom("idempotency_keys")
        .where("merchant_id", "=", auth.merchantId)
        .where("livemode", "=", auth.livemode)
        .where("key", "=", key)
        .where("expires_at", "<=", now)
        .execute();
      continue;
    }
    if (existing.request_hash !== hash) {
      throw new ApiError(400, {
        type: "idempotency_error",
        code: "idempotency_key_reused",
        message:
          "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '" +
          key +
          "' if you meant to execute a different request.",
      });
    }
    if (existing.status === "completed") {
      return { kind: "replay", status: existing.response_status ?? 200, body: existing.response_body ?? "" };
    }
    if (existing.locked_until > now) {
      throw new ApiError(409, {
        type: "idempotency_error",
        code: "idempotency_key_in_use",
        message:
          "There is currently another in-progress request using this Idempotency-Key. Retry this request later.",
      });
    }
    // The first holder died mid-request: take the key over (only one retry wins the compare-and-set).
    const taken = await ctx.db
      .updateTable("idempotency_keys")
      .set({ locked_until: new Date(now.getTime() + LEASE_MS) })
      .where("merchant_id", "=", auth.merchantId)
      .where("livemode", "=", auth.livemode)
      .where("key", "=", key)
      .where("status", "=", "in_progress")
      .where("locked_until", "=", existing.locked_until)
      .returning("key")
      .executeTakeFirst();
    if (taken) return { kind: "proceed", key, recovered: true };
  }
  throw new ApiError(409, {
    type: "idempotency_error",
    code: "idempotency_key_in_use",
    message:
      "There is currently another in-progress request using this Idempotency-Key. Retry this request later.",
  });
}

export async function completeIdempotencyKey(
  ctx: Pick<AppContext, "db">,
  auth: AuthContext,
  key: string,
  status: number,
  body: string,
): Promise<void> {
  await ctx.db
    .updateTable("idempotency_keys")
    .set({ status: "completed", response_status: status, response_body: body })
    .where("merchant_id", "=", auth.merchantId)
    .where("livemode", "=", auth.livemode)
    .where("key", "=", key)
    .execute();
}

/** An unexpected failure stores nothing: the key is released so the client's retry runs again. */
export async function releaseIdempotencyKey(
  ctx: Pick<AppContext, "db">,
  auth: AuthContext,
  key: string,
): Promise<void> {
  await ctx.db
    .deleteFrom("idempotency_keys")
    .where("merchant_id", "=", auth.merchantId)
    .where("livemode", "=", auth.livemode)
    .where("key", "=", key)
    .where("status", "=", "in_progress")
    .execute();
}
