/**
 * A stateful local WeChat Pay API v3 (api.mch.weixin.qq.com): Native, H5, JSAPI and App orders, queries,
 * closing, time_expire, domestic refunds, the trade bill, /v3/certificates; merchant request signatures
 * checked, answers and notifications signed with the platform certificate or the WeChat Pay public key,
 * notification resources encrypted under the merchant's API v3 key; a shopper side and fault injection.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLifecycle } from "../common/lifecycle.ts";
import { createBillFiles } from "./bill-files.ts";
import type { Context } from "./context.ts";
import { createFaultBook, type WechatpayFault } from "./faults.ts";
import { createIds, type RandomSource } from "./ids.ts";
import { generatePlatformKeys, type PlatformKeys } from "./keys.ts";
import { type SimulatorLogger, silentLogger } from "./logger.ts";
import { createMerchants, type MerchantRegistration, type PlatformSigning } from "./merchants.ts";
import { createNotifier, type Delivery, WECHAT_RETRY_DELAYS_MS } from "./notifier.ts";
import { createRequestHandler } from "./server.ts";
import { createSigner } from "./signer.ts";
import { createStore } from "./store.ts";

export type { WechatpayFault } from "./faults.ts";
export type { RandomSource } from "./ids.ts";
export { generatePlatformKeys, type PlatformKeys } from "./keys.ts";
export type { SimulatorLogger } from "./logger.ts";
export type { MerchantRegistration, PlatformSigning } from "./merchants.ts";
export type { Delivery } from "./notifier.ts";
export { REFUND_TRIGGERS } from "./refunds.ts";

export interface WechatPaySimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  now?: () => Date;
  /** Random bytes for ids, nonces and serial numbers; crypto.randomBytes by default. */
  random?: RandomSource;
  logger?: false | SimulatorLogger;
  /** Waits between notification attempts; one more attempt than entries. Default: WeChat's own schedule. */
  notificationRetryDelaysMs?: number[];
  /** Delay before a refund leaves PROCESSING and its notification is sent (default 200 ms). */
  resolveAfterMs?: number;
  /** Reuse platform keys across simulators (RSA generation is slow); fresh ones by default. */
  platformKeys?: PlatformKeys;
  /** Merchants known from the start. */
  merchants?: MerchantRegistration[];
}

export interface WechatPaySimulator {
  url: string;
  close(): Promise<void>;
  injectFault(fault: WechatpayFault): void;
  clearFaults(): void;
  registerMerchant(registration: MerchantRegistration): void;
  /** Switch a merchant between platform certificate, WeChat Pay public key, or both alternately. */
  setPlatformSigning(mchid: string, signing: PlatformSigning): void;
  platformCertificate: { serialNo: string; certificatePem: string; publicKeyPem: string };
  wechatpayPublicKey: { keyId: string; publicKeyPem: string };
  /** `{ serial or key id: public key PEM }` for both, the shape WeChat SDKs take to verify answers. */
  platformPublicKeys: Record<string, string>;
  /** Every notification delivery started so far, with its attempts. */
  deliveries(): readonly Delivery[];
}

function formatUrl(address: AddressInfo): string {
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export async function startWechatPaySimulator(
  options: WechatPaySimulatorOptions = {},
): Promise<WechatPaySimulator> {
  const logger = options.logger ? options.logger : silentLogger;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? randomBytes;
  const keys = options.platformKeys ?? (await generatePlatformKeys({ random, now: now() }));
  const lifecycle = createLifecycle();
  const faults = createFaultBook();
  const ids = createIds(random);
  const merchants = createMerchants();
  for (const registration of options.merchants ?? []) merchants.register(registration);
  const signer = createSigner(keys, ids, now);

  let url = "";
  const ctx: Context = {
    store: createStore(),
    merchants,
    ids,
    keys,
    signer,
    lifecycle,
    now,
    bills: createBillFiles(() => ids.token(64)),
    resolveAfterMs: options.resolveAfterMs ?? 200,
    baseUrl: () => url,
    notifier: createNotifier({
      lifecycle,
      faults,
      logger,
      signer,
      ids,
      now,
      retryDelaysMs: options.notificationRetryDelaysMs ?? WECHAT_RETRY_DELAYS_MS,
    }),
  };

  const server = createServer(createRequestHandler({ ctx, faults, logger }));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  url = formatUrl(server.address() as AddressInfo);
  logger.info({ url }, "wechatpay simulator listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    registerMerchant: (registration) => merchants.register(registration),
    setPlatformSigning: (mchid, signing) => merchants.setPlatformSigning(mchid, signing),
    platformCertificate: {
      serialNo: keys.certificate.serialNo,
      certificatePem: keys.certificate.certificatePem,
      publicKeyPem: keys.certificate.publicKeyPem,
    },
    wechatpayPublicKey: { keyId: keys.publicKey.keyId, publicKeyPem: keys.publicKey.publicKeyPem },
    platformPublicKeys: {
      [keys.certificate.serialNo]: keys.certificate.publicKeyPem,
      [keys.publicKey.keyId]: keys.publicKey.publicKeyPem,
    },
    deliveries: () => ctx.notifier.deliveries(),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await lifecycle.close();
        await stopped;
      })();
      return closing;
    },
  };
}
