import { decryptSignedMessage, importMerchantPrivateKeys } from "./decryption.ts";
import { GooglePayTokenError } from "./errors.ts";
import { parseDecryptedMessage } from "./payload.ts";
import { trustedRootKeys, verifyIntermediateSigningKey, verifyMessageSignature } from "./signing.ts";
import { parseToken } from "./token.ts";
import type {
  GooglePayProtocolVersion,
  GoogleRootSigningKey,
  UnsealedGooglePayToken,
  UnsealGooglePayTokenOptions,
} from "./types.ts";

export interface OpenTokenOptions {
  recipientId: string;
  merchantPrivateKeysPkcs8Base64: readonly string[];
  googleRootSigningKeys: readonly GoogleRootSigningKey[];
  now: Date;
  protocolVersions: readonly GooglePayProtocolVersion[];
}

/**
 * Every cryptographic step, in the order Google prescribes, for ECv1, ECv2 and ECv2SigningOnly:
 * the intermediate key's signature by a root key, its expiry, the message signature, then decryption
 * (ECv2SigningOnly carries its message in clear). Returns the message bytes, unparsed.
 */
export function openGooglePayToken(token: string | object, options: OpenTokenOptions) {
  const parsed = parseToken(token, options.protocolVersions);
  const { protocolVersion } = parsed;
  const roots = trustedRootKeys(options.googleRootSigningKeys, protocolVersion, options.now);
  const signers = parsed.intermediateSigningKey
    ? [verifyIntermediateSigningKey(parsed.intermediateSigningKey, protocolVersion, roots, options.now)]
    : roots;
  verifyMessageSignature(
    parsed.signedMessage,
    parsed.signature,
    options.recipientId,
    protocolVersion,
    signers,
  );
  const plaintext =
    protocolVersion === "ECv2SigningOnly"
      ? Buffer.from(parsed.signedMessage, "utf8")
      : decryptSignedMessage(
          parsed.signedMessage,
          importMerchantPrivateKeys(options.merchantPrivateKeysPkcs8Base64),
          protocolVersion,
        );
  return { protocolVersion, plaintext };
}

function checkRecipientId(recipientId: unknown): void {
  if (typeof recipientId !== "string" || !/^(merchant|gateway):\S+$/.test(recipientId)) {
    throw new GooglePayTokenError(
      "invalid_configuration",
      'recipientId must be "merchant:<merchant id>" or "gateway:<gateway id>"',
    );
  }
}

/**
 * Verifies and decrypts a Google Pay ECv2 PaymentMethodToken (the `tokenizationData.token` string of
 * the Google Pay API response, or that string parsed) and returns the card it carries.
 * Throws GooglePayTokenError with a specific `code` for every refusal; signatures are always checked.
 */
export function unsealGooglePayToken(
  token: string | object,
  options: UnsealGooglePayTokenOptions,
): UnsealedGooglePayToken {
  checkRecipientId(options.recipientId);
  const { plaintext } = openGooglePayToken(token, { ...options, protocolVersions: ["ECv2"] });
  try {
    const result = parseDecryptedMessage(plaintext);
    if (!(result.messageExpiration.getTime() > options.now.getTime())) {
      throw new GooglePayTokenError(
        "message_expired",
        `the payment data expired at ${result.messageExpiration.toISOString()}`,
      );
    }
    return result;
  } finally {
    plaintext.fill(0);
  }
}
