import { ApiError } from "../core/errors.ts";
import { hashApiKey, parseKeyShape } from "../merchants/keys.ts";
import { findActiveKeyByHash } from "../merchants/repo.ts";
import type { AppContext, AuthContext } from "./context.ts";

const CACHE_TTL_MS = 5_000;

const unauthenticated = (message: string) =>
  new ApiError(401, { type: "authentication_error", code: "api_key_invalid", message });

function keyFromHeader(header: string | undefined): string {
  if (!header) {
    throw new ApiError(401, {
      type: "authentication_error",
      code: "api_key_missing",
      message: "You did not provide an API key. Send it as 'Authorization: Bearer sk_test_…'.",
    });
  }
  const [scheme, value = ""] = header.split(" ", 2);
  if (scheme?.toLowerCase() === "bearer") return value.trim();
  if (scheme?.toLowerCase() === "basic") {
    const user = Buffer.from(value, "base64").toString("utf8").split(":")[0] ?? "";
    return user.trim();
  }
  throw unauthenticated("The Authorization header must use the Bearer scheme.");
}

export interface Authenticator {
  authenticate(header: string | undefined): Promise<AuthContext>;
  /** Drops cached lookups so a revoked key stops working at once in this process. */
  forget(keyHash: string): void;
}

/**
 * Looks API keys up by hash. Successful lookups are cached for a few seconds per process, which keeps
 * the hot path to one query less; a revocation reaches other processes within that time.
 */
export function createAuthenticator(ctx: Pick<AppContext, "db" | "clock">): Authenticator {
  const cache = new Map<string, { auth: AuthContext; until: number }>();
  return {
    async authenticate(header) {
      const key = keyFromHeader(header);
      const shape = parseKeyShape(key);
      if (!shape) throw unauthenticated("Invalid API key provided.");
      const hash = hashApiKey(key);
      const now = ctx.clock.now();
      const cached = cache.get(hash);
      if (cached && cached.until > now.getTime()) return cached.auth;
      const row = await findActiveKeyByHash(ctx.db, hash, now);
      if (!row) {
        cache.delete(hash);
        throw unauthenticated("Invalid API key provided: it does not exist, was revoked or has expired.");
      }
      const auth: AuthContext = {
        merchantId: row.merchant_id,
        livemode: row.livemode,
        keyKind: row.kind,
        keyId: row.id,
      };
      const expiresAt = row.expires_at ? row.expires_at.getTime() : Number.POSITIVE_INFINITY;
      cache.set(hash, { auth, until: Math.min(now.getTime() + CACHE_TTL_MS, expiresAt) });
      if (cache.size > 10_000) cache.delete(cache.keys().next().value as string);
      return auth;
    },
    forget(keyHash) {
      cache.delete(keyHash);
    },
  };
}
