import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { sql } from "kysely";
import { ManualClock } from "../core/clock.ts";
import type { DbHandle } from "../db/index.ts";
import { runLedgerCommand } from "./cli.ts";
import { AccountCode, TRANSIENT_ERRORS, type TransferError, type TransferResultCode } from "./codes.ts";
import { createLedger, type Ledger } from "./service.ts";
import { createTestMerchant, openLedgerTestDb, uniqueTag } from "./testing.ts";
import type { AccountSpec, Balances, TransferInput } from "./types.ts";
import { formatVerifyReport, verifyLedger } from "./verify.ts";

/**
 * Random transfer sequences against a model that knows nothing of the implementation but the results it
 * returns: balances must equal what the successful transfers imply, debits must equal credits per currency,
 * flagged accounts must keep their constraint, and for transfers outside linked chains the model predicts
 * the result itself. `verifyLedger` must agree, and must catch rows corrupted behind the ledger's back.
 */

let handle: DbHandle;
let ledger: Ledger;
const clock = new ManualClock(Date.UTC(2026, 8, 1));

before(async () => {
  handle = await openLedgerTestDb();
  ledger = createLedger({ clock });
});
after(async () => {
  await handle?.close();
});

const NAMES = ["W", "P", "S", "R", "C", "H", "E1", "E2"] as const;
type Name = (typeof NAMES)[number];

interface ModelAccount extends Balances {
  id: string;
  currency: string;
  merchant: boolean;
  dmnec: boolean;
  cmned: boolean;
}

type Op =
  | { kind: "single" | "pending"; d: Name; c: Name; amount: bigint; linked: boolean; timeout: number }
  | { kind: "post"; ref: number; amount: bigint | null; linked: boolean }
  | { kind: "void"; ref: number; linked: boolean }
  | { kind: "repeat"; ref: number };

type Cmd = { kind: "batch"; ops: Op[] } | { kind: "advance"; seconds: number };

const name = fc.constantFrom(...NAMES);
const usd = fc.constantFrom<Name>("W", "P", "S", "R", "C", "H");
/** Mostly pairs within one currency (where balances get interesting), sometimes any pair. */
const pair = fc.oneof(
  { weight: 6, arbitrary: fc.record({ d: usd, c: usd }) },
  {
    weight: 1,
    arbitrary: fc.record({ d: fc.constantFrom<Name>("E1", "E2"), c: fc.constantFrom<Name>("E1", "E2") }),
  },
  { weight: 1, arbitrary: fc.record({ d: name, c: name }) },
);
/** Round amounts often, so balances often land exactly on a limit (off-by-one territory). */
const amount = fc.oneof(fc.constantFrom(25n, 50n, 75n, 150n), fc.bigInt({ min: 1n, max: 200n }));
const linked = fc.constantFrom(false, false, true);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({ kind: fc.constant("single" as const), pair, amount, linked, timeout: fc.constant(0) })
      .map(({ pair, ...o }) => ({ ...o, ...pair })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        kind: fc.constant("pending" as const),
        pair,
        amount,
        linked,
        timeout: fc.constantFrom(0, 0, 30, 120),
      })
      .map(({ pair, ...o }) => ({ ...o, ...pair })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("post" as const),
      ref: fc.nat(),
      amount: fc.option(amount, { nil: null }),
      linked,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("void" as const), ref: fc.nat(), linked }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("repeat" as const), ref: fc.nat() }) },
);
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("batch" as const),
      ops: fc.array(op, { minLength: 1, maxLength: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("advance" as const), seconds: fc.constantFrom(10, 60, 200) }),
  },
);

const tx = <T>(fn: (tx: DbHandle["db"]) => Promise<T>) => handle.db.transaction().execute(fn);

