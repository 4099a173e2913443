/** The connector accounts API: a merchant's configured provider accounts, secrets write-only. */

import { unixSeconds } from "../core/clock.ts";
import { ApiError, invalidRequest, notFound } from "../core/errors.ts";
import { type ConnectorAccountRow, json } from "../db/schema.ts";
import type { AppContext, AuthContext } from "../http/context.ts";
import { type PageParams, paginate } from "../http/pagination.ts";
import type { ConnectorAccountCache } from "./account-cache.ts";
import { type AccountSecrets, secretFieldsOf } from "./account-secrets.ts";
import type { ConnectorRegistry } from "./registry.ts";

export interface ConnectorAccountInput {
  connector?: string | undefined;
  label?: string | undefined;
  config?: Record<string, unknown> | undefined;
  enabled?: boolean | undefined;
  payment_methods?: string[] | null | undefined;
  currencies?: string[] | null | undefined;
  countries?: string[] | null | undefined;
}

export function presentConnectorAccount(row: ConnectorAccountRow, registry: ConnectorRegistry) {
  const secretNames = secretFieldsOf(registry, row.connector);
  const visible = Object.fromEntries(
    Object.entries(row.config).filter(([name]) => !secretNames.includes(name)),
  );
  return {
    id: row.id,
    object: "connector_account",
    connector: row.connector,
    label: row.label,
    enabled: row.enabled,
    config: visible,
    // Which secrets are set, never their values.
    secrets: Object.fromEntries(secretNames.map((name) => [name, row.sealed_secrets ? "set" : "missing"])),
    payment_methods: row.payment_methods,
    currencies: row.currencies,
    countries: row.countries,
    livemode: row.livemode,
    created: unixSeconds(row.created_at),
  };
}

export function createConnectorAccountService(deps: {
  ctx: AppContext;
  registry: ConnectorRegistry;
  secrets: AccountSecrets;
  cache: ConnectorAccountCache;
}) {
  const { ctx, registry, secrets, cache } = deps;

  function validateConfig(connectorId: string, config: Record<string, unknown>): Record<string, unknown> {
    const connector = registry.get(connectorId);
    if (!connector?.configSchema) {
      throw invalidRequest(
        `Unknown connector '${connectorId}'. Available: ${registry
          .all()
          .filter((c) => c.configSchema)
          .map((c) => c.id)
          .join(", ")}.`,
        "connector",
      );
    }
    const parsed = connector.configSchema.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.map(String) ?? [];
      throw invalidRequest(
        `Invalid config for ${connector.displayName}: ${path.join(".") || "config"} ${issue?.message ?? "is invalid"}.`,
        `config${path.map((p) => `[${p}]`).join("")}`,
      );
    }
    return parsed.data;
  }

  function checkRestrictions(connectorId: string, input: ConnectorAccountInput) {
    const caps = registry.get(connectorId)?.capabilities;
    for (const method of input.payment_methods ?? []) {
      if (!caps?.paymentMethods.includes(method)) {
        throw invalidRequest(
          `${connectorId} does not support the payment method '${method}'.`,
          "payment_methods",
        );
      }
    }
  }

  async function get(auth: AuthContext, id: string): Promise<ConnectorAccountRow> {
    const row = await ctx.db
      .selectFrom("connector_accounts")
      .selectAll()
      .where("id", "=", id)
      .where("merchant_id", "=", auth.merchantId)
      .where("livemode", "=", auth.livemode)
      .executeTakeFirst();
    if (!row) throw notFound("connector_account", id);
    return row;
  }

  return {
    get,
    async create(auth: AuthContext, input: ConnectorAccountInput & { connector: string }) {
      const config = validateConfig(input.connector, input.config ?? {});
      checkRestrictions(input.connector, input);
      const id = ctx.ids.next("mca");
      const { plain, secret } = secrets.split(input.connector, config);
      const now = ctx.clock.now();
      const connector = registry.require(input.connector);
      const row = await ctx.db
        .insertInto("connector_accounts")
        .values({
          id,
          merchant_id: auth.merchantId,
          livemode: auth.livemode,
          connector: input.connector,
          label: input.label ?? `${connector.displayName}${auth.livemode ? "" : " (test)"}`,
          config: json(plain),
          ...(await secrets.seal(auth.merchantId, id, secret)),
          enabled: input.enabled ?? true,
          payment_methods: input.payment_methods ? json(input.payment_methods) : null,
          currencies: input.currencies ? json(input.currencies) : null,
          countries: input.countries ? json(input.countries) : null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      cache.clear();
      return row;
    },

    async update(auth: AuthContext, id: string, input: ConnectorAccountInput) {
      const current = await get(auth, id);
      if (input.connector !== undefined && input.connector !== current.connector) {
        throw new ApiError(400, {
          type: "invalid_request_error",
          code: "parameter_invalid",
          message: "The connector of an account cannot change: create a new account instead.",
          param: "connector",
        });
      }
      checkRestrictions(current.connector, input);
      if (input.config) {
        // The whole configuration must stay valid: check the merge with the stored secrets.
        const opened = await secrets.open(current);
        validateConfig(current.connector, { ...opened.config, ...input.config });
        await secrets.savePatch(ctx.db, id, input.config, ctx.clock.now());
      }
      const row = await ctx.db
        .updateTable("connector_accounts")
        .set({
          updated_at: ctx.clock.now(),
          ...(input.label !== undefined ? { label: input.label } : {}),
          ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
          ...(input.payment_methods !== undefined
            ? { payment_methods: input.payment_methods ? json(input.payment_methods) : null }
            : {}),
          ...(input.currencies !== undefined
            ? { currencies: input.currencies ? json(input.currencies) : null }
            : {}),
          ...(input.countries !== undefined
            ? { countries: input.countries ? json(input.countries) : null }
            : {}),
        })
        .where("id", "=", id)
        .where("merchant_id", "=", auth.merchantId)
        .returningAll()
        .executeTakeFirstOrThrow();
      cache.clear();
      return row;
    },

    async list(auth: AuthContext, page: PageParams) {
      return paginate(
        ctx.db
          .selectFrom("connector_accounts")
          .selectAll("connector_accounts")
          .where("connector_accounts.merchant_id", "=", auth.merchantId)
          .where("connector_accounts.livemode", "=", auth.livemode),
        "connector_accounts",
        page,
      );
    },
  };
}

export type ConnectorAccountService = ReturnType<typeof createConnectorAccountService>;
