import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { DEFAULT_RATES } from "../simulators/ecb/index.ts";
import { ManualClock } from "../src/core/clock.ts";
import { convertAmount } from "../src/fx/convert.ts";
import { multiply, type Rational, rational } from "../src/fx/decimal.ts";
import { TransferCode, verifyLedger } from "../src/ledger/index.ts";
import { parseRate } from "../src/settlement/payment-shape.ts";
import { CARD, startTestServer, type TestServer } from "./support/server.ts";

/**
 * FX quotes on payments, over HTTP: a USD payment settled in EUR at a locked quote's rate, the platform's
 * margin booked to FX gain/loss, single use and expiry of locked quotes, and refunds converted at the
 * payment's rate. Every figure is recomputed here from the ECB table the simulator publishes.
 *
 * No settlement runs here: the settlement job is global, and this file's clock is ahead of others.
 */
const clock = new ManualClock(new Date(Date.UTC(2027, 5, 1, 10, 0, 0)));
const RATE_DATE = "2027-06-01";
let server: TestServer;

before(async () => {
  server = await startTestServer({ clock, manualWorker: true });
  const ecb = server.payrail.ecbSimulator;
  assert.ok(ecb, "the ECB simulator runs in the test server");
  ecb.setRates({ rates: { ...DEFAULT_RATES }, date: RATE_DATE });
});
after(() => server.close());

