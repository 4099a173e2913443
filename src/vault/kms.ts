import { createCipheriv, createDecipheriv } from "node:crypto";
import { cryptoRandom, type RandomSource } from "../core/ids.ts";
import { VaultError } from "./errors.ts";
import { activeVersionOf, parseVaultKeys, type VaultKey, validateKeys, versionNumber } from "./keyring.ts";

/**
 * Wraps and unwraps per-record data keys under a versioned key-encryption key. The local keyring below is
 * the default; a cloud KMS plugs in by implementing the same four methods. Implementations throw
 * `VaultError("vault_key_unavailable")` for a version they do not hold and
 * `VaultError("vault_integrity_error")` when the wrapped key or its AAD does not authenticate.
 */
export interface KeyEncryptionProvider {
  activeVersion(): string;
  versions(): string[];
  wrap(dataKey: Buffer, aad: Buffer): Promise<{ version: string; wrapped: Buffer }>;
  unwrap(wrapped: Buffer, version: string, aad: Buffer): Promise<Buffer>;
}

export interface LocalKeyringOptions {
  /** Source of the 12-byte wrapping nonces. */
  random?: RandomSource;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM wrapping under keys held in memory, from `PAYRAIL_VAULT_KEYS` text or `readKeyFile`.
 * wrapped = nonce (12) || ciphertext || tag (16). The keys are copied and live only in this closure, so
 * neither inspecting nor serializing the provider shows them.
 */
export function localKeyring(
  spec: string | readonly VaultKey[],
  options: LocalKeyringOptions = {},
): KeyEncryptionProvider {
  const random = options.random ?? cryptoRandom;
  const parsed = typeof spec === "string" ? parseVaultKeys(spec) : spec;
  validateKeys(parsed, "vault keyring");
  const keys = new Map(parsed.map((k) => [k.version, Buffer.from(k.key)]));
  const active = activeVersionOf(parsed);
  const versions = [...keys.keys()].sort((a, b) => versionNumber(a) - versionNumber(b));

  const keyFor = (version: string): Buffer => {
    const key = keys.get(version);
    if (!key)
      throw new VaultError("vault_key_unavailable", `vault key version ${version} is not in the keyring`);
    return key;
  };

  return {
    activeVersion: () => active,
    versions: () => [...versions],
    async wrap(dataKey, aad) {
      const nonce = random(NONCE_BYTES);
      const cipher = createCipheriv("aes-256-gcm", keyFor(active), nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return { version: active, wrapped: Buffer.concat([nonce, body, cipher.getAuthTag()]) };
    },
    async unwrap(wrapped, version, aad) {
      const key = keyFor(version);
      if (wrapped.length <= NONCE_BYTES + TAG_BYTES) {
        throw new VaultError("vault_integrity_error", `wrapped key under ${version} is truncated`);
      }
      const nonce = wrapped.subarray(0, NONCE_BYTES);
      const tag = wrapped.subarray(wrapped.length - TAG_BYTES);
      const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      const out = decipher.update(wrapped.subarray(NONCE_BYTES, wrapped.length - TAG_BYTES));
      try {
        return Buffer.concat([out, decipher.final()]);
      } catch {
        throw new VaultError("vault_integrity_error", `wrapped key under ${version} failed authentication`);
      } finally {
        out.fill(0);
      }
    },
  };
}
