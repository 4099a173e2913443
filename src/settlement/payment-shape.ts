import { allocate } from "../core/money.ts";
import type { PaymentIntentRow } from "../db/schema.ts";
import { convertAmount } from "../fx/convert.ts";
import { parseDecimal, type Rational, rational } from "../fx/decimal.ts";
import { type Holder, holderOf } from "./books.ts";

/**
 * Who a payment's money belongs to, and in which currency the merchants are paid. Parts are weights in the
 * presentment currency summing to the amount: the merchant itself first (its application fee, plus the
 * surcharge it collected to cover fees), then each seller.
 */
export interface PaymentShape {
  merchant: Holder;
  presentment: string;
  settlement: string;
  /** Customer rate (presentment → settlement) and the reference rate it was quoted from; null: no FX. */
  rate: string | null;
  referenceRate: string | null;
  amount: bigint;
  surcharge: bigint;
  parts: Array<{ holder: Holder; weight: bigint }>;
}

export function paymentShape(intent: PaymentIntentRow): PaymentShape {
  const merchant = holderOf(intent.merchant_id, intent.livemode);
  const own = (intent.application_fee_amount ?? 0n) + intent.surcharge_amount;
  let parts: PaymentShape["parts"];
  if (intent.splits && intent.splits.length > 0) {
    parts = [
      { holder: merchant, weight: own },
      ...intent.splits.map((s) => ({
        holder: holderOf(intent.merchant_id, intent.livemode, s.account),
        weight: BigInt(s.amount),
      })),
    ];
  } else if (intent.transfer_destination) {
    parts = [
      { holder: merchant, weight: own },
      {
        holder: holderOf(intent.merchant_id, intent.livemode, intent.transfer_destination),
        weight: intent.amount - own,
      },
    ];
  } else {
    parts = [{ holder: merchant, weight: intent.amount }];
  }
  return {
    merchant,
    presentment: intent.currency,
    settlement: intent.settlement_currency ?? intent.currency,
    rate: intent.settlement_rate,
    referenceRate: intent.settlement_reference_rate,
    amount: intent.amount,
    surcharge: intent.surcharge_amount,
    parts,
  };
}

/** Presentment amount → settlement amount at the customer rate (half-even, see src/fx/convert.ts). */
export function toSettlement(shape: PaymentShape, amount: bigint): bigint {
  if (!shape.rate) return amount;
  return convertAmount(amount, shape.presentment, shape.settlement, parseRate(shape.rate));
}

/** The same amount at the reference rate: what the platform gets for it on the market. */
export function toSettlementAtReference(shape: PaymentShape, amount: bigint): bigint {
  if (!shape.referenceRate) return toSettlement(shape, amount);
  return convertAmount(amount, shape.presentment, shape.settlement, parseRate(shape.referenceRate));
}

/** Splits a settlement amount over the parts in proportion to their weights (largest remainder). */
export function splitOverParts(shape: PaymentShape, total: bigint): bigint[] {
  const weights = shape.parts.map((p) => p.weight);
  if (weights.every((w) => w === 0n)) return weights.map((_, i) => (i === 0 ? total : 0n));
  return allocate(total, weights);
}

/** The share of `captured` that is surcharge, in proportion (largest remainder, so it never exceeds it). */
export function surchargeShare(shape: PaymentShape, captured: bigint): bigint {
  if (shape.surcharge === 0n) return 0n;
  const [share] = allocate(captured, [shape.surcharge, shape.amount - shape.surcharge]);
  return share as bigint;
}

/** Rates are stored exactly, as "num/den" (a cross rate through EUR is rarely a finite decimal). */
export const rateText = (r: Rational): string => `${r.num}/${r.den}`;

export function parseRate(text: string): Rational {
  const slash = text.indexOf("/");
  if (slash < 0) return parseDecimal(text);
  return rational(BigInt(text.slice(0, slash)), BigInt(text.slice(slash + 1)));
}
