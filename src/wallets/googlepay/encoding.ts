import { malformed } from "./errors.ts";

// Google sends standard base64 with padding; Buffer.from(..., "base64") would silently skip junk.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBase64(value: unknown, what: string): Buffer {
  if (typeof value !== "string" || value.length === 0 || !BASE64.test(value)) {
    throw malformed(`${what} is not base64`);
  }
  return Buffer.from(value, "base64");
}

/** Parses JSON that must be an object; the parser's own message is dropped as it can quote the input. */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed(`${what} is not valid JSON`);
  }
  if (!isObject(value)) throw malformed(`${what} is not a JSON object`);
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function requireString(object: Record<string, unknown>, field: string, where: string): string {
  const value = object[field];
  if (typeof value !== "string" || value.length === 0) throw malformed(`${where}.${field} is missing`);
  return value;
}

/** Google's timestamps: milliseconds since the epoch as a decimal string. */
export function parseMillis(value: string, what: string): number {
  if (!/^\d{1,15}$/.test(value)) throw malformed(`${what} is not a millisecond timestamp`);
  return Number(value);
}
