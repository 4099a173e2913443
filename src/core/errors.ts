export type ErrorType =
  | "invalid_request_error"
  | "card_error"
  | "api_error"
  | "idempotency_error"
  | "authentication_error"
  | "permission_error"
  | "rate_limit_error";

export interface ApiErrorBody {
  type: ErrorType;
  code: string;
  message: string;
  param?: string;
  decline_code?: string;
  payment_intent?: unknown;
  [extra: string]: unknown;
}

/** An error the API reports to the caller as `{ error: {...} }` with an HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;
  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

export const invalidRequest = (message: string, param?: string, code = "parameter_invalid") =>
  new ApiError(400, { type: "invalid_request_error", code, message, ...(param ? { param } : {}) });

export const missingParam = (param: string) =>
  new ApiError(400, {
    type: "invalid_request_error",
    code: "parameter_missing",
    message: `Missing required param: ${param}.`,
    param,
  });

export const notFound = (kind: string, id: string, param = "id") =>
  new ApiError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    param,
  });

export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new ApiError(409, { type: "invalid_request_error", code, message, ...extra });

export const unexpectedState = (kind: string, status: string, action: string) =>
  new ApiError(400, {
    type: "invalid_request_error",
    code: `${kind}_unexpected_state`,
    message: `You cannot ${action} this ${kind.replaceAll("_", " ")} because it has a status of ${status}.`,
  });
