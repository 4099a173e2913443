/**
 * The card vault. A payment method keeps what may be shown (brand, last4, expiry, funding, country,
 * fingerprint) in clear and the card number only as a sealed envelope (`sealed_pan`: AES-256-GCM under
 * a per-record data key, itself wrapped by the keyring version in `key_version`, see src/vault). A CVC
 * waiting for its first authorization is sealed the same way in `vault_cvcs` with a short expiry and
 * deleted when used. Connector account secrets move to `sealed_secrets` under the same keyring.
 * `audit_log` records who used the vault (every decryption) and other sensitive actions.
 * `wallet_configs` holds a merchant's Apple Pay and Google Pay keys (private keys sealed the same way).
 * Webhook endpoint signing secrets are sealed from now on (`secret_key_version` set); older rows are
 * sealed by the next `payrail vault rotate`.
 */
export const statements = [
  `create table payment_methods (
    id text primary key,
    merchant_id text not null references merchants(id),
    livemode boolean not null,
    type text not null check (type in ('card')),
    card jsonb not null,
    billing_details jsonb,
    customer_id text references customers(id),
    usage text check (usage in ('on_session', 'off_session')),
    network_transaction_id text,
    sealed_pan text not null,
    key_version text not null,
    metadata jsonb not null default '{}',
    created_at timestamptz not null,
    attached_at timestamptz
  )`,
  `create index payment_methods_customer on payment_methods (merchant_id, livemode, customer_id, created_at desc, id desc)
    where customer_id is not null`,
  `create index payment_methods_key_version on payment_methods (key_version, id)`,
  `create table vault_cvcs (
    payment_method_id text primary key references payment_methods(id) on delete cascade,
    merchant_id text not null references merchants(id),
    sealed text not null,
    key_version text not null,
    expires_at timestamptz not null
  )`,
  `create index vault_cvcs_expiry on vault_cvcs (expires_at)`,
  `create table audit_log (
    id text primary key,
    merchant_id text references merchants(id),
    livemode boolean,
    actor text not null,
    action text not null,
    object_id text,
    detail jsonb not null default '{}',
    created_at timestamptz not null
  )`,
  `create index audit_log_merchant on audit_log (merchant_id, created_at desc, id desc)`,
  `alter table connector_accounts
    add column sealed_secrets text,
    add column secrets_key_version text,
    add column payment_methods jsonb,
    add column currencies jsonb,
    add column countries jsonb,
    add column updated_at timestamptz`,
  `create index connector_accounts_key_version on connector_accounts (secrets_key_version, id)`,
  `create table wallet_configs (
    merchant_id text not null references merchants(id),
    livemode boolean not null,
    wallet text not null check (wallet in ('apple_pay', 'google_pay')),
    config jsonb not null,
    sealed_secrets text,
    secrets_key_version text,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    primary key (merchant_id, livemode, wallet)
  )`,
  `create index wallet_configs_key_version on wallet_configs (secrets_key_version)`,
  `alter table webhook_endpoints add column secret_key_version text`,
  `alter table payment_intents
    add column payment_method_id text references payment_methods(id),
    add column setup_future_usage text check (setup_future_usage in ('on_session', 'off_session')),
    add column off_session boolean not null default false`,
];
