import cluster from "node:cluster";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startDemoShop } from "../examples/shop/server.ts";
import { runCheckScripts } from "./checkout/script-check-cli.ts";
import { createAccountSecrets } from "./connectors/account-secrets.ts";
import { builtInConnectors, UNREACHABLE_URLS } from "./connectors/built-in.ts";
import { createConnectorRegistry } from "./connectors/registry.ts";
import { systemClock } from "./core/clock.ts";
import { type Config, ConfigError, loadConfig } from "./core/config.ts";
import { createIdGenerator, cryptoRandom } from "./core/ids.ts";
import { createLogger } from "./core/logging.ts";
import { openDatabase } from "./db/index.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { runLedgerCommand } from "./ledger/cli.ts";
import type { LedgerDb } from "./ledger/schema.ts";
import { type CreatedMerchant, createMerchant } from "./merchants/service.ts";
import { createVaultCipher } from "./payment-methods/cipher.ts";
import { runVaultCommand } from "./payment-methods/vault-cli.ts";
import { loadVaultKeyring } from "./payment-methods/vault-keys.ts";
import { type Role, startPayrail } from "./server.ts";
import { runFeesCommand } from "./settlement/fees-cli.ts";

const USAGE = `Usage: payrail <command>

  serve [--role all|api|worker|simulators] [--processes N]
                                              run Payrail (default: all roles in one process);
                                              --processes forks N api or worker processes (PostgreSQL)
  migrate                                     apply database migrations
  merchant create --name NAME [--json]        create a merchant and print its keys (shown once)
  ledger verify [--json]                      check the ledger's invariants; exits 1 on any violation
  fees add|list|remove ...                    manage fee rules (payrail fees help)
  vault rotate|status [--json]                new vault key version and online re-wrap; key usage
  checkout check-scripts URL --key SK         compare a payment page's scripts with the inventory;
                                              exits 1 on any script not listed or changed

Configuration comes from the environment (PORT, DATABASE_URL, PAYRAIL_DATA_DIR, LOG_LEVEL, ...);
see the README.`;

function merchantDeps(config: Config, db: Awaited<ReturnType<typeof openDatabase>>["db"]) {
  const connectors = createConnectorRegistry(builtInConnectors(UNREACHABLE_URLS));
  const logger = createLogger({ level: config.LOG_LEVEL, destination: process.stderr });
  const cipher = createVaultCipher(loadVaultKeyring(config, cryptoRandom, logger), cryptoRandom);
  return {
    db,
    ids: createIdGenerator(cryptoRandom),
    random: cryptoRandom,
    clock: systemClock,
    connectors,
    accountSecrets: createAccountSecrets(connectors, cipher),
  };
}

async function withDatabase<T>(
  config: Config,
  run: (db: Awaited<ReturnType<typeof openDatabase>>["db"]) => Promise<T>,
): Promise<T> {
  const handle = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.PAYRAIL_DATA_DIR,
    poolSize: 2,
  });
  try {
    await migrateToLatest(handle.db as never);
    return await run(handle.db);
  } finally {
    await handle.close();
  }
}

/** The embedded default keeps the demo merchant's test keys in its data folder, so `npm start` can show them. */
async function demoMerchant(
  config: Config,
  db: Awaited<ReturnType<typeof openDatabase>>["db"],
): Promise<CreatedMerchant | undefined> {
  const file = join(config.PAYRAIL_DATA_DIR, "demo-merchant.json");
  if (config.DATABASE_URL) return undefined;
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as CreatedMerchant;
  const created = await createMerchant(merchantDeps(config, db), "Demo shop");
  writeFileSync(file, JSON.stringify(created, null, 2));
  chmodSync(file, 0o600);
  return created;
}

