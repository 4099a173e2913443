import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { type BankSimulator, startBankSimulator } from "../simulators/bank/index.ts";
import { DEFAULT_RATES, type EcbSimulator, startEcbSimulator } from "../simulators/ecb/index.ts";
import { type SandboxSimulator, startSandboxSimulator } from "../simulators/sandbox/index.ts";
import { ManualClock } from "../src/core/clock.ts";
import { loadConfig } from "../src/core/config.ts";
import { createLogger } from "../src/core/logging.ts";
import { type DbHandle, openDatabase } from "../src/db/index.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { runLedgerCommand, verifyLedger } from "../src/ledger/index.ts";
import type { CreatedMerchant } from "../src/merchants/service.ts";
import { type Payrail, startPayrail } from "../src/server.ts";
import { isolatedPostgres } from "./support/isolated-db.ts";
import { TEST_VAULT_KEYS } from "./support/vault.ts";

/**
 * Deterministic simulation of the money side, in TigerBeetle's spirit: a seeded random sequence of payments
 * (some split between sellers, some converted with an FX quote), captures, voids, partial refunds (some
 * failing late at the provider), chargebacks and their reversal, transfers, manual and scheduled payouts
 * (some failing at the bank), day changes with settlement, duplicate deliveries of the same operation,
 * crashes inside an operation's transaction and restarts of the whole process. After every step the
 * books must balance and reconcile; `payrail ledger verify` runs periodically and at the end.
 *
 * PAYRAIL_SIM_OPS (default 2000; CI runs 10000 on PostgreSQL) and PAYRAIL_SIM_SEED (default: random,
 * printed) make it a setting.
 */
const OPS = Number(process.env.PAYRAIL_SIM_OPS ?? 2_000);
const SEED = Number(process.env.PAYRAIL_SIM_SEED ?? Math.floor(Math.random() * 2 ** 31));
const VERIFY_EVERY = Number(process.env.PAYRAIL_SIM_VERIFY_EVERY ?? 1_000);
const EXPLAIN_EVERY = Number(process.env.PAYRAIL_SIM_EXPLAIN_EVERY ?? 10);
const DAY = 86_400_000;

