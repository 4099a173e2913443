import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../core/clock.ts";
import { createIdGenerator } from "../core/ids.ts";
import type { DbHandle } from "../db/index.ts";
import { AccountCode, TransferCode, type TransferResultCode } from "./codes.ts";
import { INT8_MAX } from "./engine.ts";
import { LedgerConflictError, LedgerError } from "./errors.ts";
import { createLedger, type Ledger } from "./service.ts";
import { createTestMerchant, openLedgerTestDb, uniqueTag } from "./testing.ts";
import type { Account, AccountSpec, Balances, TransferInput } from "./types.ts";

let handle: DbHandle;
let ledger: Ledger;
const clock = new ManualClock(Date.UTC(2026, 2, 1));

before(async () => {
  handle = await openLedgerTestDb();
  ledger = createLedger({ clock, ids: createIdGenerator(undefined, () => clock.now().getTime()) });
});
after(async () => {
  await handle?.close();
});

const tx = <T>(fn: (tx: DbHandle["db"]) => Promise<T>) => handle.db.transaction().execute(fn);
const transfer = (transfers: TransferInput[]) => tx((t) => ledger.createTransfers(t, transfers));
const results = async (transfers: TransferInput[]) => (await transfer(transfers)).map((r) => r.result);

/** Fresh accounts for one case: a merchant's available (no overdraft) and pending accounts, platform ones. */
async function fixture() {
  const tag = uniqueTag();
  const merchantId = await createTestMerchant(handle.db, clock.now());
  const spec = (
    name: string,
    s: Omit<AccountSpec, "id" | "livemode" | "currency"> & Partial<AccountSpec>,
  ) => ({
    id: `la_${tag}_${name}`,
    livemode: false,
    currency: "usd",
    ...s,
  });
  const specs = {
    available: spec("available", {
      merchantId,
      code: AccountCode.merchant_available,
      flags: { debitsMustNotExceedCredits: true },
    }),
    pending: spec("pending", { merchantId, code: AccountCode.merchant_pending }),
    clearing: spec("clearing", { merchantId: null, code: AccountCode.provider_clearing, reference: tag }),
    fees: spec("fees", { merchantId: null, code: AccountCode.platform_fee_revenue, reference: tag }),
    capped: spec("capped", {
      merchantId: null,
      code: AccountCode.refunds_payable,
      reference: tag,
      flags: { creditsMustNotExceedDebits: true },
    }),
    euro: spec("euro", { merchantId, code: AccountCode.merchant_available, currency: "eur" }),
    live: spec("live", { merchantId, code: AccountCode.merchant_available, livemode: true }),
    closed: spec("closed", { merchantId, code: AccountCode.merchant_reserve }),
    hot: spec("hot", { merchantId: null, code: AccountCode.bank_clearing, reference: tag, shards: 4 }),
  };
  await tx(async (t) => {
    for (const s of Object.values(specs)) await ledger.createAccount(t, s);
    await ledger.setAccountClosed(t, specs.closed.id, true);
  });
  const a = Object.fromEntries(Object.entries(specs).map(([k, v]) => [k, v.id])) as Record<
    keyof typeof specs,
    string
  >;
  return { a, merchantId, id: (name: string) => `tr_${tag}_${name}` };
}

async function balances(id: string): Promise<Balances> {
  const [account] = await ledger.lookupAccounts(handle.db, [id]);
  assert.ok(account, `account ${id}`);
  const { debitsPending, debitsPosted, creditsPending, creditsPosted } = account as Account;
  return { debitsPending, debitsPosted, creditsPending, creditsPosted };
}

const bal = (debitsPending: bigint, debitsPosted: bigint, creditsPending: bigint, creditsPosted: bigint) => ({
  debitsPending,
  debitsPosted,
  creditsPending,
  creditsPosted,
});

const code = TransferCode.payment_capture;

