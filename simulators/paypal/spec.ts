/**
 * Validation against PayPal's own OpenAPI 3.0 documents (Orders v2, Payments v2, Webhooks v1), compiled
 * once per simulator from `../shared/specs/paypal`. Requests are checked on the way in and every body the
 * simulator produces (answers and webhook events) on the way out. The documents also name, per operation
 * and status, the error issues PayPal returns and their descriptions; error details are built from those.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";

// ajv and ajv-formats are CommonJS; createRequire gives their constructors without interop wrappers.
const require = createRequire(import.meta.url);
const Ajv = require("ajv") as typeof import("ajv").default;
const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;

export const DEFAULT_SPEC_DIR = new URL("../../../shared/specs/paypal/", import.meta.url);

type DocumentId = "orders" | "payments" | "webhooks";

const FILES: Record<DocumentId, string> = {
  orders: "checkout_orders_v2.json",
  payments: "payments_payment_v2.json",
  webhooks: "notifications_webhooks_v1.json",
};

/** PayPal's own format names; the spec's patterns already say what they need. */
const PAYPAL_FORMATS = [
  "merchant_common_email_address_v2",
  "ppaas_payer_id_v3",
  "ppaas_date_notime_v2",
  "ppaas_common_country_code_v2",
  "payer_v1",
  "ppaas_common_currency_code_v2",
  "ppaas_common_language_v3",
  "ppaas_common_email_address_v2",
  "ppaas_ip_address_v1",
  "ppaas_date_time_v3",
];

export const OPERATIONS = {
  "orders.create": ["orders", "post", "/v2/checkout/orders"],
  "orders.get": ["orders", "get", "/v2/checkout/orders/{id}"],
  "orders.capture": ["orders", "post", "/v2/checkout/orders/{id}/capture"],
  "orders.authorize": ["orders", "post", "/v2/checkout/orders/{id}/authorize"],
  "authorizations.get": ["payments", "get", "/v2/payments/authorizations/{authorization_id}"],
  "authorizations.capture": ["payments", "post", "/v2/payments/authorizations/{authorization_id}/capture"],
  "authorizations.void": ["payments", "post", "/v2/payments/authorizations/{authorization_id}/void"],
  "captures.get": ["payments", "get", "/v2/payments/captures/{capture_id}"],
  "captures.refund": ["payments", "post", "/v2/payments/captures/{capture_id}/refund"],
  "refunds.get": ["payments", "get", "/v2/payments/refunds/{refund_id}"],
  "webhooks.create": ["webhooks", "post", "/v1/notifications/webhooks"],
  "webhooks.list": ["webhooks", "get", "/v1/notifications/webhooks"],
  "webhooks.get": ["webhooks", "get", "/v1/notifications/webhooks/{webhook_id}"],
  "webhooks.delete": ["webhooks", "delete", "/v1/notifications/webhooks/{webhook_id}"],
  "events.get": ["webhooks", "get", "/v1/notifications/webhooks-events/{event_id}"],
  "events.resend": ["webhooks", "post", "/v1/notifications/webhooks-events/{event_id}/resend"],
  "webhooks.verify": ["webhooks", "post", "/v1/notifications/verify-webhook-signature"],
} as const satisfies Record<string, readonly [DocumentId, string, string]>;

export type Operation = keyof typeof OPERATIONS;

/** Webhook event resources and the schema each is checked against. */
export const RESOURCE_SCHEMAS = {
  "checkout-order": ["orders", "order"],
  capture: ["payments", "capture-2"],
  authorization: ["payments", "authorization-2"],
  refund: ["payments", "refund"],
} as const satisfies Record<string, readonly [DocumentId, string]>;

export type ResourceType = keyof typeof RESOURCE_SCHEMAS;

export interface ErrorDetail {
  field?: string;
  value?: string;
  location?: "body" | "path" | "query" | "header";
  issue: string;
  description?: string;
}

