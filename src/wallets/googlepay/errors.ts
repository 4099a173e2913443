export type GooglePayTokenErrorCode =
  /** The token, its signedKey/signedMessage or the decrypted message is not what the protocol defines. */
  | "malformed_token"
  /** The token's protocolVersion is not one this call accepts. */
  | "unsupported_protocol"
  /** No root signing key for the token's protocol is configured and unexpired (a stale key list?). */
  | "no_trusted_root_key"
  /** None of the intermediate key's signatures verifies under a trusted root key. */
  | "intermediate_signature_invalid"
  | "intermediate_key_expired"
  /** The token's signature does not verify: tampered, or signed for another recipientId. */
  | "message_signature_invalid"
  | "message_expired"
  /**
   * The tag does not verify under any configured merchant private key. After valid signatures this
   * almost always means the token was encrypted for a public key we do not hold.
   */
  | "mac_invalid"
  /** An unexpected failure in the key agreement or cipher. */
  | "decryption_failed"
  /** No configured merchant private key is a usable P-256 PKCS#8 key. */
  | "no_matching_private_key"
  /** The options themselves are unusable (e.g. a recipientId without "merchant:" or "gateway:"). */
  | "invalid_configuration"
  | "unsupported_payment_method";

/**
 * Why a Google Pay token was refused. Messages never carry card data, cryptograms or key material, and
 * no underlying error is attached as `cause` (a JSON parser's message can quote its input).
 */
export class GooglePayTokenError extends Error {
  readonly code: GooglePayTokenErrorCode;
  constructor(code: GooglePayTokenErrorCode, message: string) {
    super(message);
    this.name = "GooglePayTokenError";
    this.code = code;
  }
}

export const malformed = (message: string) => new GooglePayTokenError("malformed_token", message);
