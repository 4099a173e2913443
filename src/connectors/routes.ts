import { z } from "zod";
import { listBody, pageQuery } from "../http/pagination.ts";
import { defineRoute } from "../http/route.ts";
import { type ConnectorAccountService, presentConnectorAccount } from "./account-service.ts";
import type { ConnectorRegistry } from "./registry.ts";

const restrictions = {
  payment_methods: z
    .array(z.string().regex(/^[a-z_]{2,40}$/))
    .max(50)
    .nullable()
    .optional(),
  currencies: z
    .array(z.string().regex(/^[a-z]{3}$/, "must be lower-case ISO 4217 codes"))
    .max(200)
    .nullable()
    .optional(),
  countries: z
    .array(z.string().regex(/^[A-Z]{2}$/, "must be ISO 3166-1 alpha-2 codes"))
    .max(250)
    .nullable()
    .optional(),
};

// The connector's own schema validates `config` in the service; here only its outer shape.
const configSchema = z.record(z.string().max(64), z.unknown()).refine((c) => Object.keys(c).length <= 50, {
  message: "has too many fields",
});

const createBody = z.strictObject({
  connector: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/),
  label: z.string().min(1).max(100).optional(),
  config: configSchema.optional(),
  enabled: z.boolean().optional(),
  ...restrictions,
});

const updateBody = z.strictObject({
  label: z.string().min(1).max(100).optional(),
  config: configSchema.optional(),
  enabled: z.boolean().optional(),
  ...restrictions,
});

const idParams = z.strictObject({ id: z.string().regex(/^mca_[0-9A-Za-z]+$/) });

export function connectorAccountRoutes(accounts: ConnectorAccountService, registry: ConnectorRegistry) {
  const present = (row: Parameters<typeof presentConnectorAccount>[0]) =>
    presentConnectorAccount(row, registry);
  return [
    defineRoute({
      method: "POST",
      url: "/v1/connector_accounts",
      summary: "Configure a provider account (secrets are write-only and stored encrypted)",
      tags: ["Connector accounts"],
      body: createBody,
      async handler({ auth, body }) {
        return { body: present(await accounts.create(auth, body)) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/connector_accounts",
      summary: "List connector accounts",
      tags: ["Connector accounts"],
      query: z.strictObject(pageQuery),
      async handler({ auth, query }) {
        const { rows, has_more } = await accounts.list(auth, query);
        return { body: listBody("/v1/connector_accounts", rows.map(present), has_more) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/connector_accounts/:id",
      summary: "Retrieve a connector account",
      tags: ["Connector accounts"],
      params: idParams,
      async handler({ auth, params }) {
        return { body: present(await accounts.get(auth, params.id)) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/connector_accounts/:id",
      summary: "Update a connector account (config fields given are merged; secrets replaced)",
      tags: ["Connector accounts"],
      params: idParams,
      body: updateBody,
      async handler({ auth, params, body }) {
        return { body: present(await accounts.update(auth, params.id, body)) };
      },
    }),
  ];
}
