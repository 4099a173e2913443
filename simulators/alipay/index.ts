/**
 * A local, stateful Alipay (China) OpenAPI gateway at `<url>/gateway.do`: page, wap and app payments,
 * precreate (QR), query, close, refunds and refund query, signed RSA2 both ways, trade_status_sync
 * notifications, the shopper's cashier page and the daily trade bill (GBK CSV in a ZIP). Start one per
 * test with `startAlipaySimulator`, register the merchant app's public key with `registerApp`, and point
 * alipay-sdk at it with `gateway: \`${url}/gateway.do\`` and `alipayPublicKey: alipayPublicKeyPem`.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLifecycle } from "../common/lifecycle.ts";
import type { Context } from "./context.ts";
import { type AlipayFault, createFaultBook } from "./faults.ts";
import { createIds, type RandomSource } from "./ids.ts";
import { type SimulatorLogger, silentLogger } from "./logger.ts";
import { createNotifier } from "./notifier.ts";
import { createRequestHandler } from "./server.ts";
import { createStore, type TradeStatus } from "./store.ts";
import { expireIfDue, finishTrade } from "./trade-events.ts";

export type { AlipayFault } from "./faults.ts";
export type { RandomSource } from "./ids.ts";
export type { SimulatorLogger } from "./logger.ts";
export {
  canonicalString,
  NOTIFY_UNSIGNED_KEYS,
  REQUEST_UNSIGNED_KEYS,
  verifyParams,
} from "./signing.ts";

export interface AlipaySimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  now?: () => Date;
  /** Source of trade numbers, notify ids, buyer ids and URL tokens; crypto.randomBytes by default. */
  random?: RandomSource;
  logger?: false | SimulatorLogger;
  /** Waits between notification attempts; one more attempt than entries (default [200, 1000, 3000]). */
  notificationRetryDelaysMs?: number[];
  /** Delay before an app payment answered "8000 processing" completes (default 300 ms). */
  resolveAfterMs?: number;
  /** How often unpaid trades are checked against their expiry on the injected clock (default 200 ms). */
  expiryCheckMs?: number;
  /** The simulator's Alipay private key (PEM); a fresh RSA-2048 key by default. */
  alipayPrivateKeyPem?: string;
  /** Service fee charged in the daily bill, basis points (default 60 = 0.6%). */
  serviceFeeBp?: number;
}

export interface RegisterAppInput {
  appId: string;
  /** The app's RSA2 public key: PEM (SPKI) or the bare base64 Alipay's console shows. */
  appPublicKeyPem: string;
  /** The merchant PID (seller_id); 2088 + 12 random digits by default. */
  sellerId?: string;
  sellerEmail?: string;
}

export interface TradeSnapshot {
  outTradeNo: string;
  tradeNo: string | null;
  status: TradeStatus;
  totalAmount: string;
  refundedAmount: string;
}

export interface AlipaySimulator {
  /** Base URL, e.g. `http://127.0.0.1:PORT`; the gateway is `${url}/gateway.do`. */
  url: string;
  gateway: string;
  /** Give this to alipay-sdk as `alipayPublicKey` to verify responses and notifications. */
  alipayPublicKeyPem: string;
  registerApp(input: RegisterAppInput): { appId: string; sellerId: string };
  /** The order's cashier page (what page.pay/wap.pay redirect to), for driving the shopper's side. */
  cashierUrl(appId: string, outTradeNo: string): string | undefined;
  trade(appId: string, outTradeNo: string): TradeSnapshot | undefined;
  /** Ends the refund period of a paid trade: TRADE_FINISHED, with its notification. */
  finishTrade(appId: string, outTradeNo: string): boolean;
  injectFault(fault: AlipayFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

function toPublicKey(text: string) {
  const trimmed = text.trim();
  const pem = trimmed.includes("-----BEGIN")
    ? trimmed
    : `-----BEGIN PUBLIC KEY-----\n${trimmed.replace(/\s+/g, "")}\n-----END PUBLIC KEY-----`;
  return createPublicKey(pem);
}

export async function startAlipaySimulator(options: AlipaySimulatorOptions = {}): Promise<AlipaySimulator> {
  const logger = options.logger ? options.logger : silentLogger;
  const now = options.now ?? (() => new Date());
  const ids = createIds(options.random ?? randomBytes);
  const alipayPrivateKey = options.alipayPrivateKeyPem
    ? createPrivateKey(options.alipayPrivateKeyPem)
    : generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const alipayPublicKeyPem = createPublicKey(alipayPrivateKey)
    .export({ type: "spki", format: "pem" })
    .toString();
  const lifecycle = createLifecycle();
  const faults = createFaultBook();
  const store = createStore();
  let url = "";
  const ctx: Context = {
    store,
    ids,
    now,
    lifecycle,
    logger,
    alipayPrivateKey,
    baseUrl: () => url,
    resolveAfterMs: options.resolveAfterMs ?? 300,
    serviceFeeBp: BigInt(options.serviceFeeBp ?? 60),
    notifier: createNotifier({
      lifecycle,
      faults,
      logger,
      privateKey: alipayPrivateKey,
      retryDelaysMs: options.notificationRetryDelaysMs ?? [200, 1000, 3000],
    }),
  };

  const expiryCheckMs = options.expiryCheckMs ?? 200;
  const sweep = () => {
    for (const trade of store.all()) expireIfDue(ctx, trade);
    lifecycle.later(expiryCheckMs, sweep);
  };
  lifecycle.later(expiryCheckMs, sweep);

  const server = createServer(createRequestHandler({ ctx, faults, logger }));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;
  logger.info({ url }, "alipay simulator listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    gateway: `${url}/gateway.do`,
    alipayPublicKeyPem,
    registerApp(input) {
      const sellerId = input.sellerId ?? ids.userId();
      store.apps.set(input.appId, {
        appId: input.appId,
        publicKey: toPublicKey(input.appPublicKeyPem),
        sellerId,
        sellerEmail: input.sellerEmail ?? `merchant-${sellerId.slice(-4)}@sandbox.com`,
      });
      return { appId: input.appId, sellerId };
    },
    cashierUrl(appId, outTradeNo) {
      const trade = store.byOutTradeNo(appId, outTradeNo);
      return trade ? `${url}/cashier/${trade.token}` : undefined;
    },
    trade(appId, outTradeNo) {
      const trade = store.byOutTradeNo(appId, outTradeNo);
      if (!trade) return undefined;
      expireIfDue(ctx, trade);
      const refunded = trade.refunds.reduce((sum, r) => sum + r.amountFen, 0n);
      const yuan = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, "0")}`;
      return {
        outTradeNo: trade.outTradeNo,
        tradeNo: trade.tradeNo,
        status: trade.status,
        totalAmount: yuan(trade.totalFen),
        refundedAmount: yuan(refunded),
      };
    },
    finishTrade(appId, outTradeNo) {
      const trade = store.byOutTradeNo(appId, outTradeNo);
      return trade ? finishTrade(ctx, trade) : false;
    },
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
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
