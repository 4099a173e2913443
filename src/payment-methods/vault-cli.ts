import type { Config } from "../core/config.ts";
import type { RandomSource } from "../core/ids.ts";
import type { Logger } from "../core/logging.ts";
import type { Db } from "../db/index.ts";
import { addKeyVersion } from "../vault/keyring.ts";
import { createVaultCipher } from "./cipher.ts";
import { rewrapVault, vaultKeyUsage } from "./rotate.ts";
import { loadVaultKeyring, vaultKeySource } from "./vault-keys.ts";

export const VAULT_USAGE = `Usage: payrail vault rotate|status [--json]

  rotate   with a key file: adds a new key version to it, then re-wraps every data key under it;
           with PAYRAIL_VAULT_KEYS: re-wraps every data key under the highest version listed there
           (add the new version to the variable of every process first). Online and resumable:
           run it again after an interruption and it continues with what is left.
  status   how many sealed records each key version protects`;

export async function runVaultCommand(
  positionals: string[],
  options: { json: boolean },
  deps: { db: Db; config: Config; random: RandomSource; logger: Logger; write(text: string): void },
): Promise<number> {
  const [sub] = positionals;
  const print = (value: Record<string, unknown>, text: string) =>
    deps.write(options.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
  if (sub === "status") {
    const usage = await vaultKeyUsage(deps.db);
    const keyring = loadVaultKeyring(deps.config, deps.random, deps.logger);
    print(
      { active_version: keyring.activeVersion(), records_by_version: usage },
      `Active key version ${keyring.activeVersion()}. Sealed records by version: ${
        Object.entries(usage)
          .map(([version, count]) => `${version} ${count}`)
          .join(", ") || "none"
      }.`,
    );
    return 0;
  }
  if (sub !== "rotate") {
    deps.write(`${VAULT_USAGE}\n`);
    return 1;
  }
  const source = vaultKeySource(deps.config);
  // Make sure the file exists before adding to it, so the first rotation of a fresh install is v2.
  loadVaultKeyring(deps.config, deps.random, deps.logger);
  const added = source.kind === "file" ? addKeyVersion(source.path, deps.random) : undefined;
  const cipher = createVaultCipher(loadVaultKeyring(deps.config, deps.random, deps.logger), deps.random);
  const report = await rewrapVault(deps.db, cipher);
  print(
    { added_version: added ?? null, ...report },
    `${added ? `Added key version ${added}. ` : ""}Re-wrapped under ${report.activeVersion}: ${report.paymentMethods} payment methods, ${report.cvcs} waiting CVCs, ${report.connectorAccounts} connector accounts, ${report.walletConfigs} wallet setups, ${report.webhookEndpoints} webhook endpoint secrets.`,
  );
  return 0;
}
