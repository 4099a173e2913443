import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { FastifyInstance } from "fastify";
import { type AdyenSimulator, startAdyenSimulator } from "../simulators/adyen/index.ts";
import {
  type ApplePaySimulator,
  type ApplePayTestAuthority,
  createApplePayTestAuthority,
  startApplePaySimulator,
} from "../simulators/applepay/index.ts";
import { type BankSimulator, startBankSimulator } from "../simulators/bank/index.ts";
import { type EcbSimulator, startEcbSimulator } from "../simulators/ecb/index.ts";
import { createGooglePayTestIssuer, type GooglePayTestIssuer } from "../simulators/googlepay/index.ts";
import { type SandboxSimulator, startSandboxSimulator } from "../simulators/sandbox/index.ts";
import { type StripeSimulator, startStripeSimulator } from "../simulators/stripe/index.ts";
import { loadCheckoutAssets } from "./checkout/assets.ts";
import { checkoutSessionsJob } from "./checkout/jobs.ts";
import { checkoutPageApiRoutes } from "./checkout/page-api.ts";
import { checkoutPageRoutes } from "./checkout/pages.ts";
import { checkoutRoutes } from "./checkout/routes.ts";
import { createCheckoutSessionService } from "./checkout/sessions.ts";
import { createConnectorAccountCache } from "./connectors/account-cache.ts";
import { createAccountSecrets } from "./connectors/account-secrets.ts";
import { createConnectorAccountService } from "./connectors/account-service.ts";
import { builtInConnectors } from "./connectors/built-in.ts";
import { type LocalSimulators, startLocalSimulators } from "./connectors/local-simulators.ts";
import { type ConnectorRegistry, createConnectorRegistry } from "./connectors/registry.ts";
import { connectorAccountRoutes } from "./connectors/routes.ts";
import { type Clock, systemClock } from "./core/clock.ts";
import type { Config } from "./core/config.ts";
import { createIdGenerator, cryptoRandom, type RandomSource } from "./core/ids.ts";
import { createLogger, type Logger } from "./core/logging.ts";
import { customerRoutes } from "./customers/routes.ts";
import { createCustomerService } from "./customers/service.ts";
import { type DbHandle, openDatabase } from "./db/index.ts";
import { migrateToLatest, migrationsCurrent } from "./db/migrate.ts";
import { loadPlatformSecrets } from "./db/platform-secrets.ts";
import { eventRoutes } from "./events/routes.ts";
import { buildApp } from "./http/app.ts";
import type { Authenticator } from "./http/auth.ts";
import type { AppContext } from "./http/context.ts";
import { createMetrics, type Metrics } from "./http/metrics.ts";
import { createWorkerRuntime, type WorkerRuntime } from "./jobs/runtime.ts";
import { apiKeyRoutes } from "./merchants/routes.ts";
import { type CreatedMerchant, createMerchant } from "./merchants/service.ts";
import { createPasskeyService } from "./passkeys/service.ts";
import { createVaultCipher } from "./payment-methods/cipher.ts";
import { purgeExpiredCvcsJob } from "./payment-methods/jobs.ts";
import { paymentMethodRoutes } from "./payment-methods/routes.ts";
import { createPaymentMethodService } from "./payment-methods/service.ts";
import { loadVaultKeyring } from "./payment-methods/vault-keys.ts";
import type { PaymentsDeps } from "./payments/apply.ts";
import { createCaptureCancelService } from "./payments/capture-cancel.ts";
import {
  expireAuthorizationsJob,
  retryOperationsJob,
  syncPaymentsJob,
  syncRefundsJob,
} from "./payments/jobs.ts";
import { paymentReturnRoute } from "./payments/return-route.ts";
import { paymentIntentRoutes } from "./payments/routes.ts";
import { createPaymentService } from "./payments/service.ts";
import { refundRoutes } from "./refunds/routes.ts";
import { createRefundService } from "./refunds/service.ts";
import { createMoneyServices, type MoneyServices } from "./settlement/wiring.ts";
import type { KeyEncryptionProvider } from "./vault/kms.ts";
import { walletRoutes } from "./wallet-payments/routes.ts";
import { createWalletService } from "./wallet-payments/service.ts";
import { walletTrust } from "./wallet-payments/trust.ts";
import { processInboundWebhooksJob } from "./webhooks/inbound/process.ts";
import { inboundWebhookRoute } from "./webhooks/inbound/receive.ts";
import { deliverWebhooksJob, dispatchEventsJob } from "./webhooks/outbound/jobs.ts";
import { webhookEndpointRoutes } from "./webhooks/outbound/routes.ts";

