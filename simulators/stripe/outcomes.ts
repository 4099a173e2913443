/** What an API operation decides, before the HTTP layer (and its faults) turns it into bytes. */

export interface StripeErrorFields {
  type: "api_error" | "card_error" | "idempotency_error" | "invalid_request_error";
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
}

export interface Responded {
  kind: "respond";
  status: number;
  body: unknown;
  /** Whether an idempotent retry replays this answer; Stripe does not keep answers to invalid requests. */
  remember: boolean;
}

export type Outcome =
  | Responded
  /**
   * The connection is dropped without an answer while the work goes on; `eventual` is the answer the
   * request would have had, kept for idempotent retries once it settles.
   */
  | { kind: "hang_up"; eventual: Promise<Responded> };

export function ok(body: unknown): Responded {
  return { kind: "respond", status: 200, body, remember: true };
}

export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll("_", "-")}`;
}

/** Stripe's error object, keys in Stripe's (alphabetical) order. */
export function errorObject(fields: StripeErrorFields): Record<string, unknown> {
  const error: Record<string, unknown> = {};
  if (fields.charge !== undefined) error.charge = fields.charge;
  if (fields.code !== undefined) error.code = fields.code;
  if (fields.decline_code !== undefined) error.decline_code = fields.decline_code;
  if (fields.code !== undefined) error.doc_url = docUrl(fields.code);
  error.message = fields.message;
  if (fields.param !== undefined) error.param = fields.param;
  if (fields.payment_intent !== undefined) error.payment_intent = fields.payment_intent;
  if (fields.payment_method !== undefined) error.payment_method = fields.payment_method;
  error.type = fields.type;
  return error;
}

export function stripeError(status: number, fields: StripeErrorFields, remember = true): Responded {
  return { kind: "respond", status, body: { error: errorObject(fields) }, remember };
}

/** A request Stripe refuses before acting on it: not kept for idempotent retries. */
export function invalidParam(message: string, param?: string, code?: string): Responded {
  return stripeError(400, { type: "invalid_request_error", message, param, code }, false);
}

/** A request that reached an object in the wrong state: kept, as Stripe keeps it. */
export function invalidState(
  message: string,
  code: string,
  extra: Partial<StripeErrorFields> = {},
): Responded {
  return stripeError(400, { type: "invalid_request_error", message, code, ...extra });
}

export function notFound(objectName: string, id: string, param: string): Responded {
  return stripeError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${objectName}: '${id}'`,
    param,
  });
}
