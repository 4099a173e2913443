import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { applyRule, computeFees, pickRules } from "./fees.ts";
import { maturesOn, payoutDue } from "./holders.ts";
import type { BalanceHolderRow, FeeRuleRow } from "./schema.ts";

const at = (iso: string) => new Date(iso);

function rule(over: Partial<FeeRuleRow>): FeeRuleRow {
  return {
    id: "fr_x",
    merchant_id: null,
    livemode: false,
    kind: "provider_fee",
    connector: null,
    payment_method: null,
    currency: null,
    percent_bps: 0,
    fixed_amount: 0n,
    minimum_amount: null,
    maximum_amount: null,
    description: "",
    created_at: at("2026-01-01T00:00:00Z"),
    ...over,
  };
}

const query = {
  merchantId: "acct_m",
  livemode: false,
  connector: "sandbox",
  paymentMethod: "card",
  currency: "eur",
};

test("percent rounds half up to the minor unit, then fixed, then min and max", () => {
  assert.equal(applyRule(rule({ percent_bps: 290, fixed_amount: 30n, currency: "usd" }), 10_000n), 320n);
  // 1.5 % of 1,050 = 15.75 → 16
  assert.equal(applyRule(rule({ percent_bps: 150 }), 1_050n), 16n);
  // 1.5 % of 1,030 = 15.45 → 15
  assert.equal(applyRule(rule({ percent_bps: 150 }), 1_030n), 15n);
  assert.equal(applyRule(rule({ percent_bps: 100, currency: "eur", minimum_amount: 50n }), 1_000n), 50n);
  assert.equal(applyRule(rule({ percent_bps: 500, currency: "eur", maximum_amount: 200n }), 10_000n), 200n);
  // A fee never takes more than the amount.
  assert.equal(applyRule(rule({ fixed_amount: 500n, currency: "eur" }), 300n), 300n);
  assert.equal(applyRule(rule({ percent_bps: 290 }), 0n), 0n);
});

test("the most specific rule of each kind wins; the newest among equals", () => {
  const rules = [
    rule({ id: "global", percent_bps: 300 }),
    rule({ id: "card", percent_bps: 250, payment_method: "card" }),
    rule({ id: "merchant", percent_bps: 200, merchant_id: "acct_m" }),
    rule({ id: "other-merchant", percent_bps: 100, merchant_id: "acct_other" }),
    rule({ id: "merchant-eur-old", percent_bps: 190, merchant_id: "acct_m", currency: "eur" }),
    rule({
      id: "merchant-eur-new",
      percent_bps: 180,
      merchant_id: "acct_m",
      currency: "eur",
      created_at: at("2026-06-01T00:00:00Z"),
    }),
    rule({ id: "platform", kind: "platform_fee", percent_bps: 50 }),
    rule({ id: "live", percent_bps: 1, merchant_id: "acct_m", livemode: true, currency: "eur" }),
    rule({ id: "adyen", percent_bps: 1, merchant_id: "acct_m", connector: "adyen" }),
  ];
  assert.deepEqual(
    pickRules(rules, query).map((r) => r.id),
    ["platform", "merchant-eur-new"],
  );
  assert.deepEqual(
    pickRules(rules, { ...query, merchantId: "acct_z", currency: "usd" }).map((r) => r.id),
    ["platform", "card"],
  );
  assert.deepEqual(
    computeFees(rules, query, 10_000n).map((f) => [f.kind, f.amount]),
    [
      ["platform_fee", 50n],
      ["provider_fee", 180n],
    ],
  );
});

test("fees are never negative and never exceed the amount (property)", () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: 0n, max: 10n ** 12n }),
      fc.integer({ min: 0, max: 10_000 }),
      fc.bigInt({ min: 0n, max: 10n ** 6n }),
      (amount, bps, fixed) => {
        const fee = applyRule(rule({ percent_bps: bps, fixed_amount: fixed, currency: "eur" }), amount);
        return fee >= 0n && fee <= amount;
      },
    ),
  );
});

function holder(over: Partial<BalanceHolderRow>): BalanceHolderRow {
  return {
    payout_interval: "daily",
    payout_weekly_anchor: null,
    payout_monthly_anchor: null,
    ...over,
  } as BalanceHolderRow;
}

test("funds mature at the start of the UTC day delay_days after capture", () => {
  assert.equal(maturesOn(at("2026-11-02T23:59:00Z"), 2).toISOString(), "2026-11-04T00:00:00.000Z");
  assert.equal(maturesOn(at("2026-12-31T10:00:00Z"), 1).toISOString(), "2027-01-01T00:00:00.000Z");
  assert.equal(maturesOn(at("2026-11-02T10:00:00Z"), 0).toISOString(), "2026-11-02T00:00:00.000Z");
});

test("payout schedules: daily, weekly on the anchor, monthly on the anchor or the month's last day", () => {
  const monday = at("2026-11-02T08:00:00Z");
  const friday = at("2026-11-06T08:00:00Z");
  assert.equal(payoutDue(holder({ payout_interval: "manual" }), monday), false);
  assert.equal(payoutDue(holder({ payout_interval: "daily" }), monday), true);
  assert.equal(
    payoutDue(holder({ payout_interval: "weekly", payout_weekly_anchor: "friday" }), friday),
    true,
  );
  assert.equal(
    payoutDue(holder({ payout_interval: "weekly", payout_weekly_anchor: "friday" }), monday),
    false,
  );
  assert.equal(payoutDue(holder({ payout_interval: "weekly" }), monday), true, "monday by default");
  const monthly31 = holder({ payout_interval: "monthly", payout_monthly_anchor: 31 });
  assert.equal(payoutDue(monthly31, at("2026-11-30T08:00:00Z")), true, "November has 30 days");
  assert.equal(payoutDue(monthly31, at("2026-11-29T08:00:00Z")), false);
  assert.equal(payoutDue(monthly31, at("2026-12-31T08:00:00Z")), true);
  assert.equal(
    payoutDue(holder({ payout_interval: "monthly", payout_monthly_anchor: 15 }), at("2026-11-15T01:00:00Z")),
    true,
  );
});
