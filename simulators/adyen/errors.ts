/**
 * Adyen's error bodies. Checkout answers `{status, errorCode, message, errorType}` (ServiceError); the
 * Management API answers RFC 7807 problems (RestServiceError). Codes are Adyen's documented ones
 * (docs.adyen.com/development-resources/error-codes); messages never carry card data.
 */

export type ErrorType = "validation" | "security" | "configuration" | "internal";

export interface ServiceError {
  status: number;
  errorCode: string;
  message: string;
  errorType: ErrorType;
  pspReference?: string;
}

export function serviceError(status: number, errorCode: string, message: string, errorType: ErrorType) {
  return { status, errorCode, message, errorType } satisfies ServiceError;
}

export const CHECKOUT_ERRORS = {
  unauthorized: () => serviceError(401, "000", "HTTP Status Response - Unauthorized", "security"),
  notFound: () => serviceError(404, "000", "HTTP Status Response - Not Found", "validation"),
  methodNotAllowed: () => serviceError(405, "000", "HTTP Status Response - Method Not Allowed", "validation"),
  unparsable: (detail: string) => serviceError(400, "702", `Unexpected input: ${detail}`, "validation"),
  invalidField: (message: string) => serviceError(422, "702", message, "validation"),
  amountMissing: () => serviceError(422, "100", "Required object 'amount' is not provided.", "validation"),
  invalidCardNumber: () => serviceError(422, "101", "Invalid card number", "validation"),
  cvcLength: () => serviceError(422, "103", "CVC is not the right length", "validation"),
  expiryInvalid: () => serviceError(422, "129", "Expiry Date Invalid", "validation"),
  invalidAmount: () => serviceError(422, "137", "Invalid amount specified", "validation"),
  originalPspReference: () =>
    serviceError(422, "167", "Original pspReference required for this operation", "validation"),
  cannotDecrypt: () => serviceError(422, "174", "Unable to decrypt data", "validation"),
  contractNotFound: () => serviceError(422, "800", "Contract not found", "validation"),
  invalidMerchantAccount: () => serviceError(422, "901", "Invalid Merchant Account", "security"),
  notSupported: () => serviceError(422, "905", "Payment details are not supported", "configuration"),
  googlePayNotConfigured: () =>
    serviceError(
      422,
      "905",
      "Payment details are not supported: Google Pay needs the simulator's googlePayRootKeys option",
      "configuration",
    ),
  // Adyen's Google Pay error codes (5_2xx), as its Checkout API answers them.
  googlePayInvalid: () => serviceError(422, "5_202", "Invalid PayWithGoogle token", "validation"),
  googlePaySignature: () => serviceError(422, "5_206", "PayWithGoogle signature corrupt", "validation"),
  googlePayExpired: () => serviceError(422, "5_208", "PayWithGoogle token already expired", "validation"),
  returnUrlMissing: () => serviceError(422, "14_030", "Return URL is missing.", "validation"),
  invalidPayload: () => serviceError(422, "14_018", "Invalid payload provided", "validation"),
  shopperReferenceRequired: () =>
    serviceError(422, "000", "Recurring payments require a shopperReference", "validation"),
  /** Adyen's idempotency error code; `transient` tells the client whether a retry can succeed. */
  idempotencyInProgress: () =>
    serviceError(409, "704", "request already processed or in progress", "validation"),
  idempotencyMismatch: () =>
    serviceError(
      422,
      "704",
      "Idempotency-Key was already used for a request with a different body",
      "validation",
    ),
  idempotencyKeyTooLong: () =>
    serviceError(422, "702", "Idempotency-Key must be at most 64 characters", "validation"),
  internal: () => serviceError(500, "000", "An internal error occurred", "internal"),
  unavailable: () => serviceError(503, "000", "Service temporarily unavailable", "internal"),
  tooManyRequests: () => serviceError(429, "000", "Too many requests", "security"),
  tooLarge: () => serviceError(413, "000", "Request entity too large", "validation"),
} as const;

export interface RestServiceError {
  type: string;
  errorCode: string;
  title: string;
  detail: string;
  status: number;
  invalidFields?: Array<{ name: string; message: string; value: string }>;
}

export function managementError(
  status: number,
  errorCode: string,
  title: string,
  detail: string,
  invalidFields?: RestServiceError["invalidFields"],
): RestServiceError {
  const slug = title.toLowerCase().replace(/[^a-z]+/g, "-");
  const error: RestServiceError = {
    type: `https://docs.adyen.com/errors/${slug}`,
    errorCode,
    title,
    detail,
    status,
  };
  if (invalidFields) error.invalidFields = invalidFields;
  return error;
}