describe("createTransfers results (TigerBeetle-like)", () => {
  type Fx = Awaited<ReturnType<typeof fixture>>;
  const cases: {
    name: string;
    setup?: (f: Fx) => TransferInput[];
    transfers: (f: Fx) => TransferInput[];
    expect: TransferResultCode[];
  }[] = [
    {
      name: "ok",
      transfers: ({ a, id }) => [
        { id: id("1"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 5n, code },
      ],
      expect: ["ok"],
    },
    {
      name: "exists: same id, same content",
      setup: ({ a, id }) => [
        { id: id("1"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 5n, code },
      ],
      transfers: ({ a, id }) => [
        { id: id("1"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 5n, code },
      ],
      expect: ["exists"],
    },
    ...(
      [
        ["exists_with_different_amount", { amount: 6n }],
        ["exists_with_different_code", { code: TransferCode.refund }],
        ["exists_with_different_user_data", { userData: "pi_other" }],
        ["exists_with_different_flags", { flags: { pending: true } }],
        ["exists_with_different_currency", { currency: "eur" }],
        ["exists_with_different_timeout", { flags: { pending: true }, timeout: 5 }],
      ] as const
    ).map(([expected, change]) => ({
      name: `${expected}`,
      setup: ({ a, id }: Fx) => [
        {
          id: id("1"),
          debitAccountId: a.clearing,
          creditAccountId: a.available,
          amount: 5n,
          code,
          userData: "pi_1",
          ...(expected === "exists_with_different_timeout" ? { flags: { pending: true } } : {}),
        },
      ],
      transfers: ({ a, id }: Fx) => [
        {
          id: id("1"),
          debitAccountId: a.clearing,
          creditAccountId: a.available,
          amount: 5n,
          code,
          userData: "pi_1",
          ...change,
        },
      ],
      expect: [expected] as TransferResultCode[],
    })),
    {
      name: "exists_with_different_debit_account_id / credit_account_id",
      setup: ({ a, id }) => [
        { id: id("1"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 5n, code },
        { id: id("2"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 5n, code },
      ],
      transfers: ({ a, id }) => [
        { id: id("1"), debitAccountId: a.fees, creditAccountId: a.available, amount: 5n, code },
        { id: id("2"), debitAccountId: a.clearing, creditAccountId: a.pending, amount: 5n, code },
      ],
      expect: ["exists_with_different_debit_account_id", "exists_with_different_credit_account_id"],
    },
    {
      name: "exists_with_different_pending_id",
      setup: ({ a, id }) => [
        {
          id: id("p1"),
          debitAccountId: a.clearing,
          creditAccountId: a.pending,
          amount: 5n,
          code,
          flags: { pending: true },
        },
        {
          id: id("p2"),
          debitAccountId: a.clearing,
          creditAccountId: a.pending,
          amount: 5n,
          code,
          flags: { pending: true },
        },
        { id: id("post"), pendingId: id("p1"), flags: { postPendingTransfer: true } },
      ],
      transfers: ({ id }) => [{ id: id("post"), pendingId: id("p2"), flags: { postPendingTransfer: true } }],
      expect: ["exists_with_different_pending_id"],
    },
    {
      name: "input checks",
      transfers: ({ a, id }) => [
        { id: "", debitAccountId: a.clearing, creditAccountId: a.available, amount: 5n, code },
        {
          id: id("x".repeat(300)),
          debitAccountId: a.clearing,
          creditAccountId: a.available,
          amount: 5n,
          code,
        },
        {
          id: id("2"),
          debitAccountId: a.clearing,
          creditAccountId: a.available,
          amount: 5n,
          code,
          flags: { pending: true, voidPendingTransfer: true },
        },
        { id: id("3"), creditAccountId: a.available, amount: 5n, code },
        { id: id("4"), debitAccountId: a.clearing, amount: 5n, code },
        { id: id("5"), debitAccountId: a.clearing, creditAccountId: a.clearing, amount: 5n, code },
        {
          id: id("6"),
          debitAccountId: a.clearing,
          creditAccountId: a.available,
          amount: 5n,
          code,
          pendingId: "x",
        },
        {
          id: id("7"),
          debitAccountId: a.clearing,
          creditAccountId: a.available,
          amount: 5n,
          code,
          timeout: 9,
        },
        { id: id("8"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 0n, code },
        { id: id("9"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 5n },
        {
          id: id("10"),
          debitAccountId: a.clearing,
          creditAccountId: a.pending,
          amount: 5n,
          code,
          flags: { pending: true },
          timeout: 11 * 366 * 24 * 3600,
        },
      ],
      expect: [
        "id_must_not_be_empty",
        "id_too_long",
        "flags_are_mutually_exclusive",
        "debit_account_id_must_not_be_empty",
        "credit_account_id_must_not_be_empty",
        "accounts_must_be_different",
        "pending_id_must_be_empty",
        "timeout_reserved_for_pending_transfer",
        "amount_must_not_be_zero",
        "code_must_not_be_zero",
        "overflows_timeout",
      ],
    },
    {
      name: "accounts: not found, currency, livemode, closed",
      transfers: ({ a, id }) => [
        { id: id("1"), debitAccountId: "la_missing", creditAccountId: a.available, amount: 5n, code },
        { id: id("2"), debitAccountId: a.clearing, creditAccountId: "la_missing", amount: 5n, code },
        { id: id("3"), debitAccountId: a.clearing, creditAccountId: a.euro, amount: 5n, code },
        { id: id("4"), debitAccountId: a.clearing, creditAccountId: a.live, amount: 5n, code },
        {
          id: id("5"),
          debitAccountId: a.clearing,
          creditAccountId: a.available,
          amount: 5n,
          code,
          currency: "eur",
        },
        { id: id("6"), debitAccountId: a.closed, creditAccountId: a.available, amount: 5n, code },
        { id: id("7"), debitAccountId: a.clearing, creditAccountId: a.closed, amount: 5n, code },
      ],
      expect: [
        "debit_account_not_found",
        "credit_account_not_found",
        "accounts_must_have_the_same_currency",
        "accounts_must_have_the_same_livemode",
        "transfer_must_have_the_same_currency_as_accounts",
        "debit_account_already_closed",
        "credit_account_already_closed",
      ],
    },
    {
      name: "id_already_failed after a transient failure (also later in the same batch)",
      setup: ({ a, id }) => [
        { id: id("1"), debitAccountId: a.available, creditAccountId: a.fees, amount: 5n, code },
      ],
      transfers: ({ a, id }) => [
        { id: id("1"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 5n, code },
        { id: id("2"), debitAccountId: a.available, creditAccountId: a.fees, amount: 5n, code },
        { id: id("2"), debitAccountId: a.available, creditAccountId: a.fees, amount: 5n, code },
      ],
      expect: ["id_already_failed", "exceeds_credits", "id_already_failed"],
    },
    {
      name: "exceeds_credits counts pending debits; exceeds_debits",
      setup: ({ a, id }) => [
        { id: id("fund"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 100n, code },
        {
          id: id("hold"),
          debitAccountId: a.available,
          creditAccountId: a.pending,
          amount: 60n,
          code,
          flags: { pending: true },
        },
        { id: id("owed"), debitAccountId: a.capped, creditAccountId: a.clearing, amount: 30n, code },
      ],
      transfers: ({ a, id }) => [
        { id: id("1"), debitAccountId: a.available, creditAccountId: a.fees, amount: 41n, code },
        { id: id("2"), debitAccountId: a.available, creditAccountId: a.fees, amount: 40n, code },
        { id: id("3"), debitAccountId: a.clearing, creditAccountId: a.capped, amount: 31n, code },
        { id: id("4"), debitAccountId: a.clearing, creditAccountId: a.capped, amount: 30n, code },
      ],
      expect: ["exceeds_credits", "ok", "exceeds_debits", "ok"],
    },
    {
      name: "overflows",
      setup: ({ a, id }) => [
        { id: id("big"), debitAccountId: a.clearing, creditAccountId: a.fees, amount: INT8_MAX, code },
      ],
      transfers: ({ a, id }) => [
        { id: id("1"), debitAccountId: a.clearing, creditAccountId: a.pending, amount: 1n, code },
        { id: id("2"), debitAccountId: a.pending, creditAccountId: a.fees, amount: 1n, code },
        {
          id: id("3"),
          debitAccountId: a.clearing,
          creditAccountId: a.pending,
          amount: 1n,
          code,
          flags: { pending: true },
        },
      ],
      expect: ["overflows_debits_posted", "overflows_credits_posted", "overflows_debits"],
    },
    {
      name: "two-phase checks",
      setup: ({ a, id }) => [
        {
          id: id("p"),
          debitAccountId: a.clearing,
          creditAccountId: a.pending,
          amount: 50n,
          code,
          flags: { pending: true },
        },
        { id: id("single"), debitAccountId: a.clearing, creditAccountId: a.pending, amount: 5n, code },
        {
          id: id("q"),
          debitAccountId: a.clearing,
          creditAccountId: a.pending,
          amount: 50n,
          code,
          flags: { pending: true },
        },
        { id: id("q_void"), pendingId: id("q"), flags: { voidPendingTransfer: true } },
        {
          id: id("r"),
          debitAccountId: a.clearing,
          creditAccountId: a.pending,
          amount: 50n,
          code,
          flags: { pending: true },
        },
        { id: id("r_post"), pendingId: id("r"), amount: 20n, flags: { postPendingTransfer: true } },
      ],
      transfers: ({ a, id }) => [
        { id: id("1"), flags: { postPendingTransfer: true } },
        { id: id("2"), pendingId: id("2"), flags: { postPendingTransfer: true } },
        { id: id("3"), pendingId: id("nope"), flags: { postPendingTransfer: true } },
        { id: id("4"), pendingId: id("single"), flags: { postPendingTransfer: true } },
        { id: id("5"), pendingId: id("p"), debitAccountId: a.fees, flags: { postPendingTransfer: true } },
        { id: id("6"), pendingId: id("p"), creditAccountId: a.fees, flags: { postPendingTransfer: true } },
        { id: id("7"), pendingId: id("p"), currency: "eur", flags: { postPendingTransfer: true } },
        { id: id("8"), pendingId: id("p"), code: TransferCode.refund, flags: { postPendingTransfer: true } },
        { id: id("9"), pendingId: id("p"), amount: 51n, flags: { postPendingTransfer: true } },
        { id: id("10"), pendingId: id("p"), amount: 49n, flags: { voidPendingTransfer: true } },
        { id: id("11"), pendingId: id("q"), flags: { postPendingTransfer: true } },
        { id: id("12"), pendingId: id("r"), flags: { voidPendingTransfer: true } },
        { id: id("13"), pendingId: id("r"), flags: { postPendingTransfer: true } },
        { id: id("14"), pendingId: id("p"), timeout: 3, flags: { postPendingTransfer: true } },
      ],
      expect: [
        "pending_id_must_not_be_empty",
        "pending_id_must_be_different",
        "pending_transfer_not_found",
        "pending_transfer_not_pending",
        "pending_transfer_has_different_debit_account_id",
        "pending_transfer_has_different_credit_account_id",
        "pending_transfer_has_different_currency",
        "pending_transfer_has_different_code",
        "exceeds_pending_transfer_amount",
        "pending_transfer_has_different_amount",
        "pending_transfer_already_voided",
        "pending_transfer_already_posted",
        "pending_transfer_already_posted",
        "timeout_reserved_for_pending_transfer",
      ],
    },
    {
      name: "linked_event_chain_open",
      transfers: ({ a, id }) => [
        { id: id("1"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 5n, code },
        {
          id: id("2"),
          debitAccountId: a.clearing,
          creditAccountId: a.available,
          amount: 5n,
          code,
          flags: { linked: true },
        },
        {
          id: id("3"),
          debitAccountId: a.clearing,
          creditAccountId: a.available,
          amount: 5n,
          code,
          flags: { linked: true },
        },
      ],
      expect: ["ok", "linked_event_failed", "linked_event_chain_open"],
    },
  ];

  for (const c of cases) {
    test(c.name, async () => {
      const f = await fixture();
      if (c.setup) {
        const setup = await transfer(c.setup(f));
        assert.ok(
          setup.every((r) => r.result === "ok" || r.result === "exceeds_credits"),
          JSON.stringify(setup),
        );
      }
      assert.deepEqual(await results(c.transfers(f)), c.expect);
    });
  }
});

describe("linked transfers", () => {
  test("a chain succeeds or fails as a unit; other chains are independent (TigerBeetle's A B C D E)", async () => {
    const { a, id } = await fixture();
    const before = await balances(a.available);
    const out = await results([
      { id: id("A"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 10n, code },
      {
        id: id("B"),
        debitAccountId: a.clearing,
        creditAccountId: a.available,
        amount: 10n,
        code,
        flags: { linked: true },
      },
      {
        id: id("C"),
        debitAccountId: a.available,
        creditAccountId: a.fees,
        amount: 100n,
        code,
        flags: { linked: true },
      },
      { id: id("D"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 10n, code },
      { id: id("E"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 10n, code },
    ]);
    assert.deepEqual(out, ["ok", "linked_event_failed", "exceeds_credits", "linked_event_failed", "ok"]);
    const after = await balances(a.available);
    assert.equal(after.creditsPosted - before.creditsPosted, 20n);
    const found = await ledger.lookupTransfers(handle.db, [id("A"), id("B"), id("C"), id("D"), id("E")]);
    assert.deepEqual(
      found.map((t) => t.id),
      [id("A"), id("E")],
    );
  });

  test("later transfers in a chain see the effects of earlier ones", async () => {
    const { a, id } = await fixture();
    const out = await results([
      {
        id: id("fund"),
        debitAccountId: a.clearing,
        creditAccountId: a.available,
        amount: 70n,
        code,
        flags: { linked: true },
      },
      { id: id("fee"), debitAccountId: a.available, creditAccountId: a.fees, amount: 70n, code },
    ]);
    assert.deepEqual(out, ["ok", "ok"]);
    assert.deepEqual(await balances(a.available), bal(0n, 70n, 0n, 70n));
  });

  test("a failed chain undoes pending holds and posts made earlier in the chain", async () => {
    const { a, id } = await fixture();
    await transfer([
      {
        id: id("p"),
        debitAccountId: a.clearing,
        creditAccountId: a.pending,
        amount: 40n,
        code,
        flags: { pending: true },
      },
    ]);
    const out = await results([
      { id: id("post"), pendingId: id("p"), flags: { postPendingTransfer: true, linked: true } },
      {
        id: id("hold"),
        debitAccountId: a.clearing,
        creditAccountId: a.pending,
        amount: 9n,
        code,
        flags: { pending: true, linked: true },
      },
      { id: id("bad"), debitAccountId: a.available, creditAccountId: a.fees, amount: 1n, code },
    ]);
    assert.deepEqual(out, ["linked_event_failed", "linked_event_failed", "exceeds_credits"]);
    assert.deepEqual(await balances(a.pending), bal(0n, 0n, 40n, 0n));
    const [p] = await ledger.lookupTransfers(handle.db, [id("p")]);
    assert.equal(p?.pendingStatus, "pending");
    // The chain's other ids were not burnt: only the failing one is remembered.
    assert.deepEqual(
      await results([{ id: id("post"), pendingId: id("p"), flags: { postPendingTransfer: true } }]),
      ["ok"],
    );
  });

  test("replaying a committed chain answers exists for every transfer", async () => {
    const { a, id } = await fixture();
    const chain: TransferInput[] = [
      {
        id: id("1"),
        debitAccountId: a.clearing,
        creditAccountId: a.available,
        amount: 5n,
        code,
        flags: { linked: true },
      },
      { id: id("2"), debitAccountId: a.available, creditAccountId: a.fees, amount: 1n, code },
    ];
    assert.deepEqual(await results(chain), ["ok", "ok"]);
    const before = await balances(a.available);
    assert.deepEqual(await results(chain), ["exists", "exists"]);
    assert.deepEqual(await balances(a.available), before);
  });
});

describe("two-phase transfers", () => {
  test("post in full, post partially (the rest is released), void", async () => {
    const { a, id } = await fixture();
    const hold = (name: string, amount: bigint): TransferInput => ({
      id: id(name),
      debitAccountId: a.clearing,
      creditAccountId: a.pending,
      amount,
      code,
      flags: { pending: true },
    });
    assert.deepEqual(await results([hold("p1", 100n), hold("p2", 100n), hold("p3", 100n)]), [
      "ok",
      "ok",
      "ok",
    ]);
    assert.deepEqual(await balances(a.pending), bal(0n, 0n, 300n, 0n));
    assert.deepEqual(
      await results([
        { id: id("post1"), pendingId: id("p1"), flags: { postPendingTransfer: true } },
        { id: id("post2"), pendingId: id("p2"), amount: 30n, flags: { postPendingTransfer: true } },
        { id: id("void3"), pendingId: id("p3"), flags: { voidPendingTransfer: true } },
      ]),
      ["ok", "ok", "ok"],
    );
    assert.deepEqual(await balances(a.pending), bal(0n, 0n, 0n, 130n));
    assert.deepEqual(await balances(a.clearing), bal(0n, 130n, 0n, 0n));
    const [post2, void3, p2] = await ledger.lookupTransfers(handle.db, [id("post2"), id("void3"), id("p2")]);
    assert.equal(post2?.amount, 30n);
    assert.equal(post2?.debitAccountId, a.clearing);
    assert.equal(void3?.amount, 100n);
    assert.equal(p2?.pendingStatus, "posted");
    // Each pending transfer resolves at most once.
    assert.deepEqual(
      await results([
        { id: id("again1"), pendingId: id("p1"), flags: { voidPendingTransfer: true } },
        { id: id("again2"), pendingId: id("p2"), flags: { postPendingTransfer: true } },
        { id: id("again3"), pendingId: id("p3"), flags: { postPendingTransfer: true } },
      ]),
      [
        "pending_transfer_already_posted",
        "pending_transfer_already_posted",
        "pending_transfer_already_voided",
      ],
    );
    // Retrying the post itself is idempotent.
    assert.deepEqual(
      await results([
        { id: id("post2"), pendingId: id("p2"), amount: 30n, flags: { postPendingTransfer: true } },
      ]),
      ["exists"],
    );
  });

  test("pending and its post in the same batch", async () => {
    const { a, id } = await fixture();
    assert.deepEqual(
      await results([
        {
          id: id("p"),
          debitAccountId: a.clearing,
          creditAccountId: a.pending,
          amount: 8n,
          code,
          flags: { pending: true },
        },
        { id: id("post"), pendingId: id("p"), amount: 3n, flags: { postPendingTransfer: true } },
      ]),
      ["ok", "ok"],
    );
    assert.deepEqual(await balances(a.pending), bal(0n, 0n, 0n, 3n));
    const [p] = await ledger.lookupTransfers(handle.db, [id("p")]);
    assert.equal(p?.pendingStatus, "posted");
  });

  test("timeout: the expiry job releases the hold; a late post is refused and releases it itself", async () => {
    const { a, id, merchantId } = await fixture();
    const expire = () => tx((t) => ledger.expirePendingTransfers(t, clock.now(), { merchantId }));
    await transfer([
      { id: id("fund"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 100n, code },
    ]);
    const hold = (name: string, timeout: number): TransferInput => ({
      id: id(name),
      debitAccountId: a.available,
      creditAccountId: a.pending,
      amount: 60n,
      code,
      flags: { pending: true },
      timeout,
    });
    assert.deepEqual(await results([hold("h1", 60)]), ["ok"]);
    assert.deepEqual(await results([hold("h2", 60)]), ["exceeds_credits"]);
    clock.advance(59_000);
    assert.deepEqual(await expire(), []);
    clock.advance(1_000);
    assert.deepEqual(await expire(), [id("h1")]);
    assert.deepEqual(await balances(a.available), bal(0n, 0n, 0n, 100n));
    assert.deepEqual(
      await results([{ id: id("late"), pendingId: id("h1"), flags: { postPendingTransfer: true } }]),
      ["pending_transfer_expired"],
    );

    assert.deepEqual(await results([hold("h3", 10)]), ["ok"]);
    clock.advance(10_000);
    assert.deepEqual(
      await results([{ id: id("late3"), pendingId: id("h3"), flags: { voidPendingTransfer: true } }]),
      ["pending_transfer_expired"],
    );
    assert.deepEqual(await balances(a.available), bal(0n, 0n, 0n, 100n));
    const [h3] = await ledger.lookupTransfers(handle.db, [id("h3")]);
    assert.equal(h3?.pendingStatus, "expired");
  });

  test("voiding is allowed on a closed account, posting is not", async () => {
    const { a, id } = await fixture();
    await transfer([
      {
        id: id("p1"),
        debitAccountId: a.clearing,
        creditAccountId: a.pending,
        amount: 5n,
        code,
        flags: { pending: true },
      },
      {
        id: id("p2"),
        debitAccountId: a.clearing,
        creditAccountId: a.pending,
        amount: 5n,
        code,
        flags: { pending: true },
      },
    ]);
    await tx((t) => ledger.setAccountClosed(t, a.pending, true));
    assert.deepEqual(
      await results([
        { id: id("post"), pendingId: id("p1"), flags: { postPendingTransfer: true } },
        { id: id("void"), pendingId: id("p2"), flags: { voidPendingTransfer: true } },
      ]),
      ["credit_account_already_closed", "ok"],
    );
    await tx((t) => ledger.setAccountClosed(t, a.pending, false));
    assert.deepEqual(
      await results([{ id: id("post2"), pendingId: id("p1"), flags: { postPendingTransfer: true } }]),
      ["ok"],
    );
  });
});

describe("hot accounts", () => {
  test("a sharded account spreads safe-direction transfers and sums its shards on read", async () => {
    const { a, id } = await fixture();
    const batch: TransferInput[] = [];
    for (let i = 0; i < 12; i++) {
      batch.push({ id: id(`in${i}`), debitAccountId: a.hot, creditAccountId: a.pending, amount: 10n, code });
    }
    // One batch takes one shard; separate calls rotate over shards.
    assert.ok((await results(batch.slice(0, 6))).every((r) => r === "ok"));
    for (const t of batch.slice(6)) assert.deepEqual(await results([t]), ["ok"]);
    const [hot] = await ledger.lookupAccounts(handle.db, [a.hot]);
    assert.equal(hot?.debitsPosted, 120n);
    assert.equal(hot?.shards, 4);
    const shards = await handle.db
      .withTables<{ ledger_account_shards: { account_id: string; shard: number; debits_posted: bigint } }>()
      .selectFrom("ledger_account_shards")
      .select(["shard", "debits_posted"])
      .where("account_id", "=", a.hot)
      .execute();
    assert.equal(shards.length, 3);
    assert.ok(
      shards.filter((s) => s.debits_posted > 0n).length > 1,
      JSON.stringify(shards, (_k, v) => String(v)),
    );
  });

  test("a sharded account with a balance constraint checks the sum of its shards", async () => {
    const { merchantId, id, a } = await fixture();
    const wallet = await tx((t) =>
      ledger.createAccount(t, {
        merchantId,
        livemode: false,
        currency: "usd",
        code: AccountCode.merchant_reserve,
        reference: "sharded",
        flags: { debitsMustNotExceedCredits: true },
        shards: 3,
      }),
    );
    assert.match(wallet.id, /^la_/);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(
        await results([
          { id: id(`fund${i}`), debitAccountId: a.clearing, creditAccountId: wallet.id, amount: 10n, code },
        ]),
        ["ok"],
      );
    }
    assert.deepEqual(
      await results([
        { id: id("spend1"), debitAccountId: wallet.id, creditAccountId: a.fees, amount: 25n, code },
        { id: id("spend2"), debitAccountId: wallet.id, creditAccountId: a.fees, amount: 6n, code },
        { id: id("spend3"), debitAccountId: wallet.id, creditAccountId: a.fees, amount: 5n, code },
      ]),
      ["ok", "exceeds_credits", "ok"],
    );
    const [after] = await ledger.lookupAccounts(handle.db, [wallet.id]);
    assert.equal(after?.creditsPosted, 30n);
    assert.equal(after?.debitsPosted, 30n);
  });
});

describe("accounts and reads", () => {
  test("createAccount returns the existing identical account and refuses a conflicting one", async () => {
    const merchantId = await createTestMerchant(handle.db, clock.now());
    const spec: AccountSpec = {
      merchantId,
      livemode: false,
      currency: "jpy",
      code: AccountCode.merchant_available,
      flags: { debitsMustNotExceedCredits: true },
    };
    const first = await tx((t) => ledger.createAccount(t, spec));
    const again = await tx((t) => ledger.createAccount(t, spec));
    assert.equal(again.id, first.id);
    await assert.rejects(
      tx((t) => ledger.createAccount(t, { ...spec, flags: {} })),
      (e: unknown) => e instanceof LedgerError && e.code === "account_exists_with_different_spec",
    );
    const invalid: [Partial<AccountSpec>, string][] = [
      [{ currency: "xyz" }, "invalid_currency"],
      [{ code: 999 }, "invalid_account_code"],
      [{ merchantId: null }, "merchant_required"],
      [{ code: AccountCode.platform_fee_revenue }, "platform_account"],
      [
        { flags: { debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: true } },
        "flags_are_mutually_exclusive",
      ],
      [{ shards: 0 }, "invalid_shards"],
    ];
    for (const [change, expected] of invalid) {
      await assert.rejects(
        tx((t) => ledger.createAccount(t, { ...spec, reference: "x", ...change })),
        (e: unknown) => e instanceof LedgerError && e.code === expected,
      );
    }
    await assert.rejects(
      ledger.createAccount(handle.db, { ...spec, reference: "y" }),
      (e: unknown) => e instanceof LedgerError && e.code === "transaction_required",
    );
    await assert.rejects(
      ledger.createTransfers(handle.db, []),
      (e: unknown) => e instanceof LedgerError && e.code === "transaction_required",
    );
    const platform = await ledger.listAccounts(handle.db, { merchantId, livemode: false });
    assert.deepEqual(
      platform.map((x) => x.id),
      [first.id],
    );
  });

  test("an account re-created with other settings after a rollback is not mistaken for the cached one", async () => {
    const { a, id, merchantId } = await fixture();
    const spec: AccountSpec = {
      id: `la_${uniqueTag()}_again`,
      merchantId,
      livemode: false,
      currency: "usd",
      code: AccountCode.merchant_reserve,
      reference: "again",
    };
    const spend: TransferInput[] = [
      { id: id("spend"), debitAccountId: spec.id!, creditAccountId: a.fees, amount: 5n, code },
    ];
    await assert.rejects(
      tx(async (t) => {
        await ledger.createAccount(t, spec);
        assert.deepEqual(
          (await ledger.createTransfers(t, spend)).map((r) => r.result),
          ["ok"],
        );
        throw new Error("roll back");
      }),
      /roll back/,
    );
    await tx((t) => ledger.createAccount(t, { ...spec, flags: { debitsMustNotExceedCredits: true } }));
    await assert.rejects(transfer(spend), LedgerConflictError);
    assert.deepEqual(await results(spend), ["exceeds_credits"]);
  });

  test("getAccountTransfers pages newest first over both sides; transfersByUserData", async () => {
    const { a, id } = await fixture();
    for (let i = 0; i < 5; i++) {
      await transfer([
        {
          id: id(`in${i}`),
          debitAccountId: a.clearing,
          creditAccountId: a.available,
          amount: 10n,
          code,
          userData: "pi_x",
        },
        {
          id: id(`out${i}`),
          debitAccountId: a.available,
          creditAccountId: a.fees,
          amount: 1n,
          code,
          userData: "pi_x",
        },
      ]);
    }
    const seen: string[] = [];
    let startingAfter: string | undefined;
    for (;;) {
      const page = await ledger.getAccountTransfers(handle.db, a.available, { limit: 3, startingAfter });
      seen.push(...page.data.map((t) => t.id));
      if (!page.hasMore) break;
      startingAfter = page.data.at(-1)?.id;
    }
    const expected = [0, 1, 2, 3, 4].flatMap((i) => [id(`in${i}`), id(`out${i}`)]).reverse();
    assert.deepEqual(seen, expected);
    const asc = await ledger.getAccountTransfers(handle.db, a.available, { limit: 2, order: "asc" });
    assert.deepEqual(
      asc.data.map((t) => t.id),
      [id("in0"), id("out0")],
    );
    assert.equal(asc.hasMore, true);
    const caused = await ledger.transfersByUserData(handle.db, "pi_x");
    assert.ok(caused.filter((t) => t.debitAccountId === a.available).length === 5);
  });

  test("a big batch applies in one evaluation with exact per-transfer outcomes", async () => {
    const { a, id } = await fixture();
    const batch: TransferInput[] = [
      { id: id("fund"), debitAccountId: a.clearing, creditAccountId: a.available, amount: 500n, code },
    ];
    for (let i = 0; i < 1000; i++) {
      batch.push({
        id: id(`fee${i}`),
        debitAccountId: a.available,
        creditAccountId: a.hot,
        amount: 1n,
        code,
      });
    }
    const out = await transfer(batch);
    assert.equal(out.filter((r) => r.result === "ok").length, 501);
    assert.ok(out.slice(501).every((r) => r.result === "exceeds_credits"));
    assert.deepEqual(await balances(a.available), bal(0n, 500n, 0n, 500n));
  });
});
