/**
 * Create-and-confirm throughput over several API processes on PostgreSQL, against a floor: the same rows
 * written by a minimal client as one SQL statement per payment, at the same concurrency, no HTTP.
 */
import type { ChildProcess } from "node:child_process";
import autocannon from "autocannon";
import pg from "pg";
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

const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const API_PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? 2);

function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function floor(url: string, merchantId: string, accountId: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS });
  const statement = `
    with i as (
      insert into payment_intents (id, merchant_id, livemode, status, amount, currency, capture_method, amount_received,
        metadata, client_secret, payment_method_type, payment_method, connector, connector_account_id,
        connector_transaction_id, authorize_attempts, created_at, updated_at)
      values ($1, $2, false, 'succeeded', 2000, 'usd', 'automatic', 2000, '{}', $1 || '_secret_x', 'card',
        '{"type":"card","card":{"brand":"visa","last4":"4242"}}', 'sandbox', $3, 'ch_x', 1, now(), now())),
    a as (
      insert into payment_attempts (id, merchant_id, payment_intent_id, operation, reference, status, amount,
        connector_account_id, connector_reference, created_at, updated_at)
      values ('pa_' || $1, $2, $1, 'authorize', $1 || '_a1', 'succeeded', 2000, $3, 'ch_x', now(), now()))
    insert into events (id, merchant_id, livemode, type, object_id, data, created_at)
    values ('evt_c' || $1, $2, false, 'payment_intent.created', $1, $4, now()),
           ('evt_s' || $1, $2, false, 'payment_intent.succeeded', $1, $4, now())`;
  const data = JSON.stringify({
    object: {
      id: "pi",
      object: "payment_intent",
      amount: 2000,
      currency: "usd",
      status: "succeeded",
      metadata: {},
    },
  });
  let done = 0;
  let seq = 0;
  const end = Date.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const id = `pi_floor${process.pid}x${seq++}`;
        await pool.query(statement, [id, merchantId, accountId, data]);
        done++;
      }
    }),
  );
  await pool.end();
  return done / DURATION;
}

export async function run() {
  const db = await freshDatabase();
  const children: ChildProcess[] = [];
  try {
    const env = { DATABASE_URL: db.url, LOG_LEVEL: "warn", HOST: "127.0.0.1" };
    payrailCli(["migrate"], env);
    const merchant = JSON.parse(payrailCli(["merchant", "create", "--name", "Bench shop", "--json"], env));
    const simPort = await freePort();
    const apiPort = await freePort();
    children.push(
      spawnPayrail(["serve", "--role", "simulators"], { ...env, PAYRAIL_SIMULATOR_PORT: String(simPort) }),
    );
    const common = {
      ...env,
      PAYRAIL_SANDBOX_URL: `http://127.0.0.1:${simPort}`,
      DATABASE_POOL_SIZE: String(Math.ceil(CONNECTIONS / API_PROCESSES)),
    };
    children.push(
      spawnPayrail(["serve", "--role", "api", "--processes", String(API_PROCESSES)], {
        ...common,
        PORT: String(apiPort),
      }),
    );
    children.push(spawnPayrail(["serve", "--role", "worker"], { ...common, PORT: "0" }));
    await waitFor(`http://127.0.0.1:${apiPort}/readyz`);
    const url = `http://127.0.0.1:${apiPort}/v1/payment_intents`;
    const request = {
      url,
      method: "POST" as const,
      headers: { authorization: `Bearer ${merchant.secret_key}`, "content-type": "application/json" },
      body: JSON.stringify({
        amount: 2000,
        currency: "usd",
        confirm: true,
        payment_method_data: {
          type: "card",
          card: {
            number: "4242424242424242",
            exp_month: 12,
            exp_year: new Date().getUTCFullYear() + 3,
            cvc: "123",
          },
        },
      }),
    };
    await cannon({ ...request, connections: 8, duration: 3 }); // warm up JIT, pools, connections
    const [simulator, api, worker] = children as [ChildProcess, ChildProcess, ChildProcess];
    const cpuBefore = {
      simulator: cpuSeconds(simulator.pid as number),
      api: cpuSeconds(api.pid as number),
      worker: cpuSeconds(worker.pid as number),
      postgres: postgresCpuSeconds(),
      bench: process.cpuUsage(),
    };
    const max = await cannon({ ...request, connections: CONNECTIONS, duration: DURATION });
    const served = max.requests.total;
    const perPayment = (seconds: number) => Number(((seconds * 1000) / Math.max(served, 1)).toFixed(3));
    const benchCpu = process.cpuUsage(cpuBefore.bench);
    // Where the time goes: CPU milliseconds each part spends per payment during the throughput run.
    const cpuMsPerPayment = {
      api: perPayment(cpuSeconds(api.pid as number) - cpuBefore.api),
      simulator: perPayment(cpuSeconds(simulator.pid as number) - cpuBefore.simulator),
      worker: perPayment(cpuSeconds(worker.pid as number) - cpuBefore.worker),
      postgres: perPayment(postgresCpuSeconds() - cpuBefore.postgres),
      load_generator: perPayment((benchCpu.user + benchCpu.system) / 1e6),
    };
    const paced = await cannon({ ...request, connections: 50, duration: DURATION, overallRate: 500 });
    await stopAll(children.splice(0));

    const account = await (async () => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const row = await client.query(
        "select id from connector_accounts where merchant_id = $1 and connector = 'sandbox'",
        [merchant.merchant_id],
      );
      await client.end();
      return row.rows[0].id as string;
    })();
    const floorPerSecond = await floor(db.url, merchant.merchant_id, account);
    const paymentsPerSecond = max.requests.average;
    const figures = {
      bench: "payments",
      api_processes: API_PROCESSES,
      connections: CONNECTIONS,
      duration_s: DURATION,
      payments_per_second: Math.round(paymentsPerSecond),
      p50_ms: max.latency.p50,
      p99_ms: max.latency.p99,
      non_2xx: max.non2xx,
      errors: max.errors,
      cpu_ms_per_payment: cpuMsPerPayment,
      at_500_per_second: {
        achieved: Math.round(paced.requests.average),
        p50_ms: paced.latency.p50,
        p99_ms: paced.latency.p99,
        non_2xx: paced.non2xx,
      },
      floor_sql_per_second: Math.round(floorPerSecond),
      ratio_to_floor: Number((paymentsPerSecond / floorPerSecond).toFixed(3)),
      targets: { payments_per_second: 1000, p99_ms_at_500: 20, ratio_to_floor: 0.5 },
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return figures;
  } finally {
    await stopAll(children);
    await db.drop();
  }
}
