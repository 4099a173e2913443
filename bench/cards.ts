/**
 * Cards: vault tokenize and detokenize per second on one core (src/vault used directly, no HTTP, no
 * database), the API's tokenize path `POST /v1/payment_methods`, and create-and-confirm through the Stripe
 * connector against its simulator on PostgreSQL. Floor: the same create-and-confirm through the sandbox
 * connector, same server, same concurrency, same run.
 *
 * Env: DATABASE_URL (a PostgreSQL server where a scratch database may be created; default as bench/payments.ts),
 * BENCH_DURATION (seconds per payment phase, default 12), BENCH_CONNECTIONS (default 16),
 * BENCH_VAULT_SECONDS (seconds per vault phase, default 3).
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import pg from "pg";
import { decodeSealed, encodeSealed, openCard, sealCard } from "../src/vault/envelope.ts";
import { localKeyring } from "../src/vault/kms.ts";
import {
  cpuSeconds,
  freePort,
  freshDatabase,
  payrailCli,
  postgresCpuSeconds,
  spawnPayrail,
  stopAll,
  waitFor,
} from "./support.ts";

const DURATION = Number(process.env.BENCH_DURATION ?? 12);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const VAULT_SECONDS = Number(process.env.BENCH_VAULT_SECONDS ?? 3);
const WARMUP_SECONDS = 3;
// Public test numbers only; they are never printed.
const TEST_PANS = ["4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222"];
const DETOKENIZE_RECORDS = 1024;

const log = (message: string) => process.stderr.write(`[bench cards] ${message}\n`);
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

// ---------------------------------------------------------------------------------------------------------
// Vault, in this process

/** Runs `op` back to back (awaiting each) for `seconds`; wall and CPU microseconds per operation. */
async function rate(seconds: number, op: (i: number) => Promise<void>) {
  let done = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 64; k++) await op(done++);
  }
  const elapsedMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return {
    ops_per_second: Math.round((done * 1000) / elapsedMs),
    us_per_op: round((elapsedMs * 1000) / done),
    cpu_us_per_op: round((used.user + used.system) / done),
    ops: done,
  };
}

