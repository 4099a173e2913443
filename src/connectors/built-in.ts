import { createAdyenConnector } from "./adyen/index.ts";
import { createAlipayConnector } from "./alipay/index.ts";
import { createBtcpayConnector } from "./btcpay/index.ts";
import type { Connector } from "./contract.ts";
import { createGrabPayConnector } from "./grabpay/index.ts";
import { createMollieConnector } from "./mollie/index.ts";
import { createPayPalConnector } from "./paypal/index.ts";
import { createSandboxConnector } from "./sandbox/index.ts";
import { attachSimulator, type SimulatedProvider } from "./simulated.ts";
import { createStripeConnector } from "./stripe/index.ts";
import { createWechatPayConnector } from "./wechatpay/index.ts";

/** Where each built-in connector's provider is, when an account does not set its own base_url. */
export interface ProviderUrls {
  sandbox: () => string;
  stripe: () => string;
  adyen: () => string;
  alipay: () => string;
  wechat_pay: () => string;
  paypal: () => string;
  mollie: () => string;
  grabpay: () => string;
  btcpay: () => string;
}

/**
 * Every connector Payrail ships; each gets a test-mode account per new merchant, in this order (the
 * first enabled account that fits is the default until routing chooses). The non-card methods' accounts
 * live on their in-process simulators (`simulated`); without one, a merchant gets no such test account.
 */
export function builtInConnectors(
  urls: ProviderUrls,
  options: {
    simulated?: Readonly<Record<string, SimulatedProvider>>;
    now?: () => Date;
    /** Where Payrail is reached (simulated accounts register return and notification URLs under it). */
    publicUrl?: () => string;
  } = {},
): Connector[] {
  const simulated = options.simulated ?? {};
  const now = options.now ?? (() => new Date());
  const local = [
    createAlipayConnector({ baseUrl: urls.alipay }),
    createWechatPayConnector({ baseUrl: urls.wechat_pay, now }),
    createPayPalConnector({ baseUrl: urls.paypal, now: () => now().getTime() }),
    createMollieConnector({ baseUrl: urls.mollie, now }),
    createGrabPayConnector({ baseUrl: urls.grabpay, now }),
    createBtcpayConnector({ baseUrl: urls.btcpay, now }),
  ].map((connector) => {
    const provider = simulated[connector.id];
    if (!provider) return { ...connector, defaultTestAccountConfig: undefined };
    return attachSimulator(connector, provider, options.publicUrl ?? (() => "http://127.0.0.1:9"));
  });
  return [
    createSandboxConnector({ baseUrl: urls.sandbox }),
    createStripeConnector({ baseUrl: urls.stripe }),
    createAdyenConnector({ baseUrl: urls.adyen }),
    ...local,
  ];
}

const UNREACHABLE = () => "http://127.0.0.1:9";

/** For tools that only create accounts (the CLI): the URLs are never called. */
export const UNREACHABLE_URLS: ProviderUrls = {
  sandbox: UNREACHABLE,
  stripe: UNREACHABLE,
  adyen: UNREACHABLE,
  alipay: UNREACHABLE,
  wechat_pay: UNREACHABLE,
  paypal: UNREACHABLE,
  mollie: UNREACHABLE,
  grabpay: UNREACHABLE,
  btcpay: UNREACHABLE,
};
