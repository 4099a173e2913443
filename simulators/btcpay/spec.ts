/**
 * Validation against BTCPay's own Greenfield swagger templates (`../shared/specs/btcpay`): the root template
 * plus the invoices and webhooks templates, whose components `$ref` into each other and are merged here.
 *
 * The templates are OpenAPI 3.0 written for a C# generator, so two of their idioms are translated before ajv
 * sees them: `nullable: true` becomes "null or the schema", and `additionalProperties: false` on a schema that
 * is composed with `allOf` (InvoiceData, WebhookEvent, ...) closes the object where it is used (as
 * `unevaluatedProperties: false`), so the properties of every `allOf` branch count, as the generator meant.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";

// ajv and ajv-formats are CommonJS; createRequire gives their constructors without interop wrappers.
const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020") as typeof import("ajv/dist/2020.js").default;
const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;

export const DEFAULT_SPEC_DIR = new URL("../../../shared/specs/btcpay/", import.meta.url);
const FILES = ["swagger.template.json", "swagger.template.invoices.json", "swagger.template.webhooks.json"];

/**
 * The refund endpoint answers a PullPaymentData, which lives in the pull-payments template that is not in
 * `../shared/specs/btcpay`; its properties are transcribed here from that template.
 */
const PULL_PAYMENT_DATA = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    description: { type: "string" },
    currency: { type: "string" },
    amount: { type: "string", format: "decimal" },
    BOLT11Expiration: { type: "string" },
    autoApproveClaims: { type: "boolean", nullable: true },
    archived: { type: "boolean" },
    viewLink: { type: "string" },
  },
};

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const LOCAL_REF = "#/components/schemas/";

function closes(node: unknown, schemas: Record<string, Schema>, seen: Set<string>): boolean {
  if (!isSchema(node)) return false;
  if (node.additionalProperties === false) return true;
  if (typeof node.$ref === "string" && node.$ref.startsWith(LOCAL_REF)) {
    const name = node.$ref.slice(LOCAL_REF.length);
    if (seen.has(name)) return false;
    return closes(schemas[name], schemas, new Set([...seen, name]));
  }
  return Array.isArray(node.allOf) && node.allOf.some((branch) => closes(branch, schemas, seen));
}

/** `rooted`: the node stands for a whole JSON value (a property, an item, a body), not an allOf part. */
function normalize(node: unknown, rooted: boolean, schemas: Record<string, Schema>): unknown {
  if (!isSchema(node)) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "nullable" || key === "example" || key.startsWith("x-")) continue;
    if (key === "additionalProperties" && value === false) continue;
    if (key === "properties" && isSchema(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, normalize(child, true, schemas)]),
      );
    } else if (key === "allOf" && Array.isArray(value)) {
      out.allOf = value.map((child) => normalize(child, false, schemas));
    } else if ((key === "anyOf" || key === "oneOf") && Array.isArray(value)) {
      out[key] = value.map((child) => normalize(child, true, schemas));
    } else if (key === "items" || key === "additionalProperties") {
      out[key] = normalize(value, true, schemas);
    } else {
      out[key] = value;
    }
  }
  if (rooted && closes(node, schemas, new Set())) out.unevaluatedProperties = false;
  return node.nullable === true ? { anyOf: [{ type: "null" }, out] } : out;
}

export interface ValidationProblem {
  path: string;
  message: string;
}

export interface SpecValidators {
  /** BTCPay-style validation errors for a request body, or an empty list. */
  request(schema: string, body: unknown): ValidationProblem[];
  /** Null when valid, otherwise what is wrong (a simulator bug). */
  response(schema: string, body: unknown): string | null;
  /** Checks a webhook body against the x-webhooks entry of its event type. */
  webhook(type: string, body: unknown): string | null;
  /** The event types the spec describes as x-webhooks. */
  webhookTypes: readonly string[];
}

