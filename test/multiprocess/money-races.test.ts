/**
 * Money races across processes: three API processes on one PostgreSQL take partial refunds, manual payouts
 * and transfers to a connected account, all at once, asking together for about twice the merchant's
 * available balance. The ledger's balance check under row locks must let exactly the affordable ones
 * through: every answer is a success or a 402 `balance_insufficient`, nothing is overdrawn, and the books
 * add up to the cent.
 *
 * The processes use the system clock, so the funds are matured by moving their maturity date far into the
 * past in the database and running the settlement's release step in this process (a Payrail with no roles on
 * the same database), the way a worker's settlement job would.
 *
 * A last case races full refunds of payments still maturing (with a processing fee, so each needs a little
 * of the other payments' pending funds) for the pending balance.
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import type pg from "pg";
import { loadConfig } from "../../src/core/config.ts";
import { createLogger } from "../../src/core/logging.ts";
import { type DbHandle, openDatabase } from "../../src/db/index.ts";
import { verifyLedger } from "../../src/ledger/index.ts";
import { type Payrail, startPayrail } from "../../src/server.ts";
import {
  type ApiAnswer,
  apiRequest,
  cardData,
  freePort,
  type MerchantKeys,
  migrate,
  NEEDS_POSTGRES,
  openPool,
  type PayrailProcess,
  ProcessGroup,
  pinSandboxUrl,
  tally,
} from "../support/processes.ts";
import { TEST_VAULT_KEYS } from "../support/vault.ts";

const APIS = 3;
const ROUNDS = 3;
/** Each round's fresh funds: these card payments, matured into the available balance. */
const PAYMENT_AMOUNTS = [2_500, 3_100, 1_800, 4_200, 2_700, 3_600];
/** Three partial refunds per payment, each this share of it (together less than the payment). */
const REFUNDS_PER_PAYMENT = 3;
const REFUND_SHARE = 0.3;
/** The rest of twice the available balance goes to payouts and transfers, in these proportions. */
const PAYOUT_WEIGHTS = [3, 5, 2, 7, 4, 6, 1, 8, 5, 3];
const TRANSFER_WEIGHTS = [6, 2, 8, 3, 5, 1, 7, 4, 2, 6];
/**
 * At the same time the connected account pays out about twice what it held before the round, while the
 * racing transfers credit it: a second contested balance, with credits racing the debits.
 */
const SELLER_PAYOUT_WEIGHTS = [4, 1, 3, 2, 5, 3];
/** Payments of the second merchant, refunded in full while their funds are still maturing. */
const MATURING_AMOUNTS = [2_500, 3_100, 1_800, 4_200, 2_700, 3_600, 2_200, 3_900];
/**
 * Refunds in full of fresh payments each need some of the holder's other maturing funds (their fees are not
 * refunded): they once deadlocked on each other's balance transactions; a holder-level lock orders them.
 */
/** The maturity date the round's payments are moved back to, so the settlement releases only them. */
const MATURED_ON = new Date(Date.UTC(2001, 0, 1));

type Kind = "refund" | "payout" | "transfer" | "seller_payout";

interface Ask {
  kind: Kind;
  path: string;
  body: Record<string, unknown>;
  amount: number;
  key: string;
  answer?: ApiAnswer;
}

/** `amount` split in proportion to `weights`, every part at least 1 (largest remainder, sums exactly). */
function split(amount: number, weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const spare = amount - weights.length;
  const exact = weights.map((w) => (spare * w) / total);
  const parts = exact.map(Math.floor);
  let left = spare - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    parts[i] = (parts[i] as number) + 1;
  }
  return parts.map((p) => p + 1);
}

