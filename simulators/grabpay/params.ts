/** Request body checks that answer in GrabPay's error shape, naming the parameter. */
import { ERR, type PartnerError } from "./errors.ts";

/** Minor-unit exponent per currency as GrabPay counts amounts (IDR and VND in whole units). */
export const CURRENCY_EXPONENT: Record<string, number> = {
  SGD: 2,
  MYR: 2,
  PHP: 2,
  THB: 2,
  IDR: 0,
  VND: 0,
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: PartnerError };

export function parseJsonObject(raw: Buffer): Parsed<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    return { ok: false, error: ERR.invalidArgument("request body is not valid JSON", "body") };
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, error: ERR.invalidArgument("request body must be a JSON object", "body") };
  }
  return { ok: true, value: body as Record<string, unknown> };
}

export class ParamError extends Error {
  constructor(readonly error: PartnerError) {
    super(error.message);
  }
}

export function rejectUnknown(body: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined)
    throw new ParamError(ERR.invalidArgument(`unknown parameter ${unknown}`, unknown));
}

export function requiredString(body: Record<string, unknown>, name: string, maxLength: number): string {
  const value = body[name];
  if (value === undefined || value === null || value === "") {
    throw new ParamError(ERR.invalidArgument(`missing required parameter ${name}`, name));
  }
  if (typeof value !== "string") throw new ParamError(ERR.invalidArgument(`${name} must be a string`, name));
  if (value.length > maxLength) {
    throw new ParamError(ERR.invalidArgument(`${name} must be at most ${maxLength} characters`, name));
  }
  return value;
}

export function optionalString(
  body: Record<string, unknown>,
  name: string,
  maxLength: number,
): string | null {
  if (body[name] === undefined || body[name] === null) return null;
  if (body[name] === "") return "";
  return requiredString(body, name, maxLength);
}

export function requiredAmount(body: Record<string, unknown>, name: string): bigint {
  const value = body[name];
  if (value === undefined || value === null) {
    throw new ParamError(ERR.invalidArgument(`missing required parameter ${name}`, name));
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new ParamError(ERR.invalidArgument(`${name} must be a positive integer in minor units`, name));
  }
  return BigInt(value);
}

export function requiredCurrency(value: unknown, name = "currency"): string {
  if (value === undefined || value === null || value === "") {
    throw new ParamError(ERR.invalidArgument(`missing required parameter ${name}`, name));
  }
  if (typeof value !== "string" || !(value in CURRENCY_EXPONENT)) {
    throw new ParamError(ERR.invalidArgument(`${name} is not a supported currency`, name));
  }
  return value;
}

/** Key order does not make two bodies different requests. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