async function setup() {
  const tag = uniqueTag();
  const merchantId = await createTestMerchant(handle.db, clock.now());
  const specs: Record<Name, Omit<AccountSpec, "livemode">> = {
    W: {
      merchantId,
      currency: "usd",
      code: AccountCode.merchant_available,
      flags: { debitsMustNotExceedCredits: true },
    },
    P: { merchantId, currency: "usd", code: AccountCode.merchant_pending },
    S: {
      merchantId,
      currency: "usd",
      code: AccountCode.merchant_reserve,
      flags: { debitsMustNotExceedCredits: true },
      shards: 3,
    },
    R: {
      merchantId: null,
      currency: "usd",
      code: AccountCode.refunds_payable,
      reference: tag,
      flags: { creditsMustNotExceedDebits: true },
    },
    C: { merchantId: null, currency: "usd", code: AccountCode.provider_clearing, reference: tag },
    H: {
      merchantId: null,
      currency: "usd",
      code: AccountCode.platform_fee_revenue,
      reference: tag,
      shards: 4,
    },
    E1: {
      merchantId,
      currency: "eur",
      code: AccountCode.merchant_available,
      flags: { debitsMustNotExceedCredits: true },
    },
    E2: { merchantId: null, currency: "eur", code: AccountCode.provider_clearing, reference: tag },
  };
  const model = {} as Record<Name, ModelAccount>;
  await tx(async (t) => {
    for (const n of NAMES) {
      const s = specs[n];
      const created = await ledger.createAccount(t, { ...s, id: `la_${tag}_${n}`, livemode: false });
      model[n] = {
        id: created.id,
        currency: s.currency,
        merchant: s.merchantId !== null,
        dmnec: Boolean(s.flags?.debitsMustNotExceedCredits),
        cmned: Boolean(s.flags?.creditsMustNotExceedDebits),
        debitsPending: 0n,
        debitsPosted: 0n,
        creditsPending: 0n,
        creditsPosted: 0n,
      };
    }
  });
  return { tag, merchantId, model };
}

interface PendingModel {
  id: string;
  d: Name;
  c: Name;
  amount: bigint;
  expiresAt: number | null;
  status: "pending" | "posted" | "voided" | "expired";
}

type Effect = { name: Name; field: keyof Balances; delta: bigint };

