/**
 * Hosted checkout. A session wraps one payment intent with what the hosted page needs (line items,
 * where to send the shopper back, which methods in which order, the language). `checkout_settings`
 * holds per-merchant page settings: the origins allowed to frame the embedded form.
 */
export const statements = [
  `create table checkout_sessions (
    id text primary key,
    merchant_id text not null references merchants(id),
    livemode boolean not null,
    payment_intent_id text not null references payment_intents(id),
    amount_total bigint not null check (amount_total > 0),
    currency text not null,
    line_items jsonb not null default '[]',
    customer_id text references customers(id),
    merchant_reference text,
    success_url text not null,
    cancel_url text,
    method_order jsonb,
    locale text not null default 'auto',
    shopper_country text,
    display_currencies jsonb,
    expires_at timestamptz not null,
    expired_at timestamptz,
    completed_at timestamptz,
    metadata jsonb not null default '{}',
    created_at timestamptz not null default now()
  )`,
  `create index checkout_sessions_merchant_created on checkout_sessions (merchant_id, created_at desc, id desc)`,
  `create unique index checkout_sessions_intent on checkout_sessions (payment_intent_id)`,
  // The worker's queue: sessions whose outcome it has not announced yet.
  `create index checkout_sessions_open on checkout_sessions (expires_at)
    where completed_at is null and expired_at is null`,
  `create table checkout_settings (
    merchant_id text primary key references merchants(id),
    embed_origins jsonb not null default '[]',
    updated_at timestamptz not null default now()
  )`,
];
