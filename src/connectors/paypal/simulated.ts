/**
 * Test-mode accounts on the PayPal simulator: a REST app with fresh credentials per merchant, registered
 * with the simulator, and the simulator's certificate host as the one trusted for webhook signatures.
 */
import type { PayPalSimulator } from "../../../simulators/paypal/index.ts";
import { paypalConfigSchema, randomCredentials } from "./config.ts";

export function simulatedAccounts(sim: PayPalSimulator): {
  config(random: (n: number) => Buffer): Record<string, unknown>;
  register(config: Record<string, unknown>): void;
} {
  return {
    config(random) {
      return { ...randomCredentials(random), cert_hosts: [new URL(sim.certUrl).host] };
    },
    register(config) {
      const { client_id, client_secret } = paypalConfigSchema.parse(config);
      // Registering an app again keeps its merchant account: safe at every start.
      sim.registerApp({ clientId: client_id, clientSecret: client_secret });
    },
  };
}