async function runScenario(cmds: Cmd[]) {
  const { tag, merchantId, model } = await setup();
  const pendings: PendingModel[] = [];
  const submitted: { input: TransferInput; result: TransferResultCode }[] = [];
  let n = 0;
  const apply = (effects: Effect[]) => {
    for (const e of effects) model[e.name][e.field] += e.delta;
  };
  const release = (p: PendingModel): Effect[] => [
    { name: p.d, field: "debitsPending", delta: -p.amount },
    { name: p.c, field: "creditsPending", delta: -p.amount },
  ];
  const pendingById = (id: string | undefined) => pendings.find((p) => p.id === id);

  for (const c of cmds) {
    if (c.kind === "advance") {
      clock.advance(c.seconds * 1000);
      const expired = await tx((t) => ledger.expirePendingTransfers(t, clock.now(), { merchantId }));
      const due = pendings.filter(
        (p) =>
          p.status === "pending" &&
          p.expiresAt !== null &&
          p.expiresAt <= clock.now().getTime() &&
          (model[p.d].merchant || model[p.c].merchant),
      );
      assert.deepEqual([...expired].sort(), due.map((p) => p.id).sort());
      for (const p of due) {
        p.status = "expired";
        apply(release(p));
      }
    } else {
      const inputs: TransferInput[] = c.ops.map((o) => {
        if (o.kind === "repeat") {
          const lone = submitted.filter((s) => !s.input.flags?.linked);
          const earlier = lone[o.ref % Math.max(lone.length, 1)];
          if (earlier) return { ...earlier.input };
          return {
            id: `tr_${tag}_${n++}`,
            debitAccountId: model.C.id,
            creditAccountId: model.W.id,
            amount: 1n,
            code: 1,
          };
        }
        const id = `tr_${tag}_${n++}`;
        if (o.kind !== "post" && o.kind !== "void") {
          return {
            id,
            debitAccountId: model[o.d].id,
            creditAccountId: model[o.c].id,
            amount: o.amount,
            code: 1,
            flags: { linked: o.linked, pending: o.kind === "pending" },
            ...(o.timeout ? { timeout: o.timeout } : {}),
          };
        }
        const target = pendings.length ? pendings[o.ref % pendings.length]!.id : `tr_${tag}_missing`;
        if (o.kind === "void")
          return { id, pendingId: target, flags: { linked: o.linked, voidPendingTransfer: true } };
        return {
          id,
          pendingId: target,
          flags: { linked: o.linked, postPendingTransfer: true },
          ...(o.amount !== null ? { amount: o.amount } : {}),
        };
      });
      // Holds referenced by a post or void that are past their timeout expire first, whatever the outcome.
      const now = clock.now().getTime();
      for (const t of inputs) {
        const p = pendingById(t.pendingId);
        if (p && p.status === "pending" && p.expiresAt !== null && p.expiresAt <= now) {
          p.status = "expired";
          apply(release(p));
        }
      }
      const results = (await tx((t) => ledger.createTransfers(t, inputs))).map((r) => r.result);
      assert.equal(results.length, inputs.length);

      // Walk the chains: predict lone transfers, check chain shape, apply effects of what succeeded.
      let start = 0;
      while (start < inputs.length) {
        let end = start;
        while (end < inputs.length - 1 && inputs[end]!.flags?.linked) end++;
        const chain = inputs.slice(start, end + 1);
        const got = results.slice(start, end + 1);
        const effects: Effect[] = [];
        const resolved: [PendingModel, PendingModel["status"]][] = [];
        const created: PendingModel[] = [];
        const lone = chain.length === 1 && !chain[0]!.flags?.linked;
        for (const [k, t] of chain.entries()) {
          const r = got[k]!;
          const earlier = submitted.find((s) => s.input.id === t.id);
          if (lone) {
            const predicted = predict(t, earlier, model, pendingById(t.pendingId));
            if (predicted)
              assert.equal(
                r,
                predicted,
                `${JSON.stringify(t, (_k, v) => (typeof v === "bigint" ? `${v}` : v))}`,
              );
          }
          if (r !== "ok") continue;
          if (t.flags?.postPendingTransfer || t.flags?.voidPendingTransfer) {
            const p = pendingById(t.pendingId) ?? created.find((x) => x.id === t.pendingId)!;
            const post = Boolean(t.flags.postPendingTransfer);
            effects.push(...release(p));
            if (post) {
              const a = t.amount ?? p.amount;
              effects.push(
                { name: p.d, field: "debitsPosted", delta: a },
                { name: p.c, field: "creditsPosted", delta: a },
              );
            }
            resolved.push([p, post ? "posted" : "voided"]);
          } else {
            const d = NAMES.find((x) => model[x].id === t.debitAccountId)!;
            const cr = NAMES.find((x) => model[x].id === t.creditAccountId)!;
            const pending = Boolean(t.flags?.pending);
            effects.push(
              { name: d, field: pending ? "debitsPending" : "debitsPosted", delta: t.amount! },
              { name: cr, field: pending ? "creditsPending" : "creditsPosted", delta: t.amount! },
            );
            if (pending) {
              created.push({
                id: t.id,
                d,
                c: cr,
                amount: t.amount!,
                expiresAt: t.timeout ? now + t.timeout * 1000 : null,
                status: "pending",
              });
            }
          }
        }
        const allOk = got.every((r) => r === "ok");
        if (chain.length > 1) {
          // All applied, all already there, or exactly one culprit and linked_event_failed for the rest.
          assert.ok(
            allOk ||
              got.every((r) => r === "exists") ||
              got.filter((r) => r !== "linked_event_failed").length === 1,
            `chain outcome ${got.join()}`,
          );
          if (!allOk)
            assert.ok(
              got.every((r) => r !== "ok"),
              `a failed chain leaves nothing applied: ${got.join()}`,
            );
        }
        if (allOk) {
          apply(effects);
          for (const [p, status] of resolved) p.status = status;
          pendings.push(...created);
        }
        for (const [k, t] of chain.entries()) submitted.push({ input: t, result: got[k]! });
        start = end + 1;
      }
    }
    await checkAccounts(model);
  }
}

