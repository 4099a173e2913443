/**
 * Request-parameter schemas read at start-up from Stripe's published OpenAPI document (the copy in
 * ../shared/specs/stripe). Stripe leaves out of that document the parameters it enables per account
 * (raw card numbers, card tokens, network tokens, MIT exemptions); `GATED_CARD_PARAMETERS` adds those, and only
 * where the document does not already describe them.
 */
import { readFile } from "node:fs/promises";

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  maxLength?: number;
  format?: string;
  $ref?: string;
}

export const DEFAULT_SPEC_URL = new URL(
  "../../../shared/specs/stripe/spec3.2022-04-12.json",
  import.meta.url,
);

interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

interface SpecDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface StripeSpec {
  /** The parameters of one operation as an object schema: the form body of a POST, the query otherwise. */
  parameters(method: string, template: string): JsonSchema;
}

const text = (maxLength = 5000): JsonSchema => ({ type: "string", maxLength });

/** Stripe's names for the raw-card and wallet-token parameters of PaymentIntent create and confirm. */
const GATED_CARD_PARAMETERS = {
  card: {
    type: "object",
    properties: {
      number: text(),
      exp_month: { type: "integer" },
      exp_year: { type: "integer" },
      cvc: text(),
      last4: text(4),
      // A card token (`tok_...`) in place of the card details, as `card: {token: "tok_visa"}`.
      token: text(),
      network_token: {
        type: "object",
        properties: {
          number: text(),
          exp_month: { type: "integer" },
          exp_year: { type: "integer" },
          tokenization_method: { type: "string", enum: ["apple_pay", "google_pay_dpan", "google_pay"] },
        },
      },
    },
  },
  cardOptions: {
    network_token: {
      type: "object",
      properties: {
        cryptogram: text(),
        electronic_commerce_indicator: { type: "string", enum: ["01", "02", "05", "06", "07"] },
      },
    },
    mit_exemption: {
      type: "object",
      properties: {
        network_transaction_id: text(),
        claim_without_transaction_id: { type: "boolean" },
      },
    },
  },
} satisfies Record<string, JsonSchema | Record<string, JsonSchema>>;

function objectBranch(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  if (schema.properties) return schema;
  return schema.anyOf?.find((branch) => branch.properties !== undefined);
}

function addGatedCardParameters(schema: JsonSchema): void {
  const data = schema.properties?.payment_method_data;
  if (data?.properties) {
    data.properties.card ??= structuredClone(GATED_CARD_PARAMETERS.card);
    const type = data.properties.type;
    if (type?.enum && !type.enum.includes("card")) type.enum = [...type.enum, "card"];
  }
  const card = objectBranch(objectBranch(schema.properties?.payment_method_options)?.properties?.card);
  if (card?.properties) {
    for (const [name, extra] of Object.entries(GATED_CARD_PARAMETERS.cardOptions)) {
      card.properties[name] ??= structuredClone(extra);
    }
  }
}

function inlineRefs(schema: JsonSchema, components: Record<string, JsonSchema>, depth = 0): JsonSchema {
  if (depth > 32) return {};
  if (schema.$ref) {
    const target = components[schema.$ref.replace("#/components/schemas/", "")];
    return target ? inlineRefs(target, components, depth + 1) : {};
  }
  const out: JsonSchema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [
        key,
        inlineRefs(value, components, depth + 1),
      ]),
    );
  }
  if (schema.items) out.items = inlineRefs(schema.items, components, depth + 1);
  if (schema.anyOf) out.anyOf = schema.anyOf.map((branch) => inlineRefs(branch, components, depth + 1));
  if (typeof schema.additionalProperties === "object") {
    out.additionalProperties = inlineRefs(schema.additionalProperties, components, depth + 1);
  }
  return out;
}

function querySchema(operation: Operation): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in !== "query") continue;
    properties[parameter.name] = parameter.schema ?? {};
    if (parameter.required) required.push(parameter.name);
  }
  return { type: "object", properties, required, additionalProperties: false };
}

export async function loadStripeSpec(source: URL | string = DEFAULT_SPEC_URL): Promise<StripeSpec> {
  const document = JSON.parse(await readFile(source, "utf8")) as SpecDocument;
  const components = document.components?.schemas ?? {};
  const cache = new Map<string, JsonSchema>();

  return {
    parameters(method, template) {
      const key = `${method} ${template}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const operation = document.paths[template]?.[method.toLowerCase()];
      if (!operation) throw new Error(`the Stripe spec has no operation ${key}`);
      const body = operation.requestBody?.content?.["application/x-www-form-urlencoded"]?.schema;
      const schema = structuredClone(
        inlineRefs(
          method === "POST" ? (body ?? { type: "object", properties: {} }) : querySchema(operation),
          components,
        ),
      );
      schema.additionalProperties = false;
      if (template === "/v1/payment_intents" || template === "/v1/payment_intents/{intent}/confirm") {
        if (method === "POST") addGatedCardParameters(schema);
      }
      cache.set(key, schema);
      return schema;
    },
  };
}
