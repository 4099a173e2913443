import { createAdyenConnector } from "./adyen/index.ts";
import type { Connector } from "./contract.ts";
import { createSandboxConnector } from "./sandbox/index.ts";
import { createStripeConnector } from "./stripe/index.ts";

/** Where each built-in connector's provider is, when an account does not set its own base_url. */
export interface ProviderUrls {
  sandbox: () => string;
  stripe: () => string;
  adyen: () => string;
}

/**
 * Every connector Payrail ships; each gets a test-mode account per new merchant, in this order (the
 * first enabled account that fits is the default until routing chooses).
 */
export function builtInConnectors(urls: ProviderUrls): Connector[] {
  return [
    createSandboxConnector({ baseUrl: urls.sandbox }),
    createStripeConnector({ baseUrl: urls.stripe }),
    createAdyenConnector({ baseUrl: urls.adyen }),
  ];
}

const UNREACHABLE = () => "http://127.0.0.1:9";

/** For tools that only create accounts (the CLI): the URLs are never called. */
export const UNREACHABLE_URLS: ProviderUrls = {
  sandbox: UNREACHABLE,
  stripe: UNREACHABLE,
  adyen: UNREACHABLE,
};