/** The expected result of a transfer outside any chain, or undefined where the model does not say. */
function predict(
  t: TransferInput,
  earlier: { input: TransferInput; result: TransferResultCode } | undefined,
  model: Record<Name, ModelAccount>,
  p: PendingModel | undefined,
): TransferResultCode | undefined {
  if (earlier) {
    if (earlier.result === "ok" || earlier.result === "exists") return "exists";
    if (TRANSIENT_ERRORS.has(earlier.result as TransferError) || earlier.result === "id_already_failed") {
      return "id_already_failed";
    }
    return undefined;
  }
  if (t.flags?.postPendingTransfer || t.flags?.voidPendingTransfer) {
    if (!p) return t.pendingId?.endsWith("_missing") ? "pending_transfer_not_found" : undefined;
    if (t.flags.postPendingTransfer && t.amount !== undefined && t.amount > p.amount) {
      return "exceeds_pending_transfer_amount";
    }
    if (p.status === "posted") return "pending_transfer_already_posted";
    if (p.status === "voided") return "pending_transfer_already_voided";
    if (p.status === "expired") return "pending_transfer_expired";
    return "ok";
  }
  const d = Object.values(model).find((a) => a.id === t.debitAccountId)!;
  const c = Object.values(model).find((a) => a.id === t.creditAccountId)!;
  if (d === c) return "accounts_must_be_different";
  if (d.currency !== c.currency) return "accounts_must_have_the_same_currency";
  const amount = t.amount!;
  if (d.dmnec && d.debitsPending + d.debitsPosted + amount > d.creditsPosted) return "exceeds_credits";
  if (c.cmned && c.creditsPending + c.creditsPosted + amount > c.debitsPosted) return "exceeds_debits";
  return "ok";
}

async function checkAccounts(model: Record<Name, ModelAccount>) {
  const ids = NAMES.map((n) => model[n].id);
  const actual = await ledger.lookupAccounts(handle.db, ids);
  const perCurrency = new Map<string, Balances>();
  for (const [i, n] of NAMES.entries()) {
    const a = actual[i]!;
    const m = model[n];
    assert.deepEqual(
      [a.debitsPending, a.debitsPosted, a.creditsPending, a.creditsPosted],
      [m.debitsPending, m.debitsPosted, m.creditsPending, m.creditsPosted],
      `balances of ${n}`,
    );
    if (m.dmnec) assert.ok(a.debitsPending + a.debitsPosted <= a.creditsPosted, `${n} debits exceed credits`);
    if (m.cmned)
      assert.ok(a.creditsPending + a.creditsPosted <= a.debitsPosted, `${n} credits exceed debits`);
    const sum = perCurrency.get(a.currency) ?? {
      debitsPending: 0n,
      debitsPosted: 0n,
      creditsPending: 0n,
      creditsPosted: 0n,
    };
    sum.debitsPending += a.debitsPending;
    sum.debitsPosted += a.debitsPosted;
    sum.creditsPending += a.creditsPending;
    sum.creditsPosted += a.creditsPosted;
    perCurrency.set(a.currency, sum);
  }
  for (const [currency, s] of perCurrency) {
    assert.equal(s.debitsPosted, s.creditsPosted, `${currency} posted`);
    assert.equal(s.debitsPending, s.creditsPending, `${currency} pending`);
  }
}

class Rollback extends Error {}

/** Runs `fn` in a transaction that is always rolled back, so deliberate corruption never reaches anyone else. */
async function inRolledBackTx(fn: (tx: DbHandle["db"]) => Promise<void>) {
  await assert.rejects(
    tx(async (t) => {
      await fn(t);
      throw new Rollback();
    }),
    Rollback,
  );
}