const money = () => server.payrail.money;
const db = () => server.payrail.ctx.db;
const ruleId = () => `fr_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
const GAIN_ACCOUNT = "la_test_eur_platform_fx_gain_loss";

type Body = Record<string, any>;

/** EUR per USD at the ECB table (EUR/USD 1.1720), and the customer rate less the platform's spread. */
function expectedRates(): { reference: Rational; customer: Rational } {
  const spread = BigInt(server.payrail.ctx.config.PAYRAIL_FX_SPREAD_BPS);
  const reference = rational(10_000n, 11_720n);
  assert.equal(DEFAULT_RATES.USD, "1.1720");
  return { reference, customer: multiply(reference, rational(10_000n - spread, 10_000n)) };
}

const sameRate = (a: Rational, b: Rational) => a.num * b.den === b.num * a.den;
const toEur = (amount: bigint, rate: Rational) => convertAmount(amount, "usd", "eur", rate);

interface Api {
  id: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; text: string }>;
  ok(method: string, path: string, body?: unknown): Promise<any>;
}

async function newMerchant(name: string): Promise<Api> {
  const m = await server.newMerchant(name);
  // Merchant-scoped fee rules of 0 beat any global rule another process may have left in a shared database.
  for (const kind of ["provider_fee", "platform_fee"] as const) {
    await money().money.fees.add(
      { merchantId: m.merchant_id, livemode: false, kind, percentBps: 0 },
      ruleId(),
      clock.now(),
    );
  }
  const call = (method: string, path: string, body?: unknown) =>
    server.request(method, path, body === undefined ? { key: m.secret_key } : { key: m.secret_key, body });
  return {
    id: m.merchant_id,
    call,
    async ok(method, path, body) {
      const r = await call(method, path, body);
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
      return r.body;
    },
  };
}

const paymentBody = (amount: number, extra: Body = {}) => ({
  amount,
  currency: "usd",
  confirm: true,
  payment_method_data: CARD("4242424242424242"),
  ...extra,
});

async function quote(api: Api, extra: Body = {}): Promise<Body> {
  return api.ok("POST", "/v1/fx_quotes", {
    from_currency: "usd",
    to_currency: "eur",
    lock_duration: "five_minutes",
    ...extra,
  });
}

async function storedRates(intentId: string) {
  const row = await db()
    .selectFrom("payment_intents")
    .select(["settlement_currency", "settlement_rate", "settlement_reference_rate"])
    .where("id", "=", intentId)
    .executeTakeFirstOrThrow();
  assert.ok(row.settlement_rate && row.settlement_reference_rate);
  // Stored exactly, as "num/den".
  assert.match(row.settlement_rate, /^\d+\/\d+$/);
  return {
    currency: row.settlement_currency,
    rate: parseRate(row.settlement_rate),
    reference: parseRate(row.settlement_reference_rate),
  };
}

async function eurBalance(api: Api) {
  const b = await api.ok("GET", "/v1/balance");
  const pick = (list: Array<{ amount: number; currency: string }>) =>
    list.find((x) => x.currency === "eur")?.amount ?? 0;
  return { available: pick(b.available), pending: pick(b.pending), reserved: pick(b.reserved) };
}

async function transactions(api: Api, query: string): Promise<any[]> {
  return (await api.ok("GET", `/v1/balance_transactions?limit=100&${query}`)).data;
}

async function gainLossNet(): Promise<bigint> {
  const [account] = await money().money.ledger.lookupAccounts(db(), [GAIN_ACCOUNT]);
  return account ? account.creditsPosted - account.debitsPosted : 0n;
}

async function ledgerClean() {
  const verified = await verifyLedger(db(), clock.now());
  assert.deepEqual(verified.violations, []);
  assert.equal(verified.ok, true);
}

test("a locked quote settles a USD payment in EUR at its rate; the margin goes to FX gain/loss", async () => {
  const m = await newMerchant("FX shop");
  const { reference, customer } = expectedRates();
  const q = await quote(m, { amount: 10_000 });
  assert.equal(q.object, "fx_quote");
  assert.equal(q.rate_date, RATE_DATE);
  assert.equal(q.lock_duration, "five_minutes");
  assert.equal(q.expires_at, q.created + 300);
  assert.equal(q.fee.spread_bps, server.payrail.ctx.config.PAYRAIL_FX_SPREAD_BPS);
  assert.equal(q.converted_amount, Number(toEur(10_000n, customer)));
  assert.equal(q.fee.amount, Number(toEur(10_000n, reference) - toEur(10_000n, customer)));

  const gainBefore = await gainLossNet();
  const pi = await m.ok("POST", "/v1/payment_intents", paymentBody(10_000, { fx_quote: q.id }));
  assert.equal(pi.status, "succeeded");
  assert.deepEqual(
    [pi.amount, pi.currency, pi.settlement_currency, pi.fx_quote],
    [10_000, "usd", "eur", q.id],
  );

  const stored = await storedRates(pi.id);
  assert.equal(stored.currency, "eur");
  assert.ok(sameRate(stored.rate, customer), "the quote's customer rate, exactly");
  assert.ok(sameRate(stored.reference, reference), "the ECB cross rate, exactly");
  const settled = toEur(10_000n, stored.rate);
  // 100.00 USD / 1.1720 less 0.5 % = 84.8976… → 84.90 EUR.
  assert.equal(settled, toEur(10_000n, customer));
  assert.equal(settled, BigInt(q.converted_amount));
  if (server.payrail.ctx.config.PAYRAIL_FX_SPREAD_BPS === 50) assert.equal(settled, 8_490n);

  const [bt] = await transactions(m, `source=${pi.id}&type=payment`);
  assert.deepEqual([bt.currency, bt.amount, bt.fee, bt.net], ["eur", Number(settled), 0, Number(settled)]);
  assert.deepEqual(await eurBalance(m), { available: 0, pending: Number(settled), reserved: 0 });
  const usd = (await m.ok("GET", "/v1/balance")).pending.find((b: Body) => b.currency === "usd");
  assert.equal(usd?.amount ?? 0, 0, "nothing is credited in USD");

  // The platform converts at the reference rate: the difference is its gain.
  const gain = toEur(10_000n, reference) - settled;
  assert.ok(gain > 0n);
  const postings = await money().money.ledger.transfersByUserData(db(), pi.id);
  const gains = postings.filter((t) => t.code === TransferCode.fx_gain_loss);
  assert.deepEqual(
    gains.map((t) => [t.creditAccountId, t.amount]),
    [[GAIN_ACCOUNT, gain]],
  );
  if (!process.env.DATABASE_URL) assert.equal((await gainLossNet()) - gainBefore, gain);

  // A locked quote serves one payment.
  const again = await m.call("POST", "/v1/payment_intents", paymentBody(10_000, { fx_quote: q.id }));
  assert.equal(again.status, 400, again.text);
  assert.equal(again.body.error.code, "fx_quote_already_used");
  assert.equal(again.body.error.param, "fx_quote");
  assert.match(again.body.error.message, new RegExp(pi.id));
  assert.equal(
    (await m.ok("GET", "/v1/payment_intents")).data.length,
    1,
    "the refused payment was not created",
  );
  await ledgerClean();
});

test("an expired quote is refused; a quote for another pair is refused; an indicative one is reusable", async () => {
  const m = await newMerchant("FX expiry");
  const { customer } = expectedRates();
  const early = await quote(m);
  const late = await quote(m);
  clock.advance(299_000);
  const inTime = await m.ok("POST", "/v1/payment_intents", paymentBody(5_000, { fx_quote: early.id }));
  assert.equal(inTime.settlement_currency, "eur");
  clock.advance(2_000);
  const expired = await m.call("POST", "/v1/payment_intents", paymentBody(5_000, { fx_quote: late.id }));
  assert.equal(expired.status, 400, expired.text);
  assert.equal(expired.body.error.code, "fx_quote_expired");
  assert.equal(expired.body.error.param, "fx_quote");

  const fresh = await quote(m);
  const mismatch = await m.call("POST", "/v1/payment_intents", {
    ...paymentBody(5_000, { fx_quote: fresh.id }),
    currency: "gbp",
  });
  assert.equal(mismatch.status, 400, mismatch.text);
  assert.equal(mismatch.body.error.code, "fx_quote_currency_mismatch");
  const unknown = await m.call(
    "POST",
    "/v1/payment_intents",
    paymentBody(5_000, { fx_quote: "fxq_doesnotexist0001" }),
  );
  assert.equal(unknown.status, 404, unknown.text);
  assert.equal(unknown.body.error.code, "resource_missing");

  const indicative = await quote(m, { lock_duration: "none" });
  assert.equal(indicative.expires_at, null);
  const one = await m.ok("POST", "/v1/payment_intents", paymentBody(3_000, { fx_quote: indicative.id }));
  const two = await m.ok("POST", "/v1/payment_intents", paymentBody(3_000, { fx_quote: indicative.id }));
  for (const pi of [one, two]) assert.ok(sameRate((await storedRates(pi.id)).rate, customer));
  assert.deepEqual(await eurBalance(m), {
    available: 0,
    pending: Number(toEur(5_000n, customer) + 2n * toEur(3_000n, customer)),
    reserved: 0,
  });
  // Another merchant cannot use this merchant's quote.
  const other = await newMerchant("FX other");
  const stolen = await other.call("POST", "/v1/payment_intents", paymentBody(5_000, { fx_quote: fresh.id }));
  assert.equal(stolen.status, 404, stolen.text);
  await ledgerClean();
});

test("an unknown fx_quote on a payment names the fx_quote parameter", {}, async () => {
  const m = await newMerchant("FX unknown quote");
  const r = await m.call(
    "POST",
    "/v1/payment_intents",
    paymentBody(5_000, { fx_quote: "fxq_doesnotexist0001" }),
  );
  assert.equal(r.status, 404, r.text);
  assert.equal(r.body.error.param, "fx_quote");
});

test("an FX payment refunded in two parts: the last part takes what is left of the converted amount", {}, async () => {
  const m = await newMerchant("FX refund rounding");
  const { customer } = expectedRates();
  const q = await quote(m);
  const pi = await m.ok("POST", "/v1/payment_intents", paymentBody(10_002, { fx_quote: q.id }));
  const settled = toEur(10_002n, customer);
  const first = await m.ok("POST", "/v1/refunds", { payment_intent: pi.id, amount: 1_002 });
  assert.equal(first.status, "succeeded");
  // 10.02 USD → 8.51 EUR and 90.00 USD → 76.41 EUR, but the payment credited 84.91 EUR.
  assert.ok(toEur(1_002n, customer) + toEur(9_000n, customer) > settled);
  const rest = await m.call("POST", "/v1/refunds", { payment_intent: pi.id });
  assert.equal(rest.status, 200, rest.text);
  assert.equal(rest.body.amount, 9_000);
  assert.deepEqual(await eurBalance(m), { available: 0, pending: 0, reserved: 0 });
  await ledgerClean();
});

test("surcharge on an FX payment equals the fees charged in the settlement currency", {}, async () => {
  const m = await newMerchant("FX surcharge");
  const fees = money().money.fees;
  const rule = await fees.add(
    {
      merchantId: m.id,
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
    await m.ok("POST", "/v1/account", { fee_bearer: "customer", surcharge_country: "US" });
    const { customer } = expectedRates();
    const q = await quote(m);
    const pi = await m.ok("POST", "/v1/payment_intents", paymentBody(10_000, { fx_quote: q.id }));
    assert.equal(pi.surcharge_amount, 320);
    assert.equal(pi.amount, 10_320);
    const [bt] = await transactions(m, `source=${pi.id}&type=payment`);
    assert.equal(bt.amount, Number(toEur(10_320n, customer)));
    // The surcharge covers the fees: the merchant nets what the goods are worth.
    assert.equal(bt.fee, Number(toEur(320n, customer)), JSON.stringify(bt));
  } finally {
    await fees.remove(rule.id);
  }
});

// Last: it moves the ECB rates.
test("a refund of an FX payment converts at the payment's rate, not today's", async () => {
  const m = await newMerchant("FX refunds");
  const { customer } = expectedRates();
  const q = await quote(m);
  const pi = await m.ok("POST", "/v1/payment_intents", paymentBody(10_000, { fx_quote: q.id }));
  const settled = toEur(10_000n, customer);
  // The euro moves; the refund keeps the payment's rate.
  server.payrail.ecbSimulator?.setRates({ rates: { ...DEFAULT_RATES, USD: "1.0500" }, date: "2027-06-02" });
  clock.advance(86_400_000);
  const refund = await m.ok("POST", "/v1/refunds", { payment_intent: pi.id, amount: 2_500 });
  assert.equal(refund.status, "succeeded");
  assert.equal(refund.currency, "usd");
  const back = toEur(2_500n, (await storedRates(pi.id)).rate);
  assert.equal(back, toEur(2_500n, customer));
  const spread = BigInt(server.payrail.ctx.config.PAYRAIL_FX_SPREAD_BPS);
  const today = multiply(rational(10_000n, 10_500n), rational(10_000n - spread, 10_000n));
  assert.notEqual(back, toEur(2_500n, today), "today's rate would give another figure");
  const [bt] = await transactions(m, `source=${refund.id}&type=refund`);
  assert.deepEqual([bt.currency, bt.amount], ["eur", -Number(back)]);
  assert.deepEqual(await eurBalance(m), { available: 0, pending: Number(settled - back), reserved: 0 });
  const postings = await money().money.ledger.transfersByUserData(db(), refund.id);
  const usdOut = postings.filter((t) => t.currency === "usd" && t.code === TransferCode.refund);
  assert.deepEqual(
    usdOut.map((t) => t.amount),
    [2_500n],
    "the shopper gets 25.00 USD back",
  );
  await ledgerClean();
});
