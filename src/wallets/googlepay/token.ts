import { decodeBase64, isObject, parseJsonObject, requireString } from "./encoding.ts";
import { GooglePayTokenError, malformed } from "./errors.ts";
import type { IntermediateSigningKey } from "./signing.ts";
import type { GooglePayProtocolVersion, GoogleRootSigningKey } from "./types.ts";

/** Real tokens are a few KiB; anything far larger is refused before parsing. */
const MAX_TOKEN_CHARS = 64 * 1024;

export interface ParsedToken {
  protocolVersion: GooglePayProtocolVersion;
  signature: Buffer;
  /** The exact text that was signed: never re-serialized. */
  signedMessage: string;
  /** Absent for ECv1, which is signed by the root key itself. */
  intermediateSigningKey?: IntermediateSigningKey;
}

function parseIntermediate(value: unknown): IntermediateSigningKey {
  if (!isObject(value)) throw malformed("intermediateSigningKey is missing");
  const signedKey = requireString(value, "signedKey", "intermediateSigningKey");
  const signatures = value.signatures;
  if (!Array.isArray(signatures) || signatures.length === 0) {
    throw malformed("intermediateSigningKey.signatures is missing");
  }
  return {
    signedKey,
    signatures: signatures.map((s) => decodeBase64(s, "intermediateSigningKey.signatures[]")),
  };
}

/** The token's structure (`tokenizationData.token` from the Google Pay API, as text or parsed). */
export function parseToken(
  token: string | object,
  accepted: readonly GooglePayProtocolVersion[],
): ParsedToken {
  if (typeof token === "string" && token.length > MAX_TOKEN_CHARS) throw malformed("the token is too large");
  const object = typeof token === "string" ? parseJsonObject(token, "the token") : token;
  if (!isObject(object)) throw malformed("the token is not a JSON object");
  const protocolVersion = object.protocolVersion;
  if (typeof protocolVersion !== "string") throw malformed("the token has no protocolVersion");
  if (!accepted.includes(protocolVersion as GooglePayProtocolVersion)) {
    throw new GooglePayTokenError(
      "unsupported_protocol",
      `protocolVersion ${JSON.stringify(protocolVersion.slice(0, 32))} is not supported (accepted: ${accepted.join(", ")})`,
    );
  }
  const parsed: ParsedToken = {
    protocolVersion: protocolVersion as GooglePayProtocolVersion,
    signature: decodeBase64(object.signature, "signature"),
    signedMessage: requireString(object, "signedMessage", "token"),
  };
  if (protocolVersion !== "ECv1")
    parsed.intermediateSigningKey = parseIntermediate(object.intermediateSigningKey);
  return parsed;
}

/** Google's root signing keys document (`{"keys": [...]}`) as served at its keys URL. */
export function parseGoogleRootSigningKeys(json: string | object): GoogleRootSigningKey[] {
  let document: unknown = json;
  if (typeof json === "string") {
    try {
      document = JSON.parse(json);
    } catch {
      document = undefined;
    }
  }
  const keys = isObject(document) ? document.keys : undefined;
  if (!Array.isArray(keys)) {
    throw new GooglePayTokenError(
      "invalid_configuration",
      "the root signing keys document has no keys array",
    );
  }
  return keys.filter(isObject).flatMap((key) => {
    const { keyValue, protocolVersion, keyExpiration } = key;
    if (typeof keyValue !== "string" || typeof protocolVersion !== "string") return [];
    return [{ keyValue, protocolVersion, ...(typeof keyExpiration === "string" ? { keyExpiration } : {}) }];
  });
}

/** Where Google publishes its root signing keys (fetch, honour Cache-Control, and pass them in). */
export const GOOGLE_ROOT_SIGNING_KEYS_URLS = {
  production: "https://payments.developers.google.com/paymentmethodtoken/keys.json",
  test: "https://payments.developers.google.com/paymentmethodtoken/test/keys.json",
} as const;