describe("ledger properties", () => {
  test("random transfer sequences keep balances, constraints and double entry; verify agrees", async () => {
    // With a balance constraint the funding has to come first: bias the start towards crediting W, S and E1.
    const fund = (d: Name, c: Name): Op => ({
      kind: "single",
      d,
      c,
      amount: 150n,
      linked: false,
      timeout: 0,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 12 }), async (cmds) => {
        await runScenario([
          { kind: "batch", ops: [fund("C", "W"), fund("C", "S"), fund("E2", "E1"), fund("R", "C")] },
          ...cmds,
        ]);
      }),
      { numRuns: 40 },
    );
    const report = await verifyLedger(handle.db, clock.now());
    assert.ok(report.ok, formatVerifyReport(report));
  });

  test("verify catches rows changed behind the ledger's back", async () => {
    const { model, tag } = await setup();
    await tx((t) =>
      ledger.createTransfers(t, [
        {
          id: `tr_${tag}_fund`,
          debitAccountId: model.C.id,
          creditAccountId: model.W.id,
          amount: 100n,
          code: 1,
        },
        {
          id: `tr_${tag}_fundS`,
          debitAccountId: model.C.id,
          creditAccountId: model.S.id,
          amount: 100n,
          code: 1,
        },
        {
          id: `tr_${tag}_hold`,
          debitAccountId: model.W.id,
          creditAccountId: model.P.id,
          amount: 40n,
          code: 1,
          flags: { pending: true },
        },
      ]),
    );
    const clean = await verifyLedger(handle.db, clock.now());
    assert.ok(clean.ok, formatVerifyReport(clean));
    const lines: string[] = [];
    assert.equal(
      await runLedgerCommand(["verify"], { db: handle.db, clock, write: (s) => lines.push(s) }),
      0,
    );
    assert.match(lines.join(""), /: OK/);

    const expectViolations = async (
      corrupt: (t: DbHandle["db"]) => Promise<unknown>,
      expected: [string, string][],
    ) => {
      await inRolledBackTx(async (t) => {
        await corrupt(t);
        const result = await verifyLedger(t, clock.now());
        assert.equal(result.ok, false);
        for (const [check, subject] of expected) {
          assert.ok(
            result.violations.some((v) => v.check === check && v.subject === subject),
            `expected ${check} on ${subject}:\n${formatVerifyReport(result)}`,
          );
        }
        const out: string[] = [];
        assert.equal(await runLedgerCommand(["verify"], { db: t, clock, write: (s) => out.push(s) }), 1);
        assert.match(out.join(""), /VIOLATION/);
      });
    };

    await expectViolations(
      (t) =>
        sql`update ledger_accounts set credits_posted = credits_posted + 1 where id = ${model.W.id}`.execute(
          t,
        ),
      [
        ["account_totals_mismatch", model.W.id],
        ["currency_unbalanced", "usd/test"],
      ],
    );
    await expectViolations(
      (t) =>
        sql`update ledger_account_shards set debits_posted = debits_posted + 1000
          where account_id = ${model.S.id} and shard = 1`.execute(t),
      [
        ["flag_violated", model.S.id],
        ["account_totals_mismatch", model.S.id],
      ],
    );
    await expectViolations(
      (t) =>
        sql`update ledger_pending_transfers set status = 'voided', resolved_by = 'tr_nothing', resolved_at = now()
          where id = ${`tr_${tag}_hold`}`.execute(t),
      [
        ["pending_inconsistent", `tr_${tag}_hold`],
        ["account_totals_mismatch", model.W.id],
      ],
    );
    await expectViolations(
      (t) =>
        sql`insert into ledger_transfers (id, livemode, currency, debit_account_id, credit_account_id, amount, code, created_at)
          values (${`tr_${tag}_ghost`}, false, 'usd', ${model.C.id}, 'la_ghost', 5, 1, now())`.execute(t),
      [
        ["unknown_account", "la_ghost"],
        ["transfer_accounts_mismatch", `tr_${tag}_ghost`],
      ],
    );
    await expectViolations(
      (t) =>
        sql`update ledger_account_shards set closed = true where account_id = ${model.H.id} and shard = 2`.execute(
          t,
        ),
      [["shards_inconsistent", model.H.id]],
    );
    const usage: string[] = [];
    assert.equal(await runLedgerCommand(["bogus"], { db: handle.db, clock, write: (s) => usage.push(s) }), 2);
    assert.match(usage.join(""), /Usage: payrail ledger verify/);
  });
});
