import { createCipheriv, createDecipheriv } from "node:crypto";
import { cryptoRandom, type RandomSource } from "../core/ids.ts";
import { VaultError } from "./errors.ts";
import type { KeyEncryptionProvider } from "./kms.ts";

/** One sealed record: the ciphertext under its own data key, and that key wrapped by the keyring. */
export interface SealedCard {
  keyVersion: string;
  wrappedKey: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** What the ciphertext is bound to: opening it under any other merchant or record fails. */
export interface VaultAad {
  merchantId: string;
  recordId: string;
}

const DATA_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** `payrail-vault:v1|<merchantId>|<recordId>`; ids may not contain `|`, so the encoding is unambiguous. */
export function vaultAad({ merchantId, recordId }: VaultAad): Buffer {
  for (const [name, value] of [
    ["merchantId", merchantId],
    ["recordId", recordId],
  ] as const) {
    if (typeof value !== "string" || value === "" || value.includes("|")) {
      throw new TypeError(`vault ${name} must be a non-empty string without '|'`);
    }
  }
  return Buffer.from(`payrail-vault:v1|${merchantId}|${recordId}`, "utf8");
}

const integrityError = (what: string) =>
  new VaultError("vault_integrity_error", `vault record failed authentication (${what})`);

/**
 * Seals `plaintext` (the caller keeps and zeroes it) under a fresh 256-bit data key with AES-256-GCM,
 * and has the provider wrap that key under its active version with the same AAD.
 */
export async function sealCard(
  provider: KeyEncryptionProvider,
  plaintext: Buffer,
  aad: VaultAad,
  random: RandomSource = cryptoRandom,
): Promise<SealedCard> {
  const additional = vaultAad(aad);
  const dataKey = random(DATA_KEY_BYTES);
  try {
    const nonce = random(NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", dataKey, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(additional);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const tag = cipher.getAuthTag();
    const { version, wrapped } = await provider.wrap(dataKey, additional);
    return { keyVersion: version, wrappedKey: wrapped, nonce, ciphertext, tag };
  } finally {
    dataKey.fill(0);
  }
}

async function unwrapDataKey(provider: KeyEncryptionProvider, sealed: SealedCard, aad: Buffer) {
  if (!provider.versions().includes(sealed.keyVersion)) {
    throw new VaultError(
      "vault_key_unavailable",
      `vault key version ${sealed.keyVersion} is not in the keyring; restore it before opening this record`,
    );
  }
  const dataKey = await provider.unwrap(sealed.wrappedKey, sealed.keyVersion, aad);
  if (dataKey.length !== DATA_KEY_BYTES) {
    dataKey.fill(0);
    throw integrityError("data key length");
  }
  return dataKey;
}

/** Opens a sealed record; the caller zeroes the returned buffer when done with it. */
export async function openCard(
  provider: KeyEncryptionProvider,
  sealed: SealedCard,
  aad: VaultAad,
): Promise<Buffer> {
  const additional = vaultAad(aad);
  if (sealed.nonce.length !== NONCE_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw integrityError("nonce or tag length");
  }
  const dataKey = await unwrapDataKey(provider, sealed, additional);
  let partial: Buffer | undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", dataKey, sealed.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(additional);
    decipher.setAuthTag(sealed.tag);
    partial = decipher.update(sealed.ciphertext);
    try {
      return Buffer.concat([partial, decipher.final()]);
    } catch {
      throw integrityError("ciphertext");
    }
  } finally {
    partial?.fill(0);
    dataKey.fill(0);
  }
}

/**
 * Moves a record's data key to the provider's active version without touching its ciphertext: unwrap
 * with the old version, wrap with the active one. Store the result in place of the old pair.
 */
export async function rewrapKey(
  provider: KeyEncryptionProvider,
  sealed: SealedCard,
  aad: VaultAad,
): Promise<{ keyVersion: string; wrappedKey: Buffer }> {
  const additional = vaultAad(aad);
  const dataKey = await unwrapDataKey(provider, sealed, additional);
  try {
    const { version, wrapped } = await provider.wrap(dataKey, additional);
    return { keyVersion: version, wrappedKey: wrapped };
  } finally {
    dataKey.fill(0);
  }
}

export { decodeSealed, encodeSealed, sealedFromBytes, sealedToBytes } from "./sealed-format.ts";
