/**
 * FX quotes: a merchant's quote of a currency pair at the ECB reference rate less the platform's
 * spread, optionally locked for a while. Rates are stored exactly as fractions of decimal integers
 * (`rate_num / rate_den`), beside the decimal shown to the merchant. A locked quote is consumed by at
 * most one payment (`used_by`); an indicative one (`lock_duration = 'none'`) never expires and is never
 * consumed. Written with `if not exists` so tests can apply the statements before this migration is
 * registered.
 */
export const statements = [
  `create table if not exists fx_quotes (
    id text primary key,
    merchant_id text not null references merchants(id),
    livemode boolean not null,
    from_currency text not null check (from_currency ~ '^[a-z]{3}$'),
    to_currency text not null check (to_currency ~ '^[a-z]{3}$'),
    rate_num text not null check (rate_num ~ '^[1-9][0-9]*$'),
    rate_den text not null check (rate_den ~ '^[1-9][0-9]*$'),
    reference_num text not null check (reference_num ~ '^[1-9][0-9]*$'),
    reference_den text not null check (reference_den ~ '^[1-9][0-9]*$'),
    rate text not null,
    reference_rate text not null,
    spread_bps int not null check (spread_bps between 0 and 9999),
    lock_duration text not null check (lock_duration in ('none', 'five_minutes', 'hour', 'day')),
    expires_at timestamptz,
    rate_date date not null,
    amount int8 check (amount > 0),
    converted_amount int8 check (converted_amount >= 0),
    fee_amount int8,
    used_by text,
    used_at timestamptz,
    created_at timestamptz not null,
    check (from_currency <> to_currency),
    check ((lock_duration = 'none') = (expires_at is null)),
    check ((amount is null) = (converted_amount is null) and (amount is null) = (fee_amount is null)),
    check ((used_by is null) = (used_at is null)),
    check (used_by is null or lock_duration <> 'none')
  )`,
  `create index if not exists fx_quotes_merchant on fx_quotes (merchant_id, livemode, created_at)`,
];