/** mulberry32: small, fast and good enough to drive a reproducible scenario. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}

const rnd = prng(SEED);
const clock = new ManualClock(new Date(Date.UTC(2026, 10, 2, 9, 0, 0)));
let database: DbHandle;
let own: Awaited<ReturnType<typeof isolatedPostgres>>;
let payrail: Payrail;
let sandbox: SandboxSimulator;
let bank: BankSimulator;
let ecb: EcbSimulator;
let merchant: CreatedMerchant;
let url: string;
const sellers: string[] = [];
const stats: Record<string, number> = {};
const timing: Record<string, number> = {};
const count = (what: string) => {
  stats[what] = (stats[what] ?? 0) + 1;
};

class InjectedCrash extends Error {}
let crashArmed = false;

async function boot() {
  const config = loadConfig({
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    PAYRAIL_VAULT_KEYS: TEST_VAULT_KEYS,
    PAYRAIL_SANDBOX_URL: sandbox.url,
    PAYRAIL_BANK_URL: bank.url,
    PAYRAIL_FX_RATES: ecb.url,
    PAYRAIL_SYNC_SCHEDULE: "1s,2s,5s",
    PAYRAIL_CONNECTOR_TIMEOUT: "5s",
  });
  payrail = await startPayrail({
    config,
    roles: ["api", "worker"],
    database,
    clock,
    manualWorker: true,
    logger: createLogger({ level: "silent" }),
  });
  url = payrail.url as string;
  // A crash inside an operation: the ledger write happens, then the process "dies" before commit.
  const books = payrail.money.money.books;
  for (const name of ["post", "tryPost"] as const) {
    const real = books[name].bind(books) as (...args: unknown[]) => Promise<unknown>;
    (books as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const result = await real(...args);
      if (crashArmed) {
        crashArmed = false;
        throw new InjectedCrash("injected crash before commit");
      }
      return result;
    };
  }
}

async function call(method: string, path: string, body?: unknown, key = merchant.secret_key) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(method === "POST" ? { "idempotency-key": `sim-${rnd.next()}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

before(async () => {
  process.stdout.write(`# money simulation: seed ${SEED}, ${OPS} operations\n`);
  sandbox = await startSandboxSimulator({ resolveAfterMs: 20 });
  bank = await startBankSimulator({ now: () => clock.now() });
  ecb = await startEcbSimulator({ date: clock.now().toISOString().slice(0, 10) });
  own = await isolatedPostgres();
  database = await openDatabase({
    url: own?.url ?? process.env.DATABASE_URL,
    dataDir: "memory://",
    poolSize: 10,
  });
  await migrateToLatest(database.db as never);
  await boot();
  merchant = await payrail.createMerchant("Simulated marketplace");
  const iban = [
    "DE89370400440532013000",
    "NL91ABNA0417164300",
    "DE24370400440000000404",
    "FR1420041010050500013M02606",
  ];
  for (let i = 0; i < 4; i++) {
    const created = await call("POST", "/v1/accounts", {
      display_name: `Seller ${i}`,
      bank_account: { iban: iban[i], account_holder_name: `Seller ${i}` },
      settings: {
        payouts: { schedule: { interval: i === 3 ? "weekly" : "daily", delay_days: i % 3 } },
        ...(i === 1 ? { reserve: { percent: 10, days: 3 } } : {}),
      },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    sellers.push(created.body.id);
  }
  assert.equal(
    (
      await call("POST", "/v1/account", {
        bank_account: { iban: "DE02120300000000202051", account_holder_name: "Marketplace GmbH" },
        settings: { payouts: { schedule: { interval: "daily", delay_days: 1 } } },
      })
    ).status,
    200,
  );
  const fees = payrail.money.money.fees;
  const id = (n: string) => `fr_${merchant.merchant_id.slice(5)}${n}`;
  await fees.add(
    {
      merchantId: merchant.merchant_id,
      livemode: false,
      kind: "provider_fee",
      percentBps: 140,
      currency: "eur",
      fixedAmount: 25n,
    },
    id("a"),
    clock.now(),
  );
  await fees.add(
    { merchantId: merchant.merchant_id, livemode: false, kind: "platform_fee", percentBps: 35 },
    id("b"),
    clock.now(),
  );
});

after(async () => {
  process.stdout.write(`# money simulation stats: ${JSON.stringify(stats)}\n`);
  const ms = Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, Math.round(v)]));
  process.stdout.write(`# money simulation time (ms): ${JSON.stringify(ms)}\n`);
  await payrail?.close();
  await database?.close();
  await own?.drop();
  await sandbox?.close();
  await bank?.close();
  await ecb?.close();
});

/**
 * Books balance per currency (posted and pending), and no constrained account is overdrawn: after every
 * step. The balance transactions are reconciled with the balances every `explainEvery` steps (that check
 * reads every balance transaction of the merchant, so it grows with the run).
 */
async function checkBooks(step: number, op: string, explainEvery = EXPLAIN_EVERY) {
  const { rows: unbalanced } = await sql<{ currency: string }>`
    with rows as (
      select currency, livemode, debits_pending dp, debits_posted dpo, credits_pending cp, credits_posted cpo from ledger_accounts
      union all
      select a.currency, a.livemode, s.debits_pending, s.debits_posted, s.credits_pending, s.credits_posted
      from ledger_account_shards s join ledger_accounts a on a.id = s.account_id)
    select currency from rows group by currency, livemode having sum(dp) <> sum(cp) or sum(dpo) <> sum(cpo)`.execute(
    database.db,
  );
  assert.deepEqual(unbalanced, [], `step ${step} (${op}): debits and credits differ`);
  const { rows: overdrawn } = await sql<{ id: string }>`
    select id from ledger_accounts where shards = 1 and debits_must_not_exceed_credits
      and debits_pending + debits_posted > credits_posted`.execute(database.db);
  assert.deepEqual(overdrawn, [], `step ${step} (${op}): an account is overdrawn`);
  if (step % explainEvery !== 0) return;
  // Balance transactions explain every holder's balances, and what is still maturing sits in pending/reserve.
  const { rows: unexplained } = await sql<Record<string, unknown>>`
    with bt as (
      select holder, currency, sum(net) as net,
        sum(case when bucket = 'pending' then unreleased else 0 end) as pending,
        sum(case when bucket = 'reserve' then unreleased else 0 end) as reserve
      from balance_transactions where merchant_id = ${merchant.merchant_id} group by holder, currency),
    la as (
      select reference as holder, currency, sum(credits_posted - debits_posted - debits_pending) as total,
        sum(case when code = 1 then credits_posted - debits_posted - debits_pending else 0 end) as pending,
        sum(case when code = 3 then credits_posted - debits_posted - debits_pending else 0 end) as reserve
      from ledger_accounts where merchant_id = ${merchant.merchant_id} group by reference, currency)
    select coalesce(bt.holder, la.holder) as holder, coalesce(bt.currency, la.currency) as currency,
      bt.net, la.total, bt.pending as bt_pending, la.pending as la_pending, bt.reserve as bt_reserve, la.reserve as la_reserve
    from bt full join la on bt.holder = la.holder and bt.currency = la.currency
    where coalesce(bt.net, 0) <> coalesce(la.total, 0) or coalesce(bt.pending, 0) <> coalesce(la.pending, 0)
      or coalesce(bt.reserve, 0) <> coalesce(la.reserve, 0)`.execute(database.db);
  assert.deepEqual(unexplained, [], `step ${step} (${op}): balance transactions do not explain the balances`);
}

