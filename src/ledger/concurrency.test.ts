import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import { ManualClock } from "../core/clock.ts";
import type { DbHandle } from "../db/index.ts";
import { AccountCode, TransferCode, type TransferResultCode } from "./codes.ts";
import { LedgerConflictError } from "./errors.ts";
import { createLedger, type Ledger } from "./service.ts";
import { createTestMerchant, openLedgerTestDb, uniqueTag } from "./testing.ts";
import type { AccountSpec, TransferInput } from "./types.ts";

/**
 * Real concurrency: two pools (standing in for two processes, each with its own ledger instance) race on
 * the same rows, holding their transactions open so that they really overlap.
 */
const skip = process.env.DATABASE_URL
  ? false
  : "needs PostgreSQL (set DATABASE_URL): the embedded PGlite is one connection, so nothing can race there";

const clock = new ManualClock(Date.UTC(2026, 5, 1));
const code = TransferCode.refund;
let pools: DbHandle[] = [];
let ledgers: Ledger[] = [];

describe("ledger under concurrency (PostgreSQL)", { skip }, () => {
  before(async () => {
    pools = [await openLedgerTestDb(10), await openLedgerTestDb(10)];
    ledgers = [createLedger({ clock }), createLedger({ clock })];
  });
  after(async () => {
    for (const p of pools) await p.close();
  });

  const db = () => pools[0]!.db;
  /** Worker i: its pool and ledger, a transaction that holds its locks for `holdMs` before committing. */
  const run = <T>(i: number, holdMs: number, fn: (ledger: Ledger, tx: DbHandle["db"]) => Promise<T>) =>
    pools[i % 2]!.db.transaction().execute(async (tx) => {
      const out = await fn(ledgers[i % 2]!, tx);
      await sleep(holdMs);
      return out;
    });
  const createTransfers = (i: number, holdMs: number, transfers: TransferInput[]) =>
    run(i, holdMs, (ledger, tx) => ledger.createTransfers(tx, transfers));

  async function accounts(specs: Record<string, Omit<AccountSpec, "livemode" | "currency" | "id">>) {
    const tag = uniqueTag();
    const out: Record<string, string> = {};
    await db()
      .transaction()
      .execute(async (tx) => {
        for (const [name, spec] of Object.entries(specs)) {
          out[name] = (
            await ledgers[0]!.createAccount(tx, {
              id: `la_${tag}_${name}`,
              livemode: false,
              currency: "usd",
              ...spec,
            })
          ).id;
        }
      });
    return { a: out, id: (name: string) => `tr_${tag}_${name}` };
  }

  async function standardAccounts(extra: { walletShards?: number } = {}) {
    const merchantId = await createTestMerchant(db(), clock.now());
    const tag = uniqueTag();
    return accounts({
      wallet: {
        merchantId,
        code: AccountCode.merchant_available,
        flags: { debitsMustNotExceedCredits: true },
        shards: extra.walletShards ?? 1,
      },
      pending: { merchantId, code: AccountCode.merchant_pending },
      clearing: { merchantId: null, code: AccountCode.provider_clearing, reference: tag },
      refunds: { merchantId: null, code: AccountCode.refunds_payable, reference: tag },
      hot: { merchantId: null, code: AccountCode.platform_fee_revenue, reference: `${tag}_hot`, shards: 8 },
      cold: { merchantId: null, code: AccountCode.platform_fee_revenue, reference: `${tag}_cold` },
    });
  }

  const count = (results: TransferResultCode[], code: TransferResultCode) =>
    results.filter((r) => r === code).length;

  test("refunds racing for the last funds: exactly the affordable ones succeed", async () => {
    const { a, id } = await standardAccounts();
    await createTransfers(0, 0, [
      { id: id("fund"), debitAccountId: a.clearing!, creditAccountId: a.wallet!, amount: 1000n, code },
    ]);
    const out = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        createTransfers(i, 15, [
          {
            id: id(`refund${i}`),
            debitAccountId: a.wallet!,
            creditAccountId: a.refunds!,
            amount: 100n,
            code,
          },
        ]),
      ),
    );
    const results = out.map((r) => r[0]!.result);
    assert.equal(count(results, "ok"), 10);
    assert.equal(count(results, "exceeds_credits"), 14);
    const [wallet] = await ledgers[0]!.lookupAccounts(db(), [a.wallet!]);
    assert.equal(wallet?.debitsPosted, 1000n);
    assert.equal(wallet?.creditsPosted, 1000n);
  });

  test("a sharded wallet racing for its last funds: the constraint holds on the sum of its shards", async () => {
    const { a, id } = await standardAccounts({ walletShards: 4 });
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        createTransfers(i, 10, [
          { id: id(`fund${i}`), debitAccountId: a.clearing!, creditAccountId: a.wallet!, amount: 100n, code },
        ]),
      ),
    );
    const out = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createTransfers(i, 10, [
          { id: id(`spend${i}`), debitAccountId: a.wallet!, creditAccountId: a.refunds!, amount: 100n, code },
        ]),
      ),
    );
    const results = out.map((r) => r[0]!.result);
    assert.equal(count(results, "ok"), 5);
    assert.equal(count(results, "exceeds_credits"), 7);
    const [wallet] = await ledgers[0]!.lookupAccounts(db(), [a.wallet!]);
    assert.equal(wallet?.creditsPosted, 500n);
    assert.equal(wallet?.debitsPosted, 500n);
  });

  test("the same transfer submitted concurrently is applied once; the others see exists", async () => {
    const { a, id } = await standardAccounts();
    const t: TransferInput = {
      id: id("once"),
      debitAccountId: a.clearing!,
      creditAccountId: a.wallet!,
      amount: 7n,
      code,
    };
    const out = await Promise.all(Array.from({ length: 10 }, (_, i) => createTransfers(i, 10, [t])));
    const results = out.map((r) => r[0]!.result);
    assert.equal(count(results, "ok"), 1);
    assert.equal(count(results, "exists"), 9);
    const [wallet] = await ledgers[0]!.lookupAccounts(db(), [a.wallet!]);
    assert.equal(wallet?.creditsPosted, 7n);
  });

  test("concurrent posts and voids of one pending transfer: exactly one resolves it", async () => {
    const { a, id } = await standardAccounts();
    await createTransfers(0, 0, [
      {
        id: id("hold"),
        debitAccountId: a.clearing!,
        creditAccountId: a.pending!,
        amount: 50n,
        code,
        flags: { pending: true },
      },
    ]);
    const out = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        createTransfers(i, 10, [
          {
            id: id(`resolve${i}`),
            pendingId: id("hold"),
            flags: i % 2 ? { voidPendingTransfer: true } : { postPendingTransfer: true },
          },
        ]),
      ),
    );
    const results = out.map((r) => r[0]!.result);
    assert.equal(count(results, "ok"), 1);
    const winner = results.indexOf("ok");
    const lost = winner % 2 ? "pending_transfer_already_voided" : "pending_transfer_already_posted";
    assert.equal(count(results, lost), 7);
    const [pending] = await ledgers[0]!.lookupAccounts(db(), [a.pending!]);
    assert.equal(pending?.creditsPending, 0n);
    assert.equal(pending?.creditsPosted, winner % 2 ? 0n : 50n);
  });

  test("a hot sharded account takes transfers side by side; an unsharded one queues them", async (t) => {
    const { a, id } = await standardAccounts();
    // Twenty payers, so the only row they share is the platform account they all credit.
    const tag = uniqueTag();
    const payers = await accounts(
      Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [
          `payer${i}`,
          { merchantId: null, code: AccountCode.provider_clearing, reference: `${tag}_${i}` },
        ]),
      ),
    );
    const timed = async (target: string) => {
      const started = performance.now();
      const out = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          createTransfers(i, 20, [
            {
              id: id(`${target}${i}`),
              debitAccountId: payers.a[`payer${i}`]!,
              creditAccountId: a[target]!,
              amount: 1n,
              code,
            },
          ]),
        ),
      );
      assert.ok(out.every((r) => r[0]!.result === "ok"));
      return performance.now() - started;
    };
    const coldMs = await timed("cold");
    const hotMs = await timed("hot");
    // Timings are reported, never asserted; the shard spread is the functional property.
    t.diagnostic(
      `20 transactions crediting one account, each holding its locks 20 ms: unsharded ${coldMs.toFixed(0)} ms, 8 shards ${hotMs.toFixed(0)} ms`,
    );
    const { rows } = await sql<{ shard: number; credits_posted: bigint }>`
      select shard, credits_posted from ledger_account_shards where account_id = ${a.hot!} order by shard`.execute(
      db(),
    );
    assert.ok(rows.filter((r) => r.credits_posted > 0n).length > 1, "transfers used several shards");
    const [hot, cold] = await ledgers[0]!.lookupAccounts(db(), [a.hot!, a.cold!]);
    assert.equal(hot?.creditsPosted, 20n);
    assert.equal(cold?.creditsPosted, 20n);
  });

  test("overlapping batches in any order never deadlock", async () => {
    const { a, id } = await standardAccounts();
    const names = ["wallet", "pending", "clearing", "refunds", "hot", "cold"] as const;
    await createTransfers(0, 0, [
      { id: id("fund"), debitAccountId: a.clearing!, creditAccountId: a.wallet!, amount: 1_000_000n, code },
    ]);
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const batches = Array.from({ length: 24 }, (_, i) =>
      Array.from({ length: 6 }, (_, j): TransferInput => {
        const d = names[rand(names.length)]!;
        let c = names[rand(names.length)]!;
        if (c === d) c = d === "wallet" ? "refunds" : "wallet";
        return {
          id: id(`b${i}_${j}`),
          debitAccountId: a[d]!,
          creditAccountId: a[c]!,
          amount: BigInt(1 + rand(50)),
          code,
        };
      }),
    );
    const out = await Promise.all(batches.map((b, i) => createTransfers(i, 5, b)));
    for (const r of out.flat()) assert.ok(r.result === "ok" || r.result === "exceeds_credits", r.result);
    const all = await ledgers[0]!.lookupAccounts(db(), Object.values(a));
    const debits = all.reduce((s, x) => s + x.debitsPosted, 0n);
    const credits = all.reduce((s, x) => s + x.creditsPosted, 0n);
    assert.equal(debits, credits);
  });

  test("expiry sweepers and late posts racing on due holds resolve each hold once", async () => {
    const { a, id } = await standardAccounts();
    const merchantId = (await ledgers[0]!.lookupAccounts(db(), [a.pending!]))[0]!.merchantId!;
    await createTransfers(
      0,
      0,
      Array.from({ length: 10 }, (_, i) => ({
        id: id(`hold${i}`),
        debitAccountId: a.clearing!,
        creditAccountId: a.pending!,
        amount: 10n,
        code,
        flags: { pending: true },
        timeout: 30,
      })),
    );
    const due = new Date(clock.now().getTime() + 31_000);
    const sweepers = [0, 1, 2].map((i) =>
      run(i, 10, (ledger, tx) => ledger.expirePendingTransfers(tx, due, { merchantId })),
    );
    clock.set(due);
    const posts = Array.from({ length: 10 }, (_, i) =>
      createTransfers(i, 5, [
        { id: id(`late${i}`), pendingId: id(`hold${i}`), flags: { postPendingTransfer: true } },
      ]),
    );
    const swept = (await Promise.all(sweepers)).flat();
    const posted = (await Promise.all(posts)).map((r) => r[0]!.result);
    assert.ok(
      posted.every((r) => r === "pending_transfer_expired"),
      posted.join(),
    );
    assert.equal(new Set(swept).size, swept.length, "no hold expired twice");
    const [pending] = await ledgers[0]!.lookupAccounts(db(), [a.pending!]);
    assert.equal(pending?.creditsPending, 0n);
    assert.equal(pending?.creditsPosted, 0n);
  });

  test("one id with different content on other accounts, in flight: the second writer must retry", async () => {
    const { a, id } = await standardAccounts();
    const first = run(0, 150, (ledger, tx) =>
      ledger.createTransfers(tx, [
        { id: id("dup"), debitAccountId: a.clearing!, creditAccountId: a.wallet!, amount: 5n, code },
      ]),
    );
    await sleep(50);
    const second = run(1, 0, (ledger, tx) =>
      ledger.createTransfers(tx, [
        { id: id("dup"), debitAccountId: a.hot!, creditAccountId: a.cold!, amount: 5n, code },
      ]),
    );
    // Watched at once: under load the second writer can fail before the first one has finished.
    const secondFails = assert.rejects(second, LedgerConflictError);
    assert.deepEqual(
      (await first).map((r) => r.result),
      ["ok"],
    );
    await secondFails;
    const retry = await createTransfers(1, 0, [
      { id: id("dup"), debitAccountId: a.hot!, creditAccountId: a.cold!, amount: 5n, code },
    ]);
    assert.deepEqual(
      retry.map((r) => r.result),
      ["exists_with_different_debit_account_id"],
    );
    const [cold] = await ledgers[0]!.lookupAccounts(db(), [a.cold!]);
    assert.equal(cold?.creditsPosted, 0n);
  });
});
