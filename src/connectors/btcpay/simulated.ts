/** Test-mode accounts on Payrail's BTCPay simulator: one store and API key per merchant, crypto off. */
import type { BtcpaySimulator } from "../../../simulators/btcpay/index.ts";
import { btcpayConfigSchema, newTestAccountConfig } from "./config.ts";

export function simulatedAccounts(sim: BtcpaySimulator): {
  config(random: (n: number) => Buffer): Record<string, unknown>;
  register(config: Record<string, unknown>): void;
} {
  return {
    config: (random) => newTestAccountConfig(random),
    register(config) {
      const { store_id, api_key } = btcpayConfigSchema.parse(config);
      // The simulator keeps a known store and adds a known key again without change: safe at every start.
      sim.registerStore({ storeId: store_id, apiKey: api_key });
    },
  };
}