async function ledgerSnapshot(): Promise<string> {
  const { rows } = await sql<{ s: string }>`
    select coalesce(string_agg(id || ':' || debits_posted || ':' || credits_posted || ':' || debits_pending || ':' || credits_pending, ',' order by id), '') as s
    from ledger_accounts where merchant_id = ${merchant.merchant_id}`.execute(database.db);
  return rows[0]?.s ?? "";
}

async function verifyNow(step: number) {
  const result = await verifyLedger(database.db, clock.now());
  assert.deepEqual(result.violations, [], `step ${step}: ledger verify`);
}

async function intents(status: string) {
  return database.db
    .selectFrom("payment_intents")
    .selectAll()
    .where("merchant_id", "=", merchant.merchant_id)
    .where("status", "=", status as never)
    .orderBy("created_at", "desc")
    .limit(40)
    .execute();
}

const CARDS = [
  "4242424242424242",
  "4242424242424242",
  "4242424242424242",
  "4000000000000002",
  "4000000000000408",
];

async function pay() {
  // Amounts ending in 77/78 make the sandbox settle their refunds late (78: the refund then fails).
  const amount = rnd.int(5, 2_000) * 100 + rnd.pick([0, 0, 0, 50, 77, 78]);
  const fx = rnd.chance(0.15);
  let quote: string | undefined;
  if (fx) {
    const q = await call("POST", "/v1/fx_quotes", {
      from_currency: "usd",
      to_currency: "eur",
      lock_duration: "hour",
    });
    assert.equal(q.status, 200, JSON.stringify(q.body));
    quote = q.body.id;
  }
  const body: Record<string, unknown> = {
    amount,
    currency: fx ? "usd" : "eur",
    confirm: true,
    capture_method: rnd.chance(0.3) ? "manual" : "automatic",
    payment_method_data: {
      type: "card",
      card: { number: rnd.pick(CARDS), exp_month: 12, exp_year: 2031, cvc: "123" },
    },
    ...(quote ? { fx_quote: quote } : {}),
  };
  const shape = rnd.int(0, 2);
  if (shape === 1) {
    body.transfer_data = { destination: rnd.pick(sellers) };
    body.application_fee_amount = Math.floor(amount / 10);
  } else if (shape === 2) {
    const n = rnd.int(2, 3);
    const chosen = sellers.slice(0, n);
    body.application_fee_amount = Math.floor(amount / 20);
    body.splits =
      n === 2
        ? chosen.map((d) => ({ destination: d, percent: 50 }))
        : chosen.map((d, i) => ({ destination: d, percent: [33.33, 33.33, 33.34][i] }));
  }
  const r = await call("POST", "/v1/payment_intents", body);
  assert.ok([200, 402, 500].includes(r.status), `payment: ${r.status} ${JSON.stringify(r.body)}`);
  count(`pay_${r.status}`);
}

async function capture() {
  const candidates = await intents("requires_capture");
  if (candidates.length === 0) return;
  const intent = rnd.pick(candidates);
  const partial = rnd.chance(0.4) && intent.amount_capturable > 2n;
  const r = await call("POST", `/v1/payment_intents/${intent.id}/capture`, {
    ...(partial
      ? { amount_to_capture: Number(intent.amount_capturable / 2n), final_capture: rnd.chance(0.5) }
      : {}),
  });
  assert.ok([200, 409, 500].includes(r.status), `capture: ${r.status} ${JSON.stringify(r.body)}`);
  count(`capture_${r.status}`);
}

async function cancel() {
  const candidates = await intents("requires_capture");
  if (candidates.length === 0) return;
  const r = await call("POST", `/v1/payment_intents/${rnd.pick(candidates).id}/cancel`, {});
  // 402: the provider refused to release it (a capture of it is still in flight).
  assert.ok([200, 402, 409, 500].includes(r.status), `cancel: ${r.status} ${JSON.stringify(r.body)}`);
  count(`cancel_${r.status}`);
}

