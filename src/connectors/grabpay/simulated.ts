/**
 * Test-mode GrabPay accounts on the GrabPay simulator Payrail runs: fresh partner credentials per
 * merchant, registered with the simulator (again at every start: it keeps nothing).
 */
import type { GrabPaySimulator } from "../../../simulators/grabpay/index.ts";
import { grabPayConfigSchema, newTestAccountConfig } from "./config.ts";

export function simulatedAccounts(sim: GrabPaySimulator): {
  config(random: (n: number) => Buffer): Record<string, unknown>;
  register(config: Record<string, unknown>): void;
} {
  return {
    config: (random) => newTestAccountConfig(random),
    register(raw) {
      const config = grabPayConfigSchema.parse(raw);
      // The simulator matches redirect URIs exactly and takes the webhook URL at registration, but
      // Payrail's return URL differs per payment and neither URL is known here: only what the account's
      // config names can be registered.
      sim.registerPartner({
        partnerId: config.partner_id,
        partnerSecret: config.partner_secret,
        clientId: config.client_id,
        clientSecret: config.client_secret,
        merchantId: config.merchant_id,
        redirectUris: config.redirect_uri ? [config.redirect_uri] : [],
        ...(config.notification_url ? { webhookUrl: config.notification_url } : {}),
      });
    },
  };
}
