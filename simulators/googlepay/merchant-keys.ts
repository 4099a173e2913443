import { defaultRandom, p256KeyPair, type RandomSource } from "./p256.ts";

export interface MerchantKeyPair {
  /** Base64 DER PKCS#8: what Payrail keeps (unsealGooglePayToken's merchantPrivateKeysPkcs8Base64). */
  privateKeyPkcs8Base64: string;
  /** Base64 of the uncompressed point: what the merchant gives Google (tokenizationSpecification). */
  publicKeyUncompressedBase64: string;
}

/** A fresh merchant encryption key pair (P-256), as Google's "generate a key pair" step produces. */
export function generateMerchantKeyPair(random: RandomSource = defaultRandom): MerchantKeyPair {
  const pair = p256KeyPair(random);
  return {
    privateKeyPkcs8Base64: pair.privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
    publicKeyUncompressedBase64: pair.publicPoint.toString("base64"),
  };
}
