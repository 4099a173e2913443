import type { z } from "zod";
import { ApiError } from "../core/errors.ts";

/** Stripe-style parameter path: `payment_method_data[card][number]`. */
export function paramPath(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return `${head ?? ""}${rest.map((p) => `[${p}]`).join("")}`;
}

function describeIssue(issue: z.core.$ZodIssue): { message: string; param: string; code: string } {
  const param = paramPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const key = issue.keys[0] as string;
      const full = param ? `${param}[${key}]` : key;
      return { param: full, code: "parameter_unknown", message: `Received unknown parameter: ${full}.` };
    }
    case "invalid_type":
      if (issue.input === undefined) {
        return { param, code: "parameter_missing", message: `Missing required param: ${param}.` };
      }
      return {
        param,
        code: "parameter_invalid_type",
        message: `Invalid ${param}: expected ${issue.expected}, received ${typeof issue.input === "object" ? (issue.input === null ? "null" : Array.isArray(issue.input) ? "array" : "object") : typeof issue.input}.`,
      };
    default:
      return {
        param,
        code: "parameter_invalid",
        message: `Invalid ${param || "request"}: ${issue.message}.`.replace("..", "."),
      };
  }
}

/** PostgreSQL cannot store the NUL character in text or JSON; find the first string that has one. */
function findNul(value: unknown, path: PropertyKey[] = []): PropertyKey[] | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], [...path, i]);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) return [...path, key];
      const found = findNul(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, where: "body" | "query" | "params"): T {
  const nul = findNul(input);
  if (nul) {
    const param = paramPath(nul);
    throw new ApiError(where === "params" ? 404 : 400, {
      type: "invalid_request_error",
      code: where === "params" ? "resource_missing" : "parameter_invalid",
      message: `Invalid ${param || where}: text must not contain the NUL character.`,
      ...(param ? { param } : {}),
    });
  }
  const result = schema.safeParse(input ?? (where === "body" ? {} : input), { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const { message, param, code } = describeIssue(issue);
  if (where === "params") {
    const value = (input as Record<string, unknown> | undefined)?.[param];
    throw new ApiError(404, {
      type: "invalid_request_error",
      code: "resource_missing",
      message: `No such object: '${String(value).slice(0, 80)}'. Check that the id has the right prefix.`,
      param,
    });
  }
  throw new ApiError(400, { type: "invalid_request_error", code, message, ...(param ? { param } : {}) });
}
