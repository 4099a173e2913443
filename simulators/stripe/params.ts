/**
 * Checks form parameters against an operation's schema from the spec and converts them to typed
 * values (integers, booleans, lists), failing the way Stripe does: the first problem, naming the
 * parameter in bracket notation. Values under payment-method parameters are never echoed, since they
 * may be card data.
 */
import type { FormObject, FormValue } from "./form.ts";
import type { JsonSchema } from "./spec.ts";

export interface ParamIssue {
  code: string;
  param: string;
  message: string;
}

export type Params = Record<string, unknown>;
type Step = { ok: true; value: unknown } | { ok: false; issue: ParamIssue };

const ok = (value: unknown): Step => ({ ok: true, value });
const fail = (code: string, param: string, message: string): Step => ({
  ok: false,
  issue: { code, param, message },
});

const SENSITIVE_ROOTS = ["payment_method_data", "payment_method_options", "payment_method", "card"];

function shown(param: string, value: FormValue): string {
  const root = param.split("[")[0] ?? "";
  if (SENSITIVE_ROOTS.includes(root) || typeof value !== "string") return "(value not shown)";
  const masked = value.replace(/\d{12,}/g, "(digits not shown)");
  return masked.length > 40 ? `${masked.slice(0, 40)}...` : masked;
}

function child(param: string, key: string | number): string {
  return param === "" ? String(key) : `${param}[${key}]`;
}

function isObject(value: FormValue): value is FormObject {
  return typeof value === "object" && !Array.isArray(value);
}

function acceptsEmpty(schema: JsonSchema): boolean {
  return schema.anyOf?.some((branch) => branch.enum?.includes("") ?? false) ?? false;
}

function emptyString(param: string): Step {
  return fail(
    "parameter_invalid_empty",
    param,
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; ` +
      `however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
  );
}

function listOf(values: unknown[]): string {
  if (values.length > 12)
    return `${values.slice(0, 10).map(String).join(", ")}, or one of ${values.length - 10} more`;
  const words = values.map(String);
  if (words.length <= 2) return words.join(" or ");
  return `${words.slice(0, -1).join(", ")}, or ${words.at(-1)}`;
}

function typeOf(schema: JsonSchema): string | undefined {
  if (schema.type) return schema.type;
  if (schema.properties || schema.additionalProperties) return "object";
  return undefined;
}

function walkAnyOf(branches: JsonSchema[], value: FormValue, param: string): Step {
  if (value === "" && branches.some((branch) => branch.enum?.includes(""))) return ok("");
  const structured = typeof value === "object";
  const candidates = branches.filter((branch) => {
    const type = typeOf(branch);
    return structured ? type === "object" || type === "array" : type !== "object" && type !== "array";
  });
  let first: Step | undefined;
  for (const branch of candidates.length > 0 ? candidates : branches) {
    const step = walk(branch, value, param);
    if (step.ok) return step;
    first ??= step;
  }
  return first ?? ok(value);
}

function walkObject(schema: JsonSchema, value: FormValue, param: string): Step {
  if (!isObject(value)) {
    if (value === "" && schema.additionalProperties && !schema.properties) return ok({});
    return fail("parameter_invalid_hash", param, `Invalid hash: ${param} must be an object.`);
  }
  const properties = schema.properties ?? {};
  const extra = schema.additionalProperties;
  for (const key of Object.keys(value)) {
    if (properties[key] === undefined && !extra) {
      const unknown = child(param, key);
      return fail("parameter_unknown", unknown, `Received unknown parameter: ${unknown}`);
    }
  }
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) {
      return fail("parameter_missing", child(param, key), `Missing required param: ${child(param, key)}.`);
    }
  }
  const entries: Array<[string, unknown]> = [];
  for (const [key, item] of Object.entries(value)) {
    const itemSchema = properties[key] ?? (typeof extra === "object" ? extra : {});
    const step = walk(itemSchema, item, child(param, key));
    if (!step.ok) return step;
    entries.push([key, step.value]);
  }
  return ok(Object.fromEntries(entries));
}

function walkArray(schema: JsonSchema, value: FormValue, param: string): Step {
  let items: FormValue[];
  if (Array.isArray(value)) items = value;
  else if (isObject(value) && Object.keys(value).every((key) => /^\d+$/.test(key))) {
    items = Object.keys(value)
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => value[key] as FormValue);
  } else if (value === "") {
    return ok([]);
  } else {
    return fail("parameter_invalid_array", param, `Invalid array: ${param} must be a list.`);
  }
  const out: unknown[] = [];
  for (const [index, item] of items.entries()) {
    const step = walk(schema.items ?? {}, item, child(param, index));
    if (!step.ok) return step;
    out.push(step.value);
  }
  return ok(out);
}

function walkString(schema: JsonSchema, value: FormValue, param: string): Step {
  if (typeof value !== "string") {
    return fail("parameter_invalid_string", param, `Invalid string: ${param} must be a string, not a hash.`);
  }
  if (schema.enum) {
    if (value === "" && !schema.enum.includes("")) return emptyString(param);
    if (!schema.enum.includes(value)) {
      return fail("parameter_invalid_enum", param, `Invalid ${param}: must be one of ${listOf(schema.enum)}`);
    }
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    return fail(
      "parameter_invalid_string_length",
      param,
      `Invalid string: ${shown(param, value)}; must be at most ${schema.maxLength} characters`,
    );
  }
  return ok(value);
}

function walkScalar(type: "integer" | "number" | "boolean", value: FormValue, param: string): Step {
  if (value === "") return emptyString(param);
  if (type === "boolean") {
    if (value === "true" || value === "false") return ok(value === "true");
    return fail("parameter_invalid_boolean", param, `Invalid boolean: ${shown(param, value)}`);
  }
  if (type === "integer") {
    const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isSafeInteger(number)) return ok(number);
    return fail("parameter_invalid_integer", param, `Invalid integer: ${shown(param, value)}`);
  }
  const number = typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isFinite(number)) return ok(number);
  return fail("parameter_invalid_decimal", param, `Invalid decimal: ${shown(param, value)}`);
}

function walk(schema: JsonSchema, value: FormValue, param: string): Step {
  if (schema.anyOf) {
    if (value === "" && !acceptsEmpty(schema) && schema.anyOf.every((b) => typeOf(b) !== "string")) {
      return emptyString(param);
    }
    return walkAnyOf(schema.anyOf, value, param);
  }
  const type = typeOf(schema);
  switch (type) {
    case "object":
      return walkObject(schema, value, param);
    case "array":
      return walkArray(schema, value, param);
    case "string":
      return walkString(schema, value, param);
    case "integer":
    case "number":
    case "boolean":
      return walkScalar(type, value, param);
    default:
      return ok(value);
  }
}

export function checkParams(
  schema: JsonSchema,
  input: FormObject,
): { ok: true; params: Params } | { ok: false; issue: ParamIssue } {
  const step = walkObject(schema, input, "");
  return step.ok ? { ok: true, params: step.value as Params } : step;
}
