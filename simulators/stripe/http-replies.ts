/** The bytes the simulator answers with, and Stripe's canned errors for auth, routing and injected faults. */
import type { ServerResponse } from "node:http";
import { errorObject, type StripeErrorFields } from "./outcomes.ts";

export type Reply =
  | { kind: "send"; status: number; headers: Record<string, string>; body: string }
  | { kind: "hang_up" };

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    kind: "send",
    status,
    headers: { "content-type": "application/json", "cache-control": "no-cache, no-store", ...headers },
    body: JSON.stringify(body, null, 2),
  };
}

export function errorReply(
  status: number,
  fields: StripeErrorFields,
  headers: Record<string, string> = {},
): Reply {
  return jsonReply(status, { error: errorObject(fields) }, headers);
}

export function htmlReply(status: number, html: string): Reply {
  return {
    kind: "send",
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy":
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:",
      "cache-control": "no-store",
    },
    body: html,
  };
}

export function redirectReply(location: string): Reply {
  return {
    kind: "send",
    status: 303,
    headers: { location, "content-type": "text/plain; charset=utf-8" },
    body: "",
  };
}

export function unrecognizedUrl(method: string, path: string): Reply {
  return errorReply(404, {
    type: "invalid_request_error",
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

export function idempotencyMismatch(key: string, headers: Record<string, string>): Reply {
  return errorReply(
    400,
    {
      type: "idempotency_error",
      message:
        "Keys for idempotent requests can only be used with the same parameters they were first used with. " +
        `Try using a key other than '${key}' if you meant to execute a different request.`,
    },
    headers,
  );
}

export function idempotencyKeyInUse(key: string, headers: Record<string, string>): Reply {
  return errorReply(
    409,
    {
      type: "invalid_request_error",
      code: "idempotency_key_in_use",
      message:
        "There is currently another in-progress request using this Idempotent Key (that probably means you " +
        `submitted twice, and the other request is still going through): ${key}. Please try again later.`,
    },
    headers,
  );
}

const FAULT_ERRORS: Record<string, StripeErrorFields> = {
  "500": { type: "api_error", message: "An unknown error occurred" },
  "503": { type: "api_error", message: "The Stripe API is temporarily unavailable. Please try again later." },
  rate_limit: {
    type: "invalid_request_error",
    code: "rate_limit",
    message:
      "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.",
  },
  lock_timeout: {
    type: "invalid_request_error",
    code: "lock_timeout",
    message:
      "This object cannot be accessed right now because another API request or Stripe process is currently " +
      "accessing it. If you see this error intermittently, retry the request. If you see this error frequently " +
      "and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate.",
  },
};

export function faultReply(status: 500 | 503 | 429, code: "rate_limit" | "lock_timeout"): Reply {
  const fields = FAULT_ERRORS[status === 429 ? code : String(status)] as StripeErrorFields;
  const headers: Record<string, string> = {};
  if (status === 429 && code === "lock_timeout") headers["stripe-should-retry"] = "true";
  return errorReply(status, fields, headers);
}

export function send(res: ServerResponse, reply: Reply, truncate: boolean): void {
  if (reply.kind === "hang_up") {
    res.socket?.destroy();
    return;
  }
  if (res.destroyed) return;
  const text = truncate ? reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))) : reply.body;
  const buffer = Buffer.from(text, "utf8");
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(buffer.length) });
  res.end(buffer);
}
