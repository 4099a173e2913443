import type { Db } from "../db/index.ts";
import type { ConnectorAccountRow } from "../db/schema.ts";

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

export interface ConnectorAccountCache {
  /** An account by id (any merchant: callers hold ids from their own, scoped rows). */
  get(id: string): Promise<ConnectorAccountRow | undefined>;
  /** A merchant's enabled accounts in one mode, oldest first. */
  enabledFor(merchantId: string, livemode: boolean): Promise<ConnectorAccountRow[]>;
  clear(): void;
}

/**
 * Connector accounts are read on every payment and every provider notification but change rarely, so
 * each process keeps them for a few seconds. A change reaches other processes within that time.
 */
export function createConnectorAccountCache(
  db: Db,
  options: { open?: (row: ConnectorAccountRow) => Promise<ConnectorAccountRow>; now?: () => number } = {},
): ConnectorAccountCache {
  const now = options.now ?? Date.now;
  // Rows are kept with their secrets unsealed: they are needed for every provider call.
  const open = options.open ?? (async (row: ConnectorAccountRow) => row);
  const byId = new Map<string, { row: ConnectorAccountRow | undefined; until: number }>();
  const byMerchant = new Map<string, { rows: ConnectorAccountRow[]; until: number }>();
  const bounded = <K, V>(map: Map<K, V>, key: K, value: V) => {
    if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as K);
    map.set(key, value);
  };
  return {
    async get(id) {
      const hit = byId.get(id);
      if (hit && hit.until > now()) return hit.row;
      const stored = await db
        .selectFrom("connector_accounts")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      const row = stored ? await open(stored) : undefined;
      if (row) bounded(byId, id, { row, until: now() + TTL_MS });
      return row;
    },
    async enabledFor(merchantId, livemode) {
      const key = `${merchantId}:${livemode}`;
      const hit = byMerchant.get(key);
      if (hit && hit.until > now()) return hit.rows;
      const stored = await db
        .selectFrom("connector_accounts")
        .selectAll()
        .where("merchant_id", "=", merchantId)
        .where("livemode", "=", livemode)
        .where("enabled", "=", true)
        .orderBy("created_at", "asc")
        .orderBy("id", "asc")
        .execute();
      const rows = await Promise.all(stored.map(open));
      bounded(byMerchant, key, { rows, until: now() + TTL_MS });
      return rows;
    },
    clear() {
      byId.clear();
      byMerchant.clear();
    },
  };
}
