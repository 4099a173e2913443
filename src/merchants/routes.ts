import { z } from "zod";
import { unixSeconds } from "../core/clock.ts";
import { notFound } from "../core/errors.ts";
import type { Authenticator } from "../http/auth.ts";
import { listBody } from "../http/pagination.ts";
import { defineRoute, withholdSecret } from "../http/route.ts";
import { listKeys, revokeKey } from "./repo.ts";
import { type MerchantDeps, rollApiKey } from "./service.ts";

const idParams = z.strictObject({ id: z.string().regex(/^key_[0-9A-Za-z]+$/) });

export function apiKeyRoutes(deps: MerchantDeps, authenticator: () => Authenticator) {
  return [
    defineRoute({
      method: "GET",
      url: "/v1/api_keys",
      summary: "List this merchant's API keys (redacted)",
      tags: ["API keys"],
      async handler({ auth }) {
        const rows = await listKeys(deps.db, auth.merchantId, auth.livemode);
        const data = rows.map((row) => ({
          id: row.id,
          object: "api_key",
          type: row.kind,
          livemode: row.livemode,
          redacted: row.redacted,
          created: unixSeconds(row.created_at),
          expires_at: row.expires_at ? unixSeconds(row.expires_at) : null,
          revoked: row.revoked_at !== null,
        }));
        return { body: listBody("/v1/api_keys", data, false) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/api_keys/:id/roll",
      summary: "Roll an API key: a new key is returned once; the old one expires after expires_in seconds",
      // API keys exist in clear only in this one response, never in a table (not even for replays).
      storedForReplay: withholdSecret("secret"),
      tags: ["API keys"],
      params: idParams,
      body: z.strictObject({
        expires_in: z
          .number()
          .int()
          .min(0)
          .max(7 * 86_400)
          .optional(),
      }),
      async handler({ auth, params, body }) {
        const rolled = await rollApiKey(
          deps,
          auth.merchantId,
          auth.livemode,
          params.id,
          body.expires_in ?? 0,
        );
        if (!rolled) throw notFound("api_key", params.id);
        authenticator().forget(rolled.oldKeyHash);
        return {
          body: {
            id: rolled.id,
            object: "api_key",
            type: rolled.kind,
            livemode: rolled.livemode,
            secret: rolled.key,
          },
        };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/api_keys/:id/revoke",
      summary: "Revoke an API key at once",
      tags: ["API keys"],
      params: idParams,
      body: z.strictObject({}),
      async handler({ auth, params }) {
        const revoked = await revokeKey(deps.db, auth.merchantId, auth.livemode, params.id, deps.clock.now());
        if (!revoked) throw notFound("api_key", params.id);
        authenticator().forget(revoked.key_hash);
        return { body: { id: params.id, object: "api_key", revoked: true } };
      },
    }),
  ];
}
