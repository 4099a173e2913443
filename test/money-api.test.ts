import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { ManualClock } from "../src/core/clock.ts";
import { TransferCode, verifyLedger } from "../src/ledger/index.ts";
import { CARD, startTestServer, type TestServer } from "./support/server.ts";

/**
 * The money API over real HTTP: fee rules, surcharges, destination charges and splits, authorization holds,
 * refunds racing for one balance, payouts and their schedules, the rolling reserve, chargebacks, platform
 * transfers and tenancy. Every figure is checked to the minor unit.
 *
 * The clock starts in the future (a Monday) so real-time workers of other test processes sharing a
 * PostgreSQL database never see these funds as matured. Every test makes its own merchants, and leaves no
 * scheduled payout holder behind. The settlement job is global: `settle()` releases whatever has matured in
 * the database, so assertions look at this file's merchants only, never at global counts.
 */
const DAY = 86_400_000;
const clock = new ManualClock(new Date(Date.UTC(2027, 2, 1, 10, 0, 0)));
let server: TestServer;

before(async () => {
  server = await startTestServer({ clock, manualWorker: true });
});
after(() => server.close());

const money = () => server.payrail.money;
const db = () => server.payrail.ctx.db;
const ruleId = () => `fr_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

type Body = Record<string, any>;

interface Api {
  id: string;
  key: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }>;
  ok(method: string, path: string, body?: unknown): Promise<any>;
  fails(
    method: string,
    path: string,
    body: unknown,
    expected: { status: number; code: string; param?: string },
  ): Promise<Body>;
}

function apiFor(key: string, id: string): Api {
  const call = (method: string, path: string, body?: unknown) =>
    server.request(method, path, body === undefined ? { key } : { key, body });
  return {
    id,
    key,
    call,
    async ok(method, path, body) {
      const r = await call(method, path, body);
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
      return r.body;
    },
    async fails(method, path, body, expected) {
      const r = await call(method, path, body);
      assert.equal(r.status, expected.status, `${method} ${path}: ${r.status} ${r.text}`);
      assert.equal(r.body?.error?.code, expected.code, r.text);
      if (expected.param !== undefined) assert.equal(r.body.error.param, expected.param, r.text);
      return r.body.error;
    },
  };
}

/**
 * A fresh merchant. Unless `fees` is false, it gets merchant-scoped fee rules of 0 for both kinds, which beat
 * any global rule another test process may have left in a shared database: its payments carry no fee.
 */
async function newMerchant(name: string, options: { fees?: boolean } = {}): Promise<Api> {
  const m = await server.newMerchant(name);
  if (options.fees !== false) {
    for (const kind of ["provider_fee", "platform_fee"] as const) {
      await money().money.fees.add(
        { merchantId: m.merchant_id, livemode: false, kind, percentBps: 0 },
        ruleId(),
        clock.now(),
      );
    }
  }
  return apiFor(m.secret_key, m.merchant_id);
}

const BANK = { iban: "DE89 3704 0044 0532 0130 00", account_holder_name: "Anna Schmidt" };
const schedule = (interval: string, delayDays: number, extra: Body = {}) => ({
  payouts: { schedule: { interval, delay_days: delayDays, ...extra } },
});

async function pay(api: Api, amount: number, extra: Body = {}, currency = "usd"): Promise<Body> {
  const pi = await api.ok("POST", "/v1/payment_intents", {
    amount,
    currency,
    confirm: true,
    payment_method_data: CARD("4242424242424242"),
    ...extra,
  });
  assert.equal(pi.status, extra.capture_method === "manual" ? "requires_capture" : "succeeded");
  return pi;
}

async function balanceOf(api: Api, account?: string, currency = "usd") {
  const b = await api.ok("GET", `/v1/balance${account ? `?account=${account}` : ""}`);
  const pick = (list: Array<{ amount: number; currency: string }>) =>
    list.find((x) => x.currency === currency)?.amount ?? 0;
  return { available: pick(b.available), pending: pick(b.pending), reserved: pick(b.reserved) };
}

async function transactions(api: Api, query: string): Promise<any[]> {
  const list = await api.ok("GET", `/v1/balance_transactions?limit=100&${query}`);
  assert.equal(list.has_more, false);
  return list.data;
}

/**
 * Releases every matured fund (in as many passes as it takes: a pass handles at most 200 holders), then
 * creates the scheduled payouts of the day.
 */
async function settle(): Promise<number> {
  const s = money().settlement;
  for (let i = 0; i < 50 && (await s.releaseMatured(clock.now())) > 0; i++);
  return s.scheduledPayouts(clock.now());
}

async function ledgerClean() {
  const verified = await verifyLedger(db(), clock.now());
  assert.deepEqual(verified.violations, []);
  assert.equal(verified.ok, true);
}

const ledgerAccount = async (id: string) => {
  const [account] = await money().money.ledger.lookupAccounts(db(), [id]);
  assert.ok(account, `ledger account ${id}`);
  return account;
};

const pendingAccountOf = (api: Api, currency = "usd") => `la_test_${currency}_${api.id}_self_pending`;

/** Unix seconds of 00:00 UTC, `days` after today on the test clock: when funds captured today mature. */
const startOfDay = (days: number) => {
  const now = clock.now();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days) / 1000;
};

const feeView = (bt: Body) => ({
  amount: bt.amount,
  fee: bt.fee,
  net: bt.net,
  details: bt.fee_details.map((d: Body) => [d.type, d.amount]),
});

// ---------------------------------------------------------------------------------------------------------
// 1. Fee rules

test("fee rules: a merchant's rule beats a global one; percent + fixed, half-up, clamped to min and max", async () => {
  const a = await newMerchant("Fees A", { fees: false });
  const b = await newMerchant("Fees B", { fees: false });
  const fees = money().money.fees;
  const now = clock.now();
  const added = [
    // Global rules, for NOK only (a currency the rest of the suite does not use).
    await fees.add(
      {
        merchantId: null,
        livemode: false,
        kind: "provider_fee",
        currency: "nok",
        percentBps: 500,
        fixedAmount: 100n,
      },
      ruleId(),
      now,
    ),
    await fees.add(
      { merchantId: null, livemode: false, kind: "platform_fee", currency: "nok", percentBps: 300 },
      ruleId(),
      now,
    ),
    // A's own: 2.9 % + 0.30 in NOK, at least 0.50, at most 2.00; and 1 % platform fee in any currency, which
    // beats the global NOK rule although that one names the currency.
    await fees.add(
      {
        merchantId: a.id,
        livemode: false,
        kind: "provider_fee",
        currency: "nok",
        percentBps: 290,
        fixedAmount: 30n,
        minimumAmount: 50n,
        maximumAmount: 200n,
      },
      ruleId(),
      now,
    ),
    await fees.add(
      { merchantId: a.id, livemode: false, kind: "platform_fee", percentBps: 100 },
      ruleId(),
      now,
    ),
  ];
  try {
    const cases: Array<[number, number, number]> = [
      // amount, provider fee, platform fee
      [500, 50, 5], // 14.5 → 15, + 30 = 45, raised to the minimum 50; 5.00 platform
      [1_550, 75, 16], // 44.95 → 45, + 30 = 75; 15.5 → 16 (half up)
      [1_050, 60, 11], // 30.45 → 30, + 30 = 60; 10.5 → 11
      [10_000, 200, 100], // 290 + 30 = 320, cut to the maximum 200
    ];
    let pending = 0;
    for (const [amount, provider, platform] of cases) {
      const pi = await pay(a, amount, {}, "nok");
      const [bt] = await transactions(a, `source=${pi.id}&type=payment`);
      assert.deepEqual(feeView(bt), {
        amount,
        fee: provider + platform,
        net: amount - provider - platform,
        details: [
          ["platform_fee", platform],
          ["provider_fee", provider],
        ],
      });
      assert.equal(bt.currency, "nok");
      assert.equal(bt.status, "pending");
      pending += amount - provider - platform;
    }
    assert.equal(pending, 445 + 1_459 + 979 + 9_700);
    assert.equal((await balanceOf(a, undefined, "nok")).pending, pending);

    // B has no rule of its own: the global NOK rules, 5 % + 1.00 and 3 %.
    const other = await pay(b, 10_000, {}, "nok");
    const [otherBt] = await transactions(b, `source=${other.id}&type=payment`);
    assert.deepEqual(feeView(otherBt), {
      amount: 10_000,
      fee: 900,
      net: 9_100,
      details: [
        ["platform_fee", 300],
        ["provider_fee", 600],
      ],
    });
    assert.equal((await balanceOf(b, undefined, "nok")).pending, 9_100);

    // Where the fees went: the platform fee to fee revenue, the provider fee back to the provider's clearing.
    const postings = await money().money.ledger.transfersByUserData(db(), other.id);
    const feeLegs = postings
      .filter((t) => t.code === TransferCode.payment_fee || t.code === TransferCode.provider_fee)
      .map((t) => [t.creditAccountId, t.amount]);
    assert.deepEqual(feeLegs.sort(), [
      ["la_test_nok_platform_platform_fee_revenue", 300n],
      [`la_test_nok_platform_provider_clearing_${other.connector_account}`, 600n],
    ]);
  } finally {
    for (const rule of added) await fees.remove(rule.id);
  }
  await ledgerClean();
});

test("fee rules: two fees that together exceed a small payment are capped at its amount", {}, async () => {
  const a = await newMerchant("Fees over", { fees: false });
  const fees = money().money.fees;
  const now = clock.now();
  const added = [
    await fees.add(
      { merchantId: a.id, livemode: false, kind: "provider_fee", currency: "usd", minimumAmount: 50n },
      ruleId(),
      now,
    ),
    await fees.add(
      { merchantId: a.id, livemode: false, kind: "platform_fee", currency: "usd", minimumAmount: 50n },
      ruleId(),
      now,
    ),
  ];
  try {
    // 0.60 with a 0.50 minimum for each kind: 1.00 of fees on a 0.60 payment the provider has captured.
    const r = await a.call("POST", "/v1/payment_intents", {
      amount: 60,
      currency: "usd",
      confirm: true,
      payment_method_data: CARD("4242424242424242"),
    });
    const [pi] = (await a.ok("GET", "/v1/payment_intents")).data;
    assert.equal(
      pi.status,
      "succeeded",
      "the provider captured the card: the payment is not left processing",
    );
    assert.equal(r.status, 200, r.text);
    const [bt] = await transactions(a, `source=${pi.id}&type=payment`);
    assert.equal(bt.amount, 60);
    assert.ok(bt.fee <= 60, `fee ${bt.fee} is at most the amount`);
    assert.ok((await balanceOf(a)).pending >= 0);
  } finally {
    for (const rule of added) await fees.remove(rule.id);
  }
  await ledgerClean();
});

/** The balance transactions explain the balance: their net adds up to available + pending + reserved. */
async function assertExplained(api: Api, account?: string, currency = "usd") {
  const bts = await transactions(api, `currency=${currency}${account ? `&account=${account}` : ""}`);
  const b = await balanceOf(api, account, currency);
  assert.equal(
    bts.reduce((s, t) => s + t.net, 0),
    b.available + b.pending + b.reserved,
    `balance transactions of ${account ?? api.id} add up to its balance ${JSON.stringify(b)}`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// 2. Surcharge

test("surcharge: refused on cards where the merchant's country bans it, added to the amount in the US", async () => {
  const m = await newMerchant("Surcharge", { fees: false });
  const fees = money().money.fees;
  const now = clock.now();
  const added = [
    await fees.add(
      {
        merchantId: m.id,
        livemode: false,
        kind: "provider_fee",
        currency: "usd",
        percentBps: 290,
        fixedAmount: 30n,
      },
      ruleId(),
      now,
    ),
    await fees.add(
      { merchantId: m.id, livemode: false, kind: "platform_fee", percentBps: 50 },
      ruleId(),
      now,
    ),
  ];
  const body = {
    amount: 10_000,
    currency: "usd",
    confirm: true,
    payment_method_data: CARD("4242424242424242"),
  };
  try {
    for (const country of ["DE", "fr", "GB"]) {
      const account = await m.ok("POST", "/v1/account", {
        fee_bearer: "customer",
        surcharge_country: country,
      });
      assert.equal(account.fee_bearer, "customer");
      assert.equal(account.surcharge_country, country.toUpperCase());
      const error = await m.fails("POST", "/v1/payment_intents", body, {
        status: 400,
        code: "surcharge_not_allowed",
        param: "payment_method_data",
      });
      assert.match(error.message, new RegExp(`in ${country.toUpperCase()}`));
    }
    assert.equal((await m.ok("GET", "/v1/payment_intents")).data.length, 0, "no payment was created");

    await m.ok("POST", "/v1/account", { surcharge_country: "US" });
    const pi = await pay(m, 10_000);
    // 2.9 % + 0.30 = 3.20 and 0.5 % = 0.50 on the goods: the shopper pays 103.70.
    assert.equal(pi.surcharge_amount, 370);
    assert.equal(pi.amount, 10_370);
    assert.equal(pi.amount_received, 10_370);
    const [bt] = await transactions(m, `source=${pi.id}&type=payment`);
    assert.deepEqual(feeView(bt), {
      amount: 10_370,
      fee: 370,
      net: 10_000,
      details: [
        ["platform_fee", 50],
        ["provider_fee", 320],
      ],
    });
    assert.equal((await balanceOf(m)).pending, 10_000);

    // The merchant bearing the fees may sell in Germany: no surcharge, the fees come out of its 100.00.
    await m.ok("POST", "/v1/account", { fee_bearer: "merchant", surcharge_country: "DE" });
    const plain = await pay(m, 10_000);
    assert.equal(plain.surcharge_amount, 0);
    assert.equal(plain.amount, 10_000);
    const [plainBt] = await transactions(m, `source=${plain.id}&type=payment`);
    assert.deepEqual([plainBt.amount, plainBt.fee, plainBt.net], [10_000, 370, 9_630]);
    assert.equal((await balanceOf(m)).pending, 19_630);
    await assertExplained(m);
  } finally {
    for (const rule of added) await fees.remove(rule.id);
  }
  await ledgerClean();
});

// ---------------------------------------------------------------------------------------------------------
// 3. Destination charges and splits

test("destination charge: seller and platform pending balances; pro-rata refund; split validation", async () => {
  const p = await newMerchant("Marketplace", { fees: false });
  const fees = money().money.fees;
  const rule = await fees.add(
    {
      merchantId: p.id,
      livemode: false,
      kind: "provider_fee",
      currency: "usd",
      percentBps: 290,
      fixedAmount: 30n,
    },
    ruleId(),
    clock.now(),
  );
  try {
    await fees.add(
      { merchantId: p.id, livemode: false, kind: "platform_fee", percentBps: 0 },
      ruleId(),
      clock.now(),
    );
    const seller = await p.ok("POST", "/v1/accounts", {
      display_name: "Seller",
      settings: schedule("manual", 2),
    });
    const seller2 = await p.ok("POST", "/v1/accounts", {
      display_name: "Seller 2",
      settings: schedule("manual", 2),
    });
    assert.equal(seller.type, "connected");

    const pi = await pay(p, 10_000, {
      application_fee_amount: 1_250,
      transfer_data: { destination: seller.id },
    });
    assert.deepEqual(pi.transfer_data, { destination: seller.id });
    assert.equal(pi.application_fee_amount, 1_250);
    // The platform keeps 12.50 and pays the 3.20 processing fee from it; the seller gets 87.50.
    assert.deepEqual(await balanceOf(p), { available: 0, pending: 930, reserved: 0 });
    assert.deepEqual(await balanceOf(p, seller.id), { available: 0, pending: 8_750, reserved: 0 });
    const platformBts = (await transactions(p, `source=${pi.id}`)).map((t) => [
      t.type,
      t.amount,
      t.fee,
      t.net,
    ]);
    assert.deepEqual(platformBts.sort(), [
      ["payment", 10_000, 320, 9_680],
      ["transfer", -8_750, 0, -8_750],
    ]);
    const [sellerBt] = await transactions(p, `account=${seller.id}&source=${pi.id}`);
    assert.deepEqual([sellerBt.type, sellerBt.amount, sellerBt.status], ["payment", 8_750, "pending"]);
    assert.equal(sellerBt.available_on, startOfDay(2));

    // A 20.00 refund is shared as the payment was: 12.50 : 87.50 → 2.50 and 17.50.
    const refund = await p.ok("POST", "/v1/refunds", { payment_intent: pi.id, amount: 2_000 });
    assert.equal(refund.status, "succeeded");
    assert.deepEqual(await balanceOf(p), { available: 0, pending: 680, reserved: 0 });
    assert.deepEqual(await balanceOf(p, seller.id), { available: 0, pending: 7_000, reserved: 0 });

    // Percent splits: the 89.99 the platform does not keep, 33.33 % / 66.67 %, largest remainder.
    const split = await pay(p, 10_000, {
      application_fee_amount: 1_001,
      splits: [
        { destination: seller.id, percent: 33.33 },
        { destination: seller2.id, percent: 66.67 },
      ],
    });
    assert.deepEqual(
      split.splits.map((s: Body) => [s.destination, s.amount]),
      [
        [seller.id, 2_999],
        [seller2.id, 6_000],
      ],
    );
    assert.deepEqual(await balanceOf(p), { available: 0, pending: 680 + 1_001 - 320, reserved: 0 });
    assert.equal((await balanceOf(p, seller.id)).pending, 7_000 + 2_999);
    assert.equal((await balanceOf(p, seller2.id)).pending, 6_000);
    for (const account of [undefined, seller.id, seller2.id]) await assertExplained(p, account);

    // Validation: nothing below creates a payment.
    const base = {
      amount: 10_000,
      currency: "usd",
      confirm: true,
      payment_method_data: CARD("4242424242424242"),
    };
    const create = (extra: Body, expected: { status: number; code: string; param?: string }) =>
      p.fails("POST", "/v1/payment_intents", { ...base, ...extra }, expected);
    const unknown = "acct_doesnotexist0000001";
    const missing = await create(
      { application_fee_amount: 100, transfer_data: { destination: unknown } },
      { status: 404, code: "resource_missing", param: "transfer_data[destination]" },
    );
    assert.match(missing.message, new RegExp(unknown));
    await create(
      {
        splits: [
          { destination: seller.id, amount: 5_000 },
          { destination: unknown, amount: 5_000 },
        ],
      },
      { status: 404, code: "resource_missing", param: "splits[1][destination]" },
    );
    await create(
      { application_fee_amount: 100 },
      { status: 400, code: "parameter_invalid", param: "application_fee_amount" },
    );
    await create(
      { application_fee_amount: 10_001, transfer_data: { destination: seller.id } },
      { status: 400, code: "amount_too_large", param: "application_fee_amount" },
    );
    const sums = await create(
      {
        application_fee_amount: 1_000,
        splits: [
          { destination: seller.id, amount: 5_000 },
          { destination: seller2.id, amount: 3_000 },
        ],
      },
      { status: 400, code: "parameter_invalid", param: "splits" },
    );
    assert.match(sums.message, /8000.*9000/);
    await create(
      {
        splits: [
          { destination: seller.id, percent: 50 },
          { destination: seller2.id, percent: 30 },
        ],
      },
      { status: 400, code: "parameter_invalid", param: "splits" },
    );
    await create(
      {
        splits: [
          { destination: seller.id, percent: 33.333 },
          { destination: seller2.id, percent: 66.667 },
        ],
      },
      { status: 400, code: "parameter_invalid", param: "splits[0][percent]" },
    );
    await create(
      {
        splits: [
          { destination: seller.id, amount: 5_000 },
          { destination: seller2.id, percent: 50 },
        ],
      },
      { status: 400, code: "parameter_invalid", param: "splits" },
    );
    await create(
      { transfer_data: { destination: seller.id }, splits: [{ destination: seller2.id, amount: 10_000 }] },
      { status: 400, code: "parameter_invalid", param: "splits" },
    );
    assert.equal((await p.ok("GET", "/v1/payment_intents")).data.length, 2);
  } finally {
    await fees.remove(rule.id);
  }
  await ledgerClean();
});

// ---------------------------------------------------------------------------------------------------------
// 4. Manual capture

test("manual capture: the authorization is a ledger hold; partial then final capture; cancel voids it", async () => {
  const m = await newMerchant("Manual capture");
  const ledger = money().money.ledger;
  const hold = async (id: string) => {
    const [t] = await ledger.lookupTransfers(db(), [id]);
    assert.ok(t, `transfer ${id}`);
    return t;
  };
  const pi = await pay(m, 10_000, { capture_method: "manual" });
  assert.equal(pi.amount_capturable, 10_000);
  const first = await hold(`${pi.id}.hold.1`);
  assert.equal(first.amount, 10_000n);
  assert.equal(first.pendingStatus, "pending");
  assert.equal(first.flags.pending, true);
  assert.equal(first.creditAccountId, pendingAccountOf(m));
  // Held funds are not the merchant's yet.
  assert.deepEqual(await balanceOf(m), { available: 0, pending: 0, reserved: 0 });
  assert.equal((await ledgerAccount(pendingAccountOf(m))).creditsPending, 10_000n);

  const partial = await m.ok("POST", `/v1/payment_intents/${pi.id}/capture`, {
    amount_to_capture: 2_500,
    final_capture: false,
  });
  assert.equal(partial.status, "requires_capture");
  assert.equal(partial.amount_received, 2_500);
  assert.equal(partial.amount_capturable, 7_500);
  assert.equal((await hold(`${pi.id}.hold.1`)).pendingStatus, "posted");
  const second = await hold(`${pi.id}.hold.2`);
  assert.equal(second.amount, 7_500n);
  assert.equal(second.pendingStatus, "pending");
  assert.deepEqual(await balanceOf(m), { available: 0, pending: 2_500, reserved: 0 });

  const final = await m.ok("POST", `/v1/payment_intents/${pi.id}/capture`, { amount_to_capture: 4_000 });
  assert.equal(final.status, "succeeded");
  assert.equal(final.amount_received, 6_500);
  assert.equal(final.amount_capturable, 0);
  assert.equal((await hold(`${pi.id}.hold.2`)).pendingStatus, "posted");
  assert.deepEqual(await ledger.lookupTransfers(db(), [`${pi.id}.hold.3`]), []);
  assert.deepEqual(await balanceOf(m), { available: 0, pending: 6_500, reserved: 0 });
  const captured = (await transactions(m, `source=${pi.id}`)).map((t) => [t.type, t.amount]);
  assert.deepEqual(captured.sort(), [
    ["payment", 2_500],
    ["payment", 4_000],
  ]);

  // A fresh authorization canceled: its hold is voided and the balance does not move.
  const other = await pay(m, 3_000, { capture_method: "manual" });
  assert.equal((await hold(`${other.id}.hold.1`)).pendingStatus, "pending");
  const canceled = await m.ok("POST", `/v1/payment_intents/${other.id}/cancel`, {});
  assert.equal(canceled.status, "canceled");
  assert.equal((await hold(`${other.id}.hold.1`)).pendingStatus, "voided");
  assert.deepEqual(await balanceOf(m), { available: 0, pending: 6_500, reserved: 0 });
  const account = await ledgerAccount(pendingAccountOf(m));
  assert.equal(account.creditsPending, 0n, "no hold is left open");
  assert.equal(account.creditsPosted - account.debitsPosted, 6_500n);
  await assertExplained(m);
  await ledgerClean();
});

// ---------------------------------------------------------------------------------------------------------
// 5. Refunds racing for one balance

test("refund race: concurrent refunds on one available balance; exactly the affordable ones pass", async () => {
  const m = await newMerchant("Refund race");
  await m.ok("POST", "/v1/account", { bank_account: BANK, settings: schedule("manual", 0) });
  const pis = [await pay(m, 4_000), await pay(m, 4_000), await pay(m, 4_000)];
  await settle();
  assert.deepEqual(await balanceOf(m), { available: 12_000, pending: 0, reserved: 0 });
  // A payout in flight holds half of it: 60.00 is spendable.
  const payout = await m.ok("POST", "/v1/payouts", { amount: 6_000, currency: "usd" });
  assert.equal((await balanceOf(m)).available, 6_000);

  // Six refunds of 15.00 (90.00) at once, two per payment: four fit. Like any client, each retries a
  // 409 lock_timeout (lost to a concurrent request) with its Idempotency-Key.
  const refund = async (paymentIntent: string) => {
    const key = `race-${randomUUID()}`;
    for (let attempt = 1; ; attempt++) {
      const r = await server.request("POST", "/v1/refunds", {
        key: m.key,
        body: { payment_intent: paymentIntent, amount: 1_500 },
        headers: { "idempotency-key": key },
      });
      if (r.status !== 409 || attempt === 5) return r;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  };
  const results = await Promise.all(pis.flatMap((pi) => [refund(pi.id), refund(pi.id)]));
  const passed = results.filter((r) => r.status === 200);
  const refused = results.filter((r) => r.status !== 200);
  assert.equal(passed.length, 4, results.map((r) => `${r.status} ${r.text}`).join("\n"));
  assert.equal(refused.length, 2);
  for (const r of passed) assert.equal(r.body.status, "succeeded");
  for (const r of refused) {
    assert.equal(r.status, 402, r.text);
    assert.equal(r.body.error.code, "balance_insufficient");
  }
  assert.deepEqual(await balanceOf(m), { available: 0, pending: 0, reserved: 0 });
  const available = await ledgerAccount(`la_test_usd_${m.id}_self_available`);
  assert.equal(available.creditsPosted - available.debitsPosted - available.debitsPending, 0n);
  const refunds = (await m.ok("GET", "/v1/refunds?limit=100")).data as Body[];
  assert.deepEqual(
    refunds.map((r) => [r.status, r.amount]),
    Array.from({ length: 4 }, () => ["succeeded", 1_500]),
    "refused refunds leave no row",
  );
  await assertExplained(m);
  await ledgerClean();

  // Canceling the payout frees its funds; the next refund fits.
  await m.ok("POST", `/v1/payouts/${payout.id}/cancel`, {});
  assert.equal((await balanceOf(m)).available, 6_000);
  const more = await m.ok("POST", "/v1/refunds", { payment_intent: (pis[0] as Body).id, amount: 1_000 });
  assert.equal(more.status, "succeeded");
  assert.equal((await balanceOf(m)).available, 5_000);
  await assertExplained(m);
  await ledgerClean();
});

// ---------------------------------------------------------------------------------------------------------
// 6. Payouts

test("payouts: no bank account, more than available, cancel returns the funds, a batched payout stays", async () => {
  const m = await newMerchant("Payouts");
  await m.ok("POST", "/v1/account", { settings: schedule("manual", 0) });
  await pay(m, 10_000);
  await settle();
  assert.deepEqual(await balanceOf(m), { available: 10_000, pending: 0, reserved: 0 });

  await m.fails(
    "POST",
    "/v1/payouts",
    { amount: 1_000, currency: "usd" },
    { status: 400, code: "no_bank_account", param: "bank_account" },
  );
  const account = await m.ok("POST", "/v1/account", { bank_account: BANK });
  assert.equal(account.bank_account.last4, "3000");
  await m.fails(
    "POST",
    "/v1/payouts",
    { amount: 10_001, currency: "usd" },
    { status: 402, code: "balance_insufficient", param: "amount" },
  );

  const payout = await m.ok("POST", "/v1/payouts", { amount: 4_000, currency: "usd", description: "Week 9" });
  assert.deepEqual(
    [payout.status, payout.amount, payout.automatic, payout.account],
    ["pending", 4_000, false, null],
  );
  assert.equal(payout.destination.last4, "3000");
  assert.equal((await balanceOf(m)).available, 6_000);
  await m.fails(
    "POST",
    "/v1/payouts",
    { amount: 6_001, currency: "usd" },
    { status: 402, code: "balance_insufficient", param: "amount" },
  );

  const canceled = await m.ok("POST", `/v1/payouts/${payout.id}/cancel`, {});
  assert.equal(canceled.status, "canceled");
  assert.equal((await balanceOf(m)).available, 10_000);
  const history = (await transactions(m, `payout=${payout.id}`)).map((t) => [t.type, t.amount]);
  assert.deepEqual(history.sort(), [
    ["payout", -4_000],
    ["payout_cancel", 4_000],
  ]);
  await m.fails(
    "POST",
    `/v1/payouts/${payout.id}/cancel`,
    {},
    { status: 400, code: "payout_not_cancelable" },
  );

  // Once in a file for the bank, a payout can no longer be canceled.
  const sent = await m.ok("POST", "/v1/payouts", { amount: 3_000, currency: "usd" });
  assert.ok((await money().bankBatches.batchPending()) >= 1);
  const error = await m.fails(
    "POST",
    `/v1/payouts/${sent.id}/cancel`,
    {},
    {
      status: 400,
      code: "payout_not_cancelable",
    },
  );
  assert.match(error.message, /file/);
  assert.equal((await m.ok("GET", `/v1/payouts/${sent.id}`)).status, "pending");
  assert.equal((await balanceOf(m)).available, 7_000);
  const listed = (await m.ok("GET", "/v1/payouts?status=canceled")).data as Body[];
  assert.deepEqual(
    listed.map((p) => p.id),
    [payout.id],
  );
  await assertExplained(m);
  await ledgerClean();
});

test("automatic payout: pays the whole available balance; ?payout= lists what it paid", async () => {
  const m = await newMerchant("Auto payout");
  await m.ok("POST", "/v1/account", { bank_account: BANK, settings: schedule("daily", 0) });
  const a = await pay(m, 6_000);
  const b = await pay(m, 4_000);
  await money().settlement.releaseMatured(clock.now());
  const refund = await m.ok("POST", "/v1/refunds", { payment_intent: b.id, amount: 1_000 });
  assert.ok((await money().settlement.scheduledPayouts(clock.now())) >= 1);
  const [payout, ...others] = (await m.ok("GET", "/v1/payouts")).data as Body[];
  assert.equal(others.length, 0);
  assert.deepEqual([payout?.status, payout?.amount, payout?.automatic], ["pending", 9_000, true]);
  assert.deepEqual(await balanceOf(m), { available: 0, pending: 0, reserved: 0 });
  const included = (await transactions(m, `payout=${payout?.id}`)).map((t) => [t.type, t.source, t.net]);
  assert.deepEqual(
    included.sort(),
    [
      ["payment", a.id, 6_000],
      ["payment", b.id, 4_000],
      ["payout", payout?.id, -9_000],
      ["refund", refund.id, -1_000],
    ].sort(),
  );
  assert.equal(await settle(), 0, "one automatic payout a day");
  await assertExplained(m);
  await ledgerClean();
});

test("payout schedules: weekly pays only on its weekday; the minimum amount waits for more", async () => {
  const weekly = await newMerchant("Weekly");
  const minimum = await newMerchant("Minimum");
  const today = clock.now().getUTCDay();
  const tomorrow = WEEKDAYS[(today + 1) % 7] as string;
  await weekly.ok("POST", "/v1/account", {
    bank_account: BANK,
    settings: schedule("weekly", 0, { weekly_anchor: tomorrow }),
  });
  const settings = await minimum.ok("POST", "/v1/account", {
    bank_account: BANK,
    settings: {
      ...schedule("daily", 0),
      payouts: { ...schedule("daily", 0).payouts, minimum_amounts: { usd: 5_000 } },
    },
  });
  assert.deepEqual(settings.settings.payouts.minimum_amounts, { usd: 5_000 });
  try {
    await pay(weekly, 4_000);
    await pay(minimum, 3_000);
    await settle();
    assert.deepEqual((await weekly.ok("GET", "/v1/payouts")).data, []);
    assert.deepEqual((await minimum.ok("GET", "/v1/payouts")).data, []);
    assert.equal((await balanceOf(weekly)).available, 4_000);
    assert.equal((await balanceOf(minimum)).available, 3_000);

    clock.advance(DAY);
    assert.equal(WEEKDAYS[clock.now().getUTCDay()], tomorrow);
    await pay(minimum, 2_500);
    await settle();
    const [w] = (await weekly.ok("GET", "/v1/payouts")).data as Body[];
    assert.deepEqual([w?.amount, w?.automatic], [4_000, true]);
    const [m] = (await minimum.ok("GET", "/v1/payouts")).data as Body[];
    assert.deepEqual([m?.amount, m?.automatic], [5_500, true]);
    assert.equal((await balanceOf(weekly)).available, 0);
    assert.equal((await balanceOf(minimum)).available, 0);
    await assertExplained(weekly);
    await assertExplained(minimum);
  } finally {
    // Leave no scheduled holders behind in a shared database.
    await weekly.ok("POST", "/v1/account", { settings: schedule("manual", 0) });
    await minimum.ok("POST", "/v1/account", { settings: schedule("manual", 0) });
  }
  await ledgerClean();
});

test("automatic payout: ?payout= lists only what the payout paid, even with a refund of funds still pending", {}, async () => {
  const m = await newMerchant("Payout reconciliation");
  await m.ok("POST", "/v1/account", { bank_account: BANK, settings: schedule("manual", 1) });
  try {
    await pay(m, 5_000);
    clock.advance(DAY);
    const later = await pay(m, 8_000);
    // Refunded while its funds still mature: the refund comes out of them, not out of available.
    await m.ok("POST", "/v1/refunds", { payment_intent: later.id, amount: 3_000 });
    await m.ok("POST", "/v1/account", { settings: schedule("daily", 1) });
    await settle();
    clock.advance(DAY);
    await settle();
    const payouts = (await m.ok("GET", "/v1/payouts")).data as Body[];
    assert.deepEqual(payouts.map((p) => p.amount).sort(), [5_000, 5_000]);
    // Oldest first: each payout with what it lists (its own entry aside) and their sum.
    const views: Array<[number, Array<[string, number]>, number]> = [];
    for (const payout of payouts.reverse()) {
      const listed = (await transactions(m, `payout=${payout.id}`)).filter((t) => t.type !== "payout");
      const entries = listed.map((t): [string, number] => [t.type, t.net]).sort();
      views.push([payout.amount, entries, listed.reduce((s, t) => s + t.net, 0)]);
    }
    assert.deepEqual(
      views.map(([amount, , sum]) => [amount, sum]),
      [
        [5_000, 5_000],
        [5_000, 5_000],
      ],
      JSON.stringify(views),
    );
  } finally {
    await m.ok("POST", "/v1/account", { settings: schedule("manual", 0) });
  }
});

test("settlement run three times at once: funds released and paid out exactly once", async () => {
  const m = await newMerchant("Concurrent settlement");
  await m.ok("POST", "/v1/account", { bank_account: BANK, settings: schedule("daily", 1) });
  try {
    await pay(m, 1_000);
    await pay(m, 2_000);
    await pay(m, 3_500);
    assert.deepEqual(await balanceOf(m), { available: 0, pending: 6_500, reserved: 0 });
    clock.advance(DAY);
    const s = money().settlement;
    await Promise.all([s.run(), s.run(), s.run()]);
    await settle();
    const payouts = (await m.ok("GET", "/v1/payouts")).data as Body[];
    assert.deepEqual(
      payouts.map((p) => [p.amount, p.automatic]),
      [[6_500, true]],
    );
    assert.deepEqual(await balanceOf(m), { available: 0, pending: 0, reserved: 0 });
    const available = await ledgerAccount(`la_test_usd_${m.id}_self_available`);
    assert.equal(available.creditsPosted, 6_500n, "each payment released once");
    await assertExplained(m);
  } finally {
    await m.ok("POST", "/v1/account", { settings: schedule("manual", 0) });
  }
  await ledgerClean();
});

test("scheduled payouts: two hundred holders not due today do not starve one that is", {}, async () => {
  const crowd = await newMerchant("Weekly crowd");
  const offDay = WEEKDAYS[(clock.now().getUTCDay() + 3) % 7] as string;
  const accounts: string[] = [];
  const z = await newMerchant("Daily, after the crowd");
  try {
    for (let i = 0; i < 200; i += 25) {
      const made = await Promise.all(
        Array.from({ length: 25 }, () =>
          crowd.ok("POST", "/v1/accounts", {
            bank_account: BANK,
            settings: schedule("weekly", 2, { weekly_anchor: offDay }),
          }),
        ),
      );
      accounts.push(...made.map((a) => a.id));
    }
    await z.ok("POST", "/v1/account", { bank_account: BANK, settings: schedule("daily", 0) });
    await pay(z, 2_000);
    await settle();
    await settle();
    const payouts = (await z.ok("GET", "/v1/payouts")).data as Body[];
    assert.deepEqual(
      payouts.map((p) => p.amount),
      [2_000],
    );
  } finally {
    // Leave no scheduled holders behind in a shared database.
    for (let i = 0; i < accounts.length; i += 25) {
      await Promise.all(
        accounts
          .slice(i, i + 25)
          .map((id) => crowd.ok("POST", `/v1/accounts/${id}`, { settings: schedule("manual", 2) })),
      );
    }
    await z.ok("POST", "/v1/account", { settings: schedule("manual", 0) });
  }
});

// ---------------------------------------------------------------------------------------------------------
// 7. Rolling reserve

test("rolling reserve: 10 % of matured funds kept 30 days, then released", async () => {
  const m = await newMerchant("Reserve");
  const account = await m.ok("POST", "/v1/account", {
    settings: { ...schedule("manual", 0), reserve: { percent: 10, days: 30 } },
  });
  assert.deepEqual(account.settings.reserve, { percent: 10, days: 30 });
  await pay(m, 10_005);
  await pay(m, 2_000);
  await settle();
  // 10 % rounded down per payment: 1000 (of 10005) + 200.
  assert.deepEqual(await balanceOf(m), { available: 10_805, pending: 0, reserved: 1_200 });
  const holds = (await transactions(m, "type=reserve_hold")).map((t) => t.amount).sort();
  assert.deepEqual(holds, [-1_000, -200]);
  const releases = await transactions(m, "type=reserve_release");
  const releaseOn = startOfDay(30);
  assert.deepEqual(releases.map((t) => [t.amount, t.status, t.available_on]).sort(), [
    [1_000, "pending", releaseOn],
    [200, "pending", releaseOn],
  ]);
  await assertExplained(m);

  clock.advance(29 * DAY);
  await settle();
  assert.deepEqual(await balanceOf(m), { available: 10_805, pending: 0, reserved: 1_200 });
  clock.advance(DAY);
  await settle();
  assert.deepEqual(await balanceOf(m), { available: 12_005, pending: 0, reserved: 0 });
  assert.deepEqual(
    (await transactions(m, "type=reserve_release")).map((t) => t.status),
    ["available", "available"],
  );
  await assertExplained(m);
  await ledgerClean();
});

// ---------------------------------------------------------------------------------------------------------
// 8. Chargebacks

test("chargebacks: withdrawn from available with the fee, reinstated without it; from pending funds", async () => {
  const m = await newMerchant("Chargebacks");
  await m.ok("POST", "/v1/account", { settings: schedule("manual", 0) });
  const pi = await pay(m, 10_000);
  await settle();
  assert.equal((await balanceOf(m)).available, 10_000);
  const chargebacks = money().money.chargebacks;
  const cb = await chargebacks.withdraw({
    paymentIntentId: pi.id,
    amount: 4_000n,
    fee: 1_500n,
    reason: "fraudulent",
  });
  assert.equal(cb.status, "withdrawn");
  assert.equal(cb.shortfall, 0n);
  assert.deepEqual(await balanceOf(m), { available: 4_500, pending: 0, reserved: 0 });
  const [bt] = await transactions(m, "type=chargeback");
  assert.deepEqual([bt.source, bt.amount, bt.fee, bt.net], [cb.id, -4_000, 1_500, -5_500]);
  const postings = await money().money.ledger.transfersByUserData(db(), cb.id);
  const fee = postings.filter((t) => t.code === TransferCode.chargeback_fee);
  assert.deepEqual(
    fee.map((t) => [t.creditAccountId, t.amount]),
    [["la_test_usd_platform_platform_fee_revenue", 1_500n]],
  );
  await assertExplained(m);

  const won = await chargebacks.reinstate(cb.id);
  assert.equal(won.status, "reinstated");
  assert.deepEqual(await balanceOf(m), { available: 8_500, pending: 0, reserved: 0 });
  const [back] = await transactions(m, "type=chargeback_reversal");
  assert.deepEqual([back.source, back.amount, back.net], [cb.id, 4_000, 4_000]);
  await chargebacks.reinstate(cb.id);
  assert.equal((await balanceOf(m)).available, 8_500, "a second reinstatement changes nothing");
  await assertExplained(m);

  // On a payment still maturing, the chargeback comes out of its own pending funds.
  await m.ok("POST", "/v1/account", { settings: schedule("manual", 2) });
  const young = await pay(m, 5_000);
  await chargebacks.withdraw({ paymentIntentId: young.id, amount: 1_000n });
  assert.deepEqual(await balanceOf(m), { available: 8_500, pending: 4_000, reserved: 0 });
  await assert.rejects(chargebacks.withdraw({ paymentIntentId: young.id, amount: 5_001n }), /between 1 and/);
  clock.advance(2 * DAY);
  await settle();
  assert.deepEqual(await balanceOf(m), { available: 12_500, pending: 0, reserved: 0 });
  await assertExplained(m);
  await ledgerClean();
});

test("chargeback on a merchant without funds: the shortfall is carried by the platform", async () => {
  const m = await newMerchant("Chargeback shortfall");
  await m.ok("POST", "/v1/account", { bank_account: BANK, settings: schedule("manual", 0) });
  const pi = await pay(m, 6_000);
  await settle();
  await m.ok("POST", "/v1/payouts", { amount: 6_000, currency: "usd" });
  assert.deepEqual(await balanceOf(m), { available: 0, pending: 0, reserved: 0 });

  const chargebacks = money().money.chargebacks;
  const cb = await chargebacks.withdraw({ paymentIntentId: pi.id, amount: 2_000n, fee: 1_500n });
  assert.equal(cb.shortfall, 3_500n);
  assert.deepEqual(await balanceOf(m), { available: 0, pending: 0, reserved: 0 }, "never below zero");
  // Its history shows what its balance gave (nothing), not the shortfall the platform carried.
  await assertExplained(m);
  const operating = "la_test_usd_platform_platform_operating";
  const postings = await money().money.ledger.transfersByUserData(db(), cb.id);
  assert.deepEqual(
    postings.filter((t) => t.debitAccountId === operating).map((t) => t.amount),
    [3_500n],
  );
  assert.deepEqual(
    postings.filter((t) => t.debitAccountId.startsWith(`la_test_usd_${m.id}`)).map((t) => t.amount),
    [],
    "nothing taken from the merchant's held funds",
  );
  await ledgerClean();

  // Won: the amount goes back to where it came from (the platform), the fee stays.
  await chargebacks.reinstate(cb.id);
  const back = (await money().money.ledger.transfersByUserData(db(), cb.id)).filter(
    (t) => t.code === TransferCode.chargeback_reversal && t.creditAccountId === operating,
  );
  assert.deepEqual(
    back.map((t) => t.amount),
    [2_000n],
  );
  assert.deepEqual(await balanceOf(m), { available: 0, pending: 0, reserved: 0 });
  await ledgerClean();
});

// ---------------------------------------------------------------------------------------------------------
// 9. Platform transfers

test("transfers: from available, from a payment's pending funds, over-balance, partial and full reversal", async () => {
  const t = await newMerchant("Transfers");
  await t.ok("POST", "/v1/account", { settings: schedule("manual", 0) });
  const seller = await t.ok("POST", "/v1/accounts", {
    display_name: "Seller",
    settings: schedule("manual", 0),
  });
  await pay(t, 10_000);
  await settle();

  const tr = await t.ok("POST", "/v1/transfers", {
    amount: 3_000,
    currency: "usd",
    destination: seller.id,
    transfer_group: "order-42",
  });
  assert.deepEqual(
    [tr.amount, tr.amount_reversed, tr.reversed, tr.destination, tr.source_transaction],
    [3_000, 0, false, seller.id, null],
  );
  assert.deepEqual(await balanceOf(t), { available: 7_000, pending: 0, reserved: 0 });
  assert.deepEqual(await balanceOf(t, seller.id), { available: 3_000, pending: 0, reserved: 0 });
  await t.fails(
    "POST",
    "/v1/transfers",
    { amount: 7_001, currency: "usd", destination: seller.id },
    { status: 402, code: "balance_insufficient", param: "amount" },
  );
  assert.deepEqual(await balanceOf(t), { available: 7_000, pending: 0, reserved: 0 });

  // From a payment still maturing: into the seller's pending balance, maturing the same day.
  await t.ok("POST", "/v1/account", { settings: schedule("manual", 2) });
  const young = await pay(t, 5_000);
  const [youngBt] = await transactions(t, `source=${young.id}&type=payment`);
  const fromPending = await t.ok("POST", "/v1/transfers", {
    amount: 2_000,
    currency: "usd",
    destination: seller.id,
    source_transaction: young.id,
  });
  assert.equal(fromPending.source_transaction, young.id);
  assert.deepEqual(await balanceOf(t), { available: 7_000, pending: 3_000, reserved: 0 });
  assert.deepEqual(await balanceOf(t, seller.id), { available: 3_000, pending: 2_000, reserved: 0 });
  const [sellerBt] = await transactions(t, `account=${seller.id}&source=${fromPending.id}`);
  assert.deepEqual(
    [sellerBt.type, sellerBt.amount, sellerBt.status, sellerBt.available_on],
    ["transfer", 2_000, "pending", youngBt.available_on],
  );
  await t.fails(
    "POST",
    "/v1/transfers",
    { amount: 100, currency: "eur", destination: seller.id, source_transaction: young.id },
    { status: 400, code: "parameter_invalid", param: "currency" },
  );
  await t.fails(
    "POST",
    "/v1/transfers",
    { amount: 100, currency: "usd", destination: "acct_doesnotexist0000001" },
    { status: 404, code: "resource_missing", param: "destination" },
  );

  // Reversals: 10.00, then more than the 20.00 left is refused, then the rest.
  const partly = await t.ok("POST", `/v1/transfers/${tr.id}/reversals`, { amount: 1_000 });
  assert.deepEqual([partly.amount_reversed, partly.reversed, partly.reversals.length], [1_000, false, 1]);
  assert.equal((await balanceOf(t, seller.id)).available, 2_000);
  assert.equal((await balanceOf(t)).available, 8_000);
  await t.fails(
    "POST",
    `/v1/transfers/${tr.id}/reversals`,
    { amount: 2_001 },
    { status: 400, code: "amount_too_large", param: "amount" },
  );
  const full = await t.ok("POST", `/v1/transfers/${tr.id}/reversals`, {});
  assert.deepEqual(
    [full.amount_reversed, full.reversed, full.reversals.map((r: Body) => r.amount)],
    [3_000, true, [1_000, 2_000]],
  );
  await t.fails(
    "POST",
    `/v1/transfers/${tr.id}/reversals`,
    {},
    { status: 400, code: "transfer_already_reversed" },
  );
  assert.deepEqual(await balanceOf(t, seller.id), { available: 0, pending: 2_000, reserved: 0 });
  assert.deepEqual(await balanceOf(t), { available: 10_000, pending: 3_000, reserved: 0 });
  // The transfer from pending funds cannot be taken back before they are available.
  await t.fails(
    "POST",
    `/v1/transfers/${fromPending.id}/reversals`,
    { amount: 500 },
    { status: 402, code: "balance_insufficient" },
  );

  clock.advance(2 * DAY);
  await settle();
  assert.deepEqual(await balanceOf(t, seller.id), { available: 2_000, pending: 0, reserved: 0 });
  assert.deepEqual(await balanceOf(t), { available: 13_000, pending: 0, reserved: 0 });
  const listed = (await t.ok("GET", `/v1/transfers?destination=${seller.id}`)).data as Body[];
  assert.deepEqual(listed.map((x) => x.id).sort(), [tr.id, fromPending.id].sort());
  assert.deepEqual(
    ((await t.ok("GET", "/v1/transfers?transfer_group=order-42")).data as Body[]).map((x) => x.id),
    [tr.id],
  );

  // The seller's own payout, from its available balance to its bank account.
  await t.fails(
    "POST",
    "/v1/payouts",
    { amount: 2_000, currency: "usd", account: seller.id },
    { status: 400, code: "no_bank_account", param: "bank_account" },
  );
  await t.ok("POST", `/v1/accounts/${seller.id}`, { bank_account: BANK });
  const payout = await t.ok("POST", "/v1/payouts", { amount: 2_000, currency: "usd", account: seller.id });
  assert.deepEqual([payout.account, payout.amount, payout.status], [seller.id, 2_000, "pending"]);
  assert.deepEqual(await balanceOf(t, seller.id), { available: 0, pending: 0, reserved: 0 });
  assert.deepEqual(await balanceOf(t), { available: 13_000, pending: 0, reserved: 0 });
  assert.deepEqual(
    ((await t.ok("GET", `/v1/payouts?account=${seller.id}`)).data as Body[]).map((p) => p.id),
    [payout.id],
  );
  assert.deepEqual((await t.ok("GET", `/v1/payouts?account=${t.id}`)).data, []);
  await assertExplained(t);
  await assertExplained(t, seller.id);
  await ledgerClean();
});

// ---------------------------------------------------------------------------------------------------------
// 10. Tenancy

test("tenancy: another merchant can neither see nor use this one's accounts, payouts, transfers, history", async () => {
  const a = await newMerchant("Tenant A");
  const b = await newMerchant("Tenant B");
  await a.ok("POST", "/v1/account", { bank_account: BANK, settings: schedule("manual", 0) });
  const seller = await a.ok("POST", "/v1/accounts", {
    display_name: "A's seller",
    settings: schedule("manual", 0),
  });
  const bSeller = await b.ok("POST", "/v1/accounts", {
    display_name: "B's seller",
    settings: schedule("manual", 0),
  });
  const pi = await pay(a, 10_000);
  await settle();
  const payout = await a.ok("POST", "/v1/payouts", { amount: 1_000, currency: "usd" });
  const transfer = await a.ok("POST", "/v1/transfers", {
    amount: 2_000,
    currency: "usd",
    destination: seller.id,
  });
  const [bt] = await transactions(a, `source=${pi.id}`);
  const before = [await balanceOf(a), await balanceOf(a, seller.id)];
  await pay(b, 5_000);
  await settle();

  const missing = { status: 404, code: "resource_missing" };
  const gets = [
    `/v1/accounts/${seller.id}`,
    `/v1/balance?account=${seller.id}`,
    `/v1/balance_transactions?account=${seller.id}`,
    `/v1/balance_transactions/${bt.id}`,
    `/v1/payouts/${payout.id}`,
    `/v1/payouts?account=${seller.id}`,
    `/v1/transfers/${transfer.id}`,
  ];
  for (const path of gets) await b.fails("GET", path, undefined, missing);
  await b.fails("POST", `/v1/accounts/${seller.id}`, { display_name: "Mine now" }, missing);
  await b.fails("POST", `/v1/payouts/${payout.id}/cancel`, {}, missing);
  await b.fails(
    "POST",
    "/v1/payouts",
    { amount: 100, currency: "usd", account: seller.id },
    { ...missing, param: "account" },
  );
  await b.fails("POST", `/v1/transfers/${transfer.id}/reversals`, { amount: 100 }, missing);
  await b.fails(
    "POST",
    "/v1/transfers",
    { amount: 100, currency: "usd", destination: seller.id },
    { ...missing, param: "destination" },
  );
  await b.fails(
    "POST",
    "/v1/transfers",
    { amount: 100, currency: "usd", destination: bSeller.id, source_transaction: pi.id },
    { ...missing, param: "source_transaction" },
  );
  await b.fails(
    "POST",
    "/v1/payment_intents",
    {
      amount: 1_000,
      currency: "usd",
      confirm: true,
      payment_method_data: CARD("4242424242424242"),
      transfer_data: { destination: seller.id },
    },
    { ...missing, param: "transfer_data[destination]" },
  );
  await b.fails("POST", "/v1/account", { refund_policy: { policy: "account", account: seller.id } }, missing);
  // Lists are scoped: B sees only its own.
  assert.deepEqual(
    ((await b.ok("GET", "/v1/accounts")).data as Body[]).map((x) => x.id),
    [bSeller.id],
  );
  assert.deepEqual((await b.ok("GET", "/v1/payouts")).data, []);
  assert.deepEqual((await b.ok("GET", "/v1/transfers")).data, []);
  assert.deepEqual(await transactions(b, `source=${pi.id}`), []);
  assert.deepEqual(await transactions(b, `payout=${payout.id}`), []);
  assert.deepEqual(await balanceOf(b), { available: 0, pending: 5_000, reserved: 0 });

  // And A's things are untouched.
  assert.equal((await a.ok("GET", `/v1/payouts/${payout.id}`)).status, "pending");
  assert.equal((await a.ok("GET", `/v1/transfers/${transfer.id}`)).amount_reversed, 0);
  assert.equal((await a.ok("GET", `/v1/accounts/${seller.id}`)).display_name, "A's seller");
  assert.deepEqual([await balanceOf(a), await balanceOf(a, seller.id)], before);
  await ledgerClean();
});
