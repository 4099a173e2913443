import type { MollieAnswer } from "./client.ts";
import { parseWith, type WireError, wireErrorSchema } from "./wire.ts";

export function parseError(body: unknown): WireError | null {
  return parseWith(wireErrorSchema, body);
}

/** A definite answer the connector has no meaning for (a bad API key, a request we built wrong). */
export function unexpected(operation: string, answer: MollieAnswer & { kind: "answer" }): Error {
  const error = parseError(answer.body);
  const detail = error
    ? `${error.title ?? error.status}${error.detail ? `: ${error.detail}` : ""}${error.field ? ` (${error.field})` : ""}`
    : "unreadable error body";
  return new Error(`mollie ${operation}: unexpected HTTP ${answer.status} (${detail})`);
}
