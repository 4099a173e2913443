import { X509Certificate } from "node:crypto";
import * as pkijs from "pkijs";
import { verifyAppleChain } from "./chain.ts";
import { decodeBase64Field, decodeHexField } from "./encoding.ts";
import { ApplePayTokenError } from "./errors.ts";
import {
  decryptTokenData,
  deriveEcV1Key,
  ecdhSharedSecret,
  loadMerchantPrivateKey,
  publicKeyHash,
  unwrapRsaV1Key,
} from "./keys.ts";
import { extractMerchantId, merchantIdBytes } from "./merchant-id.ts";
import { parseDecryptedPayload } from "./payload.ts";
import { verifyDetachedSignature } from "./signature.ts";
import type { ApplePayPaymentData, DecryptApplePayTokenOptions, DecryptedApplePayToken } from "./types.ts";

/** Apple: a signing time more than a few minutes from the transaction time may be a replay. */
export const DEFAULT_SIGNING_TIME_TOLERANCE_MS = 5 * 60 * 1000;

interface ReadToken {
  version: "EC_v1" | "RSA_v1";
  data: Buffer;
  signature: Buffer;
  /** ephemeralPublicKey (EC_v1) or wrappedKey (RSA_v1). */
  keyMaterial: Buffer;
  publicKeyHash: string;
  signedContent: Buffer;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function readToken(token: unknown): ReadToken {
  if (!isObject(token)) throw new ApplePayTokenError("malformed_token", "token is not an object");
  const { version, header } = token;
  if (version !== "EC_v1" && version !== "RSA_v1") {
    throw new ApplePayTokenError("unsupported_version", "token version must be EC_v1 or RSA_v1");
  }
  if (!isObject(header)) throw new ApplePayTokenError("malformed_token", "header is missing");
  const keyField = version === "EC_v1" ? "ephemeralPublicKey" : "wrappedKey";
  const keyMaterial = decodeBase64Field(`header.${keyField}`, header[keyField]);
  const data = decodeBase64Field("data", token.data);
  const transactionId = decodeHexField("header.transactionId", header.transactionId);
  const applicationData =
    header.applicationData === undefined || header.applicationData === ""
      ? Buffer.alloc(0)
      : decodeHexField("header.applicationData", header.applicationData);
  const hash = decodeBase64Field("header.publicKeyHash", header.publicKeyHash);
  return {
    version,
    data,
    signature: decodeBase64Field("signature", token.signature),
    keyMaterial,
    publicKeyHash: hash.toString("base64"),
    signedContent: Buffer.concat([keyMaterial, data, transactionId, applicationData]),
  };
}

function loadTrustedRoot(pem: string): pkijs.Certificate {
  try {
    return pkijs.Certificate.fromBER(new X509Certificate(pem).raw);
  } catch {
    throw new ApplePayTokenError("certificate_chain_invalid", "trusted root is not a valid certificate");
  }
}

function resolveMerchantId(options: DecryptApplePayTokenOptions): Buffer {
  if (options.merchantId !== undefined) return merchantIdBytes(options.merchantId);
  if (options.merchantIdentityOrProcessingCertificatePem !== undefined) {
    return merchantIdBytes(extractMerchantId(options.merchantIdentityOrProcessingCertificatePem));
  }
  throw new ApplePayTokenError(
    "merchant_id_unavailable",
    "EC_v1 needs merchantId or a certificate carrying the merchant id extension",
  );
}

function checkSigningTime(signingTime: Date, now: Date, toleranceMs: number): void {
  if (!Number.isFinite(toleranceMs) || toleranceMs < 0) {
    throw new RangeError("signingTimeToleranceMs must be a non-negative number");
  }
  if (Math.abs(now.getTime() - signingTime.getTime()) > toleranceMs) {
    throw new ApplePayTokenError(
      "signing_time_out_of_window",
      `token was signed at ${signingTime.toISOString()}, more than ${toleranceMs} ms from ${now.toISOString()}`,
    );
  }
}

/**
 * Checks and decrypts an Apple Pay payment token (the `paymentData` object), in Apple's order: the detached
 * CMS signature, the certificate chain to the trusted root at the signing time, the signing time against
 * `now`, the merchant public key hash; then the key agreement (EC_v1) or key unwrap (RSA_v1) and AES-256-GCM.
 * Every refusal is an ApplePayTokenError with a specific code.
 */
export async function decryptApplePayToken(
  token: ApplePayPaymentData,
  options: DecryptApplePayTokenOptions,
): Promise<DecryptedApplePayToken> {
  const read = readToken(token);
  const { signer, certificates, signingTime } = await verifyDetachedSignature(
    read.signature,
    read.signedContent,
  );
  await verifyAppleChain(signer, certificates, loadTrustedRoot(options.trustedRootPem), signingTime);
  checkSigningTime(
    signingTime,
    options.now,
    options.signingTimeToleranceMs ?? DEFAULT_SIGNING_TIME_TOLERANCE_MS,
  );

  const privateKey = loadMerchantPrivateKey(options.privateKeyPem, read.version);
  if (publicKeyHash(privateKey) !== read.publicKeyHash) {
    throw new ApplePayTokenError(
      "public_key_hash_mismatch",
      "header.publicKeyHash does not match the merchant key: the token was encrypted for another key",
    );
  }
  let symmetricKey: Buffer;
  if (read.version === "EC_v1") {
    const merchantId = resolveMerchantId(options);
    const sharedSecret = ecdhSharedSecret(privateKey, read.keyMaterial);
    symmetricKey = deriveEcV1Key(sharedSecret, merchantId);
    sharedSecret.fill(0);
  } else {
    symmetricKey = unwrapRsaV1Key(privateKey, read.keyMaterial);
  }
  try {
    const plaintext = decryptTokenData(symmetricKey, read.data);
    try {
      return parseDecryptedPayload(plaintext);
    } finally {
      plaintext.fill(0);
    }
  } finally {
    symmetricKey.fill(0);
  }
}
