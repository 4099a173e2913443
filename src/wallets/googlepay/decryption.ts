import {
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  type KeyObject,
  timingSafeEqual,
} from "node:crypto";
import { decodeBase64, parseJsonObject } from "./encoding.ts";
import { GooglePayTokenError, malformed } from "./errors.ts";

/** ECv1 uses AES-128-CTR and a 16-byte HMAC key, ECv2 AES-256-CTR and a 32-byte one. */
export type EncryptingProtocol = "ECv1" | "ECv2";

const KEY_BYTES: Record<EncryptingProtocol, number> = { ECv1: 16, ECv2: 32 };
const HKDF_SALT = Buffer.alloc(32);
const HKDF_INFO = Buffer.from("Google", "utf8");
const ZERO_IV = Buffer.alloc(16);
const TAG_BYTES = 32;

/** The usable P-256 private keys among `pkcs8Base64` (a broken entry must not block a rotation). */
export function importMerchantPrivateKeys(pkcs8Base64: readonly string[]): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const encoded of pkcs8Base64) {
    try {
      const key = createPrivateKey({ key: Buffer.from(encoded, "base64"), format: "der", type: "pkcs8" });
      if (key.asymmetricKeyDetails?.namedCurve === "prime256v1") keys.push(key);
    } catch {
      // skipped: not a PKCS#8 key
    }
  }
  if (keys.length === 0) {
    throw new GooglePayTokenError(
      "no_matching_private_key",
      `none of the ${pkcs8Base64.length} configured merchant private keys is a P-256 PKCS#8 key`,
    );
  }
  return keys;
}

function importEphemeralPublicKey(point: Buffer): KeyObject {
  if (point.length !== 65 || point[0] !== 0x04) {
    throw malformed("ephemeralPublicKey is not an uncompressed P-256 point");
  }
  try {
    return createPublicKey({
      key: {
        kty: "EC",
        crv: "P-256",
        x: point.subarray(1, 33).toString("base64url"),
        y: point.subarray(33).toString("base64url"),
      },
      format: "jwk",
    });
  } catch {
    throw malformed("ephemeralPublicKey is not a point on P-256");
  }
}

function deriveKeys(privateKey: KeyObject, ephemeral: KeyObject, ephemeralPoint: Buffer, size: number) {
  let sharedSecret: Buffer;
  try {
    sharedSecret = diffieHellman({ privateKey, publicKey: ephemeral });
  } catch {
    throw new GooglePayTokenError("decryption_failed", "the ECDH key agreement failed");
  }
  const ikm = Buffer.concat([ephemeralPoint, sharedSecret]);
  const derived = Buffer.from(hkdfSync("sha256", ikm, HKDF_SALT, HKDF_INFO, size * 2));
  sharedSecret.fill(0);
  ikm.fill(0);
  return { derived, encryptionKey: derived.subarray(0, size), macKey: derived.subarray(size) };
}

/**
 * Decrypts a signedMessage (`{encryptedMessage, ephemeralPublicKey, tag}`) with the first private key
 * whose derived MAC key verifies the tag. Signatures are NOT checked here: callers outside this folder
 * must go through unsealGooglePayToken.
 */
export function decryptSignedMessage(
  signedMessage: string,
  privateKeys: readonly KeyObject[],
  protocolVersion: EncryptingProtocol,
): Buffer {
  const message = parseJsonObject(signedMessage, "signedMessage");
  const ciphertext = decodeBase64(message.encryptedMessage, "signedMessage.encryptedMessage");
  const ephemeralPoint = decodeBase64(message.ephemeralPublicKey, "signedMessage.ephemeralPublicKey");
  const tag = decodeBase64(message.tag, "signedMessage.tag");
  const ephemeral = importEphemeralPublicKey(ephemeralPoint);
  const size = KEY_BYTES[protocolVersion];

  for (const privateKey of privateKeys) {
    const { derived, encryptionKey, macKey } = deriveKeys(privateKey, ephemeral, ephemeralPoint, size);
    try {
      const expected = createHmac("sha256", macKey).update(ciphertext).digest();
      if (tag.length !== TAG_BYTES || !timingSafeEqual(expected, tag)) continue;
      const decipher = createDecipheriv(`aes-${size * 8}-ctr`, encryptionKey, ZERO_IV);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw new GooglePayTokenError("decryption_failed", "the payment data could not be decrypted");
    } finally {
      derived.fill(0);
    }
  }
  throw new GooglePayTokenError(
    "mac_invalid",
    `the tag does not verify under any of the ${privateKeys.length} merchant private keys: ` +
      "encrypted for a public key not configured here, or corrupted",
  );
}