export type Role = "api" | "worker" | "simulators";

/** Where the providers' published API documents are, for the simulators that validate against them. */
function providerSpecs(config: Config) {
  const dir = config.PAYRAIL_SPECS_DIR
    ? pathToFileURL(`${resolve(config.PAYRAIL_SPECS_DIR)}/`)
    : new URL("../../shared/specs/", import.meta.url);
  return {
    file: (relative: string) => new URL(relative, dir),
    available(relative: string, logger: Logger): boolean {
      if (existsSync(new URL(relative, dir))) return true;
      logger.warn(
        { missing: fileURLToPath(new URL(relative, dir)) },
        "provider API document not found (set PAYRAIL_SPECS_DIR): that provider's simulator stays off",
      );
      return false;
    },
  };
}

export interface PayrailOptions {
  config: Config;
  roles: Role[];
  clock?: Clock;
  random?: RandomSource;
  logger?: Logger;
  metrics?: Metrics;
  /** Use this database instead of opening one from the config (tests). */
  database?: DbHandle;
  /** Build the worker but never run it in the background: the caller drives it with `drain()` (tests). */
  manualWorker?: boolean;
  /** The vault's key-encryption keys; from PAYRAIL_VAULT_KEYS or the key file when not given. */
  vaultKeyring?: KeyEncryptionProvider;
}

export interface Payrail {
  ctx: AppContext;
  app?: FastifyInstance;
  url?: string;
  simulatorUrl?: string;
  /** The in-process sandbox simulator, when this process runs the simulators role. */
  simulator?: SandboxSimulator;
  worker?: WorkerRuntime;
  bankSimulator?: BankSimulator;
  ecbSimulator?: EcbSimulator;
  stripeSimulator?: StripeSimulator;
  adyenSimulator?: AdyenSimulator;
  /** Test mode's stand-ins for Apple and Google: session service, token signers (simulators role). */
  applePaySimulator?: ApplePaySimulator;
  applePayAuthority?: ApplePayTestAuthority;
  googlePayIssuer?: GooglePayTestIssuer;
  /** The simulators of the non-card methods (Alipay, WeChat Pay, PayPal, Mollie, GrabPay, BTCPay). */
  localSimulators: LocalSimulators;
  services: ReturnType<typeof createServices>;
  money: MoneyServices;
  connectors: ConnectorRegistry;
  /** Creates a merchant with keys and test-mode connector accounts (CLI, demo, tests). */
  createMerchant(name: string): Promise<CreatedMerchant>;
  close(): Promise<void>;
}

function createServices(deps: PaymentsDeps) {
  const payments = createPaymentService(deps);
  const captureCancel = createCaptureCancelService(deps);
  const refunds = createRefundService(deps);
  const customers = createCustomerService(deps.ctx);
  return { payments, captureCancel, refunds, customers, paymentMethods: deps.paymentMethods };
}

