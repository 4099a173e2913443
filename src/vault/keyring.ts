import { randomUUID } from "node:crypto";
import {
  closeSync,
  existsSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import type { RandomSource } from "../core/ids.ts";
import { VaultError } from "./errors.ts";

/** One key-encryption key (KEK) of the keyring. */
export interface VaultKey {
  /** `v<integer>`; the highest number is the active version. */
  version: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
  /** ISO 8601 time the version was added, when known (key files record it). */
  created?: string;
}

export const KEK_BYTES = 32;
const VERSION = /^v(0|[1-9][0-9]{0,8})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

const configError = (message: string) => new VaultError("vault_config_error", message);

export function isKeyVersion(version: string): boolean {
  return VERSION.test(version);
}

export function versionNumber(version: string): number {
  const match = VERSION.exec(version);
  if (!match) throw configError(`'${version}' is not a key version (expected v<integer>)`);
  return Number(match[1]);
}

/** The highest version: the one new records are sealed under. */
export function activeVersionOf(keys: readonly VaultKey[]): string {
  let best: VaultKey | undefined;
  for (const k of keys) if (!best || versionNumber(k.version) > versionNumber(best.version)) best = k;
  if (!best) throw configError("the vault keyring has no keys");
  return best.version;
}

/**
 * Checks a whole keyring: at least one key, well-formed unique versions, 32-byte keys. `source` names
 * where the keys came from in messages (an environment variable or a file path).
 */
export function validateKeys(keys: readonly VaultKey[], source: string): void {
  if (keys.length === 0) throw configError(`${source}: no vault keys`);
  const seen = new Set<string>();
  for (const { version, key } of keys) {
    if (!isKeyVersion(version))
      throw configError(`${source}: '${version}' is not a key version (v<integer>)`);
    if (seen.has(version)) throw configError(`${source}: key version ${version} appears more than once`);
    seen.add(version);
    if (key.length !== KEK_BYTES) {
      throw configError(`${source}: key ${version} is ${key.length} bytes, expected ${KEK_BYTES}`);
    }
  }
}

function decodeKey(text: string, version: string, source: string): Buffer {
  if (!BASE64.test(text)) throw configError(`${source}: key ${version} is not base64`);
  return Buffer.from(text, "base64");
}

/**
 * Parses `PAYRAIL_VAULT_KEYS`: `v1:<base64 32 bytes>,v2:<base64 32 bytes>`. A malformed entry is named
 * by its position, since its text may be key material.
 */
export function parseVaultKeys(value: string, source = "PAYRAIL_VAULT_KEYS"): VaultKey[] {
  const entries = value.split(",").map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === "") throw configError(`${source}: no vault keys`);
  const keys = entries.map((entry, index) => {
    const colon = entry.indexOf(":");
    const version = colon < 0 ? "" : entry.slice(0, colon).trim();
    if (!isKeyVersion(version)) {
      throw configError(`${source}: entry ${index + 1} is not of the form v<integer>:<base64 key>`);
    }
    return { version, key: decodeKey(entry.slice(colon + 1).trim(), version, source) };
  });
  validateKeys(keys, source);
  return keys;
}

/** A fresh single-version spec (`v1:<base64>`) for the embedded default keyring. */
export function generateKeySpec(random: RandomSource): string {
  const key = random(KEK_BYTES);
  const spec = `v1:${key.toString("base64")}`;
  key.fill(0);
  return spec;
}

interface KeyFileEntry {
  version: string;
  key: string;
  created?: string;
}

/**
 * Reads a key file: `{ "keys": [{ "version": "v1", "key": "<base64>", "created": "<iso>" }] }`.
 * Parse errors do not quote the file: JSON.parse messages include a snippet of it.
 */
export function readKeyFile(path: string): VaultKey[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw configError(
      `key file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw configError(`key file ${path} is not valid JSON`);
  }
  const list = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw configError(`key file ${path} has no "keys" array`);
  const keys = list.map((raw: unknown, index) => {
    const entry = raw as Partial<KeyFileEntry> | null;
    const version = typeof entry?.version === "string" ? entry.version : "";
    if (!isKeyVersion(version)) {
      throw configError(`key file ${path}: entry ${index + 1} has no valid "version" (v<integer>)`);
    }
    if (typeof entry?.key !== "string") throw configError(`key file ${path}: key ${version} has no "key"`);
    const key: VaultKey = { version, key: decodeKey(entry.key, version, `key file ${path}`) };
    if (typeof entry.created === "string") key.created = entry.created;
    return key;
  });
  validateKeys(keys, `key file ${path}`);
  return keys;
}

/** Writes the whole file under a temporary name, then renames it over the old one: never half a keyring. */
function writeKeyFileAtomically(path: string, keys: readonly VaultKey[]): void {
  const body: { keys: KeyFileEntry[] } = {
    keys: keys.map((k) => ({
      version: k.version,
      key: k.key.toString("base64"),
      ...(k.created ? { created: k.created } : {}),
    })),
  };
  const temporary = `${path}.${randomUUID()}.tmp`;
  const fd = openSync(temporary, "wx", 0o600);
  try {
    fchmodSync(fd, 0o600); // whatever the umask
    writeSync(fd, `${JSON.stringify(body, null, 2)}\n`);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temporary, path);
  } catch (error) {
    unlinkSync(temporary);
    throw error;
  }
  syncDirectory(dirname(path));
}

/** Makes the rename itself durable; not every platform can open a directory, hence best effort. */
function syncDirectory(directory: string): void {
  try {
    const fd = openSync(directory, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The file is complete either way; only its survival across a power cut is at stake.
  }
}

/**
 * Adds `v<max+1>` with 32 random bytes to a key file (creating it with `v1` when missing) and returns the
 * new version. Used by `payrail vault rotate`; records move to it through `rewrapKey`.
 */
export function addKeyVersion(
  path: string,
  random: RandomSource,
  now: () => Date = () => new Date(),
): string {
  const keys = existsSync(path) ? readKeyFile(path) : [];
  const next = keys.length === 0 ? 1 : versionNumber(activeVersionOf(keys)) + 1;
  const added: VaultKey = { version: `v${next}`, key: random(KEK_BYTES), created: now().toISOString() };
  if (added.key.length !== KEK_BYTES) throw configError("the random source returned a short key");
  try {
    writeKeyFileAtomically(path, [...keys, added]);
  } finally {
    for (const k of [...keys, added]) k.key.fill(0);
  }
  return added.version;
}
