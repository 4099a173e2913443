import { readFileSync } from "node:fs";

export interface TinkVectors {
  recipientId: string;
  merchantPublicKeyUncompressedBase64: string;
  merchantPrivateKeyPkcs8Base64: string;
  alternateMerchantPrivateKeyPkcs8Base64: string;
  googleVerifyingKeys: { keys: { keyValue: string; protocolVersion: string; keyExpiration?: string }[] };
  googleSigningEcV2PrivateKeyPkcs8Base64: string;
  googleSigningEcV2IntermediatePrivateKeyPkcs8Base64: string;
  vectors: {
    name: string;
    protocolVersion: string;
    recipientId?: string;
    expectedPlaintext: string;
    token: {
      protocolVersion: string;
      signature: string;
      signedMessage: string;
      intermediateSigningKey?: { signedKey: string; signatures: string[] };
    };
  }[];
}

const VECTORS_URL = new URL(
  "../../../../shared/specs/googlepay/tink-paymentmethodtoken-vectors.json",
  import.meta.url,
);

export function loadTinkVectors(): TinkVectors {
  return JSON.parse(readFileSync(VECTORS_URL, "utf8")) as TinkVectors;
}

export function vector(vectors: TinkVectors, protocolVersion: string) {
  const found = vectors.vectors.find((v) => v.protocolVersion === protocolVersion);
  if (!found) throw new Error(`no ${protocolVersion} vector`);
  return found;
}

/** The root keys of the vectors file with the placeholder expirations dropped. */
export function tinkRootKeys(vectors: TinkVectors) {
  return vectors.googleVerifyingKeys.keys.map(({ keyValue, protocolVersion }) => ({
    keyValue,
    protocolVersion,
  }));
}