function dotted(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

function join(parent: string, child: string): string {
  return parent === "" ? child : `${parent}.${child}`;
}

/** Turns ajv errors into BTCPay's `[{ path, message }]`, naming the JSON path and never echoing the value. */
function explain(errors: ErrorObject[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // The "null" branch of a nullable field always fails too; the other branch says what is wrong.
    if (error.keyword === "anyOf" || (error.keyword === "type" && error.params.type === "null")) continue;
    const at = dotted(error.instancePath);
    let problem: ValidationProblem | null = null;
    if (error.keyword === "required") {
      const path = join(at, String(error.params.missingProperty));
      problem = { path, message: `The ${path} field is required.` };
    } else if (error.keyword === "unevaluatedProperties") {
      const path = join(at, String(error.params.unevaluatedProperty));
      problem = { path, message: `Unknown property '${path}'` };
    } else if (error.keyword === "type") {
      problem = { path: at, message: `Invalid type: expected ${error.params.type}` };
    } else if (error.keyword === "enum") {
      const allowed = (error.params.allowedValues as unknown[]).map(String).join(", ");
      problem = { path: at, message: `Invalid value, expected one of: ${allowed}` };
    } else if (error.keyword === "format") {
      problem = { path: at, message: `Invalid ${error.params.format} value` };
    } else if (error.keyword === "minimum" || error.keyword === "maximum") {
      problem = { path: at, message: `The value ${error.message ?? "is out of range"}` };
    }
    if (!problem || seen.has(problem.path)) continue;
    seen.add(problem.path);
    problems.push(problem);
  }
  return problems.length > 0 ? problems : [{ path: "", message: "The request body is invalid" }];
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword} (${e.schemaPath})`)
    .join("; ");
}

interface Template {
  components?: { schemas?: Record<string, Schema> };
  "x-webhooks"?: Record<
    string,
    { post?: { requestBody?: { content?: Record<string, { schema?: Schema }> } } }
  >;
}

export function compileSpecValidators(dir: URL = DEFAULT_SPEC_DIR): SpecValidators {
  const templates = FILES.map((file) => JSON.parse(readFileSync(new URL(file, dir), "utf8")) as Template);
  const schemas: Record<string, Schema> = { PullPaymentData: PULL_PAYMENT_DATA };
  for (const template of templates) Object.assign(schemas, template.components?.schemas ?? {});
  const normalized = Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [name, normalize(schema, false, schemas)]),
  );

  const webhookSchemas = new Map<string, string>();
  for (const template of templates) {
    for (const [type, item] of Object.entries(template["x-webhooks"] ?? {})) {
      const ref = item.post?.requestBody?.content?.["application/json"]?.schema?.$ref;
      if (typeof ref === "string") webhookSchemas.set(type, ref.slice(LOCAL_REF.length));
    }
  }

  // allErrors so one 422 lists every bad field, as BTCPay's model state does.
  const ajv = new Ajv2020({ strict: false, allErrors: true, inlineRefs: false, code: { optimize: false } });
  addFormats(ajv);
  ajv.addFormat("decimal", /^-?\d+(\.\d+)?$/);
  for (const unit of ["seconds", "minutes", "days"])
    ajv.addFormat(unit, { type: "number", validate: () => true });
  ajv.addSchema({ $id: "btcpay", components: { schemas: normalized } });

  const compiled = new Map<string, ValidateFunction>();
  function get(name: string): ValidateFunction {
    let validate = compiled.get(name);
    if (!validate) {
      if (!schemas[name]) throw new Error(`schema ${name} is missing from the btcpay templates`);
      const entry: Schema = { $ref: `btcpay${LOCAL_REF}${name}` };
      if (closes(schemas[name], schemas, new Set())) entry.unevaluatedProperties = false;
      validate = ajv.compile(entry);
      compiled.set(name, validate);
    }
    return validate;
  }

  return {
    webhookTypes: [...webhookSchemas.keys()],
    request(name, body) {
      const validate = get(name);
      return validate(body) ? [] : explain(validate.errors ?? []);
    },
    response(name, body) {
      const validate = get(name);
      return validate(body) ? null : `${name}: ${describe(validate.errors)}`;
    },
    webhook(type, body) {
      const name = webhookSchemas.get(type);
      if (!name) return `no x-webhooks entry for ${type}`;
      const validate = get(name);
      return validate(body) ? null : `${name}: ${describe(validate.errors)}`;
    },
  };
}