async function refund() {
  const candidates = (await intents("succeeded")).filter((i) => i.amount_received > i.amount_refunded);
  if (candidates.length === 0) return;
  const intent = rnd.pick(candidates);
  const left = intent.amount_received - intent.amount_refunded;
  const amount = rnd.chance(0.3) ? undefined : Math.max(1, Math.floor(Number(left) * rnd.next()));
  const r = await call("POST", "/v1/refunds", { payment_intent: intent.id, ...(amount ? { amount } : {}) });
  assert.ok([200, 400, 402, 500].includes(r.status), `refund: ${r.status} ${JSON.stringify(r.body)}`);
  if (r.status === 402) assert.equal(r.body.error.code, "balance_insufficient");
  count(`refund_${r.status}`);
}

async function chargeback() {
  const candidates = await intents("succeeded");
  if (candidates.length === 0) return;
  const intent = rnd.pick(candidates);
  const id = `dp_sim${SEED.toString(36)}${Math.floor(rnd.next() * 1e9).toString(36)}`;
  try {
    const amount = BigInt(Math.max(1, Math.floor(Number(intent.amount_received) * rnd.next())));
    const cb = await payrail.money.money.chargebacks.withdraw({
      paymentIntentId: intent.id,
      amount,
      fee: 1500n,
      id,
    });
    count("chargeback");
    // A duplicate notification of the same chargeback changes nothing.
    const before = await ledgerSnapshot();
    await payrail.money.money.chargebacks.withdraw({ paymentIntentId: intent.id, amount, fee: 1500n, id });
    assert.equal(await ledgerSnapshot(), before, "duplicate chargeback moved money");
    if (rnd.chance(0.4)) {
      await payrail.money.money.chargebacks.reinstate(cb.id);
      await payrail.money.money.chargebacks.reinstate(cb.id);
      count("chargeback_reversal");
    }
  } catch (error) {
    if (error instanceof InjectedCrash) throw error;
    assert.match(String((error as Error).message), /A chargeback takes/);
  }
}

async function payout() {
  const account = rnd.chance(0.5) ? rnd.pick(sellers) : undefined;
  const balance = await call("GET", `/v1/balance${account ? `?account=${account}` : ""}`);
  const available = (balance.body.available as Array<{ amount: number; currency: string }>).find(
    (b) => b.amount > 0,
  );
  if (!available) return;
  // Sometimes more than there is: refused without touching anything.
  const amount = rnd.chance(0.2) ? available.amount + 1 : rnd.int(1, available.amount);
  const r = await call("POST", "/v1/payouts", {
    amount,
    currency: available.currency,
    ...(account ? { account } : {}),
  });
  assert.ok([200, 402, 500].includes(r.status), `payout: ${r.status} ${JSON.stringify(r.body)}`);
  count(`payout_${r.status}`);
  if (r.status === 200 && rnd.chance(0.3)) {
    const c = await call("POST", `/v1/payouts/${r.body.id}/cancel`, {});
    assert.ok([200, 400, 500].includes(c.status));
    count(`payout_cancel_${c.status}`);
  }
}

async function transfer() {
  const balance = await call("GET", "/v1/balance");
  const available = (balance.body.available as Array<{ amount: number; currency: string }>).find(
    (b) => b.amount > 0,
  );
  if (!available) return;
  const r = await call("POST", "/v1/transfers", {
    amount: rnd.int(1, Math.max(1, Math.floor(available.amount * 1.2))),
    currency: available.currency,
    destination: rnd.pick(sellers),
  });
  assert.ok([200, 402, 500].includes(r.status), `transfer: ${r.status} ${JSON.stringify(r.body)}`);
  count(`transfer_${r.status}`);
  if (r.status === 200 && rnd.chance(0.3)) {
    const back = await call("POST", `/v1/transfers/${r.body.id}/reversals`, {
      amount: rnd.int(1, r.body.amount),
    });
    assert.ok([200, 402, 500].includes(back.status), `reversal: ${back.status} ${JSON.stringify(back.body)}`);
    count(`transfer_reversal_${back.status}`);
  }
}

