import type { Clock } from "../core/clock.ts";
import type { IdGenerator } from "../core/ids.ts";
import { isKnownCurrency } from "../core/money.ts";
import type { Db } from "../db/index.ts";
import { createFeeRules } from "./fees.ts";
import type { FeeKind } from "./schema.ts";

export const FEES_USAGE = `Usage:
  payrail fees add --kind provider_fee|platform_fee [--percent P] [--fixed N] [--min N] [--max N]
                   [--merchant acct_…] [--connector NAME] [--method TYPE] [--currency CCY] [--live]
                   [--description TEXT]
  payrail fees list [--json]
  payrail fees remove <fr_…>

  A fee rule says what a payment costs the merchant: percent (up to two decimals) of the amount plus a
  fixed amount in minor units, clamped to min/max. Fixed, min and max need --currency. The most specific
  rule of each kind wins (merchant, then connector, method, currency); without --merchant a rule applies
  to every merchant. Rules apply to test mode unless --live.`;

export interface FeesCliOptions {
  kind?: string | undefined;
  percent?: string | undefined;
  fixed?: string | undefined;
  min?: string | undefined;
  max?: string | undefined;
  merchant?: string | undefined;
  connector?: string | undefined;
  method?: string | undefined;
  currency?: string | undefined;
  live?: boolean | undefined;
  description?: string | undefined;
  json?: boolean | undefined;
}

function minor(text: string | undefined, flag: string): bigint | null {
  if (text === undefined) return null;
  if (!/^\d{1,15}$/.test(text)) throw new Error(`${flag} is a whole number of minor units, e.g. 30`);
  return BigInt(text);
}

function basisPoints(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text) || Number(text) > 100) {
    throw new Error("--percent is 0 to 100 with at most two decimals, e.g. 2.9");
  }
  return Math.round(Number(text) * 100);
}

/** `payrail fees <subcommand>`; returns the process exit code. */
export async function runFeesCommand(
  positionals: readonly string[],
  options: FeesCliOptions,
  io: { db: Db; clock: Clock; ids: IdGenerator; write: (text: string) => void },
): Promise<number> {
  const rules = createFeeRules(io.db);
  switch (positionals[0]) {
    case "add": {
      if (options.kind !== "provider_fee" && options.kind !== "platform_fee") {
        throw new Error("--kind is provider_fee or platform_fee");
      }
      const currency = options.currency?.toLowerCase();
      if (currency !== undefined && !isKnownCurrency(currency))
        throw new Error(`unknown currency ${currency}`);
      const fixed = minor(options.fixed, "--fixed");
      const min = minor(options.min, "--min");
      const max = minor(options.max, "--max");
      if (!currency && (fixed !== null || min !== null || max !== null)) {
        throw new Error("--fixed, --min and --max are amounts in one currency: add --currency");
      }
      const row = await rules.add(
        {
          merchantId: options.merchant ?? null,
          livemode: Boolean(options.live),
          kind: options.kind as FeeKind,
          connector: options.connector ?? null,
          paymentMethod: options.method ?? null,
          currency: currency ?? null,
          percentBps: basisPoints(options.percent),
          fixedAmount: fixed ?? 0n,
          minimumAmount: min,
          maximumAmount: max,
          ...(options.description ? { description: options.description } : {}),
        },
        io.ids.next("fr"),
        io.clock.now(),
      );
      io.write(`Fee rule ${row.id} added.\n`);
      return 0;
    }
    case "list": {
      const all = await rules.all();
      if (options.json) {
        io.write(`${JSON.stringify(all, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}\n`);
        return 0;
      }
      if (all.length === 0) io.write("No fee rules: payments carry no fees.\n");
      for (const r of all) {
        const scope = [
          r.merchant_id ?? "all merchants",
          r.connector ?? "any connector",
          r.payment_method ?? "any method",
          r.currency ?? "any currency",
          r.livemode ? "live" : "test",
        ].join(", ");
        const parts = [
          `${r.percent_bps / 100}%`,
          r.fixed_amount > 0n ? `+ ${r.fixed_amount}` : "",
          r.minimum_amount !== null ? `min ${r.minimum_amount}` : "",
          r.maximum_amount !== null ? `max ${r.maximum_amount}` : "",
        ]
          .filter(Boolean)
          .join(" ");
        io.write(`${r.id}  ${r.kind}  ${parts}  (${scope})  ${r.description}\n`);
      }
      return 0;
    }
    case "remove": {
      const id = positionals[1];
      if (!id) throw new Error("Usage: payrail fees remove <fr_…>");
      if (!(await rules.remove(id))) {
        io.write(`No fee rule ${id}.\n`);
        return 1;
      }
      io.write(`Fee rule ${id} removed.\n`);
      return 0;
    }
    default:
      io.write(`${FEES_USAGE}\n`);
      return 2;
  }
}
