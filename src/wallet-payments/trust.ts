import { readFileSync } from "node:fs";
import type { ApplePaySimulator, ApplePayTestAuthority } from "../../simulators/applepay/index.ts";
import type { GooglePayTestIssuer } from "../../simulators/googlepay/index.ts";
import type { Config } from "../core/config.ts";
import { parseGoogleRootSigningKeys } from "../wallets/googlepay/index.ts";
import type { WalletTrust } from "./service.ts";

/**
 * Live mode trusts what the operator configures (Apple Root CA - G3, Google's root signing keys); test
 * mode trusts the in-process simulators' own roots, so tokens they sign decrypt with no setup.
 */
export function walletTrust(
  config: Config,
  simulators: {
    applePaySimulator: ApplePaySimulator | undefined;
    applePayAuthority: ApplePayTestAuthority | undefined;
    googlePayIssuer: GooglePayTestIssuer | undefined;
  },
): WalletTrust {
  const appleRoot = config.PAYRAIL_APPLE_PAY_ROOT_CA
    ? readFileSync(config.PAYRAIL_APPLE_PAY_ROOT_CA, "utf8")
    : undefined;
  const googleRoots = config.PAYRAIL_GOOGLE_PAY_ROOT_KEYS
    ? parseGoogleRootSigningKeys(readFileSync(config.PAYRAIL_GOOGLE_PAY_ROOT_KEYS, "utf8"))
    : undefined;
  const testGoogleRoots = simulators.googlePayIssuer
    ? parseGoogleRootSigningKeys(simulators.googlePayIssuer.rootSigningKeys)
    : undefined;
  return {
    appleRootPem: async (livemode) =>
      livemode ? appleRoot : (simulators.applePayAuthority?.rootCertificatePem ?? appleRoot),
    googleRootKeys: async (livemode) => (livemode ? googleRoots : (testGoogleRoots ?? googleRoots)),
    appleSessionService(livemode) {
      const simulator = simulators.applePaySimulator;
      if (livemode || !simulator) return undefined;
      return {
        allowedHosts: [simulator.host],
        caPem: simulator.caCertPem,
        identity: {
          certificatePem: simulator.merchantIdentity.certificatePem,
          privateKeyPem: simulator.merchantIdentity.privateKeyPem,
          merchantIdentifier: simulator.merchantIdentity.merchantIdentifier,
        },
      };
    },
  };
}
