export type VaultErrorCode =
  /** The record's key version is not in the keyring (retired too early, or the wrong keyring). */
  | "vault_key_unavailable"
  /** Authentication failed: the record was tampered with, moved to another merchant or record, or is corrupt. */
  | "vault_integrity_error"
  /** A sealed value could not be decoded (not produced by `encodeSealed`). */
  | "vault_format_error"
  /** Key material, a key file or `PAYRAIL_VAULT_KEYS` is malformed. */
  | "vault_config_error";

/** Messages name versions, files and positions, never key bytes or card data. */
export class VaultError extends Error {
  readonly code: VaultErrorCode;
  constructor(code: VaultErrorCode, message: string) {
    super(message);
    this.name = "VaultError";
    this.code = code;
  }
}

export const isVaultError = (error: unknown, code?: VaultErrorCode): error is VaultError =>
  error instanceof VaultError && (code === undefined || error.code === code);
