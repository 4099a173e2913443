/**
 * A stand-in for Google's side of Google Pay tokens: its own root signing key, an intermediate signing
 * key signed by the root, and PaymentMethodTokens signed and encrypted the way Google's
 * "Payment data cryptography" guide describes for ECv2 (and ECv2SigningOnly, unencrypted).
 * Written apart from src/wallets/googlepay on purpose: nothing here is shared with the verifier.
 */
import { createCipheriv, createHmac, diffieHellman, hkdfSync, type KeyObject, sign } from "node:crypto";
import {
  defaultRandom,
  type P256KeyPair,
  p256KeyPair,
  p256KeyPairFromPkcs8,
  publicKeyFromPoint,
  type RandomSource,
  spkiBase64,
} from "./p256.ts";

export type TestTokenProtocol = "ECv2" | "ECv2SigningOnly";

export interface GooglePayTestIssuerOptions {
  now: () => Date;
  random?: RandomSource;
  /** Sign with a known root key (e.g. Tink's published test key) instead of a generated one. */
  rootPrivateKeyPkcs8Base64?: string;
  intermediatePrivateKeyPkcs8Base64?: string;
  /** Published as keyExpiration of the root keys; by default they carry none. */
  rootKeyExpiration?: Date;
}

export interface TestCardPayload {
  pan: string;
  expMonth: number;
  expYear: number;
  authMethod: "PAN_ONLY" | "CRYPTOGRAM_3DS";
  cryptogram?: string;
  eci?: string;
}

/**
 * Broken data a faulty sender could produce, signed correctly afterwards: only the tag check can
 * catch it (tampering after signing is caught by the signature instead).
 */
export type TestTokenFault = "ciphertext_bit_flipped" | "ciphertext_truncated" | "tag_wrong";

export interface IssueTokenRequest {
  recipientId: string;
  merchantPublicKeyUncompressedBase64: string;
  payload: TestCardPayload;
  /** Default: one hour after now(). */
  messageExpiration?: Date;
  /** Expiry of the intermediate signing key. Default: seven days after now(). */
  keyExpiration?: Date;
  gatewayMerchantId?: string;
  messageId?: string;
  protocolVersion?: TestTokenProtocol;
  fault?: TestTokenFault;
}

export interface GoogleRootKeysDocument {
  keys: { keyValue: string; protocolVersion: string; keyExpiration?: string }[];
}

export interface GooglePayTestIssuer {
  /** The public root keys in the format of Google's keys URL. */
  rootSigningKeys: GoogleRootKeysDocument;
  /** A PaymentMethodToken as the Google Pay API returns it in tokenizationData.token. */
  issueToken(request: IssueTokenRequest): string;
}

const HOUR_MS = 3_600_000;
const SENDER_ID = "Google";

/** Gson's default (HTML-safe) escaping, which Google's tokens show as \u003d for "=". */
function gsonJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&=']/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function signedBytes(parts: string[]): Buffer {
  return Buffer.concat(
    parts.flatMap((part) => {
      const bytes = Buffer.from(part, "utf8");
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length, 0);
      return [length, bytes];
    }),
  );
}

function ecdsaSign(privateKey: KeyObject, parts: string[]): string {
  return sign("sha256", signedBytes(parts), { key: privateKey, dsaEncoding: "der" }).toString("base64");
}

function plaintextMessage(request: IssueTokenRequest, expiration: Date, messageId: string): string {
  const { payload } = request;
  const details: Record<string, unknown> = {
    expirationYear: payload.expYear,
    expirationMonth: payload.expMonth,
    pan: payload.pan,
    authMethod: payload.authMethod,
  };
  if (payload.cryptogram !== undefined) details.cryptogram = payload.cryptogram;
  if (payload.eci !== undefined) details.eciIndicator = payload.eci;
  return JSON.stringify({
    ...(request.gatewayMerchantId !== undefined ? { gatewayMerchantId: request.gatewayMerchantId } : {}),
    messageExpiration: String(expiration.getTime()),
    messageId,
    paymentMethod: "CARD",
    paymentMethodDetails: details,
  });
}

