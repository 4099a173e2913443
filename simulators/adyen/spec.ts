/**
 * JSON Schema validation against Adyen's own OpenAPI 3.1 documents (Checkout API v71 and the standard
 * webhooks), compiled once per simulator from `../shared/specs/adyen`. Requests are checked on the way
 * in, and every body the simulator produces is checked on the way out.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";

// ajv and ajv-formats are CommonJS; createRequire gives their constructors without interop wrappers.
const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020") as typeof import("ajv/dist/2020.js").default;
const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;

export const DEFAULT_SPEC_DIR = new URL("../../../shared/specs/adyen/", import.meta.url);

export const CHECKOUT_SCHEMAS = [
  "PaymentRequest",
  "PaymentResponse",
  "PaymentDetailsRequest",
  "PaymentDetailsResponse",
  "PaymentCaptureRequest",
  "PaymentCaptureResponse",
  "PaymentCancelRequest",
  "PaymentCancelResponse",
  "PaymentRefundRequest",
  "PaymentRefundResponse",
  "PaymentReversalRequest",
  "PaymentReversalResponse",
  "StandalonePaymentCancelRequest",
  "StandalonePaymentCancelResponse",
  "ServiceError",
  "CardDetails",
] as const;

export type CheckoutSchema = (typeof CHECKOUT_SCHEMAS)[number];

/** The standard webhooks the simulator sends; their schemas are compiled at start. */
const SENT_EVENT_CODES = [
  "AUTHORISATION",
  "CAPTURE",
  "CAPTURE_FAILED",
  "CANCELLATION",
  "REFUND",
  "REFUND_FAILED",
  "CANCEL_OR_REFUND",
  "TECHNICAL_CANCEL",
];

/** Card payment method types that CardDetails (and not another branch of the oneOf) describes. */
const CARD_TYPES = new Set(["scheme", "networkToken", "card", "bcmc", "giftcard", "clicktopay"]);

export interface SchemaProblem {
  /** `missing`: a required field is absent; its dotted path is in `field`. */
  kind: "missing" | "unknown" | "invalid";
  field: string;
  message: string;
}

export interface SpecValidators {
  request(schema: CheckoutSchema, body: unknown): SchemaProblem | null;
  /** Null when valid, otherwise a description of what is wrong (for a simulator bug report). */
  response(schema: CheckoutSchema, body: unknown): string | null;
  webhook(eventCode: string, body: unknown): string | null;
}

interface OpenApiDocument {
  components: { schemas: Record<string, unknown> };
  webhooks?: Record<
    string,
    { post?: { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } } }
  >;
}

function readSpec(dir: URL, file: string): OpenApiDocument {
  return JSON.parse(readFileSync(new URL(file, dir), "utf8")) as OpenApiDocument;
}

function dotted(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

function join(parent: string, child: string): string {
  if (parent === "") return child;
  return child === "" ? parent : `${parent}.${child}`;
}

/** Turns ajv's first error into Adyen-style wording that names the field and never echoes its value. */
export function explain(errors: ErrorObject[], prefix = ""): SchemaProblem {
  const last = errors[errors.length - 1];
  if (last && (last.keyword === "oneOf" || last.keyword === "anyOf")) {
    const field = join(prefix, dotted(last.instancePath));
    return { kind: "invalid", field, message: `Field '${field}' does not match any accepted structure` };
  }
  const error = errors[0];
  if (!error) return { kind: "invalid", field: prefix, message: "The request is invalid" };
  const at = join(prefix, dotted(error.instancePath));
  switch (error.keyword) {
    case "required": {
      const field = join(at, String(error.params.missingProperty));
      return { kind: "missing", field, message: `Required field '${field}' is not provided.` };
    }
    case "additionalProperties": {
      const unknown = String(error.params.additionalProperty);
      const structure = at === "" ? "request" : at;
      return {
        kind: "unknown",
        field: join(at, unknown),
        message: `Structure ${structure} contains the following unknown fields: [${unknown}]`,
      };
    }
    case "type":
      if (at === "") return { kind: "invalid", field: at, message: "The request body must be a JSON object" };
      return { kind: "invalid", field: at, message: `Field '${at}' must be of type ${error.params.type}` };
    case "enum": {
      const allowed = (error.params.allowedValues as unknown[]).map(String).join(", ");
      return { kind: "invalid", field: at, message: `Field '${at}' must be one of: ${allowed}` };
    }
    default:
      return { kind: "invalid", field: at, message: `Field '${at}' ${error.message ?? "is invalid"}` };
  }
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword} (${e.schemaPath})`)
    .join("; ");
}

export function compileSpecValidators(dir: URL = DEFAULT_SPEC_DIR): SpecValidators {
  const checkout = readSpec(dir, "CheckoutService-v71.json");
  const webhooks = readSpec(dir, "Webhooks-v1.json");
  // strict: false because the specs carry OpenAPI keywords (nullable, example, x-*) that are not JSON Schema.
  // Shared, unoptimised functions per $ref compile about five times faster on these large documents.
  const ajv = new Ajv2020({ strict: false, allErrors: false, inlineRefs: false, code: { optimize: false } });
  addFormats(ajv);
  ajv.addSchema({ $id: "checkout", components: { schemas: checkout.components.schemas } });
  ajv.addSchema({ $id: "webhooks", components: { schemas: webhooks.components.schemas } });

  const compiled = new Map<string, ValidateFunction>();
  function get(document: "checkout" | "webhooks", name: string): ValidateFunction {
    const key = `${document}#/components/schemas/${name}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.getSchema(key);
      if (!validate) throw new Error(`schema ${name} is missing from the ${document} spec`);
      compiled.set(key, validate);
    }
    return validate;
  }

  const webhookSchemas = new Map<string, string>();
  for (const [path, item] of Object.entries(webhooks.webhooks ?? {})) {
    const ref = item.post?.requestBody?.content?.["application/json"]?.schema?.$ref;
    if (ref) webhookSchemas.set(path.replace(/^\//, ""), ref.split("/").pop() ?? "");
  }
  for (const name of CHECKOUT_SCHEMAS) get("checkout", name);
  for (const eventCode of SENT_EVENT_CODES) {
    const name = webhookSchemas.get(eventCode);
    if (!name) throw new Error(`the webhooks spec has no ${eventCode} webhook`);
    get("webhooks", name);
  }

  return {
    request(schema, body) {
      if (schema === "PaymentRequest" && body && typeof body === "object") {
        // The paymentMethod oneOf reports every branch's failure; for card types the card branch alone
        // says what is wrong.
        const method = (body as { paymentMethod?: unknown }).paymentMethod;
        if (method && typeof method === "object" && !Array.isArray(method)) {
          const type = (method as { type?: unknown }).type;
          if (type === undefined || (typeof type === "string" && CARD_TYPES.has(type))) {
            const card = get("checkout", "CardDetails");
            if (!card(method)) return explain(card.errors ?? [], "paymentMethod");
          }
        }
      }
      const validate = get("checkout", schema);
      return validate(body) ? null : explain(validate.errors ?? []);
    },
    response(schema, body) {
      const validate = get("checkout", schema);
      return validate(body) ? null : `${schema}: ${describe(validate.errors)}`;
    },
    webhook(eventCode, body) {
      const name = webhookSchemas.get(eventCode);
      if (!name) return `no webhook schema for event ${eventCode}`;
      const validate = get("webhooks", name);
      return validate(body) ? null : `${name}: ${describe(validate.errors)}`;
    },
  };
}
