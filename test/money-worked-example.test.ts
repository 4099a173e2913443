import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ManualClock } from "../src/core/clock.ts";
import { verifyLedger } from "../src/ledger/index.ts";
import { moneyTables } from "../src/settlement/schema.ts";
import { CARD, startTestServer, type TestServer } from "./support/server.ts";

/**
 * The worked example, checked to the cent: a marketplace order of USD 100.00 from three sellers (50 / 30 /
 * 20 %), the platform keeps USD 10.00 commission, the customer bears the fees as a surcharge (allowed for
 * a US merchant), 20 % of the payment is refunded, and one seller's payout fails at the bank.
 */
const DAY = 86_400_000;
const clock = new ManualClock(new Date(Date.UTC(2026, 10, 2, 10, 0, 0)));
let server: TestServer;

before(async () => {
  server = await startTestServer({ clock, manualWorker: true, isolated: true });
});
after(() => server.close());

const money = () => server.payrail.money;

async function ok(method: string, path: string, body?: unknown) {
  const r = await server.request(method, path, body === undefined ? {} : { body });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
  return r.body;
}

const amountsOf = (list: Array<{ amount: number; currency: string }>) =>
  Object.fromEntries(list.map((b) => [b.currency, b.amount]));

test("3-seller order with commission and surcharge, partial refund, one failed payout: every cent traced", async () => {
  const merchantId = server.merchant.merchant_id;
  const fees = money().money.fees;
  await fees.add(
    { merchantId, livemode: false, kind: "provider_fee", currency: "usd", percentBps: 290, fixedAmount: 30n },
    "fr_workedexampleprov1",
    clock.now(),
  );
  await fees.add(
    { merchantId, livemode: false, kind: "platform_fee", currency: "usd", percentBps: 50 },
    "fr_workedexampleplat1",
    clock.now(),
  );
  await ok("POST", "/v1/account", { fee_bearer: "customer", surcharge_country: "US" });

  const bank = (iban: string, name: string) => ({ iban, account_holder_name: name });
  const schedule = { payouts: { schedule: { interval: "daily", delay_days: 2 } } };
  const a = await ok("POST", "/v1/accounts", {
    display_name: "Seller A",
    bank_account: bank("DE89 3704 0044 0532 0130 00", "Anna Schmidt"),
    settings: schedule,
  });
  const b = await ok("POST", "/v1/accounts", {
    display_name: "Seller B",
    bank_account: bank("NL91ABNA0417164300", "Bram de Vries"),
    settings: schedule,
  });
  // The bank simulator closes this account: its payouts fail with AC04.
  const c = await ok("POST", "/v1/accounts", {
    display_name: "Seller C",
    bank_account: bank("DE24370400440000000404", "Clara Weber"),
    settings: schedule,
  });

  const pi = await ok("POST", "/v1/payment_intents", {
    amount: 10_000,
    currency: "usd",
    confirm: true,
    payment_method_data: CARD("4242424242424242"),
    application_fee_amount: 1_000,
    splits: [
      { destination: a.id, percent: 50 },
      { destination: b.id, percent: 30 },
      { destination: c.id, percent: 20 },
    ],
  });
  assert.equal(pi.status, "succeeded");
  // Fees on 100.00: 2.9 % + 0.30 = 3.20 to the processor, 0.5 % = 0.50 to Payrail: 3.70 surcharge.
  assert.equal(pi.surcharge_amount, 370);
  assert.equal(pi.amount, 10_370);
  assert.deepEqual(
    pi.splits.map((s: { amount: number }) => s.amount),
    [4_500, 2_700, 1_800],
  );

  const [payment] = (await ok("GET", `/v1/balance_transactions?source=${pi.id}&type=payment`)).data;
  assert.equal(payment.amount, 10_370);
  assert.equal(payment.fee, 370);
  assert.equal(payment.net, 10_000);
  assert.deepEqual(
    payment.fee_details.map((d: { type: string; amount: number }) => [d.type, d.amount]),
    [
      ["platform_fee", 50],
      ["provider_fee", 320],
    ],
  );
  assert.equal(payment.status, "pending");
  assert.equal(payment.available_on, Date.UTC(2026, 10, 4) / 1000);

  for (const [seller, share] of [
    [a, 4_500],
    [b, 2_700],
    [c, 1_800],
  ] as const) {
    const balance = await ok("GET", `/v1/balance?account=${seller.id}`);
    assert.deepEqual(amountsOf(balance.pending), { usd: share });
    assert.deepEqual(amountsOf(balance.available), { usd: 0 });
  }
  assert.deepEqual(amountsOf((await ok("GET", "/v1/balance")).pending), { usd: 1_000 });

  // 20 % refund, pro rata to the split: 2.74 from the platform (commission and surcharge), 9.00 / 5.40 / 3.60.
  const refund = await ok("POST", "/v1/refunds", { payment_intent: pi.id, amount: 2_074 });
  assert.equal(refund.status, "succeeded");
  assert.deepEqual(amountsOf((await ok("GET", "/v1/balance")).pending), { usd: 726 });
  assert.deepEqual(amountsOf((await ok("GET", `/v1/balance?account=${a.id}`)).pending), { usd: 3_600 });
  assert.deepEqual(amountsOf((await ok("GET", `/v1/balance?account=${b.id}`)).pending), { usd: 2_160 });
  assert.deepEqual(amountsOf((await ok("GET", `/v1/balance?account=${c.id}`)).pending), { usd: 1_440 });

  // T+2: funds mature, each seller is paid out; the payout file goes to the bank, which rejects C's.
  clock.advance(2 * DAY);
  const run = await money().settlement.run();
  assert.equal(run.released, 4);
  assert.equal(run.payoutsCreated, 3);
  assert.deepEqual(
    await money().settlement.run(),
    { released: 0, payoutsCreated: 0 },
    "a second run is a no-op",
  );
  assert.equal(await money().bankBatches.batchPending(), 3);
  assert.equal(await money().bankBatches.submitBatches(), 1);
  const bankSim = server.payrail.bankSimulator;
  assert.ok(bankSim);
  const [received] = bankSim.batches();
  assert.equal(received?.controlSum, "72.00", "36.00 + 21.60 + 14.40");
  assert.equal(received?.transactions.length, 3);
  const { xml } = await moneyTables(server.payrail.ctx.db)
    .selectFrom("payout_batches")
    .select("xml")
    .executeTakeFirstOrThrow();
  assert.match(xml, /urn:iso:std:iso:20022:tech:xsd:pain\.001\.001\.09/);
  assert.match(xml, /<Nm>Clara Weber<\/Nm>/);
  await bankSim.processPending();
  assert.equal(await money().bankBatches.applyReports(), 3);

  const payouts = (await ok("GET", "/v1/payouts?limit=10")).data as Array<Record<string, any>>;
  const byAccount = Object.fromEntries(payouts.map((p) => [p.account, p]));
  assert.equal(byAccount[a.id].status, "paid");
  assert.equal(byAccount[a.id].amount, 3_600);
  assert.equal(byAccount[b.id].status, "paid");
  assert.equal(byAccount[b.id].amount, 2_160);
  assert.equal(byAccount[c.id].status, "failed");
  assert.equal(byAccount[c.id].failure_code, "AC04");
  assert.deepEqual(amountsOf((await ok("GET", `/v1/balance?account=${c.id}`)).available), { usd: 1_440 });
  assert.deepEqual(amountsOf((await ok("GET", `/v1/balance?account=${a.id}`)).available), { usd: 0 });
  // The platform has no bank account: its 7.26 waits in available.
  assert.deepEqual(amountsOf((await ok("GET", "/v1/balance")).available), { usd: 726 });

  const cHistory = (await ok("GET", `/v1/balance_transactions?account=${c.id}&limit=20`)).data as Array<{
    type: string;
    amount: number;
  }>;
  // One instant on the test clock: compared as a set.
  assert.deepEqual(cHistory.map((t) => [t.type, t.amount]).sort(), [
    ["payment", 1_800],
    ["payout", -1_440],
    ["payout_failure", 1_440],
    ["refund", -360],
  ]);
  const events = (await ok("GET", "/v1/events?limit=100")).data as Array<{ type: string }>;
  assert.ok(events.some((e) => e.type === "payout.failed"));
  assert.ok(events.some((e) => e.type === "payout.paid"));

  // The platform's books: 0.50 fee revenue; the processor owes 103.70 − 3.20 − 20.74 = 79.76 until it settles.
  const ledger = money().money.ledger;
  const [revenue, clearing] = await ledger.lookupAccounts(server.payrail.ctx.db, [
    "la_test_usd_platform_platform_fee_revenue",
    `la_test_usd_platform_provider_clearing_${pi.connector_account}`,
  ]);
  assert.equal((revenue?.creditsPosted ?? 0n) - (revenue?.debitsPosted ?? 0n), 50n);
  assert.equal((clearing?.debitsPosted ?? 0n) - (clearing?.creditsPosted ?? 0n), 7_976n);
  // The processor settles its 79.76 to the platform's bank; the statement imported twice books it once.
  const settle = {
    connectorAccountId: pi.connector_account,
    livemode: false,
    currency: "usd",
    amount: 7_976n,
    reference: "STMT-2026-11-04-0001",
  };
  await money().money.providerSettlements.record(settle);
  await money().money.providerSettlements.record(settle);
  const [cleared, bankAccount] = await ledger.lookupAccounts(server.payrail.ctx.db, [
    `la_test_usd_platform_provider_clearing_${pi.connector_account}`,
    "la_test_usd_platform_bank_clearing",
  ]);
  assert.equal((cleared?.debitsPosted ?? 0n) - (cleared?.creditsPosted ?? 0n), 0n);
  // In the bank: 79.76 in, 57.60 paid out to A and B (C's 14.40 came back).
  assert.equal((bankAccount?.debitsPosted ?? 0n) - (bankAccount?.creditsPosted ?? 0n), 7_976n - 5_760n);
  const verified = await verifyLedger(server.payrail.ctx.db, clock.now());
  assert.deepEqual(verified.violations, []);
  assert.equal(verified.ok, true);
});
