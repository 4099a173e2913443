import { json } from "../db/schema.ts";
import type { AppContext } from "../http/context.ts";

export interface AuditEntry {
  merchantId: string | null;
  livemode: boolean | null;
  /** Who acted: `connector:<id>`, `api_key:<id>`, `cli`, `system`. */
  actor: string;
  action: string;
  objectId?: string | null;
  detail?: Record<string, unknown>;
}

/** Appends one line to the audit log. Never carries card data: callers pass ids only. */
export async function writeAudit(ctx: Pick<AppContext, "db" | "ids" | "clock">, entry: AuditEntry) {
  await ctx.db
    .insertInto("audit_log")
    .values({
      id: ctx.ids.next("aud"),
      merchant_id: entry.merchantId,
      livemode: entry.livemode,
      actor: entry.actor,
      action: entry.action,
      object_id: entry.objectId ?? null,
      detail: json(entry.detail ?? {}),
      created_at: ctx.clock.now(),
    })
    .execute();
}
