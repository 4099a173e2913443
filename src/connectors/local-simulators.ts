import { type AlipaySimulator, startAlipaySimulator } from "../../simulators/alipay/index.ts";
import { type BtcpaySimulator, startBtcpaySimulator } from "../../simulators/btcpay/index.ts";
import { type GrabPaySimulator, startGrabPaySimulator } from "../../simulators/grabpay/index.ts";
import { type MollieSimulator, startMollieSimulator } from "../../simulators/mollie/index.ts";
import { type PayPalSimulator, startPayPalSimulator } from "../../simulators/paypal/index.ts";
import { startWechatPaySimulator, type WechatPaySimulator } from "../../simulators/wechatpay/index.ts";
import { simulatedAccounts as alipayAccounts } from "./alipay/simulated.ts";
import { simulatedAccounts as btcpayAccounts } from "./btcpay/simulated.ts";
import { simulatedAccounts as grabpayAccounts } from "./grabpay/simulated.ts";
import { simulatedAccounts as mollieAccounts } from "./mollie/simulated.ts";
import { simulatedAccounts as paypalAccounts } from "./paypal/simulated.ts";
import type { SimulatedProvider } from "./simulated.ts";
import { simulatedAccounts as wechatPayAccounts } from "./wechatpay/simulated.ts";

export interface LocalSimulators {
  alipay?: AlipaySimulator | undefined;
  wechatPay?: WechatPaySimulator | undefined;
  paypal?: PayPalSimulator | undefined;
  mollie?: MollieSimulator | undefined;
  grabpay?: GrabPaySimulator | undefined;
  btcpay?: BtcpaySimulator | undefined;
}

export interface LocalSimulatorOptions {
  host: string;
  now: () => Date;
  /** Which providers have a real URL configured: their simulator is not started. */
  skip: {
    alipay: boolean;
    wechatPay: boolean;
    paypal: boolean;
    mollie: boolean;
    grabpay: boolean;
    btcpay: boolean;
  };
  /** The published API documents PayPal's and BTCPay's simulators validate against, when present. */
  paypalSpecDir?: URL | undefined;
  btcpaySpecDir?: URL | undefined;
}

/**
 * Starts the simulators of the non-card methods (in parallel: some make their keys at start) and says how
 * each connector's test-mode accounts live on them.
 */
export async function startLocalSimulators(options: LocalSimulatorOptions): Promise<{
  simulators: LocalSimulators;
  providers: Record<string, SimulatedProvider>;
  close(): Promise<void>;
}> {
  const common = { host: options.host, now: options.now, logger: false as const };
  const { skip } = options;
  const [alipay, wechatPay, paypal, mollie, grabpay, btcpay] = await Promise.all([
    skip.alipay ? undefined : startAlipaySimulator(common),
    skip.wechatPay ? undefined : startWechatPaySimulator(common),
    skip.paypal || !options.paypalSpecDir
      ? undefined
      : startPayPalSimulator({ ...common, specDir: options.paypalSpecDir }),
    skip.mollie ? undefined : startMollieSimulator(common),
    skip.grabpay ? undefined : startGrabPaySimulator(common),
    skip.btcpay || !options.btcpaySpecDir
      ? undefined
      : startBtcpaySimulator({ ...common, specDir: options.btcpaySpecDir }),
  ]);
  const providers: Record<string, SimulatedProvider> = {};
  if (alipay) providers.alipay = { source: alipayAccounts(alipay), trustFields: ["alipay_public_key"] };
  if (wechatPay) {
    providers.wechat_pay = {
      source: wechatPayAccounts(wechatPay),
      trustFields: ["platform_certificates", "wechatpay_public_key_id", "wechatpay_public_key"],
    };
  }
  if (paypal) providers.paypal = { source: paypalAccounts(paypal), trustFields: ["cert_hosts"] };
  if (mollie) providers.mollie = { source: mollieAccounts(mollie), trustFields: [] };
  if (grabpay) {
    providers.grabpay = {
      source: grabpayAccounts(grabpay),
      trustFields: [],
      // GrabID redirects only to registered URIs: one per account, the payment is named by the state.
      perAccount: ({ publicUrl, accountId }) => ({
        redirect_uri: `${publicUrl}/pay/return/grabpay/${accountId}`,
        notification_url: `${publicUrl}/v1/hooks/grabpay/${accountId}`,
      }),
    };
  }
  if (btcpay) providers.btcpay = { source: btcpayAccounts(btcpay), trustFields: [] };
  const simulators = { alipay, wechatPay, paypal, mollie, grabpay, btcpay };
  return {
    simulators,
    providers,
    async close() {
      await Promise.all(Object.values(simulators).map((sim) => sim?.close()));
    },
  };
}
