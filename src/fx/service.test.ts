import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../test/support/context.ts";
import { ManualClock, unixSeconds } from "../core/clock.ts";
import { ApiError } from "../core/errors.ts";
import { parseDecimal } from "./decimal.ts";
import { ratesUnavailable } from "./rate-source.ts";
import { fxTables } from "./schema.ts";
import { createFxService, type FxService } from "./service.ts";
import { createFxTestMerchant, ensureFxTables, type FxTestMerchant, fixedRateSource } from "./testing.ts";

const clock = new ManualClock(new Date("2025-03-14T17:00:00Z"));
const ecbTable = (date: string, rates: Record<string, string>) => ({
  date,
  base: "eur",
  rates: new Map(Object.entries(rates).map(([code, rate]) => [code, parseDecimal(rate)])),
  loadedAt: clock.now(),
  source: "test",
});
const rates = fixedRateSource(ecbTable("2025-03-14", { usd: "1.0823", jpy: "161.45", gbp: "0.8392" }));

let t: TestContext;
let fx: FxService;
let merchant: FxTestMerchant;

before(async () => {
  t = await createTestContext({ clock });
  await ensureFxTables(t.ctx.db);
  fx = createFxService({ ctx: t.ctx, rates, spreadBps: 50 });
  merchant = await createFxTestMerchant(t.ctx, clock.now());
});
after(async () => {
  await t?.close();
});

const apiError = (status: number, code: string, param?: string) => (error: unknown) => {
  assert.ok(error instanceof ApiError, String(error));
  assert.equal(error.status, status);
  assert.equal(error.body.code, code);
  if (param !== undefined) assert.equal(error.body.param, param);
  return true;
};

const inTx = <T>(fn: (tx: TestContext["ctx"]["db"]) => Promise<T>) => t.ctx.db.transaction().execute(fn);

describe("createQuote and getQuote", () => {
  test("an indicative quote: ECB cross rate less the spread, no expiry, no amounts", async () => {
    const quote = await fx.createQuote(merchant.auth, {
      from_currency: "usd",
      to_currency: "jpy",
      lock_duration: "none",
    });
    assert.match(quote.id, /^fxq_[0-9A-Za-z]{24}$/);
    assert.deepEqual(quote, {
      id: quote.id,
      object: "fx_quote",
      created: unixSeconds(clock.now()),
      livemode: false,
      from_currency: "usd",
      to_currency: "jpy",
      rate: "148.4271921", // 161.45 / 1.0823 × 0.995 = 148.42719209..., to 10 significant digits
      reference_rate: "149.1730574",
      rate_date: "2025-03-14",
      fee: { spread_bps: 50 },
      lock_duration: "none",
      expires_at: null,
    });
    assert.deepEqual(await fx.getQuote(merchant.auth, quote.id), quote);
  });

  test("a locked quote with an amount: converted half-even, fee = at reference − at customer rate", async () => {
    const quote = await fx.createQuote(merchant.auth, {
      from_currency: "usd",
      to_currency: "jpy",
      lock_duration: "hour",
      amount: 100_000, // $1,000.00
    });
    assert.equal(quote.expires_at, unixSeconds(clock.now()) + 3600);
    assert.equal(quote.amount, 100_000);
    assert.equal(quote.converted_amount, 148_427); // ¥148,427.19
    assert.deepEqual(quote.fee, { spread_bps: 50, amount: 746 }); // ¥149,173 − ¥148,427
    assert.deepEqual(await fx.getQuote(merchant.auth, quote.id), quote);

    const row = await fxTables(t.ctx.db)
      .selectFrom("fx_quotes")
      .select(["rate_num", "rate_den", "reference_num", "reference_den"])
      .where("id", "=", quote.id)
      .executeTakeFirstOrThrow();
    // Exact: (161.45 / 1.0823) × (9950 / 10000)
    assert.deepEqual(row, {
      rate_num: "3212855",
      rate_den: "21646",
      reference_num: "1614500",
      reference_den: "10823",
    });
  });

  test("lock durations of five minutes and a day", async () => {
    for (const [lock, seconds] of [
      ["five_minutes", 300],
      ["day", 86_400],
    ] as const) {
      const quote = await fx.createQuote(merchant.auth, {
        from_currency: "eur",
        to_currency: "gbp",
        lock_duration: lock,
      });
      assert.equal(quote.expires_at, unixSeconds(clock.now()) + seconds);
      assert.equal(quote.reference_rate, "0.8392");
    }
  });

  test("a currency the ECB does not publish fails clearly", async () => {
    await assert.rejects(
      fx.createQuote(merchant.auth, { from_currency: "usd", to_currency: "twd", lock_duration: "none" }),
      apiError(400, "fx_rate_unavailable", "to_currency"),
    );
    await assert.rejects(
      fx.createQuote(merchant.auth, {
        from_currency: "kwd",
        to_currency: "usd",
        lock_duration: "hour",
        amount: 1,
      }),
      apiError(400, "fx_rate_unavailable", "from_currency"),
    );
  });

  test("rejects the same currency twice and too large an amount", async () => {
    await assert.rejects(
      fx.createQuote(merchant.auth, { from_currency: "usd", to_currency: "usd", lock_duration: "none" }),
      apiError(400, "parameter_invalid", "to_currency"),
    );
    await assert.rejects(
      fx.createQuote(merchant.auth, {
        from_currency: "jpy",
        to_currency: "usd",
        lock_duration: "none",
        amount: Number.MAX_SAFE_INTEGER,
      }),
      apiError(400, "amount_too_large", "amount"),
    );
  });

  test("refuses to quote when the rates are unavailable", async () => {
    rates.fail = ratesUnavailable("The FX reference rates of 2025-03-01 are 13 days old (more than 5).");
    try {
      await assert.rejects(
        fx.createQuote(merchant.auth, { from_currency: "usd", to_currency: "jpy", lock_duration: "none" }),
        apiError(503, "rates_unavailable"),
      );
    } finally {
      delete rates.fail;
    }
  });

  test("a quote is visible only to its merchant, in its mode", async () => {
    const quote = await fx.createQuote(merchant.auth, {
      from_currency: "usd",
      to_currency: "gbp",
      lock_duration: "none",
    });
    const other = await createFxTestMerchant(t.ctx, clock.now());
    await assert.rejects(fx.getQuote(other.auth, quote.id), apiError(404, "resource_missing", "id"));
    await assert.rejects(fx.getQuote(merchant.liveAuth, quote.id), apiError(404, "resource_missing", "id"));
  });
});

