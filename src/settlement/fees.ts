import { minBigint } from "../core/money.ts";
import type { Db } from "../db/index.ts";
import { type FeeDetail, type FeeKind, type FeeRuleRow, moneyTables } from "./schema.ts";

export interface FeeQuery {
  merchantId: string;
  livemode: boolean;
  connector: string | null;
  paymentMethod: string | null;
  currency: string;
}

export interface FeeRuleInput {
  merchantId: string | null;
  livemode: boolean;
  kind: FeeKind;
  connector?: string | null;
  paymentMethod?: string | null;
  currency?: string | null;
  percentBps?: number;
  fixedAmount?: bigint;
  minimumAmount?: bigint | null;
  maximumAmount?: bigint | null;
  description?: string;
}

export interface ComputedFee {
  kind: FeeKind;
  amount: bigint;
  description: string;
  ruleId: string;
}

const KIND_LABEL: Record<FeeKind, string> = {
  provider_fee: "Processing fee",
  platform_fee: "Payrail fee",
};

/**
 * The most specific rule of each kind wins: a rule names a merchant, a connector, a payment method and a
 * currency, or leaves any of them open (null). Matching the merchant weighs most, then connector, method
 * and currency; among equals the newest rule wins.
 */
export function pickRules(rules: readonly FeeRuleRow[], q: FeeQuery): FeeRuleRow[] {
  const best = new Map<FeeKind, { rule: FeeRuleRow; score: number }>();
  for (const rule of rules) {
    if (rule.livemode !== q.livemode) continue;
    if (rule.merchant_id !== null && rule.merchant_id !== q.merchantId) continue;
    if (rule.connector !== null && rule.connector !== q.connector) continue;
    if (rule.payment_method !== null && rule.payment_method !== q.paymentMethod) continue;
    if (rule.currency !== null && rule.currency !== q.currency) continue;
    const score =
      (rule.merchant_id ? 8 : 0) +
      (rule.connector ? 4 : 0) +
      (rule.payment_method ? 2 : 0) +
      (rule.currency ? 1 : 0);
    const current = best.get(rule.kind);
    if (
      !current ||
      score > current.score ||
      (score === current.score && rule.created_at.getTime() > current.rule.created_at.getTime())
    ) {
      best.set(rule.kind, { rule, score });
    }
  }
  return [...best.values()].map((b) => b.rule).sort((a, b) => a.kind.localeCompare(b.kind));
}

/** Percentage rounded half up to the minor unit, plus the fixed part, then clamped to minimum and maximum. */
export function applyRule(rule: FeeRuleRow, amount: bigint): bigint {
  if (amount <= 0n) return 0n;
  const scaled = amount * BigInt(rule.percent_bps);
  let fee = scaled / 10_000n + (scaled % 10_000n >= 5_000n ? 1n : 0n) + rule.fixed_amount;
  if (rule.minimum_amount !== null && fee < rule.minimum_amount) fee = rule.minimum_amount;
  if (rule.maximum_amount !== null && fee > rule.maximum_amount) fee = rule.maximum_amount;
  return fee > amount ? amount : fee;
}

/** The fees of each kind for `amount`; together they never take more than the amount (later kinds give way). */
export function computeFees(rules: readonly FeeRuleRow[], q: FeeQuery, amount: bigint): ComputedFee[] {
  let left = amount > 0n ? amount : 0n;
  return pickRules(rules, q)
    .map((rule) => {
      const fee = minBigint(applyRule(rule, amount), left);
      left -= fee;
      return {
        kind: rule.kind,
        amount: fee,
        description: rule.description || KIND_LABEL[rule.kind],
        ruleId: rule.id,
      };
    })
    .filter((f) => f.amount > 0n);
}

export const totalFees = (fees: readonly ComputedFee[]) => fees.reduce((s, f) => s + f.amount, 0n);

export function feeDetails(fees: readonly ComputedFee[], currency: string): FeeDetail[] {
  return fees.map((f) => ({
    type: f.kind,
    amount: f.amount.toString(),
    currency,
    description: f.description,
  }));
}

/** Fee rules are platform configuration (the `payrail fees` command); a process caches them briefly. */
export function createFeeRules(db: Db, options: { cacheMs?: number; now?: () => number } = {}) {
  const cacheMs = options.cacheMs ?? 5_000;
  const now = options.now ?? Date.now;
  let cached: { at: number; rules: FeeRuleRow[] } | undefined;

  async function all(): Promise<FeeRuleRow[]> {
    if (cached && now() - cached.at < cacheMs) return cached.rules;
    const rules = await moneyTables(db).selectFrom("fee_rules").selectAll().execute();
    cached = { at: now(), rules };
    return rules;
  }

  return {
    all,
    async compute(q: FeeQuery, amount: bigint): Promise<ComputedFee[]> {
      return computeFees(await all(), q, amount);
    },
    async add(input: FeeRuleInput, id: string, createdAt: Date): Promise<FeeRuleRow> {
      const row = await moneyTables(db)
        .insertInto("fee_rules")
        .values({
          id,
          merchant_id: input.merchantId,
          livemode: input.livemode,
          kind: input.kind,
          connector: input.connector ?? null,
          payment_method: input.paymentMethod ?? null,
          currency: input.currency ?? null,
          percent_bps: input.percentBps ?? 0,
          fixed_amount: input.fixedAmount ?? 0n,
          minimum_amount: input.minimumAmount ?? null,
          maximum_amount: input.maximumAmount ?? null,
          description: input.description ?? KIND_LABEL[input.kind],
          created_at: createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      cached = undefined;
      return row;
    },
    async remove(id: string): Promise<boolean> {
      const r = await moneyTables(db).deleteFrom("fee_rules").where("id", "=", id).executeTakeFirst();
      cached = undefined;
      return (r.numDeletedRows ?? 0n) > 0n;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

export type FeeRules = ReturnType<typeof createFeeRules>;

/**
 * Countries where a surcharge on consumer cards is forbidden: the EU and EEA (Payment Services Directive 2,
 * art. 62(4), for cards under the Interchange Fee Regulation) and the United Kingdom.
 */
export const SURCHARGE_BANNED_COUNTRIES: ReadonlySet<string> = new Set(
  ("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE " + "IS LI NO GB").split(
    " ",
  ),
);