async function nextDay() {
  clock.advance(DAY);
  // The ECB publishes a new table every business day (the simulator every day here).
  ecb.setRates({ rates: DEFAULT_RATES, date: clock.now().toISOString().slice(0, 10) });
  const settlement = payrail.money.settlement;
  const armed = crashArmed;
  await settlement.run();
  // An injected crash during a holder's payout leaves that holder for the next run, by design: that run
  // is the recovery, and only after it must a repeat change nothing.
  if (armed && !crashArmed) await settlement.run();
  // Settlement twice on the same day is a no-op.
  const settled = await ledgerSnapshot();
  const again = await settlement.run();
  assert.deepEqual(again, { released: 0, payoutsCreated: 0 });
  assert.equal(await ledgerSnapshot(), settled);
  const batches = payrail.money.bankBatches;
  await batches.batchPending();
  await batches.submitBatches();
  await bank.processPending();
  const cursorId = `bank:${bank.url}`;
  const cursor = async () =>
    (
      await sql<{
        last_report_id: string | null;
      }>`select last_report_id from bank_report_cursor where id = ${cursorId}`.execute(database.db)
    ).rows[0]?.last_report_id ?? null;
  const before = await cursor();
  await batches.applyReports();
  // The bank's reports of the day delivered twice change nothing.
  const afterReports = await ledgerSnapshot();
  await sql`update bank_report_cursor set last_report_id = ${before} where id = ${cursorId}`.execute(
    database.db,
  );
  await batches.applyReports();
  assert.equal(await ledgerSnapshot(), afterReports, "a repeated bank report moved money");
  count("day");
}

async function worker() {
  await payrail.worker?.drain(3);
  count("worker");
}

async function restart() {
  await payrail.close();
  await boot();
  count("restart");
}

const OPERATIONS: Array<[number, string, () => Promise<void>]> = [
  [30, "pay", pay],
  [8, "capture", capture],
  [4, "cancel", cancel],
  [14, "refund", refund],
  [3, "chargeback", chargeback],
  [6, "payout", payout],
  [5, "transfer", transfer],
  [3, "next_day", nextDay],
  [4, "worker", worker],
];
const TOTAL_WEIGHT = OPERATIONS.reduce((s, [w]) => s + w, 0);

function chooseOperation() {
  let roll = rnd.next() * TOTAL_WEIGHT;
  for (const entry of OPERATIONS) {
    roll -= entry[0];
    if (roll < 0) return entry;
  }
  return OPERATIONS[0] as (typeof OPERATIONS)[number];
}

async function runSteps(first: number, last: number) {
  for (let step = first; step <= last; step++) {
    const [, name, run] = chooseOperation();
    // Now and then the operation's transaction dies after its ledger write, before commit.
    crashArmed = rnd.chance(0.03);
    const started = performance.now();
    try {
      await run();
    } catch (error) {
      if (!(error instanceof InjectedCrash))
        throw new Error(`step ${step} (${name}, seed ${SEED}): ${(error as Error).stack}`);
      count("crash");
    }
    crashArmed = false;
    timing[name] = (timing[name] ?? 0) + performance.now() - started;
    const checkStarted = performance.now();
    await checkBooks(step, name);
    timing.checks = (timing.checks ?? 0) + performance.now() - checkStarted;
    if (rnd.chance(0.002)) await restart();
    if (step % VERIFY_EVERY === 0) await verifyNow(step);
  }
}

// One continuous scenario, in chunks so that each stays within the per-test time limit.
const CHUNK = 1_000;
for (let first = 1; first <= OPS; first += CHUNK) {
  const last = Math.min(OPS, first + CHUNK - 1);
  test(`money simulation (seed ${SEED}): operations ${first}–${last} keep the books balanced and explained`, () =>
    runSteps(first, last));
}

test(`money simulation (seed ${SEED}): once everything in flight resolves, every cent is accounted for`, async () => {
  // Late refunds, timed-out payments and retried captures resolve.
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    clock.advance(60_000);
    await worker();
  }
  await checkBooks(OPS + 1, "final", 1);
  await verifyNow(OPS + 1);
  // Every captured cent is in the ledger: amount_received of each payment equals its capture postings.
  const { rows: mismatched } = await sql<{ id: string }>`
    select i.id from payment_intents i
    left join lateral (
      select coalesce(sum(t.amount), 0) as captured from ledger_transfers t
      where t.user_data = i.id and (t.code = 1 or (t.post_pending and t.code = 16))) c on true
    where i.merchant_id = ${merchant.merchant_id} and c.captured <> i.amount_received`.execute(database.db);
  assert.deepEqual(mismatched, [], "payments whose captured amount is not what the ledger holds");
  // And the command-line check agrees.
  let report = "";
  const code = await runLedgerCommand(["verify"], { db: database.db, clock, write: (t) => (report += t) });
  assert.equal(code, 0, report);
  assert.ok((stats.pay_200 ?? 0) > OPS / 10, `too few payments went through: ${JSON.stringify(stats)}`);
});
