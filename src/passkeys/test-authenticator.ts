import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";

/**
 * A software WebAuthn authenticator for tests: what a browser and a platform authenticator would return
 * from navigator.credentials.create() ("none" attestation, ES256 key) and .get(), without either. Knobs
 * let a test produce the faulty responses a server must refuse (another origin or RP ID, no user
 * verification, a counter going backwards).
 */

// --- A minimal CBOR encoder (RFC 8949): the subset WebAuthn structures use, in shortest form. ---

export type CborValue = number | string | Uint8Array | CborMap;
/** A map keeps the order of its entries as given (WebAuthn uses the canonical order of RFC 7049 §3.9). */
export type CborMap = Map<number | string, CborValue>;

function head(major: number, length: number): Uint8Array {
  const type = major << 5;
  if (length < 24) return Uint8Array.of(type | length);
  if (length < 0x100) return Uint8Array.of(type | 24, length);
  if (length < 0x10000) return Uint8Array.of(type | 25, length >> 8, length & 0xff);
  if (length <= 0xffffffff) {
    const out = new Uint8Array(5);
    out[0] = type | 26;
    new DataView(out.buffer).setUint32(1, length);
    return out;
  }
  throw new RangeError("CBOR lengths above 2^32 - 1 are not supported");
}

export function encodeCbor(value: CborValue): Uint8Array {
  const parts: Uint8Array[] = [];
  const write = (v: CborValue) => {
    if (typeof v === "number") {
      if (!Number.isSafeInteger(v)) throw new TypeError("only integers are supported");
      parts.push(v >= 0 ? head(0, v) : head(1, -1 - v));
    } else if (typeof v === "string") {
      const bytes = new TextEncoder().encode(v);
      parts.push(head(3, bytes.length), bytes);
    } else if (v instanceof Uint8Array) {
      parts.push(head(2, v.length), v);
    } else {
      parts.push(head(5, v.size));
      for (const [key, item] of v) {
        write(key);
        write(item);
      }
    }
  };
  write(value);
  return concat(parts);
}

// --- Helpers ---

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash("sha256").update(data).digest());
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const fromB64url = (text: string) => new Uint8Array(Buffer.from(text, "base64url"));

function uint32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0);
  return out;
}

export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 } as const;

/** The credential's public key as a COSE_Key: EC2 (kty 2), ES256 (alg -7), P-256 (crv 1), x, y. */
function coseEc2PublicKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: "jwk" });
  if (!jwk.x || !jwk.y) throw new Error("not an EC public key");
  const key: CborMap = new Map<number, CborValue>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, fromB64url(jwk.x)],
    [-3, fromB64url(jwk.y)],
  ]);
  return encodeCbor(key);
}

export interface StoredCredential {
  id: Uint8Array;
  privateKey: KeyObject;
  publicKey: KeyObject;
  rpId: string;
  userHandle: Uint8Array;
  signCount: number;
}

export interface CeremonyOverrides {
  /** The page's origin as the browser reports it in clientDataJSON. */
  origin: string;
  /** The RP ID hashed into authenticator data; defaults to the one of the options. */
  rpId?: string;
  /** Set the UV flag (the user passed the fingerprint / face check); default true. */
  userVerified?: boolean;
  /** Set the UP flag; default true. */
  userPresent?: boolean;
  /** clientDataJSON.type; defaults to the ceremony's. */
  type?: string;
  /** Sign with this counter instead of the next one (and do not advance the stored one). */
  signCount?: number;
  /** The challenge to put in clientDataJSON instead of the options' one. */
  challenge?: string;
}

export class SoftwareAuthenticator {
  readonly credentials = new Map<string, StoredCredential>();
  /** Authenticators that keep no counter (most synced passkeys) always report 0. */
  constructor(private readonly options: { counter?: boolean; backupEligible?: boolean } = {}) {}

  #flags(overrides: CeremonyOverrides, extra = 0): number {
    let flags = extra;
    if (overrides.userPresent ?? true) flags |= FLAGS.UP;
    if (overrides.userVerified ?? true) flags |= FLAGS.UV;
    if (this.options.backupEligible) flags |= FLAGS.BE | FLAGS.BS;
    return flags;
  }

  #clientData(type: string, challenge: string, origin: string): Uint8Array {
    return new TextEncoder().encode(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create(): a new ES256 credential with a "none" attestation. */
  create(
    options: PublicKeyCredentialCreationOptionsJSON,
    overrides: CeremonyOverrides,
  ): RegistrationResponseJSON {
    const rpId = overrides.rpId ?? options.rp.id ?? "";
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const id = new Uint8Array(randomBytes(32));
    const signCount = 0;
    const credential: StoredCredential = {
      id,
      privateKey,
      publicKey,
      rpId,
      userHandle: fromB64url(options.user.id),
      signCount,
    };
    this.credentials.set(b64url(id), credential);
    const idLength = Uint8Array.of(id.length >> 8, id.length & 0xff);
    const authData = concat([
      sha256(rpId),
      Uint8Array.of(this.#flags(overrides, FLAGS.AT)),
      uint32(overrides.signCount ?? signCount),
      new Uint8Array(16), // AAGUID: none
      idLength,
      id,
      coseEc2PublicKey(publicKey),
    ]);
    const attestationObject = encodeCbor(
      new Map<string, CborValue>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    const clientDataJSON = this.#clientData(
      overrides.type ?? "webauthn.create",
      overrides.challenge ?? options.challenge,
      overrides.origin,
    );
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: "public-key",
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ["internal", "hybrid"],
        publicKeyAlgorithm: -7,
      },
    };
  }

  /**
   * navigator.credentials.get(): an assertion by `credentialId` (default: the first allowed credential
   * this authenticator holds), signed over authenticatorData || SHA-256(clientDataJSON).
   */
  get(
    options: PublicKeyCredentialRequestOptionsJSON,
    overrides: CeremonyOverrides & { credentialId?: string },
  ): AuthenticationResponseJSON {
    const credentialId =
      overrides.credentialId ??
      options.allowCredentials?.map((c) => c.id).find((id) => this.credentials.has(id)) ??
      [...this.credentials.keys()][0];
    const credential = credentialId ? this.credentials.get(credentialId) : undefined;
    if (!credentialId || !credential) throw new Error("this authenticator holds no usable credential");
    let signCount = overrides.signCount;
    if (signCount === undefined) {
      if (this.options.counter) credential.signCount += 1;
      signCount = credential.signCount;
    }
    const rpId = overrides.rpId ?? options.rpId ?? credential.rpId;
    const authData = concat([sha256(rpId), Uint8Array.of(this.#flags(overrides)), uint32(signCount)]);
    const clientDataJSON = this.#clientData(
      overrides.type ?? "webauthn.get",
      overrides.challenge ?? options.challenge,
      overrides.origin,
    );
    // node:crypto signs EC keys with a DER-encoded (r, s), the form WebAuthn uses for ES256.
    const signature = sign("sha256", concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: credentialId,
      rawId: credentialId,
      type: "public-key",
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(new Uint8Array(signature)),
        userHandle: b64url(credential.userHandle),
      },
    };
  }
}
