import {
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
} from "node:crypto";

/** Bytes of randomness on demand; inject a seeded one to replay keys, ephemeral keys and message ids. */
export type RandomSource = (size: number) => Buffer;

export const defaultRandom: RandomSource = (size) => randomBytes(size);

const CURVE_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export interface P256KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** 0x04 || X || Y, 65 bytes. */
  publicPoint: Buffer;
}

/** A P-256 key pair drawn from `random` (so the same random source gives the same keys). */
export function p256KeyPair(random: RandomSource): P256KeyPair {
  for (let attempt = 0; attempt < 64; attempt++) {
    const scalar = random(32);
    const value = BigInt(`0x${scalar.toString("hex")}`);
    if (value === 0n || value >= CURVE_ORDER) continue;
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(scalar);
    const publicPoint = ecdh.getPublicKey();
    const privateKey = createPrivateKey({
      key: {
        kty: "EC",
        crv: "P-256",
        d: scalar.toString("base64url"),
        x: publicPoint.subarray(1, 33).toString("base64url"),
        y: publicPoint.subarray(33).toString("base64url"),
      },
      format: "jwk",
    });
    return { privateKey, publicKey: createPublicKey(privateKey), publicPoint };
  }
  throw new Error("the random source gave no valid P-256 private key in 64 draws");
}

/** A P-256 key pair from a base64 PKCS#8 private key (e.g. one of Tink's published test keys). */
export function p256KeyPairFromPkcs8(pkcs8Base64: string): P256KeyPair {
  const privateKey = createPrivateKey({
    key: Buffer.from(pkcs8Base64, "base64"),
    format: "der",
    type: "pkcs8",
  });
  if (privateKey.asymmetricKeyDetails?.namedCurve !== "prime256v1") throw new Error("not a P-256 key");
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: "jwk" });
  const publicPoint = Buffer.concat([
    Buffer.from([0x04]),
    Buffer.from(jwk.x ?? "", "base64url"),
    Buffer.from(jwk.y ?? "", "base64url"),
  ]);
  return { privateKey, publicKey, publicPoint };
}

export function spkiBase64(publicKey: KeyObject): string {
  return publicKey.export({ format: "der", type: "spki" }).toString("base64");
}

/** The public key of the uncompressed point `base64` (what a merchant registers with Google). */
export function publicKeyFromPoint(base64: string): KeyObject {
  const point = Buffer.from(base64, "base64");
  if (point.length !== 65 || point[0] !== 0x04) throw new Error("not an uncompressed P-256 point");
  return createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
}

/** A deterministic RandomSource (SHA-256 in counter mode over `seed`), for tests that must replay. */
export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  return (size) => {
    const chunks: Buffer[] = [];
    let length = 0;
    while (length < size) {
      const block = createHash("sha256").update(`${seed}:${counter++}`).digest();
      chunks.push(block);
      length += block.length;
    }
    return Buffer.concat(chunks).subarray(0, size);
  };
}
