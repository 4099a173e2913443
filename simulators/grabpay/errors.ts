/**
 * Error bodies. Partner API errors carry `code` (machine-readable), `message` (what happened, naming the
 * parameter) and `reason`, the fields GrabPay clients read; GrabID's OAuth endpoints answer with RFC 6749
 * `{ error, error_description }`.
 */
import { json, type Sent } from "./http.ts";

export interface PartnerError {
  status: number;
  code: string;
  message: string;
  reason: string;
}

export function partnerError(error: PartnerError, headers: Record<string, string> = {}): Sent {
  return json(error.status, { code: error.code, message: error.message, reason: error.reason }, headers);
}

export const ERR = {
  invalidArgument: (message: string, param: string): PartnerError => ({
    status: 400,
    code: "invalid_argument",
    message,
    reason: param,
  }),
  unauthorized: (message: string): PartnerError => ({
    status: 401,
    code: "unauthorized",
    message,
    reason: "unauthorized",
  }),
  forbidden: (message: string): PartnerError => ({
    status: 403,
    code: "forbidden",
    message,
    reason: "forbidden",
  }),
  notFound: (message: string): PartnerError => ({
    status: 404,
    code: "not_found",
    message,
    reason: "not_found",
  }),
  conflict: (message: string): PartnerError => ({
    status: 409,
    code: "transaction_already_exist",
    message,
    reason: "transaction_already_exist",
  }),
  unprocessable: (message: string, reason: string): PartnerError => ({
    status: 400,
    code: "invalid_request",
    message,
    reason,
  }),
  methodNotAllowed: (): PartnerError => ({
    status: 405,
    code: "method_not_allowed",
    message: "method not allowed",
    reason: "method_not_allowed",
  }),
  tooLarge: (): PartnerError => ({
    status: 413,
    code: "invalid_argument",
    message: "body too large",
    reason: "body",
  }),
  internal: (): PartnerError => ({
    status: 500,
    code: "internal_error",
    message: "internal server error",
    reason: "internal_error",
  }),
  unavailable: (): PartnerError => ({
    status: 503,
    code: "service_unavailable",
    message: "service temporarily unavailable",
    reason: "service_unavailable",
  }),
  tooManyRequests: (): PartnerError => ({
    status: 429,
    code: "too_many_requests",
    message: "rate limit exceeded",
    reason: "too_many_requests",
  }),
};

export function oauthError(status: number, error: string, description: string): Sent {
  return json(
    status,
    { error, error_description: description },
    { "cache-control": "no-store", pragma: "no-cache" },
  );
}
