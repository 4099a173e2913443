import { unixSeconds } from "../core/clock.ts";
import { toJsonAmount } from "../core/money.ts";
import type { FxQuoteRow, LockDuration } from "./schema.ts";

export interface FxQuote {
  id: string;
  object: "fx_quote";
  created: number;
  livemode: boolean;
  from_currency: string;
  to_currency: string;
  /** Customer rate (units of to_currency per unit of from_currency), rounded for display. */
  rate: string;
  reference_rate: string;
  rate_date: string;
  fee: { spread_bps: number; amount?: number };
  lock_duration: LockDuration;
  /** Unix seconds; null for an indicative quote (lock_duration none). */
  expires_at: number | null;
  amount?: number;
  converted_amount?: number;
}

export function presentQuote(row: FxQuoteRow): FxQuote {
  const withAmount = row.amount !== null && row.converted_amount !== null && row.fee_amount !== null;
  return {
    id: row.id,
    object: "fx_quote",
    created: unixSeconds(row.created_at),
    livemode: row.livemode,
    from_currency: row.from_currency,
    to_currency: row.to_currency,
    rate: row.rate,
    reference_rate: row.reference_rate,
    rate_date: row.rate_date,
    fee: {
      spread_bps: row.spread_bps,
      ...(withAmount ? { amount: toJsonAmount(row.fee_amount as bigint) } : {}),
    },
    lock_duration: row.lock_duration,
    expires_at: row.expires_at ? unixSeconds(row.expires_at) : null,
    ...(withAmount
      ? {
          amount: toJsonAmount(row.amount as bigint),
          converted_amount: toJsonAmount(row.converted_amount as bigint),
        }
      : {}),
  };
}
