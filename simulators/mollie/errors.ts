/**
 * Mollie's error body: `{ status, title, detail, field?, _links: { documentation } }`, sent as HAL JSON
 * with the same HTTP status. `title` is the HTTP reason phrase; `field` names the offending parameter.
 */

export interface MollieError {
  status: number;
  title: string;
  detail: string;
  field?: string;
  _links: { documentation: { href: string; type: "text/html" } };
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized Request",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Request Entity Too Large",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

const HANDLING_ERRORS = "https://docs.mollie.com/overview/handling-errors";

export function mollieError(status: number, detail: string, field?: string): MollieError {
  return {
    status,
    title: TITLES[status] ?? "Error",
    detail,
    ...(field === undefined ? {} : { field }),
    _links: { documentation: { href: HANDLING_ERRORS, type: "text/html" } },
  };
}

export const ERRORS = {
  unauthorized: (): MollieError => ({
    ...mollieError(401, "Missing authentication, or failed to authenticate"),
    _links: { documentation: { href: "https://docs.mollie.com/overview/authentication", type: "text/html" } },
  }),
  noPayment: (id: string) => mollieError(404, `No payment exists with token ${id}.`),
  noRefund: (id: string) => mollieError(404, `No refund exists with token ${id}.`),
  noSettlement: (id: string) => mollieError(404, `No settlement exists with token ${id}.`),
  noResource: () => mollieError(404, "The resource does not exist."),
  methodNotAllowed: (method: string) =>
    mollieError(405, `The method ${method} is not allowed for this resource.`),
  invalidJson: () => mollieError(400, "The JSON body of the request could not be parsed."),
  tooLarge: () => mollieError(413, "The request body is too large."),
  unknownParameter: (name: string) =>
    mollieError(422, `Non-existent parameter "${name}" for this API call.`, name),
  invalid: (detail: string, field: string) => mollieError(422, detail, field),
  unprocessable: (detail: string) => mollieError(422, detail),
  idempotencyMismatch: () =>
    mollieError(422, "The Idempotency-Key has already been used for a different request.", "Idempotency-Key"),
  idempotencyInProgress: () =>
    mollieError(409, "A request with this Idempotency-Key is still being processed."),
  injected: (status: 500 | 503 | 429) =>
    mollieError(
      status,
      status === 429
        ? "You have sent too many requests, please try again later."
        : "An error occurred on our side, please try again later.",
    ),
  internal: () => mollieError(500, "An error occurred on our side, please try again later."),
};
