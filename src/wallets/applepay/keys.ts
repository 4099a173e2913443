import {
  constants,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  type KeyObject,
  privateDecrypt,
} from "node:crypto";
import { ApplePayTokenError } from "./errors.ts";

const GCM_TAG_BYTES = 16;
const ZERO_IV = Buffer.alloc(16);
// NIST SP 800-56A single-step KDF, as Apple specifies for EC_v1.
const KDF_ALGORITHM_ID = Buffer.from("\x0did-aes256-GCM", "latin1");
const KDF_PARTY_U = Buffer.from("Apple", "latin1");
const KDF_COUNTER = Buffer.from([0, 0, 0, 1]);

export function loadMerchantPrivateKey(pem: string, version: "EC_v1" | "RSA_v1"): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ApplePayTokenError("invalid_merchant_key", "merchant private key cannot be read");
  }
  const fits =
    version === "EC_v1"
      ? key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1"
      : key.asymmetricKeyType === "rsa";
  if (!fits) {
    const expected = version === "EC_v1" ? "an EC P-256" : "an RSA";
    throw new ApplePayTokenError("invalid_merchant_key", `${version} needs ${expected} merchant private key`);
  }
  return key;
}

/** base64(SHA-256(SubjectPublicKeyInfo DER)) of the public half of the merchant key. */
export function publicKeyHash(privateKey: KeyObject): string {
  const spki = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

export function ecdhSharedSecret(privateKey: KeyObject, ephemeralPublicKeyDer: Buffer): Buffer {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: ephemeralPublicKeyDer, format: "der", type: "spki" });
  } catch {
    throw new ApplePayTokenError("malformed_token", "header.ephemeralPublicKey is not a public key");
  }
  if (publicKey.asymmetricKeyType !== "ec" || publicKey.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new ApplePayTokenError("malformed_token", "header.ephemeralPublicKey is not a P-256 key");
  }
  return diffieHellman({ privateKey, publicKey });
}

/** key = SHA-256(00000001 || Z || 0x0D "id-aes256-GCM" || "Apple" || merchantId). */
export function deriveEcV1Key(sharedSecret: Buffer, merchantId: Buffer): Buffer {
  return createHash("sha256")
    .update(KDF_COUNTER)
    .update(sharedSecret)
    .update(KDF_ALGORITHM_ID)
    .update(KDF_PARTY_U)
    .update(merchantId)
    .digest();
}

export function unwrapRsaV1Key(privateKey: KeyObject, wrappedKey: Buffer): Buffer {
  try {
    return privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      wrappedKey,
    );
  } catch {
    throw new ApplePayTokenError(
      "decryption_failed",
      "header.wrappedKey cannot be unwrapped with the merchant key",
    );
  }
}

/** AES-256-GCM with a 16-byte zero IV; the last 16 bytes of `data` are the tag. */
export function decryptTokenData(key: Buffer, data: Buffer): Buffer {
  if (key.length !== 32) throw new ApplePayTokenError("decryption_failed", "symmetric key is not 256 bits");
  if (data.length <= GCM_TAG_BYTES) {
    throw new ApplePayTokenError(
      "truncated_ciphertext",
      "data is too short to hold a ciphertext and its tag",
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, ZERO_IV, { authTagLength: GCM_TAG_BYTES });
    decipher.setAuthTag(data.subarray(data.length - GCM_TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - GCM_TAG_BYTES)), decipher.final()]);
  } catch {
    throw new ApplePayTokenError(
      "decryption_failed",
      "data does not decrypt: wrong key, merchant id or altered data",
    );
  }
}
