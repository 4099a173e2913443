/**
 * Passkeys for one-click repurchase in the hosted checkout: a logged-in customer who paid by card may
 * register a WebAuthn credential (Touch ID, Face ID, an Android fingerprint) and later confirm a saved
 * card payment with it instead of the CVC. `passkeys` holds the credential's public key (COSE, as the
 * authenticator sent it) and its signature counter; a credential id is unique within a merchant.
 * `passkey_challenges` holds the random challenges handed to the browser: each is for one customer and
 * one purpose, expires five minutes after it was made and is consumed by the first verification that
 * names it (`used_at`), whether that verification succeeds or not. Written with `if not exists` so tests
 * can apply the statements before this migration is registered.
 */
export const statements = [
  `create table if not exists passkeys (
    id text primary key,
    merchant_id text not null references merchants(id),
    livemode boolean not null,
    customer_id text not null references customers(id),
    credential_id text not null check (credential_id ~ '^[A-Za-z0-9_-]+$'),
    public_key bytea not null,
    sign_count bigint not null default 0 check (sign_count >= 0),
    transports jsonb,
    device_type text check (device_type in ('singleDevice', 'multiDevice')),
    backed_up boolean,
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    unique (merchant_id, credential_id)
  )`,
  `create index if not exists passkeys_customer on passkeys (merchant_id, customer_id)`,
  `create table if not exists passkey_challenges (
    id text primary key,
    merchant_id text not null references merchants(id),
    customer_id text not null references customers(id),
    purpose text not null check (purpose in ('registration', 'authentication')),
    challenge text not null,
    expires_at timestamptz not null,
    used_at timestamptz
  )`,
  `create index if not exists passkey_challenges_customer on passkey_challenges (merchant_id, customer_id, expires_at)`,
];
