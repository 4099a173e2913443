import { cryptoRandom } from "../../src/core/ids.ts";
import { createVaultCipher, type VaultCipher } from "../../src/payment-methods/cipher.ts";
import { localKeyring } from "../../src/vault/kms.ts";

/**
 * One vault key for every test process (in-process servers, spawned `payrail serve`, the CLI), so a card
 * tokenized by one is readable by the others on the shared test database. Never a production key.
 */
export const TEST_VAULT_KEYS = `v1:${Buffer.alloc(32, 7).toString("base64")}`;

/** Opens what test processes sealed (connector account secrets, say) to look at it in a test. */
export function testVaultCipher(): VaultCipher {
  return createVaultCipher(localKeyring(TEST_VAULT_KEYS), cryptoRandom);
}