async function serve(config: Config, roleArg: string, processes: number) {
  const roles: Role[] = roleArg === "all" ? ["api", "worker", "simulators"] : [roleArg as Role];
  if (!["all", "api", "worker", "simulators"].includes(roleArg))
    throw new Error(`Unknown role '${roleArg}': use all, api, worker or simulators.`);
  if (processes > 1) {
    if (!config.DATABASE_URL || roles.includes("simulators")) {
      throw new Error(
        "--processes needs DATABASE_URL and --role api or worker: the embedded database and the simulators live in one process.",
      );
    }
    if (cluster.isPrimary) {
      // The primary only forks and supervises; node:cluster spreads connections round robin.
      let stopping = false;
      for (let i = 0; i < processes; i++) cluster.fork();
      cluster.on("exit", (worker, code, signal) => {
        if (!stopping)
          process.stderr.write(`payrail: process ${worker.process.pid} exited (${signal ?? code})\n`);
      });
      const stopAll = () => {
        stopping = true;
        for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
      };
      process.on("SIGTERM", stopAll);
      process.on("SIGINT", stopAll);
      process.stdout.write(`Payrail ${roles.join(", ")}: ${processes} processes on port ${config.PORT}.\n`);
      return;
    }
  }
  const payrail = await startPayrail({ config, roles });
  const demo =
    roles.includes("api") && cluster.isPrimary ? await demoMerchant(config, payrail.ctx.db) : undefined;
  const shop =
    demo && payrail.url && config.PAYRAIL_DEMO_SHOP === "on"
      ? await startDemoShop({
          payrailUrl: payrail.url,
          secretKey: demo.secret_key,
          publishableKey: demo.publishable_key,
          host: config.HOST,
          port: config.PAYRAIL_DEMO_SHOP_PORT,
        }).catch((error: Error) => {
          payrail.ctx.logger.warn({ err: error.message }, "demo shop not started");
          return undefined;
        })
      : undefined;
  const lines = [
    ...(shop ? [`Demo shop:        ${shop.url}  <- open it in a browser and buy something`, ""] : []),
    `Payrail is running (${roles.join(", ")}) on ${payrail.ctx.dbKind === "pglite" ? `embedded PostgreSQL in ${config.PAYRAIL_DATA_DIR}` : "PostgreSQL"}.`,
    ...(payrail.url
      ? [
          `  API:            ${payrail.url}/v1`,
          `  OpenAPI:        ${payrail.url}/openapi.json`,
          `  Health:         ${payrail.url}/healthz`,
          `  Metrics:        ${payrail.url}/metrics`,
        ]
      : []),
    ...(payrail.simulatorUrl ? [`  Simulators:     sandbox ${payrail.simulatorUrl}`] : []),
    ...(payrail.stripeSimulator ? [`                  Stripe ${payrail.stripeSimulator.url}`] : []),
    ...(payrail.adyenSimulator ? [`                  Adyen ${payrail.adyenSimulator.url}`] : []),
    ...(payrail.applePaySimulator ? [`                  Apple Pay ${payrail.applePaySimulator.url}`] : []),
    ...(demo
      ? [
          "",
          `Demo merchant ${demo.merchant_id} (test mode keys):`,
          `  secret key:      ${demo.secret_key}`,
          `  publishable key: ${demo.publishable_key}`,
          "",
          "Try it:",
          `  curl -s ${payrail.url}/v1/payment_intents -H "Authorization: Bearer ${demo.secret_key}" \\`,
          `    -H "Content-Type: application/json" \\`,
          `    -d '{"amount":2000,"currency":"usd","confirm":true,"payment_method_data":{"type":"card","card":{"number":"4242424242424242","exp_month":12,"exp_year":2034,"cvc":"123"}}}'`,
        ]
      : []),
  ];
  if (cluster.isPrimary) process.stdout.write(`${lines.join("\n")}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    payrail.ctx.logger.info({ signal }, "shutting down: finishing in-flight requests and jobs");
    Promise.all([shop?.close(), payrail.close()]).then(
      () => process.exit(0),
      (error) => {
        payrail.ctx.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

function parsePositive(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 64)
    throw new Error(`${flag} must be a whole number from 1 to 64`);
  return value;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      role: { type: "string", default: "all" },
      processes: { type: "string", default: "1" },
      name: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
      kind: { type: "string" },
      percent: { type: "string" },
      fixed: { type: "string" },
      min: { type: "string" },
      max: { type: "string" },
      merchant: { type: "string" },
      connector: { type: "string" },
      method: { type: "string" },
      currency: { type: "string" },
      live: { type: "boolean", default: false },
      description: { type: "string" },
      key: { type: "string" },
    },
  });
  if (!command || command === "help" || values.help) {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  switch (command) {
    case "serve":
      await serve(config, values.role as string, parsePositive(values.processes as string, "--processes"));
      return -1;
    case "migrate": {
      const applied = await withDatabase(config, async () => []);
      process.stdout.write(
        `Migrations are current${applied.length ? ` (applied ${applied.join(", ")})` : ""}.\n`,
      );
      return 0;
    }
    case "merchant": {
      if (positionals[0] !== "create") throw new Error("Usage: payrail merchant create --name NAME [--json]");
      const name = values.name?.trim();
      if (!name) throw new Error("--name is required, e.g. payrail merchant create --name 'My shop'");
      const created = await withDatabase(config, (db) => createMerchant(merchantDeps(config, db), name));
      if (values.json) {
        const { name: _name, ...keys } = created;
        process.stdout.write(`${JSON.stringify(keys)}\n`);
      } else {
        process.stdout.write(
          [
            `Merchant ${created.merchant_id} (${created.name}) created. Keys are shown only now:`,
            `  test secret key:      ${created.secret_key}`,
            `  test publishable key: ${created.publishable_key}`,
            `  live secret key:      ${created.live_secret_key}`,
            `  live publishable key: ${created.live_publishable_key}`,
            "",
          ].join("\n"),
        );
      }
      return 0;
    }
    case "ledger":
      return withDatabase(config, (db) =>
        runLedgerCommand(positionals, {
          db: db as unknown as LedgerDb,
          clock: systemClock,
          json: values.json as boolean,
          write: (text) => process.stdout.write(text),
        }),
      );
    case "vault":
      return withDatabase(config, (db) =>
        runVaultCommand(
          positionals,
          { json: values.json as boolean },
          {
            db,
            config,
            random: cryptoRandom,
            logger: createLogger({ level: config.LOG_LEVEL, destination: process.stderr }),
            write: (text) => process.stdout.write(text),
          },
        ),
      );
    case "checkout":
      if (positionals[0] !== "check-scripts") {
        process.stdout.write(`${USAGE}\n`);
        return 1;
      }
      return runCheckScripts(positionals[1], values.key as string | undefined, (text) =>
        process.stdout.write(text),
      );
    case "fees":
      return withDatabase(config, (db) =>
        runFeesCommand(positionals, values, {
          db,
          clock: systemClock,
          ids: createIdGenerator(cryptoRandom),
          write: (text) => process.stdout.write(text),
        }),
      );
    default:
      process.stderr.write(`Unknown command '${command}'.\n${USAGE}\n`);
      return 1;
  }
}

export async function run(argv: string[]) {
  try {
    const code = await main(argv);
    if (code >= 0) process.exit(code);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `payrail: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}
