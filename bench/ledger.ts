/**
 * Double-entry ledger (src/ledger) on PostgreSQL: transfers per second applied one at a time and in batches
 * of 100, 1,000 and 8,000, with 80% of transfers touching one hot platform account (unsharded and with 8
 * shards) and balance checks on (every transfer debits a merchant account that may not go below zero);
 * latency per call or batch; single transfers paced at 500 per second. Floor: the same rows (transfers plus
 * the per-account balance updates) written as one plain SQL statement per batch of 1,000, no checks.
 *
 * Env: BENCH_DURATION (seconds per phase, default 8), BENCH_POOL_SIZE (default DATABASE_POOL_SIZE or 10),
 * BENCH_WORKERS (concurrent single-transfer callers, default 8), BENCH_BATCH_WORKERS (concurrent batch
 * callers, default 4), BENCH_ACCOUNTS (merchant accounts, default 1000), BENCH_VERIFY=0 skips the final
 * `verifyLedger`.
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { systemClock } from "../src/core/clock.ts";
import { openDatabase } from "../src/db/index.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import {
  AccountCode,
  createLedger,
  type Ledger,
  LedgerConflictError,
  type LedgerDb,
  TransferCode,
  type TransferInput,
} from "../src/ledger/index.ts";
import { freshDatabase } from "./support.ts";

const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? process.env.DATABASE_POOL_SIZE ?? 10);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 8);
const BATCH_WORKERS = Number(process.env.BENCH_BATCH_WORKERS ?? 4);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const VERIFY = process.env.BENCH_VERIFY !== "0";
const HOT_SHARE = 0.8;
const BATCH_SIZES = [100, 1000, 8000] as const;
const FLOOR_BATCH = 1000;
const PACED_RATE = 500;
const FUNDING = 1_000_000_000n; // per merchant account: far more than the run can spend
const MAX_AMOUNT = 500;

const log = (message: string) => process.stderr.write(`[bench ledger] ${message}\n`);
const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function latency(samples: number[]) {
  const sorted = samples.slice().sort((a, b) => a - b);
  return {
    p50_ms: round(percentile(sorted, 0.5)),
    p99_ms: round(percentile(sorted, 0.99)),
    max_ms: round(sorted.at(-1) ?? 0),
  };
}

/** Deterministic PRNG (mulberry32): the same transfer mix on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * CPU used by this process since the meter was made, in µs per transfer. (PostgreSQL's share is not reported:
 * summing its processes' counters under-counts whenever a pooled connection idles out mid-phase.)
 */
function cpuMeter() {
  const node = process.cpuUsage();
  return {
    per(transfers: number) {
      const used = process.cpuUsage(node);
      return round((used.user + used.system) / Math.max(transfers, 1), 1);
    },
  };
}

interface Mix {
  merchants: string[];
  hot: string;
}

/** 80% fee transfers merchant → hot account, 20% merchant → merchant; all debit a checked account. */
function transferMaker(mix: Mix, prefix: string, seed: number) {
  const random = prng(seed);
  const n = mix.merchants.length;
  let seq = 0;
  return (): TransferInput => {
    const id = `tr_${prefix}_${seq++}`;
    const debitIndex = Math.floor(random() * n);
    const debitAccountId = mix.merchants[debitIndex]!;
    const amount = BigInt(1 + Math.floor(random() * MAX_AMOUNT));
    if (random() < HOT_SHARE) {
      return { id, debitAccountId, creditAccountId: mix.hot, amount, code: TransferCode.payment_fee };
    }
    const creditIndex = (debitIndex + 1 + Math.floor(random() * (n - 1))) % n;
    return {
      id,
      debitAccountId,
      creditAccountId: mix.merchants[creditIndex]!,
      amount,
      code: TransferCode.split,
    };
  };
}

function retryable(error: unknown): boolean {
  if (error instanceof LedgerConflictError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === "40P01" || code === "40001";
}

interface Counters {
  transfers: number;
  failed: number;
  retries: number;
}

const counters = (): Counters => ({ transfers: 0, failed: 0, retries: 0 });

/** One transaction per call, as a caller would: begin, createTransfers, commit; retried on conflict. */
async function apply(db: LedgerDb, ledger: Ledger, transfers: TransferInput[], c: Counters): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const results = await db.transaction().execute((tx) => ledger.createTransfers(tx, transfers));
      c.transfers += transfers.length;
      for (const r of results) if (r.result !== "ok") c.failed++;
      return;
    } catch (error) {
      if (attempt >= 5 || !retryable(error)) throw error;
      c.retries++;
    }
  }
}