async function vaultBench() {
  const keyring = localKeyring(`v1:${randomBytes(32).toString("base64")}`);
  const merchantId = "acct_benchcards";
  const recordId = (i: number) => `pm_benchcards${i}`;

  const tokenize = async (i: number) => {
    const pan = Buffer.from(TEST_PANS[i % TEST_PANS.length] as string, "ascii");
    try {
      encodeSealed(await sealCard(keyring, pan, { merchantId, recordId: recordId(i) }));
    } finally {
      pan.fill(0);
    }
  };

  const sealed: string[] = [];
  for (let i = 0; i < DETOKENIZE_RECORDS; i++) {
    const pan = Buffer.from(TEST_PANS[i % TEST_PANS.length] as string, "ascii");
    sealed.push(encodeSealed(await sealCard(keyring, pan, { merchantId, recordId: recordId(i) })));
    pan.fill(0);
  }
  const detokenize = async (i: number) => {
    const n = i % DETOKENIZE_RECORDS;
    const plain = await openCard(keyring, decodeSealed(sealed[n] as string), {
      merchantId,
      recordId: recordId(n),
    });
    const ok = plain.length === 16 && plain.toString("ascii") === TEST_PANS[n % TEST_PANS.length];
    plain.fill(0);
    if (!ok) throw new Error("vault round trip returned a different card number");
  };

  await rate(Math.min(1, VAULT_SECONDS / 3), tokenize); // warm-up: JIT, OpenSSL contexts
  const tokenized = await rate(VAULT_SECONDS, tokenize);
  log(`vault tokenize: ${JSON.stringify(tokenized)}`);
  await rate(Math.min(1, VAULT_SECONDS / 3), detokenize);
  const detokenized = await rate(VAULT_SECONDS, detokenize);
  log(`vault detokenize: ${JSON.stringify(detokenized)}`);
  return {
    duration_s: VAULT_SECONDS,
    sealed_chars: sealed[0]?.length ?? 0,
    tokenize: tokenized,
    detokenize: detokenized,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Payrail over HTTP on PostgreSQL

function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function scratchDatabase() {
  const server = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  server.password = server.password ? "***" : "";
  try {
    return await freshDatabase();
  } catch (error) {
    throw new Error(
      `bench cards needs PostgreSQL: could not create a scratch database on ${server} ` +
        `(${(error as Error).message}). Set DATABASE_URL to a PostgreSQL server whose user may create databases, ` +
        "e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- cards",
    );
  }
}

interface Api {
  base: string;
  key: string;
}

async function call(api: Api, method: string, path: string, body?: unknown) {
  const res = await fetch(`${api.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  return { status: res.status, json };
}

const card = () => ({
  number: "4242424242424242",
  exp_month: 12,
  exp_year: new Date().getUTCFullYear() + 3,
  cvc: "123",
});

const createAndConfirm = (account: string) => ({
  amount: 2000,
  currency: "usd",
  confirm: true,
  payment_method_data: { type: "card", card: card() },
  connector_account: account,
});

/** One request by hand first: the phase must succeed through the connector it claims to measure. */
async function checkPath(api: Api, account: string, connector: string) {
  const { status, json } = await call(api, "POST", "/v1/payment_intents", createAndConfirm(account));
  if (status !== 200 || json.status !== "succeeded" || json.connector !== connector) {
    const error = (json.error ?? {}) as Record<string, unknown>;
    throw new Error(
      `create-and-confirm through ${connector} did not succeed: HTTP ${status}, status ${String(json.status)}, ` +
        `connector ${String(json.connector)}, error ${String(error.code ?? error.type ?? "none")}`,
    );
  }
}

function summary(result: autocannon.Result) {
  return {
    per_second: Math.round(result.requests.average),
    requests: result.requests.total,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    non_2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function payments(api: Api, server: ChildProcess, dbUrl: string, account: string) {
  const request = {
    url: `${api.base}/v1/payment_intents`,
    method: "POST" as const,
    headers: { authorization: `Bearer ${api.key}`, "content-type": "application/json" },
    body: JSON.stringify(createAndConfirm(account)),
  };
  await cannon({ ...request, connections: CONNECTIONS, duration: WARMUP_SECONDS });
  await drain(dbUrl);
  const before = {
    payrail: cpuSeconds(server.pid as number),
    postgres: postgresCpuSeconds(),
    bench: process.cpuUsage(),
  };
  const result = await cannon({ ...request, connections: CONNECTIONS, duration: DURATION });
  const served = Math.max(result.requests.total, 1);
  const perPayment = (seconds: number) => round((seconds * 1000) / served, 3);
  const bench = process.cpuUsage(before.bench);
  const payrailCpu = cpuSeconds(server.pid as number) - before.payrail;
  const postgresCpu = postgresCpuSeconds() - before.postgres;
  // Work the phase left for the worker (provider webhooks, events), done before the next phase starts.
  const after = await drain(dbUrl);
  return {
    ...summary(result),
    // Where the time goes: CPU milliseconds per payment. payrail = API, worker and simulators (one process).
    cpu_ms_per_payment: {
      payrail: perPayment(payrailCpu),
      postgres: perPayment(postgresCpu),
      load_generator: perPayment((bench.user + bench.system) / 1e6),
    },
    after,
  };
}

/**
 * Waits until the worker has caught up (inbound provider webhooks handled, events dispatched), so one
 * phase's asynchronous work does not run during the next; returns what was left and how long it took.
 */
async function drain(url: string, timeoutMs = 20_000) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const backlog = async () => {
      const { rows } = await client.query(
        `select (select count(*)::int from inbound_webhooks where status in ('received', 'pending')) as inbound,
                (select count(*)::int from events where not dispatched) as events`,
      );
      return rows[0] as { inbound: number; events: number };
    };
    const start = performance.now();
    const left = await backlog();
    let now = left;
    while (now.inbound + now.events > 0 && performance.now() - start < timeoutMs) {
      await new Promise((r) => setTimeout(r, 100));
      now = await backlog();
    }
    const { rows } = await client.query(
      "select connector, status, count(*)::int as n from inbound_webhooks group by 1, 2 order by 1, 2",
    );
    return {
      inbound_backlog: left.inbound,
      events_backlog: left.events,
      drain_ms: Math.round(performance.now() - start),
      drained: now.inbound + now.events === 0,
      inbound_webhooks_so_far: Object.fromEntries(rows.map((r) => [`${r.connector}_${r.status}`, r.n])),
    };
  } finally {
    await client.end();
  }
}

async function tokenizeOverHttp(api: Api) {
  const body = { type: "card", card: card() };
  const { status, json } = await call(api, "POST", "/v1/payment_methods", body);
  if (status !== 200 || typeof json.id !== "string" || !json.id.startsWith("pm_")) {
    throw new Error(`POST /v1/payment_methods answered HTTP ${status}`);
  }
  const request = {
    url: `${api.base}/v1/payment_methods`,
    method: "POST" as const,
    headers: { authorization: `Bearer ${api.key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  };
  const seconds = Math.max(3, Math.round(DURATION / 2));
  await cannon({ ...request, connections: CONNECTIONS, duration: 2 });
  return {
    duration_s: seconds,
    ...summary(await cannon({ ...request, connections: CONNECTIONS, duration: seconds })),
  };
}

async function findAccounts(api: Api) {
  const { status, json } = await call(api, "GET", "/v1/connector_accounts?limit=100");
  if (status !== 200) throw new Error(`GET /v1/connector_accounts answered HTTP ${status}`);
  const rows = json.data as Array<{ id: string; connector: string; enabled: boolean }>;
  const find = (connector: string) => {
    const row = rows.find((r) => r.connector === connector && r.enabled);
    if (!row) {
      throw new Error(
        `the bench merchant has no enabled ${connector} connector account (is the ${connector} simulator on?)`,
      );
    }
    return row.id;
  };
  return { stripe: find("stripe"), sandbox: find("sandbox") };
}

export async function run() {
  const db = await scratchDatabase(); // first: without PostgreSQL, fail before spending any time
  const dataDir = mkdtempSync(join(tmpdir(), "payrail-bench-cards-"));
  const children: ChildProcess[] = [];
  try {
    log(`vault: ${VAULT_SECONDS}s tokenize, ${VAULT_SECONDS}s detokenize, one core`);
    const vault = await vaultBench();

    const env = {
      DATABASE_URL: db.url,
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
      PAYRAIL_DATA_DIR: dataDir,
      // One keyring for the CLI that seals the connector secrets and the server that opens them.
      PAYRAIL_VAULT_KEYS: `v1:${randomBytes(32).toString("base64")}`,
    };
    payrailCli(["migrate"], env);
    const merchant = JSON.parse(payrailCli(["merchant", "create", "--name", "Cards bench", "--json"], env));
    const port = await freePort();
    // All roles in one process: API, worker, and the Stripe and sandbox simulators in process.
    const server = spawnPayrail(["serve"], {
      ...env,
      PORT: String(port),
      DATABASE_POOL_SIZE: String(CONNECTIONS + 4),
    });
    children.push(server);
    await waitFor(`http://127.0.0.1:${port}/readyz`, 60_000);
    const api: Api = { base: `http://127.0.0.1:${port}`, key: merchant.secret_key };
    const accounts = await findAccounts(api);
    await checkPath(api, accounts.stripe, "stripe");
    await checkPath(api, accounts.sandbox, "sandbox");

    log(`POST /v1/payment_methods: ${CONNECTIONS} connections`);
    const apiTokenize = await tokenizeOverHttp(api);
    log(`api tokenize: ${JSON.stringify(apiTokenize)}`);
    log(`create-and-confirm: ${CONNECTIONS} connections, ${DURATION}s each, stripe then sandbox`);
    const stripe = await payments(api, server, db.url, accounts.stripe);
    log(`stripe: ${JSON.stringify(stripe)}`);
    const sandbox = await payments(api, server, db.url, accounts.sandbox);
    log(`sandbox: ${JSON.stringify(sandbox)}`);

    const figures = {
      bench: "cards",
      connections: CONNECTIONS,
      duration_s: DURATION,
      vault,
      api_tokenize: apiTokenize,
      stripe,
      sandbox_floor: sandbox,
      stripe_vs_sandbox: round(stripe.per_second / Math.max(sandbox.per_second, 1), 3),
      stripe_vs_sandbox_p50: round(stripe.p50_ms / Math.max(sandbox.p50_ms, 0.001), 3),
      stripe_extra_cpu_ms_per_payment: round(
        stripe.cpu_ms_per_payment.payrail - sandbox.cpu_ms_per_payment.payrail,
        3,
      ),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return figures;
  } finally {
    await stopAll(children);
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
