import type { RandomSource } from "../core/ids.ts";
import {
  decodeSealed,
  encodeSealed,
  openCard,
  rewrapKey,
  sealCard,
  type VaultAad,
} from "../vault/envelope.ts";
import type { KeyEncryptionProvider } from "../vault/kms.ts";

/** The vault envelope as text columns store it (see src/vault/sealed-format.ts for the layout). */
export interface VaultCipher {
  activeVersion(): string;
  seal(plaintext: Buffer, aad: VaultAad): Promise<{ sealed: string; keyVersion: string }>;
  open(sealed: string, aad: VaultAad): Promise<Buffer>;
  /** The same ciphertext with its data key wrapped by the active key version. */
  rewrap(sealed: string, aad: VaultAad): Promise<{ sealed: string; keyVersion: string }>;
}

export function createVaultCipher(provider: KeyEncryptionProvider, random: RandomSource): VaultCipher {
  return {
    activeVersion: () => provider.activeVersion(),
    async seal(plaintext, aad) {
      const sealed = await sealCard(provider, plaintext, aad, random);
      return { sealed: encodeSealed(sealed), keyVersion: sealed.keyVersion };
    },
    open: (sealed, aad) => openCard(provider, decodeSealed(sealed), aad),
    async rewrap(text, aad) {
      const sealed = decodeSealed(text);
      const wrapped = await rewrapKey(provider, sealed, aad);
      return { sealed: encodeSealed({ ...sealed, ...wrapped }), keyVersion: wrapped.keyVersion };
    },
  };
}