/** `workers` callers each apply batches of `size` back to back for `seconds`. */
async function closedLoop(
  db: LedgerDb,
  ledger: Ledger,
  mix: Mix,
  options: { label: string; size: number; workers: number; seconds: number },
) {
  const c = counters();
  const samples: number[] = [];
  const cpu = cpuMeter();
  const start = performance.now();
  const end = start + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.workers }, async (_, w) => {
      const next = transferMaker(mix, `${options.label}_w${w}`, 7919 * (w + 1) + options.size);
      while (performance.now() < end) {
        const batch = Array.from({ length: options.size }, next);
        const t0 = performance.now();
        await apply(db, ledger, batch, c);
        samples.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const figures = {
    transfers_per_second: Math.round(c.transfers / elapsed),
    calls: samples.length,
    ...latency(samples),
    failed: c.failed,
    retries: c.retries,
    node_cpu_us_per_transfer: cpu.per(c.transfers),
  };
  log(`${options.label}: ${JSON.stringify(figures)}`);
  return figures;
}

/** Single transfers started every 1/rate seconds (open loop); latency per call from its start. */
async function paced(db: LedgerDb, ledger: Ledger, mix: Mix, label: string, rate: number, seconds: number) {
  const c = counters();
  const samples: number[] = [];
  const fromSchedule: number[] = [];
  const next = transferMaker(mix, label, 104729);
  const interval = 1000 / rate;
  const total = Math.max(1, Math.floor(rate * seconds));
  const inflight = new Set<Promise<void>>();
  let maxInflight = 0;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    const transfer = next();
    const call = (async () => {
      const t0 = performance.now();
      await apply(db, ledger, [transfer], c);
      const t1 = performance.now();
      samples.push(t1 - t0);
      fromSchedule.push(t1 - due);
    })();
    inflight.add(call);
    maxInflight = Math.max(maxInflight, inflight.size);
    void call.finally(() => inflight.delete(call));
  }
  const issued = (performance.now() - start) / 1000;
  await Promise.all(inflight);
  const figures = {
    target_per_second: rate,
    achieved_per_second: Math.round(total / issued),
    transfers: c.transfers,
    ...latency(samples),
    p99_ms_from_schedule: latency(fromSchedule).p99_ms,
    max_in_flight: maxInflight,
    failed: c.failed,
    retries: c.retries,
  };
  log(`${label}: ${JSON.stringify(figures)}`);
  return figures;
}

/**
 * The floor: the same transfer rows and the same balance updates the ledger makes (one delta per account per
 * batch), as one plain multi-row INSERT + UPDATE statement per batch, no locks read, no checks evaluated.
 */