/** Starts the roles asked for over one database. Every role is stateless and safe to run N times. */
export async function startPayrail(options: PayrailOptions): Promise<Payrail> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });
  const clock = options.clock ?? systemClock;
  const random = options.random ?? cryptoRandom;
  const handle =
    options.database ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.PAYRAIL_DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
    }));
  if (handle.kind === "pglite" && !options.database) await migrateToLatest(handle.db as never);

  const simulator =
    options.roles.includes("simulators") && config.PAYRAIL_SIMULATORS === "on"
      ? await startSandboxSimulator({ port: config.PAYRAIL_SIMULATOR_PORT, host: config.HOST, logger: false })
      : undefined;
  const sandboxUrl = config.PAYRAIL_SANDBOX_URL ?? simulator?.url ?? "http://127.0.0.1:9";
  const runSimulators = options.roles.includes("simulators") && config.PAYRAIL_SIMULATORS === "on";
  const bankSimulator =
    runSimulators && !config.PAYRAIL_BANK_URL
      ? await startBankSimulator({ host: config.HOST, autoProcessMs: 2_000, now: () => clock.now() })
      : undefined;
  const ecbSimulator =
    runSimulators && !config.PAYRAIL_FX_RATES ? await startEcbSimulator({ host: config.HOST }) : undefined;

  let publicUrl = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  let worker: WorkerRuntime | undefined;
  const vaultCipher = createVaultCipher(
    options.vaultKeyring ?? loadVaultKeyring(config, random, logger),
    random,
  );
  const ctx: AppContext = {
    db: handle.db,
    dbKind: handle.kind,
    config,
    clock,
    ids: createIdGenerator(random, () => clock.now().getTime()),
    random,
    logger,
    metrics: options.metrics ?? createMetrics({ defaultMetrics: true }),
    publicUrl: () => publicUrl,
    secrets: await loadPlatformSecrets(handle.db, random).catch(async (error) => {
      if (!(await migrationsCurrent(handle.db as never).catch(() => false))) {
        throw new Error("The database is not migrated: run `payrail migrate` first.");
      }
      throw error;
    }),
    vault: vaultCipher,
    wakeWorker: () => {
      if (!options.manualWorker) worker?.wake();
    },
  };
  const applePaySimulator = runSimulators ? await startApplePaySimulator({ host: config.HOST }) : undefined;
  const applePayAuthority = runSimulators ? await createApplePayTestAuthority(clock.now()) : undefined;
  const googlePayIssuer = runSimulators ? createGooglePayTestIssuer({ now: () => clock.now() }) : undefined;
  const specs = providerSpecs(config);
  const stripeSimulator =
    runSimulators && !config.PAYRAIL_STRIPE_URL && specs.available("stripe/spec3.2022-04-12.json", logger)
      ? await startStripeSimulator({
          host: config.HOST,
          logger: false,
          specPath: specs.file("stripe/spec3.2022-04-12.json"),
        })
      : undefined;
  const adyenSimulator =
    runSimulators && !config.PAYRAIL_ADYEN_URL && specs.available("adyen/CheckoutService-v71.json", logger)
      ? await startAdyenSimulator({
          host: config.HOST,
          logger: false,
          specDir: specs.file("adyen/"),
          // Adyen decrypts Google Pay gateway tokens itself; in test mode they come from the Google Pay issuer.
          ...(googlePayIssuer ? { googlePayRootKeys: googlePayIssuer.rootSigningKeys } : {}),
        })
      : undefined;
  const local = runSimulators
    ? await startLocalSimulators({
        host: config.HOST,
        now: () => clock.now(),
        skip: {
          alipay: Boolean(config.PAYRAIL_ALIPAY_URL),
          wechatPay: Boolean(config.PAYRAIL_WECHATPAY_URL),
          paypal: Boolean(config.PAYRAIL_PAYPAL_URL),
          mollie: Boolean(config.PAYRAIL_MOLLIE_URL),
          grabpay: Boolean(config.PAYRAIL_GRABPAY_URL),
          btcpay: Boolean(config.PAYRAIL_BTCPAY_URL),
        },
        paypalSpecDir: specs.available("paypal/", logger) ? specs.file("paypal/") : undefined,
        btcpaySpecDir: specs.available("btcpay/", logger) ? specs.file("btcpay/") : undefined,
      })
    : undefined;
  const localSims = local?.simulators ?? {};
  const unreachable = "http://127.0.0.1:9";
  const connectors = createConnectorRegistry(
    builtInConnectors(
      {
        sandbox: () => sandboxUrl,
        stripe: () => config.PAYRAIL_STRIPE_URL ?? stripeSimulator?.url ?? unreachable,
        adyen: () => config.PAYRAIL_ADYEN_URL ?? adyenSimulator?.url ?? unreachable,
        alipay: () => config.PAYRAIL_ALIPAY_URL ?? localSims.alipay?.url ?? unreachable,
        wechat_pay: () => config.PAYRAIL_WECHATPAY_URL ?? localSims.wechatPay?.url ?? unreachable,
        paypal: () => config.PAYRAIL_PAYPAL_URL ?? localSims.paypal?.url ?? unreachable,
        mollie: () => config.PAYRAIL_MOLLIE_URL ?? localSims.mollie?.url ?? unreachable,
        grabpay: () => config.PAYRAIL_GRABPAY_URL ?? localSims.grabpay?.url ?? unreachable,
        btcpay: () => config.PAYRAIL_BTCPAY_URL ?? localSims.btcpay?.url ?? unreachable,
      },
      { simulated: local?.providers ?? {}, now: () => clock.now(), publicUrl: () => ctx.publicUrl() },
    ),
  );
  const moneyServices = createMoneyServices(ctx, {
    bankUrl: config.PAYRAIL_BANK_URL ?? bankSimulator?.url ?? "http://127.0.0.1:9",
    ratesLocation: config.PAYRAIL_FX_RATES ?? ecbSimulator?.url ?? "http://127.0.0.1:9/eurofxref-daily.xml",
  });
  const paymentMethods = createPaymentMethodService({ ctx, cipher: vaultCipher });
  const accountSecrets = createAccountSecrets(connectors, vaultCipher);
  const wallets = createWalletService({
    ctx,
    cipher: vaultCipher,
    trust: walletTrust(config, { applePaySimulator, applePayAuthority, googlePayIssuer }),
  });
  const deps: PaymentsDeps = {
    ctx,
    connectors,
    accounts: createConnectorAccountCache(ctx.db, { open: accountSecrets.open }),
    money: moneyServices.money,
    paymentMethods,
    accountSecrets,
    wallets,
  };
  const services = createServices(deps);
  const merchantDeps = { db: ctx.db, ids: ctx.ids, random, clock, connectors, accountSecrets };

  let app: FastifyInstance | undefined;
  let url: string | undefined;
  if (options.roles.includes("api")) {
    let authenticator: Authenticator | undefined;
    const checkoutAssets = loadCheckoutAssets(config.PAYRAIL_DIST_DIR);
    const checkoutSessions = createCheckoutSessionService({
      ctx,
      payments: services.payments,
      captureCancel: services.captureCancel,
    });
    const pageDeps = {
      ctx,
      payments: services.payments,
      accounts: deps.accounts,
      connectors,
      passkeys: createPasskeyService(ctx),
      wallets,
      fx: moneyServices.fx,
    };
    const built = await buildApp({
      ctx,
      routes: [
        ...paymentIntentRoutes(services.payments, services.captureCancel),
        ...refundRoutes(services.refunds),
        ...customerRoutes(services.customers),
        ...paymentMethodRoutes(paymentMethods),
        ...walletRoutes(wallets),
        ...connectorAccountRoutes(
          createConnectorAccountService({
            ctx,
            registry: connectors,
            secrets: accountSecrets,
            cache: deps.accounts,
          }),
          connectors,
        ),
        ...eventRoutes(ctx),
        ...webhookEndpointRoutes(ctx),
        ...apiKeyRoutes(merchantDeps, () => authenticator as never),
        ...moneyServices.routes(),
        ...checkoutRoutes(ctx, checkoutSessions, checkoutAssets),
        ...checkoutPageApiRoutes(pageDeps),
      ],
      rawRoutes: [
        inboundWebhookRoute(ctx, connectors, deps.accounts),
        paymentReturnRoute(deps),
        checkoutPageRoutes({ ...pageDeps, assets: checkoutAssets }),
      ],
      ready: async () => {
        const current = await migrationsCurrent(ctx.db as never);
        return { ok: current, checks: { database: "ok", migrations: current ? "current" : "pending" } };
      },
    });
    authenticator = built.authenticator;
    app = built.app;
    url = await app.listen({ port: config.PORT, host: config.HOST });
    if (!config.PUBLIC_URL) publicUrl = url;
  }

  if (options.roles.includes("worker")) {
    worker = createWorkerRuntime(
      [
        dispatchEventsJob(ctx),
        deliverWebhooksJob(ctx),
        processInboundWebhooksJob(deps, services.refunds, services.captureCancel),
        syncPaymentsJob(deps),
        syncRefundsJob(deps, services.refunds),
        retryOperationsJob(deps, services.captureCancel),
        expireAuthorizationsJob(deps, services.captureCancel),
        ...moneyServices.jobs(),
        purgeExpiredCvcsJob(paymentMethods),
        checkoutSessionsJob(ctx, services.captureCancel),
      ],
      { pollMs: config.PAYRAIL_WORKER_POLL, logger },
    );
    if (!options.manualWorker) worker.start();
  }

  let closing: Promise<void> | undefined;
  return {
    ctx,
    ...(app ? { app } : {}),
    ...(url ? { url } : {}),
    ...(simulator ? { simulatorUrl: simulator.url, simulator } : {}),
    ...(worker ? { worker } : {}),
    ...(bankSimulator ? { bankSimulator } : {}),
    ...(ecbSimulator ? { ecbSimulator } : {}),
    ...(stripeSimulator ? { stripeSimulator } : {}),
    ...(applePaySimulator ? { applePaySimulator } : {}),
    ...(applePayAuthority ? { applePayAuthority } : {}),
    ...(googlePayIssuer ? { googlePayIssuer } : {}),
    ...(adyenSimulator ? { adyenSimulator } : {}),
    localSimulators: localSims,
    services,
    money: moneyServices,
    connectors,
    createMerchant: (name) => createMerchant(merchantDeps, name),
    close() {
      // Graceful: stop taking requests and let in-flight ones finish, then the worker's current batch.
      closing ??= (async () => {
        await app?.close();
        await worker?.stop();
        await simulator?.close();
        await bankSimulator?.close();
        await ecbSimulator?.close();
        await stripeSimulator?.close();
        await adyenSimulator?.close();
        await local?.close();
        await applePaySimulator?.close();
        if (!options.database) await handle.close();
      })();
      return closing;
    },
  };
}

export { migrateToLatest, migrationsCurrent };
