/**
 * Double-entry ledger modelled on TigerBeetle: accounts with posted and pending debits and credits, immutable
 * transfers, two-phase holds. Written with `if not exists` so the statements can also be applied by tests
 * before this migration is registered.
 *
 * - `ledger_accounts` holds an account's metadata and the balances of its home row. Platform accounts have no
 *   merchant (`merchant_id` null); merchant accounts reference their merchant.
 * - `ledger_account_shards` holds extra balance rows (shards 1..n-1) of hot accounts; an account's balance is
 *   its home row plus its shards. The per-row checks therefore only apply to unsharded accounts.
 * - `ledger_transfers` is insert-only. No foreign keys to accounts: a foreign key check would take a KEY
 *   SHARE lock on the (hot) account row for every insert; `payrail ledger verify` checks the references.
 * - `ledger_pending_transfers` is the mutable state of a pending transfer (pending, posted, voided, expired).
 * - `ledger_failed_transfers` remembers ids that failed for a reason that could change (not found, exceeds
 *   credits, closed): such an id stays failed (`id_already_failed`), so a retry never succeeds later.
 */
export const statements = [
  `create table if not exists ledger_accounts (
    id text primary key,
    merchant_id text references merchants(id),
    livemode boolean not null,
    currency text not null check (currency ~ '^[a-z]{3}$'),
    code int not null check (code > 0),
    reference text not null default '',
    debits_must_not_exceed_credits boolean not null default false,
    credits_must_not_exceed_debits boolean not null default false,
    closed boolean not null default false,
    shards int not null default 1 check (shards between 1 and 256),
    debits_pending int8 not null default 0,
    debits_posted int8 not null default 0,
    credits_pending int8 not null default 0,
    credits_posted int8 not null default 0,
    user_data text,
    created_at timestamptz not null,
    check (not (debits_must_not_exceed_credits and credits_must_not_exceed_debits)),
    check (shards > 1 or (debits_pending >= 0 and debits_posted >= 0 and credits_pending >= 0 and credits_posted >= 0)),
    check (shards > 1 or not debits_must_not_exceed_credits or debits_pending + debits_posted <= credits_posted),
    check (shards > 1 or not credits_must_not_exceed_debits or credits_pending + credits_posted <= debits_posted)
  )`,
  `create unique index if not exists ledger_accounts_key
     on ledger_accounts ((coalesce(merchant_id, '')), livemode, currency, code, reference)`,
  `create index if not exists ledger_accounts_merchant on ledger_accounts (merchant_id, livemode, currency)`,
  `create table if not exists ledger_account_shards (
    account_id text not null references ledger_accounts(id),
    shard int not null check (shard >= 1),
    closed boolean not null default false,
    debits_pending int8 not null default 0,
    debits_posted int8 not null default 0,
    credits_pending int8 not null default 0,
    credits_posted int8 not null default 0,
    primary key (account_id, shard)
  )`,
  `create table if not exists ledger_transfers (
    seq int8 generated always as identity,
    id text primary key,
    merchant_id text,
    livemode boolean not null,
    currency text not null,
    debit_account_id text not null,
    credit_account_id text not null,
    amount int8 not null check (amount >= 0),
    pending_id text,
    code int not null check (code > 0),
    linked boolean not null default false,
    pending boolean not null default false,
    post_pending boolean not null default false,
    void_pending boolean not null default false,
    timeout int not null default 0 check (timeout >= 0),
    user_data text,
    created_at timestamptz not null,
    check (debit_account_id <> credit_account_id),
    check ((post_pending or void_pending) = (pending_id is not null)),
    check (pending::int + post_pending::int + void_pending::int <= 1),
    check (timeout = 0 or pending)
  )`,
  `create index if not exists ledger_transfers_debit on ledger_transfers (debit_account_id, seq)`,
  `create index if not exists ledger_transfers_credit on ledger_transfers (credit_account_id, seq)`,
  `create unique index if not exists ledger_transfers_resolves on ledger_transfers (pending_id) where pending_id is not null`,
  `create index if not exists ledger_transfers_user_data on ledger_transfers (user_data) where user_data is not null`,
  `create table if not exists ledger_pending_transfers (
    id text primary key,
    merchant_id text,
    status text not null check (status in ('pending', 'posted', 'voided', 'expired')),
    expires_at timestamptz,
    resolved_by text,
    resolved_at timestamptz,
    check ((status = 'pending') = (resolved_at is null)),
    check ((status in ('posted', 'voided')) = (resolved_by is not null))
  )`,
  `create index if not exists ledger_pending_transfers_due on ledger_pending_transfers (expires_at) where status = 'pending'`,
  `create table if not exists ledger_failed_transfers (
    id text primary key,
    merchant_id text,
    result text not null,
    created_at timestamptz not null
  )`,
];