/** Deterministic shuffle (xorshift), so kinds interleave the same way every run. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = Math.abs(s) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("money races across three API processes", { skip: NEEDS_POSTGRES, timeout: 240_000 }, () => {
  const group = new ProcessGroup();
  let pool: pg.Pool;
  let handle: DbHandle;
  let payrail: Payrail;
  let apis: PayrailProcess[];
  let merchant: MerchantKeys;
  let seller: string;
  /** A second merchant, with a processing fee, whose refunds race for funds that are still maturing. */
  let feeMerchant: MerchantKeys;

  before(async () => {
    pool = openPool();
    try {
      await migrate();
      // The settlement, in this process, on the same database: no roles, nothing runs by itself.
      handle = await openDatabase({ url: process.env.DATABASE_URL, poolSize: 4 });
      const discard = new Writable({ write: (_chunk, _encoding, callback) => callback() });
      payrail = await startPayrail({
        config: loadConfig({
          ...process.env,
          LOG_LEVEL: "warn",
          PAYRAIL_SIMULATORS: "off",
          PAYRAIL_VAULT_KEYS: TEST_VAULT_KEYS,
        }),
        roles: [],
        database: handle,
        manualWorker: true,
        logger: createLogger({ level: "warn", destination: discard }),
      });
      const simulatorPort = await freePort();
      const env = { PAYRAIL_SANDBOX_URL: `http://127.0.0.1:${simulatorPort}` };
      let simulator: PayrailProcess;
      // Merchants are made here (as `payrail merchant create` would) while the processes start: two fewer
      // children to start on a small machine.
      [merchant, feeMerchant, simulator, ...apis] = await Promise.all([
        payrail.createMerchant(`multiprocess money races ${Date.now()}`),
        payrail.createMerchant(`multiprocess money races with fees ${Date.now()}`),
        group.start("simulators", { name: "simulators", port: simulatorPort }),
        ...Array.from({ length: APIS }, (_, i) => group.start("api", { name: `api-${i + 1}`, env })),
      ]);
      await pinSandboxUrl(pool, merchant.merchant_id, simulator.url);
      await pinSandboxUrl(pool, feeMerchant.merchant_id, simulator.url);
      // Before any payment, so no API process has cached the fee rules without it.
      await payrail.money.money.fees.add(
        {
          merchantId: feeMerchant.merchant_id,
          livemode: false,
          kind: "provider_fee",
          currency: "usd",
          percentBps: 290,
          fixedAmount: 30n,
        },
        `fr_moneyraces${Date.now()}`,
        new Date(),
      );

      const account = await post(0, "/v1/account", {
        bank_account: { iban: "DE89370400440532013000", account_holder_name: "Test Shop" },
        settings: { payouts: { schedule: { interval: "manual" } } },
      });
      assert.equal(account.status, 200, account.text);
      const connected = await post(1, "/v1/accounts", {
        display_name: "Race Seller",
        bank_account: { iban: "NL91ABNA0417164300", account_holder_name: "Race Seller" },
        settings: { payouts: { schedule: { interval: "manual" } } },
      });
      assert.equal(connected.status, 200, connected.text);
      seller = connected.body.id;
    } catch (error) {
      await group.stopAll();
      throw error;
    }
  });

  after(async () => {
    await group.stopAll();
    await payrail?.close();
    await handle?.close();
    await pool?.end();
  });

  let keys = 0;
  const api = (i: number) => (apis[i % apis.length] as PayrailProcess).url;
  const post = (
    i: number,
    path: string,
    body: unknown,
    idempotencyKey = `races-${Date.now()}-${keys++}`,
    as: MerchantKeys = merchant,
  ) => apiRequest(api(i), as.secret_key, "POST", path, { body, idempotencyKey, timeoutMs: 30_000 });
  const get = (i: number, path: string, as: MerchantKeys = merchant) =>
    apiRequest(api(i), as.secret_key, "GET", path);

  /** The USD amount of one bucket of `GET /v1/balance`. */
  async function balanceOf(
    i: number,
    bucket: "available" | "pending",
    options: { account?: string; as?: MerchantKeys } = {},
  ): Promise<number> {
    const answer = await get(
      i,
      `/v1/balance${options.account ? `?account=${options.account}` : ""}`,
      options.as,
    );
    assert.equal(answer.status, 200, answer.text);
    const usd = (answer.body[bucket] as Array<{ amount: number; currency: string }>).find(
      (b) => b.currency === "usd",
    );
    return usd?.amount ?? 0;
  }
  const available = (i: number, account?: string) =>
    balanceOf(i, "available", account === undefined ? {} : { account });

  /** Pays, matures and releases one round's funds; returns the payments and what they added to available. */
  async function fund(
    round: number,
  ): Promise<{ payments: Array<{ id: string; amount: number }>; net: number }> {
    const paid = await Promise.all(
      PAYMENT_AMOUNTS.map((amount, i) =>
        post(i, "/v1/payment_intents", {
          amount,
          currency: "usd",
          confirm: true,
          payment_method_data: cardData("4242424242424242"),
          metadata: { round: String(round) },
        }),
      ),
    );
    for (const answer of paid) {
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.status, "succeeded", answer.text);
    }
    const payments = paid.map((a) => ({ id: a.body.id as string, amount: a.body.amount as number }));
    const ids = payments.map((p) => p.id);
    // What the payments bring once matured: their net (after any fees), still unreleased in pending.
    const maturing = await pool.query<{ net: string; unreleased: string }>(
      `select coalesce(sum(net), 0) as net, coalesce(sum(unreleased), 0) as unreleased from balance_transactions
       where merchant_id = $1 and holder = '' and type = 'payment' and source_id = any($2)`,
      [merchant.merchant_id, ids],
    );
    const net = Number(maturing.rows[0]?.net);
    assert.equal(Number(maturing.rows[0]?.unreleased), net, "all of the payments' funds are still pending");
    assert.ok(net > 0);

    await pool.query(
      `update balance_transactions set available_on = $2
       where merchant_id = $1 and unreleased > 0 and bucket = 'pending'`,
      [merchant.merchant_id, MATURED_ON],
    );
    // Released "as of" the day after: the database is shared with other test files whose funds must not
    // mature behind their (manual) clocks' backs, and nothing else there is due that long ago.
    for (let pass = 0; ; pass++) {
      await payrail.money.settlement.releaseMatured(new Date(MATURED_ON.getTime() + 86_400_000));
      const left = await pool.query<{ n: string }>(
        `select count(*) as n from balance_transactions
         where merchant_id = $1 and unreleased > 0 and bucket = 'pending'`,
        [merchant.merchant_id],
      );
      if (Number(left.rows[0]?.n) === 0) break;
      assert.ok(pass < 10, "the settlement released the matured funds");
    }
    return { payments, net };
  }

  /** Accounts of the merchant that carry `debits_must_not_exceed_credits` and break it (shards summed). */
  async function overdrawnAccounts(merchantId = merchant.merchant_id): Promise<string[]> {
    const { rows } = await pool.query<{ id: string; dpo: string; dpe: string; cpo: string }>(
      `select a.id, a.debits_posted + coalesce(sum(s.debits_posted), 0) as dpo,
         a.debits_pending + coalesce(sum(s.debits_pending), 0) as dpe,
         a.credits_posted + coalesce(sum(s.credits_posted), 0) as cpo
       from ledger_accounts a left join ledger_account_shards s on s.account_id = a.id
       where a.merchant_id = $1 and a.debits_must_not_exceed_credits
       group by a.id
       having a.debits_posted + coalesce(sum(s.debits_posted), 0) + a.debits_pending
         + coalesce(sum(s.debits_pending), 0) > a.credits_posted + coalesce(sum(s.credits_posted), 0)`,
      [merchantId],
    );
    return rows.map((r) => `${r.id}: debits ${r.dpo} posted + ${r.dpe} pending > credits ${r.cpo} posted`);
  }

  let transferredSoFar = 0;
  let sellerPaidSoFar = 0;
  let leftover = 0;
  const accountOf = (holder: string, bucket: "available" | "pending") =>
    `la_test_usd_${merchant.merchant_id}_${holder || "self"}_${bucket}`;

  for (let round = 1; round <= ROUNDS; round++) {
    test(`round ${round}: refunds, payouts and transfers for twice the balance never overdraw it`, async (t) => {
      try {
        const started = Date.now();
        const { payments, net } = await fund(round);
        const funded = await available(round);
        assert.equal(funded, leftover + net, "available = what was left + the round's matured payments");

        // About twice the available balance, in three kinds of draws on it.
        const asks: Ask[] = [];
        const run = `${Date.now()}-${round}`;
        for (const p of payments) {
          for (let r = 0; r < REFUNDS_PER_PAYMENT; r++) {
            const amount = Math.max(1, Math.floor(p.amount * REFUND_SHARE));
            asks.push({
              kind: "refund",
              path: "/v1/refunds",
              body: { payment_intent: p.id, amount },
              amount,
              key: `races-${run}-refund-${p.id}-${r}`,
            });
          }
        }
        const refundTotal = asks.reduce((s, a) => s + a.amount, 0);
        const rest = Math.max(
          2 * funded - refundTotal,
          2 * (PAYOUT_WEIGHTS.length + TRANSFER_WEIGHTS.length),
        );
        const payoutShare = Math.floor(rest / 2);
        split(payoutShare, PAYOUT_WEIGHTS).forEach((amount, i) => {
          asks.push({
            kind: "payout",
            path: "/v1/payouts",
            body: { amount, currency: "usd", description: `race ${round}.${i}` },
            amount,
            key: `races-${run}-payout-${i}`,
          });
        });
        split(rest - payoutShare, TRANSFER_WEIGHTS).forEach((amount, i) => {
          asks.push({
            kind: "transfer",
            path: "/v1/transfers",
            body: { amount, currency: "usd", destination: seller, description: `race ${round}.${i}` },
            amount,
            key: `races-${run}-transfer-${i}`,
          });
        });
        const sellerBefore = await available(round, seller);
        assert.equal(
          sellerBefore,
          transferredSoFar - sellerPaidSoFar,
          "the seller's balance before the round",
        );
        if (sellerBefore > SELLER_PAYOUT_WEIGHTS.length) {
          split(2 * sellerBefore, SELLER_PAYOUT_WEIGHTS).forEach((amount, i) => {
            asks.push({
              kind: "seller_payout",
              path: "/v1/payouts",
              body: { amount, currency: "usd", account: seller, description: `race ${round}.seller.${i}` },
              amount,
              key: `races-${run}-seller-payout-${i}`,
            });
          });
        }
        const asked = asks.filter((a) => a.kind !== "seller_payout").reduce((s, a) => s + a.amount, 0);
        const race = shuffle(asks, 0x9e3779b9 ^ round);

        const raceStarted = Date.now();
        const answers = await Promise.all(race.map((ask, i) => post(i, ask.path, ask.body, ask.key)));
        const raceMs = Date.now() - raceStarted;
        race.forEach((ask, i) => {
          ask.answer = answers[i];
        });

        // Every answer is a success or a definite "not enough money".
        const unexpected = race.filter(
          (a) =>
            a.answer?.status !== 200 &&
            !(a.answer?.status === 402 && a.answer.body?.error?.code === "balance_insufficient"),
        );
        const won = race.filter((a) => a.answer?.status === 200);
        const lost = race.filter((a) => a.answer?.status === 402);
        const count = (list: Ask[], kind: Kind) => list.filter((a) => a.kind === kind).length;
        const sum = (list: Ask[], ...kinds: Kind[]) =>
          list.filter((a) => kinds.includes(a.kind)).reduce((s, a) => s + a.amount, 0);
        const kinds: Kind[] = ["refund", "payout", "transfer", "seller_payout"];
        t.diagnostic(
          `round ${round}: available ${funded} (seller ${sellerBefore}), asked ${asked} of it in ` +
            `${race.length} requests, ${raceMs} ms; won/lost ` +
            kinds.map((k) => `${k}s ${count(won, k)}/${count(lost, k)}`).join(", ") +
            `; answers: ${tally(answers)}`,
        );
        assert.deepEqual(
          unexpected.map((a) => `${a.kind} ${a.amount}: ${a.answer?.status} ${a.answer?.text}`),
          [],
          "only successes and 402 balance_insufficient",
        );
        for (const a of lost) {
          assert.equal(a.answer?.body.error.type, "invalid_request_error", a.answer?.text);
        }

        // What succeeded is exactly what was asked, and fits in the balance.
        for (const a of won) {
          const body = a.answer?.body;
          assert.equal(body.amount, a.amount, `${a.kind} answered the amount asked: ${a.answer?.text}`);
          if (a.kind === "refund") assert.ok(["succeeded", "pending"].includes(body.status), a.answer?.text);
          if (a.kind === "payout") assert.equal(body.account, null, a.answer?.text);
          if (a.kind === "seller_payout") assert.equal(body.account, seller, a.answer?.text);
          if (a.kind.endsWith("payout")) assert.equal(body.status, "pending", a.answer?.text);
          if (a.kind === "transfer") assert.equal(body.destination, seller, a.answer?.text);
        }
        const spent = sum(won, "refund", "payout", "transfer");
        assert.ok(spent <= funded, `succeeded ${spent} ≤ available ${funded}`);
        assert.ok(
          count(lost, "refund") + count(lost, "payout") + count(lost, "transfer") > 0,
          "asking twice the balance, some requests must be refused",
        );
        const final = await available(round + 1);
        assert.equal(final, funded - spent, "available = before − what succeeded, exactly");
        assert.ok(final >= 0);
        const transferred = sum(won, "transfer");
        const sellerPaid = sum(won, "seller_payout");
        assert.ok(sellerPaid <= sellerBefore + transferred, "the seller paid out no more than it had");
        const sellerFinal = await available(round + 2, seller);
        assert.equal(sellerFinal, sellerBefore + transferred - sellerPaid, "the seller's balance, exactly");
        transferredSoFar += transferred;
        sellerPaidSoFar += sellerPaid;
        const balance = await get(round, "/v1/balance");
        assert.deepEqual(balance.body.pending, [{ amount: 0, currency: "usd" }], "nothing left maturing");

        // Each winner left exactly its own amount in the books; no loser left anything.
        const ids = (...of: Kind[]) =>
          won.filter((a) => of.includes(a.kind)).map((a) => a.answer?.body.id as string);
        const refunds = await pool.query<{
          id: string;
          amount: string;
          bt: string | null;
          held: string | null;
        }>(
          `select r.id, r.amount,
             (select sum(b.amount) from balance_transactions b
               where b.source_id = r.id and b.merchant_id = r.merchant_id and b.type = 'refund') as bt,
             (select sum(l.amount) from ledger_transfers l
               where l.user_data = r.id and l.pending and l.debit_account_id = $3) as held
           from refunds r where r.merchant_id = $1 and r.payment_intent_id = any($2)`,
          [merchant.merchant_id, payments.map((p) => p.id), accountOf("", "available")],
        );
        assert.deepEqual(refunds.rows.map((r) => r.id).sort(), ids("refund").sort(), "one refund per winner");
        for (const r of refunds.rows) {
          const amount = won.find((a) => a.answer?.body.id === r.id)?.amount;
          assert.equal(Number(r.amount), amount, `${r.id} amount`);
          assert.equal(Number(r.bt), -Number(amount), `${r.id}: its balance transaction draws its amount`);
          assert.equal(Number(r.held), amount, `${r.id}: its ledger hold on available is its amount`);
        }
        const payouts = await pool.query<{
          id: string;
          holder: string;
          amount: string;
          bt: string | null;
          held: string | null;
          debit: string | null;
        }>(
          `select p.id, p.holder, p.amount,
             (select sum(b.amount) from balance_transactions b
               where b.source_id = p.id and b.merchant_id = p.merchant_id and b.type = 'payout') as bt,
             l.amount as held, l.debit_account_id as debit
           from payouts p left join ledger_transfers l on l.id = p.id || '.hold' and l.pending
           where p.merchant_id = $1 and p.description like $2`,
          [merchant.merchant_id, `race ${round}.%`],
        );
        assert.deepEqual(
          payouts.rows.map((p) => p.id).sort(),
          ids("payout", "seller_payout").sort(),
          "one payout per winner",
        );
        for (const p of payouts.rows) {
          assert.equal(Number(p.bt), -Number(p.amount), `${p.id}: its balance transaction draws its amount`);
          assert.equal(Number(p.held), Number(p.amount), `${p.id}: its ledger hold is its amount`);
          assert.equal(p.debit, accountOf(p.holder, "available"), `${p.id} holds its holder's available`);
        }
        const transfers = await pool.query<{ id: string; amount: string; bt: string | null }>(
          `select t.id, t.amount,
             (select sum(b.amount) from balance_transactions b
               where b.source_id = t.id and b.merchant_id = t.merchant_id and b.holder = '') as bt
           from platform_transfers t where t.merchant_id = $1 and t.description like $2`,
          [merchant.merchant_id, `race ${round}.%`],
        );
        assert.deepEqual(
          transfers.rows.map((r) => r.id).sort(),
          ids("transfer").sort(),
          "one transfer per winner",
        );
        for (const r of transfers.rows) {
          assert.equal(Number(r.bt), -Number(r.amount), `${r.id}: its balance transaction draws its amount`);
        }

        // The ledger agrees with itself, and no constrained account of the merchant is overdrawn.
        const verified = await verifyLedger(handle.db, new Date());
        assert.deepEqual(verified.violations, []);
        assert.equal(verified.ok, true);
        assert.deepEqual(await overdrawnAccounts(), []);

        // No process hit an unexpected error on the way.
        const errors = group.processes
          .flatMap((p) => p.output.join("").split("\n"))
          .filter((line) => line.includes('"level":50'));
        assert.deepEqual(errors, [], "no process logged an error");

        leftover = final;
        t.diagnostic(`round ${round} took ${Date.now() - started} ms`);
      } catch (error) {
        t.diagnostic(group.dump());
        throw error;
      }
    });
  }

  test("refunds in full of payments still maturing race for the pending funds that cover their fees", async (t) => {
    try {
      // Fresh payments with a processing fee: their funds are pending, their net is less than their amount.
      const paid = await Promise.all(
        MATURING_AMOUNTS.map((amount, i) =>
          post(
            i,
            "/v1/payment_intents",
            { amount, currency: "usd", confirm: true, payment_method_data: cardData("4242424242424242") },
            `races-fees-${Date.now()}-${i}`,
            feeMerchant,
          ),
        ),
      );
      for (const answer of paid) assert.equal(answer.body?.status, "succeeded", answer.text);
      const ids = paid.map((a) => a.body.id as string);
      const nets = await pool.query<{ amount: string; fee: string; net: string }>(
        `select sum(amount) as amount, sum(fee) as fee, sum(net) as net from balance_transactions
           where merchant_id = $1 and type = 'payment' and source_id = any($2)`,
        [feeMerchant.merchant_id, ids],
      );
      const fees = Number(nets.rows[0]?.fee);
      assert.ok(fees > 0, "the fee rule applies");
      const pendingBefore = await balanceOf(0, "pending", { as: feeMerchant });
      assert.equal(pendingBefore, Number(nets.rows[0]?.net));
      assert.equal(await balanceOf(0, "available", { as: feeMerchant }), 0);

      // Each payment refunded in full: together they ask the fees more than is pending.
      const answers = await Promise.all(
        ids.map((id, i) =>
          post(i, "/v1/refunds", { payment_intent: id }, `races-fees-refund-${id}`, feeMerchant),
        ),
      );
      t.diagnostic(
        `pending ${pendingBefore}, refunds asked ${Number(nets.rows[0]?.amount)}: ${tally(answers)}`,
      );
      const unexpected = answers.filter(
        (a) => a.status !== 200 && !(a.status === 402 && a.body?.error?.code === "balance_insufficient"),
      );
      assert.deepEqual(
        unexpected.map((a) => `${a.status} ${a.text}`),
        [],
        "only successes and 402 balance_insufficient",
      );
      const won = answers.filter((a) => a.status === 200);
      const refunded = won.reduce((s, a) => s + (a.body.amount as number), 0);
      assert.ok(refunded <= pendingBefore, `refunded ${refunded} ≤ pending ${pendingBefore}`);
      assert.ok(won.length < answers.length, "not every refund can be covered");
      assert.equal(await balanceOf(1, "pending", { as: feeMerchant }), pendingBefore - refunded);
      const unreleased = await pool.query<{ left: string }>(
        `select coalesce(sum(unreleased), 0) as left
           from balance_transactions where merchant_id = $1 and bucket = 'pending'`,
        [feeMerchant.merchant_id],
      );
      assert.equal(Number(unreleased.rows[0]?.left), pendingBefore - refunded, "maturing funds explained");
      const verified = await verifyLedger(handle.db, new Date());
      assert.deepEqual(verified.violations, []);
      assert.deepEqual(await overdrawnAccounts(feeMerchant.merchant_id), []);
    } catch (error) {
      t.diagnostic(group.dump());
      throw error;
    }
  });
});
