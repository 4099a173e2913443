export type ApplePayTokenErrorCode =
  | "unsupported_version"
  | "malformed_token"
  | "signature_invalid"
  | "certificate_chain_invalid"
  | "missing_apple_oid"
  | "missing_signing_time"
  | "signing_time_out_of_window"
  | "invalid_merchant_key"
  | "public_key_hash_mismatch"
  | "merchant_id_unavailable"
  | "truncated_ciphertext"
  | "decryption_failed"
  | "malformed_payload"
  | "unsupported_payment_data_type";

/**
 * Why a payment token was refused. Messages name the failed check and the field, never a value from the
 * token: the signature, ciphertext and decrypted payload carry card data.
 */
export class ApplePayTokenError extends Error {
  readonly code: ApplePayTokenErrorCode;
  constructor(code: ApplePayTokenErrorCode, message: string) {
    super(message);
    this.name = "ApplePayTokenError";
    this.code = code;
  }
}

export type ApplePaySessionErrorCode =
  | "invalid_request"
  | "url_not_allowed"
  | "credentials_invalid"
  | "tls_error"
  | "network_error"
  | "timeout"
  | "http_error"
  | "malformed_response";

export class ApplePaySessionError extends Error {
  readonly code: ApplePaySessionErrorCode;
  /** The HTTP status Apple answered with, for `http_error`. */
  readonly status?: number;
  /** Apple's `statusMessage`, for `http_error` when the body carried one. */
  readonly statusMessage?: string;
  constructor(
    code: ApplePaySessionErrorCode,
    message: string,
    details: { status?: number; statusMessage?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ApplePaySessionError";
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.statusMessage !== undefined) this.statusMessage = details.statusMessage;
  }
}