describe("consumeQuote", () => {
  const lockedQuote = (lock: "five_minutes" | "hour" = "hour") =>
    fx.createQuote(merchant.auth, { from_currency: "usd", to_currency: "jpy", lock_duration: lock });
  const usdJpy = { from_currency: "usd", to_currency: "jpy" };

  test("a locked quote gives its exact rate to one payment only", async () => {
    const quote = await lockedQuote();
    const applied = await inTx((tx) =>
      fx.consumeQuote(tx, merchant.auth, quote.id, { ...usdJpy, paymentId: "pi_one" }),
    );
    assert.deepEqual(applied, {
      quote: quote.id,
      locked: true,
      from_currency: "usd",
      to_currency: "jpy",
      rate: { num: 3212855n, den: 21646n },
      reference: { num: 1614500n, den: 10823n },
      spreadBps: 50,
      rateDate: "2025-03-14",
    });
    await assert.rejects(
      inTx((tx) => fx.consumeQuote(tx, merchant.auth, quote.id, { ...usdJpy, paymentId: "pi_two" })),
      apiError(400, "fx_quote_already_used", "fx_quote"),
    );
    // The same payment again (a retry) gets the same rate, even after the quote expired.
    clock.advance(2 * 3_600_000);
    const again = await inTx((tx) =>
      fx.consumeQuote(tx, merchant.auth, quote.id, { ...usdJpy, paymentId: "pi_one" }),
    );
    assert.deepEqual(again, applied);
  });

  test("an expired quote is refused, at the injected clock's time", async () => {
    const quote = await lockedQuote("five_minutes");
    clock.advance(5 * 60_000 - 1);
    const fresh = await lockedQuote("five_minutes");
    clock.advance(1);
    await assert.rejects(
      inTx((tx) => fx.consumeQuote(tx, merchant.auth, quote.id, { ...usdJpy, paymentId: "pi_late" })),
      apiError(400, "fx_quote_expired", "fx_quote"),
    );
    await inTx((tx) => fx.consumeQuote(tx, merchant.auth, fresh.id, { ...usdJpy, paymentId: "pi_late" }));
  });

  test("a different currency pair is refused", async () => {
    const quote = await lockedQuote();
    for (const pair of [
      { from_currency: "jpy", to_currency: "usd" },
      { from_currency: "usd", to_currency: "gbp" },
    ]) {
      await assert.rejects(
        inTx((tx) => fx.consumeQuote(tx, merchant.auth, quote.id, { ...pair, paymentId: "pi_pair" })),
        apiError(400, "fx_quote_currency_mismatch", "fx_quote"),
      );
    }
  });

  test("another merchant's quote, or one of the other mode, does not exist", async () => {
    const quote = await lockedQuote();
    const other = await createFxTestMerchant(t.ctx, clock.now());
    for (const auth of [other.auth, merchant.liveAuth]) {
      await assert.rejects(
        inTx((tx) => fx.consumeQuote(tx, auth, quote.id, { ...usdJpy, paymentId: "pi_x" })),
        apiError(404, "resource_missing", "fx_quote"),
      );
    }
    await assert.rejects(
      inTx((tx) =>
        fx.consumeQuote(tx, merchant.auth, "fxq_doesnotexist000", { ...usdJpy, paymentId: "pi_x" }),
      ),
      apiError(404, "resource_missing", "fx_quote"),
    );
    // The refused attempts used nothing up.
    await inTx((tx) => fx.consumeQuote(tx, merchant.auth, quote.id, { ...usdJpy, paymentId: "pi_owner" }));
  });

  test("consuming in a transaction that rolls back leaves the quote unused", async () => {
    const quote = await lockedQuote();
    await assert.rejects(
      inTx(async (tx) => {
        await fx.consumeQuote(tx, merchant.auth, quote.id, { ...usdJpy, paymentId: "pi_rolled_back" });
        throw new Error("payment failed to insert");
      }),
      /payment failed to insert/,
    );
    const applied = await inTx((tx) =>
      fx.consumeQuote(tx, merchant.auth, quote.id, { ...usdJpy, paymentId: "pi_next" }),
    );
    assert.equal(applied.locked, true);
  });

  test("concurrent payments: exactly one gets a locked quote", async () => {
    const quote = await lockedQuote();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        inTx((tx) => fx.consumeQuote(tx, merchant.auth, quote.id, { ...usdJpy, paymentId: `pi_race${i}` })),
      ),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    for (const r of results) {
      if (r.status === "rejected") apiError(400, "fx_quote_already_used")(r.reason);
    }
  });

  test("an indicative quote gives the current rate, to any number of payments", async () => {
    const quote = await fx.createQuote(merchant.auth, { ...usdJpy, lock_duration: "none" });
    const first = await inTx((tx) =>
      fx.consumeQuote(tx, merchant.auth, quote.id, { ...usdJpy, paymentId: "pi_a" }),
    );
    assert.equal(first.locked, false);
    assert.deepEqual(first.reference, { num: 1614500n, den: 10823n });
    const before = rates.table;
    rates.table = ecbTable("2025-03-17", { usd: "1.0900", jpy: "163.50" });
    try {
      const second = await inTx((tx) =>
        fx.consumeQuote(tx, merchant.auth, quote.id, { ...usdJpy, paymentId: "pi_b" }),
      );
      assert.deepEqual(second.reference, { num: 150n, den: 1n });
      assert.deepEqual(second.rate, { num: 597n, den: 4n }); // 150 × 0.995
      assert.equal(second.rateDate, "2025-03-17");
    } finally {
      rates.table = before;
    }
    assert.equal((await fx.getQuote(merchant.auth, quote.id)).expires_at, null);
  });
});

describe("exponents", () => {
  test("a plugged-in source with KWD converts into three decimals", async () => {
    const kwd = fixedRateSource(ecbTable("2025-03-14", { usd: "1.0823", kwd: "0.3330", jpy: "161.45" }));
    const service = createFxService({ ctx: t.ctx, rates: kwd, spreadBps: 0 });
    const quote = await service.createQuote(merchant.auth, {
      from_currency: "usd",
      to_currency: "kwd",
      lock_duration: "none",
      amount: 12_345, // $123.45 × 0.3330 / 1.0823 = KWD 37.9832... -> 37.983
    });
    assert.equal(quote.converted_amount, 37_983);
    assert.deepEqual(quote.fee, { spread_bps: 0, amount: 0 });
    const yen = await service.createQuote(merchant.auth, {
      from_currency: "kwd",
      to_currency: "jpy",
      lock_duration: "none",
      amount: 1_500, // KWD 1.500 × 161.45 / 0.3330 = ¥727.25 -> 727
    });
    assert.equal(yen.converted_amount, 727);
  });
});
