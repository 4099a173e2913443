import { ApiError } from "../core/errors.ts";
import type { RandomSource } from "../core/ids.ts";
import type { Db } from "../db/index.ts";
import { type ConnectorAccountRow, json } from "../db/schema.ts";
import type { AuthContext } from "../http/context.ts";
import type { ConnectorAccountCache } from "./account-cache.ts";
import type { AccountSecrets } from "./account-secrets.ts";
import type { ConnectorAccount } from "./contract.ts";
import type { ConnectorRegistry } from "./registry.ts";

export function toConnectorAccount(row: ConnectorAccountRow): ConnectorAccount {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    livemode: row.livemode,
    connector: row.connector,
    config: row.config,
  };
}

/** A new merchant's test mode gets one enabled account per built-in simulator; live mode starts empty. */
export async function createDefaultTestAccounts(
  tx: Db,
  registry: ConnectorRegistry,
  merchantId: string,
  ids: { next(prefix: "mca"): string },
  random: RandomSource,
  now: Date,
  secrets: AccountSecrets,
): Promise<void> {
  const rows = [];
  let order = 0;
  for (const connector of registry.all()) {
    const config = connector.defaultTestAccountConfig?.(random);
    if (!config) continue;
    const id = ids.next("mca");
    const { plain, secret } = secrets.split(connector.id, config);
    rows.push({
      id,
      merchant_id: merchantId,
      livemode: false,
      connector: connector.id,
      label: `${connector.displayName} (test)`,
      config: json(plain),
      ...(await secrets.seal(merchantId, id, secret)),
      enabled: true,
      // A millisecond apart, so "oldest first" keeps the registry's order.
      created_at: new Date(now.getTime() + order++),
    });
  }
  if (rows.length > 0) await tx.insertInto("connector_accounts").values(rows).execute();
}

/**
 * The account an intent uses: the one it names, else the first enabled account (oldest first) whose
 * connector supports the method and currency. Real routing replaces the fallback later.
 */
export async function chooseConnectorAccount(
  accounts: ConnectorAccountCache,
  registry: ConnectorRegistry,
  auth: AuthContext,
  method: string,
  currency: string,
  requested?: string | null,
): Promise<ConnectorAccountRow> {
  const enabled = await accounts.enabledFor(auth.merchantId, auth.livemode);
  const rows = requested ? enabled.filter((row) => row.id === requested) : enabled;
  const fit = rows.find((row) => {
    const caps = registry.get(row.connector)?.capabilities;
    if (!caps) return false;
    // The merchant's own restrictions on the account narrow what the connector supports.
    if (row.payment_methods && !row.payment_methods.includes(method)) return false;
    if (row.currencies && !row.currencies.includes(currency)) return false;
    return (
      caps.paymentMethods.includes(method) && (caps.currencies === "*" || caps.currencies.includes(currency))
    );
  });
  if (fit) return fit;
  if (requested) {
    throw new ApiError(400, {
      type: "invalid_request_error",
      code: "connector_account_unavailable",
      message: `Connector account '${requested}' does not exist, is disabled, or does not support ${method} in ${currency}.`,
      param: "connector_account",
    });
  }
  throw new ApiError(400, {
    type: "invalid_request_error",
    code: "no_connector_available",
    message: `No enabled connector account supports ${method} payments in ${currency.toUpperCase()} for this ${auth.livemode ? "live" : "test"} mode. Add one with POST /v1/connector_accounts.`,
  });
}
