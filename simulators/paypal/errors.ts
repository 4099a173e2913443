/**
 * PayPal's REST error shape: `{ name, message, debug_id, details: [{ field, value, location, issue,
 * description }], links }`, with the names and messages the specs fix per status. The OAuth endpoint and
 * rejected bearer tokens answer in the OAuth shape `{ error, error_description }` instead.
 */
import type { ErrorDetail } from "./spec.ts";

export interface PayPalError {
  name: string;
  message: string;
  debug_id: string;
  details?: ErrorDetail[];
  links?: Array<{ href: string; rel: string; method?: string }>;
  information_link?: string;
}

export const ERROR_NAMES = {
  400: ["INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema."],
  401: [
    "AUTHENTICATION_FAILURE",
    "Authentication failed due to missing authorization header, or invalid authentication credentials.",
  ],
  403: ["NOT_AUTHORIZED", "Authorization failed due to insufficient permissions."],
  404: ["RESOURCE_NOT_FOUND", "The specified resource does not exist."],
  405: ["METHOD_NOT_SUPPORTED", "The server does not implement the requested HTTP method."],
  409: ["RESOURCE_CONFLICT", "The server has detected a conflict while processing this request."],
  415: ["UNSUPPORTED_MEDIA_TYPE", "The server does not support the request payload's media type."],
  422: [
    "UNPROCESSABLE_ENTITY",
    "The requested action could not be performed, semantically incorrect, or failed business validation.",
  ],
  429: ["RATE_LIMIT_REACHED", "Too many requests. Blocked due to rate limiting."],
  500: ["INTERNAL_SERVER_ERROR", "An internal server error occurred."],
  503: ["SERVICE_UNAVAILABLE", "Service Unavailable."],
} as const;

export type ErrorStatus = keyof typeof ERROR_NAMES;

/** The API family decides where `information_link`s point, as PayPal's do. */
export type ApiFamily = "orders" | "payments" | "webhooks";

const DOC_PATHS: Record<ApiFamily, string> = {
  orders: "https://developer.paypal.com/api/rest/reference/orders/v2/errors/",
  payments: "https://developer.paypal.com/docs/api/payments/v2/",
  webhooks: "https://developer.paypal.com/docs/api/webhooks/v1/",
};

export function paypalError(
  status: ErrorStatus,
  debugId: string,
  family: ApiFamily,
  details?: ErrorDetail[],
): PayPalError {
  const [name, message] = ERROR_NAMES[status];
  const error: PayPalError = { name, message, debug_id: debugId };
  if (details && details.length > 0) {
    error.details = details;
    const issue = details[0]?.issue;
    if (issue && family !== "webhooks") {
      error.links = [{ href: `${DOC_PATHS[family]}#${issue}`, rel: "information_link", method: "GET" }];
    }
  }
  if (family === "webhooks") error.information_link = DOC_PATHS.webhooks;
  return error;
}

/** The Webhooks v1 API keeps the older shape: its own names and messages, `information_link`. */
export function webhooksError(
  name: string,
  message: string,
  debugId: string,
  details?: Array<{ field?: string; issue: string }>,
): PayPalError {
  return {
    name,
    message,
    debug_id: debugId,
    information_link: DOC_PATHS.webhooks,
    ...(details ? { details } : {}),
  };
}

export interface OAuthError {
  error: string;
  error_description: string;
}

export const OAUTH_ERRORS = {
  invalidClient: { error: "invalid_client", error_description: "Client Authentication failed" },
  unsupportedGrant: { error: "unsupported_grant_type", error_description: "Grant Type is NULL" },
  invalidToken: { error: "invalid_token", error_description: "Access Token not found in cache" },
} as const satisfies Record<string, OAuthError>;