export interface SpecValidators {
  /** Null when valid, otherwise the problems in PayPal's `details` form (400 INVALID_REQUEST). */
  request(op: Operation, body: unknown): ErrorDetail[] | null;
  /** Null when valid, otherwise a description of what is wrong (a simulator bug). */
  response(op: Operation, status: number, body: unknown): string | null;
  event(body: unknown): string | null;
  resource(type: ResourceType, body: unknown): string | null;
  /** The description PayPal's spec gives `issue` among the errors of `op` with `status`, if any. */
  describe(op: Operation, status: number, issue: string): string | undefined;
  /** Whether the spec lists `issue` among the errors of `op` with `status`. */
  lists(op: Operation, status: number, issue: string): boolean;
}

interface Json {
  [key: string]: unknown;
}

function readDocument(dir: URL, id: DocumentId): Json {
  return JSON.parse(readFileSync(new URL(FILES[id], dir), "utf8")) as Json;
}

function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!current || typeof current !== "object") return undefined;
    current = (current as Json)[key];
  }
  return current;
}

/** Local `#/components/...` refs become refs into the document registered under `id`. */
function qualify(schema: unknown, id: DocumentId): unknown {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', `"$ref":"${id}#/`));
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword} (${e.schemaPath})`)
    .join("; ");
}

const LENGTH_KEYWORDS = new Set(["minLength", "maxLength"]);
const SYNTAX_KEYWORDS = new Set(["pattern", "format", "type"]);

function toDetail(error: ErrorObject, body: unknown): ErrorDetail {
  const field =
    error.keyword === "required"
      ? `${error.instancePath}/${(error.params as { missingProperty: string }).missingProperty}`
      : error.instancePath || "/";
  let issue = "INVALID_PARAMETER_VALUE";
  if (error.keyword === "required") issue = "MISSING_REQUIRED_PARAMETER";
  else if (LENGTH_KEYWORDS.has(error.keyword)) issue = "INVALID_STRING_LENGTH";
  else if (SYNTAX_KEYWORDS.has(error.keyword)) issue = "INVALID_PARAMETER_SYNTAX";
  else if (error.keyword === "minItems") issue = "INVALID_ARRAY_MIN_ITEMS";
  else if (error.keyword === "maxItems") issue = "INVALID_ARRAY_MAX_ITEMS";
  const detail: ErrorDetail = { field, location: "body", issue };
  if (error.keyword !== "required") {
    const value = error.instancePath
      .split("/")
      .slice(1)
      .reduce<unknown>((node, key) => at(node, key.replaceAll("~1", "/").replaceAll("~0", "~")), body);
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      detail.value = String(value);
    }
  }
  return detail;
}

/** One detail per field, the most telling problem first (a missing field over a wrong branch). */
function toDetails(errors: ErrorObject[], body: unknown): ErrorDetail[] {
  const byField = new Map<string, ErrorDetail>();
  for (const error of errors) {
    if (["anyOf", "oneOf", "allOf", "if", "not"].includes(error.keyword)) continue;
    const detail = toDetail(error, body);
    if (!byField.has(detail.field ?? "")) byField.set(detail.field ?? "", detail);
  }
  if (byField.size === 0 && errors[0]) byField.set("/", toDetail(errors[0], body));
  return [...byField.values()].slice(0, 10);
}

export function compileSpecValidators(dir: URL = DEFAULT_SPEC_DIR): SpecValidators {
  const documents = {
    orders: readDocument(dir, "orders"),
    payments: readDocument(dir, "payments"),
    webhooks: readDocument(dir, "webhooks"),
  };
  // strict: false because the specs carry OpenAPI keywords (readOnly, example, x-*) that are not JSON
  // Schema; unicodeRegExp: false because their patterns are ECMA-262 without the u flag.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    inlineRefs: false,
    unicodeRegExp: false,
    code: { optimize: false },
    logger: false,
  });
  addFormats(ajv);
  for (const format of PAYPAL_FORMATS) ajv.addFormat(format, true);
  for (const id of Object.keys(documents) as DocumentId[]) {
    ajv.addSchema({ $id: id, components: { schemas: at(documents[id], "components", "schemas") } });
  }

  const compiled = new Map<string, ValidateFunction>();
  function compile(key: string, build: () => unknown): ValidateFunction {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(build() as object);
      compiled.set(key, validate);
    }
    return validate;
  }

  function operation(op: Operation): { id: DocumentId; node: Json } {
    const [id, method, path] = OPERATIONS[op];
    const node = at(documents[id], "paths", path, method);
    if (!node) throw new Error(`the PayPal ${id} spec has no ${method.toUpperCase()} ${path}`);
    return { id, node: node as Json };
  }

  function responseSchema(op: Operation, status: number): { id: DocumentId; schema: unknown } | null {
    const { id, node } = operation(op);
    let response = at(node, "responses", String(status)) ?? at(node, "responses", "default");
    const ref = at(response, "$ref");
    if (typeof ref === "string") response = at(documents[id], ...ref.slice(2).split("/"));
    const schema = at(response, "content", "application/json", "schema");
    return schema ? { id, schema } : null;
  }

  const catalogues = new Map<string, Map<string, string | undefined>>();
  function catalogue(op: Operation, status: number): Map<string, string | undefined> {
    const key = `${op} ${status}`;
    let issues = catalogues.get(key);
    if (issues) return issues;
    issues = new Map();
    const found = responseSchema(op, status);
    const pending: unknown[] = found ? [found.schema] : [];
    while (pending.length > 0) {
      const schema = pending.pop();
      const ref = at(schema, "$ref");
      if (typeof ref === "string" && found) pending.push(at(documents[found.id], ...ref.slice(2).split("/")));
      const allOf = at(schema, "allOf");
      if (Array.isArray(allOf)) pending.push(...allOf);
      const branches = at(schema, "properties", "details", "items", "anyOf");
      if (!Array.isArray(branches)) continue;
      for (const branch of branches) {
        const issue = (at(branch, "properties", "issue", "enum") as string[] | undefined)?.[0];
        const description = (at(branch, "properties", "description", "enum") as string[] | undefined)?.[0];
        if (issue && !issues.has(issue)) issues.set(issue, description);
      }
    }
    catalogues.set(key, issues);
    return issues;
  }

  // Compiled now, so a broken spec fails at start rather than on the first request.
  for (const op of Object.keys(OPERATIONS) as Operation[]) {
    const { id, node } = operation(op);
    const body = at(node, "requestBody", "content", "application/json", "schema");
    if (body) compile(`request ${op}`, () => qualify(body, id));
  }

  return {
    request(op, body) {
      const validate = compiled.get(`request ${op}`);
      if (!validate || validate(body)) return null;
      return toDetails(validate.errors ?? [], body);
    },
    response(op, status, body) {
      const found = responseSchema(op, status);
      if (!found) return body === null ? null : `${op} ${status}: the spec describes no body`;
      const validate = compile(`response ${op} ${status}`, () => qualify(found.schema, found.id));
      return validate(body) ? null : `${op} ${status}: ${describeErrors(validate.errors)}`;
    },
    event(body) {
      const validate = compile("event", () => ({ $ref: "webhooks#/components/schemas/event" }));
      return validate(body) ? null : `webhook event: ${describeErrors(validate.errors)}`;
    },
    resource(type, body) {
      const [id, name] = RESOURCE_SCHEMAS[type];
      const validate = compile(`resource ${type}`, () => ({ $ref: `${id}#/components/schemas/${name}` }));
      return validate(body) ? null : `${type} resource: ${describeErrors(validate.errors)}`;
    },
    describe(op, status, issue) {
      return catalogue(op, status).get(issue);
    },
    lists(op, status, issue) {
      return catalogue(op, status).has(issue);
    },
  };
}