function encryptEcv2(plaintext: string, recipient: KeyObject, random: RandomSource, fault?: TestTokenFault) {
  const ephemeral = p256KeyPair(random);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const keys = Buffer.from(
    hkdfSync("sha256", Buffer.concat([ephemeral.publicPoint, shared]), Buffer.alloc(32), "Google", 64),
  );
  const cipher = createCipheriv("aes-256-ctr", keys.subarray(0, 32), Buffer.alloc(16));
  let ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  let tag = createHmac("sha256", keys.subarray(32)).update(ciphertext).digest();
  if (fault === "ciphertext_bit_flipped") ciphertext[0] = (ciphertext[0] ?? 0) ^ 0x01;
  if (fault === "ciphertext_truncated") ciphertext = ciphertext.subarray(0, ciphertext.length - 5);
  if (fault === "tag_wrong") tag = Buffer.from(tag.map((b) => b ^ 0xff));
  return gsonJson({
    encryptedMessage: ciphertext.toString("base64"),
    ephemeralPublicKey: ephemeral.publicPoint.toString("base64"),
    tag: tag.toString("base64"),
  });
}

export function createGooglePayTestIssuer(options: GooglePayTestIssuerOptions): GooglePayTestIssuer {
  const random = options.random ?? defaultRandom;
  const root: P256KeyPair = options.rootPrivateKeyPkcs8Base64
    ? p256KeyPairFromPkcs8(options.rootPrivateKeyPkcs8Base64)
    : p256KeyPair(random);
  const intermediate: P256KeyPair = options.intermediatePrivateKeyPkcs8Base64
    ? p256KeyPairFromPkcs8(options.intermediatePrivateKeyPkcs8Base64)
    : p256KeyPair(random);
  const rootKeyValue = spkiBase64(root.publicKey);
  const rootExpiration = options.rootKeyExpiration ? String(options.rootKeyExpiration.getTime()) : undefined;
  const rootSigningKeys: GoogleRootKeysDocument = {
    keys: (["ECv2", "ECv2SigningOnly"] as const).map((protocolVersion) => ({
      keyValue: rootKeyValue,
      protocolVersion,
      ...(rootExpiration ? { keyExpiration: rootExpiration } : {}),
    })),
  };

  function issueToken(request: IssueTokenRequest): string {
    const now = options.now().getTime();
    const protocolVersion = request.protocolVersion ?? "ECv2";
    const messageExpiration = request.messageExpiration ?? new Date(now + HOUR_MS);
    const keyExpiration = request.keyExpiration ?? new Date(now + 7 * 24 * HOUR_MS);
    const messageId = request.messageId ?? `AH2Ej${random(48).toString("base64url")}`;
    const plaintext = plaintextMessage(request, messageExpiration, messageId);
    const signedMessage =
      protocolVersion === "ECv2SigningOnly"
        ? gsonJson(JSON.parse(plaintext))
        : encryptEcv2(
            plaintext,
            publicKeyFromPoint(request.merchantPublicKeyUncompressedBase64),
            random,
            request.fault,
          );
    const signedKey = gsonJson({
      keyExpiration: String(keyExpiration.getTime()),
      keyValue: spkiBase64(intermediate.publicKey),
    });
    return gsonJson({
      protocolVersion,
      signature: ecdsaSign(intermediate.privateKey, [
        SENDER_ID,
        request.recipientId,
        protocolVersion,
        signedMessage,
      ]),
      intermediateSigningKey: {
        signedKey,
        signatures: [ecdsaSign(root.privateKey, [SENDER_ID, protocolVersion, signedKey])],
      },
      signedMessage,
    });
  }

  return { rootSigningKeys, issueToken };
}
