/**
 * The device side of Apple Pay token encryption, written from Apple's "Payment token format reference":
 * EC_v1 = ephemeral ECDH P-256 + NIST SP 800-56A concatenation KDF (SHA-256); RSA_v1 = random key wrapped
 * with RSA-OAEP-SHA256; both then AES-256-GCM with a 16-byte zero IV and the tag appended.
 */
import {
  constants,
  createCipheriv,
  createHash,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
  publicEncrypt,
} from "node:crypto";

export interface Encrypted {
  /** EC_v1: DER SPKI of the ephemeral public key; RSA_v1: the wrapped key. */
  keyMaterial: Buffer;
  /** ciphertext || 16-byte tag. */
  data: Buffer;
}

function sealAesGcm(key: Buffer, plaintext: Buffer): Buffer {
  const cipher = createCipheriv("aes-256-gcm", key, Buffer.alloc(16));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([ciphertext, cipher.getAuthTag()]);
}

function concatenationKdf(z: Buffer, merchantId: Buffer): Buffer {
  const algorithm = Buffer.from("id-aes256-GCM", "ascii");
  const otherInfo = Buffer.concat([
    Buffer.from([algorithm.length]),
    algorithm,
    Buffer.from("Apple", "ascii"),
    merchantId,
  ]);
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(1);
  return createHash("sha256")
    .update(Buffer.concat([counter, z, otherInfo]))
    .digest();
}

export function encryptEcV1(merchantPublicKey: KeyObject, merchantId: Buffer, plaintext: Buffer): Encrypted {
  const ephemeral = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const z = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: merchantPublicKey });
  return {
    keyMaterial: ephemeral.publicKey.export({ type: "spki", format: "der" }),
    data: sealAesGcm(concatenationKdf(z, merchantId), plaintext),
  };
}

export function encryptRsaV1(merchantPublicKey: KeyObject, plaintext: Buffer, randomKey: Buffer): Encrypted {
  const wrapped = publicEncrypt(
    { key: merchantPublicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
    randomKey,
  );
  return { keyMaterial: wrapped, data: sealAesGcm(randomKey, plaintext) };
}
