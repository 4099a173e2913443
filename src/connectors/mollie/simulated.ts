/** Test-mode accounts on the Mollie simulator: every `test_` key is an account of its own there. */
import { type MollieSimulator, newTestApiKey } from "../../../simulators/mollie/index.ts";

export function simulatedAccounts(_sim: MollieSimulator): {
  config(random: (n: number) => Buffer): Record<string, unknown>;
  register(config: Record<string, unknown>): void;
} {
  return {
    // No base_url: the connector reaches the simulator through Payrail's provider URL, which survives restarts.
    config: (random) => ({ api_key: newTestApiKey(random) }),
    // The simulator opens an account on a key's first use: nothing to register.
    register: () => {},
  };
}
