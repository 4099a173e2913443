/**
 * A stateful local GrabPay Online (partner API v2 one-time charge) with GrabID's OAuth 2.0 authorize and
 * token endpoints: partner-HMAC and proof-of-possession request authentication, PKCE, a consent page
 * standing in for GrabPay's hosted page, signed payment and refund notifications, partial refunds, a daily
 * transaction report and fault injection. Start one per test with `startGrabPaySimulator`.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLifecycle } from "../common/lifecycle.ts";
import type { Context, RandomSource } from "./context.ts";
import { createFaultBook, type GrabPayFault } from "./faults.ts";
import { type SimulatorLogger, silentLogger } from "./logger.ts";
import { createNotifier } from "./notifier.ts";
import { createRequestHandler } from "./server.ts";
import { createStore } from "./store.ts";

export type { RandomSource } from "./context.ts";
export type { GrabPayFault } from "./faults.ts";
export type { SimulatorLogger } from "./logger.ts";
export { REPORT_COLUMNS } from "./report.ts";

export interface GrabPaySimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  now?: () => Date;
  /** Random bytes for transaction ids, codes and tokens; crypto.randomBytes by default. */
  random?: RandomSource;
  logger?: false | SimulatorLogger;
  /** Waits between notification attempts; one more attempt than entries (default [200, 1000, 3000]). */
  notificationRetryDelaysMs?: number[];
  /** How long a charge waits for the shopper's consent before it fails as expired (default 15 minutes). */
  chargeExpiryMs?: number;
  /** Accepted for symmetry with the other simulators; every GrabPay outcome here is synchronous. */
  resolveAfterMs?: number;
  /** Authorization code lifetime (default 10 minutes). */
  authorizationCodeTtlMs?: number;
  /** Access token lifetime, `expires_in` (default 3600 s). */
  accessTokenTtlSeconds?: number;
  /** Allowed difference between `Date` / PoP time and the simulator's clock (default 300 s). */
  maxClockSkewSeconds?: number;
  /** MDR in basis points for the transaction report (default 150, 1.5 %). */
  mdrBasisPoints?: number;
  /** Business-day offset from UTC for the report (default +480, Singapore). */
  reportUtcOffsetMinutes?: number;
}

export interface PartnerRegistration {
  partnerId: string;
  partnerSecret: string;
  clientId: string;
  clientSecret: string;
  merchantId: string;
  redirectUris: string[];
  /** Receives payment and refund notifications. */
  webhookUrl?: string;
}

export interface GrabPaySimulator {
  url: string;
  close(): Promise<void>;
  injectFault(fault: GrabPayFault): void;
  clearFaults(): void;
  /** Adds (or replaces, by partnerId) a partner with its OAuth client and merchant. */
  registerPartner(registration: PartnerRegistration): void;
  chargeCount(partnerId?: string): number;
}

export async function startGrabPaySimulator(
  options: GrabPaySimulatorOptions = {},
): Promise<GrabPaySimulator> {
  const logger = options.logger ? options.logger : silentLogger;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? randomBytes;
  const lifecycle = createLifecycle();
  const faults = createFaultBook();
  const store = createStore();
  let url = "";
  const ctx: Context = {
    store,
    now,
    random,
    lifecycle,
    notifier: createNotifier({
      lifecycle,
      faults,
      logger,
      now,
      retryDelaysMs: options.notificationRetryDelaysMs ?? [200, 1000, 3000],
    }),
    settings: {
      chargeExpiryMs: options.chargeExpiryMs ?? 15 * 60_000,
      authorizationCodeTtlMs: options.authorizationCodeTtlMs ?? 10 * 60_000,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      maxClockSkewSeconds: options.maxClockSkewSeconds ?? 300,
      mdrBasisPoints: BigInt(options.mdrBasisPoints ?? 150),
      reportUtcOffsetMinutes: options.reportUtcOffsetMinutes ?? 480,
    },
    tokenKey: random(32),
    baseUrl: () => url,
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
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;
  logger.info({ url }, "grabpay simulator listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    registerPartner(registration) {
      for (const uri of registration.redirectUris) {
        if (!URL.canParse(uri)) throw new Error(`redirect URI is not an absolute URL: ${uri}`);
      }
      store.putPartner({
        partnerId: registration.partnerId,
        partnerSecret: registration.partnerSecret,
        clientId: registration.clientId,
        clientSecret: registration.clientSecret,
        merchantId: registration.merchantId,
        redirectUris: [...registration.redirectUris],
        webhookUrl: registration.webhookUrl ?? null,
      });
    },
    chargeCount: (partnerId) =>
      store.allCharges().filter((charge) => partnerId === undefined || charge.partner.partnerId === partnerId)
        .length,
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
