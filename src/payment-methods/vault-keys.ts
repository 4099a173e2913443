import { existsSync, linkSync, mkdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Config } from "../core/config.ts";
import type { RandomSource } from "../core/ids.ts";
import type { Logger } from "../core/logging.ts";
import { isVaultError } from "../vault/errors.ts";
import { readKeyFile } from "../vault/keyring.ts";
import { type KeyEncryptionProvider, localKeyring } from "../vault/kms.ts";

export function vaultKeyFilePath(config: Config): string {
  return resolve(config.PAYRAIL_VAULT_KEY_FILE ?? join(config.PAYRAIL_DATA_DIR, "vault-keys.json"));
}

/** Where the keyring comes from: the environment, or a key file that `payrail vault rotate` extends. */
export function vaultKeySource(config: Config): { kind: "env" } | { kind: "file"; path: string } {
  return config.PAYRAIL_VAULT_KEYS ? { kind: "env" } : { kind: "file", path: vaultKeyFilePath(config) };
}

/**
 * The vault keyring: `PAYRAIL_VAULT_KEYS` when set, else a key file (created on first start with one
 * key, mode 0600). Several processes starting at once agree on one file: it is created with a hard link,
 * which fails when another process got there first.
 */
export function loadVaultKeyring(
  config: Config,
  random: RandomSource,
  logger: Logger,
): KeyEncryptionProvider {
  if (config.PAYRAIL_VAULT_KEYS) return localKeyring(config.PAYRAIL_VAULT_KEYS, { random });
  const path = vaultKeyFilePath(config);
  if (!existsSync(path)) createKeyFile(path, random, logger);
  return reloadingFileKeyring(path, random);
}

function createKeyFile(path: string, random: RandomSource, logger: Logger): void {
  mkdirSync(dirname(path), { recursive: true });
  const candidate = `${path}.${process.pid}.${random(6).toString("hex")}.new`;
  const body = {
    keys: [{ version: "v1", key: random(32).toString("base64"), created: new Date().toISOString() }],
  };
  writeFileSync(candidate, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  try {
    linkSync(candidate, path);
    logger.warn(
      { path },
      "created a vault key file: back it up, card numbers in the database cannot be read without it",
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(candidate);
  }
}

/**
 * A key-file keyring that follows `payrail vault rotate` while running: the file is re-read when it
 * changes (checked at most every few seconds) and whenever a record names a version not loaded yet, so
 * a rotation needs no restart — new records take the new version, re-wrapped ones stay readable.
 */
export function reloadingFileKeyring(
  path: string,
  random: RandomSource,
  checkEveryMs = 5_000,
): KeyEncryptionProvider {
  let current = localKeyring(readKeyFile(path), { random });
  let loadedMtime = statSync(path).mtimeMs;
  let checkedAt = Date.now();
  const reloadIfChanged = (force: boolean) => {
    if (!force && Date.now() - checkedAt < checkEveryMs) return;
    checkedAt = Date.now();
    const mtime = statSync(path).mtimeMs;
    if (mtime === loadedMtime) return;
    current = localKeyring(readKeyFile(path), { random });
    loadedMtime = mtime;
  };
  return {
    activeVersion() {
      reloadIfChanged(false);
      return current.activeVersion();
    },
    versions() {
      // Asked before every unwrap: a record may name a version another process has just added.
      reloadIfChanged(true);
      return current.versions();
    },
    wrap(dataKey, aad) {
      reloadIfChanged(false);
      return current.wrap(dataKey, aad);
    },
    async unwrap(wrapped, version, aad) {
      try {
        return await current.unwrap(wrapped, version, aad);
      } catch (error) {
        if (!isVaultError(error, "vault_key_unavailable")) throw error;
        reloadIfChanged(true);
        return current.unwrap(wrapped, version, aad);
      }
    },
  };
}