async function floor(url: string, merchantId: string, mix: Mix, seconds: number) {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  const statement = `
    with t as (
      insert into ledger_transfers (id, merchant_id, livemode, currency, debit_account_id, credit_account_id,
        amount, code, created_at)
      select x.id, $1, false, 'usd', x.debit, x.credit, x.amount, x.code, now()
      from unnest($2::text[], $3::text[], $4::text[], $5::int8[], $6::int[]) as x(id, debit, credit, amount, code)
      returning 1),
    u as (
      update ledger_accounts a
      set debits_posted = a.debits_posted + x.dpo, credits_posted = a.credits_posted + x.cpo
      from unnest($7::text[], $8::int8[], $9::int8[]) as x(id, dpo, cpo)
      where a.id = x.id
      returning 1)
    select (select count(*) from t) as t, (select count(*) from u) as u`;
  const samples: number[] = [];
  let rows = 0;
  let balanceRows = 0;
  let retries = 0;
  try {
    const cpu = cpuMeter();
    const start = performance.now();
    const end = start + seconds * 1000;
    await Promise.all(
      Array.from({ length: BATCH_WORKERS }, async (_, w) => {
        const next = transferMaker(mix, `floor_w${w}`, 7919 * (w + 1) + FLOOR_BATCH);
        while (performance.now() < end) {
          const batch = Array.from({ length: FLOOR_BATCH }, next);
          const deltas = new Map<string, { dpo: bigint; cpo: bigint }>();
          const delta = (id: string) => {
            const d = deltas.get(id) ?? { dpo: 0n, cpo: 0n };
            deltas.set(id, d);
            return d;
          };
          for (const t of batch) {
            delta(t.debitAccountId!).dpo += t.amount!;
            delta(t.creditAccountId!).cpo += t.amount!;
          }
          const ids = [...deltas.keys()].sort();
          const params = [
            merchantId,
            batch.map((t) => t.id),
            batch.map((t) => t.debitAccountId!),
            batch.map((t) => t.creditAccountId!),
            batch.map((t) => t.amount!.toString()),
            batch.map((t) => t.code!),
            ids,
            ids.map((id) => deltas.get(id)!.dpo.toString()),
            ids.map((id) => deltas.get(id)!.cpo.toString()),
          ];
          const t0 = performance.now();
          for (let attempt = 0; ; attempt++) {
            try {
              await pool.query(statement, params);
              break;
            } catch (error) {
              if (attempt >= 5 || !retryable(error)) throw error;
              retries++;
            }
          }
          samples.push(performance.now() - t0);
          rows += batch.length;
          balanceRows += ids.length;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    const figures = {
      batch: FLOOR_BATCH,
      transfers_per_second: Math.round(rows / elapsed),
      balance_rows_per_batch: Math.round(balanceRows / Math.max(samples.length, 1)),
      calls: samples.length,
      ...latency(samples),
      retries,
      node_cpu_us_per_transfer: cpu.per(rows),
    };
    log(`floor: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await pool.end();
  }
}

/**
 * A closed pool has only sent its connections the terminate message: wait until the server has let them go, so
 * that `drop database ... with (force)` does not kill them and raise an error on a pool nobody listens to.
 */
async function connectionsClosed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = performance.now() + 5000;
    while (performance.now() < deadline) {
      const { rows } = await client.query(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
      );
      if (rows[0]?.n === 0) return;
      await sleep(20);
    }
  } finally {
    await client.end();
  }
}

export async function run() {
  const database = await freshDatabase();
  try {
    const handle = await openDatabase({ url: database.url, poolSize: POOL_SIZE });
    try {
      const db = handle.db as LedgerDb;
      await migrateToLatest(handle.db as never);
      const ledger = createLedger({ clock: systemClock });
      const merchantId = `acct_benchledger${process.pid}`;
      await db
        .insertInto("merchants")
        .values({ id: merchantId, name: "ledger bench", settings: "{}", created_at: new Date() })
        .execute();

      // Accounts: the hot fee-revenue account twice (unsharded, 8 shards), a funding source, and the
      // merchant's balance accounts, which may not go below zero (every transfer debits one: checks run).
      const setup = await db.transaction().execute(async (tx) => {
        const platform = { merchantId: null, livemode: false, currency: "usd" };
        const hot = await ledger.createAccount(tx, {
          ...platform,
          id: "la_bench_hot_1",
          code: AccountCode.platform_fee_revenue,
          reference: "hot_1",
          flags: { debitsMustNotExceedCredits: true },
        });
        const hotSharded = await ledger.createAccount(tx, {
          ...platform,
          id: "la_bench_hot_8",
          code: AccountCode.platform_fee_revenue,
          reference: "hot_8",
          flags: { debitsMustNotExceedCredits: true },
          shards: 8,
        });
        const bank = await ledger.createAccount(tx, {
          ...platform,
          id: "la_bench_bank",
          code: AccountCode.bank_clearing,
        });
        const merchants: string[] = [];
        for (let i = 0; i < ACCOUNTS; i++) {
          const ref = String(i).padStart(5, "0");
          const account = await ledger.createAccount(tx, {
            id: `la_bench_m${ref}`,
            merchantId,
            livemode: false,
            currency: "usd",
            code: AccountCode.merchant_available,
            reference: ref,
            flags: { debitsMustNotExceedCredits: true },
          });
          merchants.push(account.id);
        }
        return { hot: hot.id, hotSharded: hotSharded.id, bank: bank.id, merchants };
      });
      const funding = counters();
      await apply(
        db,
        ledger,
        setup.merchants.map((id, i) => ({
          id: `tr_fund_${i}`,
          debitAccountId: setup.bank,
          creditAccountId: id,
          amount: FUNDING,
          code: TransferCode.settlement,
        })),
        funding,
      );
      if (funding.failed > 0) throw new Error(`funding failed for ${funding.failed} accounts`);
      const variants = {
        unsharded: { merchants: setup.merchants, hot: setup.hot },
        shards_8: { merchants: setup.merchants, hot: setup.hotSharded },
      } as const;
      log(`setup done: ${ACCOUNTS} merchant accounts funded; ${DURATION}s per phase`);

      // Warm-up (JIT, connections, the ledger's metadata cache), not measured.
      for (const [name, mix] of Object.entries(variants)) {
        await closedLoop(db, ledger, mix, {
          label: `warmup_${name}`,
          size: 1,
          workers: WORKERS,
          seconds: Math.min(1, DURATION / 4),
        });
      }

      // (1) Single transfers, one per call and transaction, at full speed.
      const single: Record<string, Awaited<ReturnType<typeof closedLoop>>> = {};
      for (const [name, mix] of Object.entries(variants)) {
        single[name] = await closedLoop(db, ledger, mix, {
          label: `single_${name}`,
          size: 1,
          workers: WORKERS,
          seconds: DURATION,
        });
      }

      // (2) Batches.
      const batched: Record<string, Record<string, Awaited<ReturnType<typeof closedLoop>>>> = {};
      for (const size of BATCH_SIZES) {
        const bySize: Record<string, Awaited<ReturnType<typeof closedLoop>>> = {};
        for (const [name, mix] of Object.entries(variants)) {
          bySize[name] = await closedLoop(db, ledger, mix, {
            label: `batch_${size}_${name}`,
            size,
            workers: BATCH_WORKERS,
            seconds: DURATION,
          });
        }
        batched[String(size)] = bySize;
      }

      // (4) Floor, right after the batches (same table sizes as the batched runs saw).
      const floorFigures = await floor(database.url, merchantId, variants.unsharded, DURATION);

      // (3) Paced single transfers.
      const pacedFigures: Record<string, Awaited<ReturnType<typeof paced>>> = {};
      for (const [name, mix] of Object.entries(variants)) {
        pacedFigures[name] = await paced(db, ledger, mix, `paced_${name}`, PACED_RATE, DURATION);
      }

      let verify: { ok: boolean; violations: number; transfers: number; ms: number } | undefined;
      if (VERIFY) {
        const t0 = performance.now();
        const result = await ledger.verifyLedger(db);
        verify = {
          ok: result.ok,
          violations: result.violations.length,
          transfers: result.summary.transfers,
          ms: Math.round(performance.now() - t0),
        };
        log(`verify: ${JSON.stringify(verify)}`);
        for (const v of result.violations.slice(0, 5)) log(`violation: ${JSON.stringify(v)}`);
      }

      const ratioToFloor: Record<string, Record<string, number>> = {};
      for (const [size, bySize] of Object.entries(batched)) {
        ratioToFloor[size] = {};
        for (const [name, f] of Object.entries(bySize)) {
          ratioToFloor[size][name] = round(
            f.transfers_per_second / Math.max(floorFigures.transfers_per_second, 1),
            3,
          );
        }
      }
      const batchedMet: Record<string, Record<string, boolean>> = {};
      for (const [size, bySize] of Object.entries(batched)) {
        batchedMet[size] = {};
        for (const [name, f] of Object.entries(bySize))
          batchedMet[size][name] = f.transfers_per_second >= 10_000;
      }
      const pacedMet: Record<string, boolean> = {};
      for (const [name, f] of Object.entries(pacedFigures)) pacedMet[name] = f.p99_ms < 10;
      const figures = {
        bench: "ledger",
        duration_s: DURATION,
        pool_size: POOL_SIZE,
        single_workers: WORKERS,
        batch_workers: BATCH_WORKERS,
        merchant_accounts: ACCOUNTS,
        hot_share: HOT_SHARE,
        balance_checks: true,
        single,
        batched,
        at_500_per_second: pacedFigures,
        floor_sql: floorFigures,
        ratio_to_floor: ratioToFloor,
        verify,
        targets: {
          batched_transfers_per_second: 10_000,
          single_p99_ms_at_500: 10,
          met: { batched_transfers_per_second: batchedMet, single_p99_ms_at_500: pacedMet },
        },
      };
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      return figures;
    } finally {
      await handle.close();
      await connectionsClosed(database.url);
    }
  } finally {
    await database.drop();
  }
}
