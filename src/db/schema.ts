import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { PasskeyChallengesTable, PasskeysTable } from "../passkeys/types.ts";

/** jsonb columns are written as JSON text (same on both drivers) and read back parsed. */
export type Json<T> = ColumnType<T, string, string>;
export type JsonNullable<T> = ColumnType<T | null, string | null | undefined, string | null>;
type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;
type Bigint = ColumnType<bigint, bigint, bigint>;

export type Metadata = Record<string, string>;

export interface MerchantsTable {
  id: string;
  name: string;
  settings: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  kind: "secret" | "publishable";
  key_hash: string;
  redacted: string;
  created_at: Timestamp;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface ConnectorAccountsTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  connector: string;
  label: string;
  /** Non-secret configuration; secret fields live sealed in `sealed_secrets`. */
  config: Json<Record<string, unknown>>;
  enabled: Generated<boolean>;
  created_at: Timestamp;
  sealed_secrets: OptionalText;
  secrets_key_version: OptionalText;
  /** Restrictions set by the merchant; null means everything the connector supports. */
  payment_methods: JsonNullable<string[]>;
  currencies: JsonNullable<string[]>;
  countries: JsonNullable<string[]>;
  updated_at: NullableTimestamp;
}

type OptionalText = ColumnType<string | null, string | null | undefined, string | null>;

export type PaymentMethodUsage = "on_session" | "off_session";

export interface PaymentMethodsTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  type: "card";
  card: Json<CardSummary>;
  billing_details: JsonNullable<Record<string, unknown>>;
  customer_id: string | null;
  usage: PaymentMethodUsage | null;
  /** The scheme's id of the first (customer-initiated) payment, sent with merchant-initiated ones. */
  network_transaction_id: string | null;
  /** The card number as a vault envelope (src/vault); never in clear. */
  sealed_pan: string;
  key_version: string;
  metadata: Json<Metadata>;
  created_at: Timestamp;
  attached_at: NullableTimestamp;
}

export interface VaultCvcsTable {
  payment_method_id: string;
  merchant_id: string;
  sealed: string;
  key_version: string;
  expires_at: Timestamp;
}

export interface WalletConfigsTable {
  merchant_id: string;
  livemode: boolean;
  wallet: "apple_pay" | "google_pay";
  config: Json<Record<string, unknown>>;
  sealed_secrets: OptionalText;
  secrets_key_version: OptionalText;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AuditLogTable {
  id: string;
  merchant_id: string | null;
  livemode: boolean | null;
  actor: string;
  action: string;
  object_id: string | null;
  detail: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface CustomersTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  email: string | null;
  name: string | null;
  phone: string | null;
  description: string | null;
  address: JsonNullable<Record<string, string | null>>;
  metadata: Json<Metadata>;
  deleted: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type PaymentIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "requires_capture"
  | "succeeded"
  | "canceled";

export interface CardSummary {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  fingerprint: string;
  funding: string;
  country: string | null;
  /** Set when the card came from a wallet (Apple Pay, Google Pay): a device or network-token PAN. */
  wallet?: { type: string; tokenization?: string } | null;
}

export type StoredPaymentMethod =
  | { type: "card"; card: CardSummary; billing_details?: Record<string, unknown> | null }
  | StoredLocalMethod;

/** A non-card method on an intent: how the shopper pays (channel) and, for WeChat JSAPI, who. */
export interface StoredLocalMethod {
  type: "alipay" | "wechat_pay" | "paypal" | "ideal" | "grabpay" | "crypto";
  channel: "web" | "mobile_web" | "qr" | "app" | "in_app";
  wechat_pay?: { openid: string } | undefined;
  client_ip?: string | undefined;
  /** The shopper's language when the method was chosen, for the provider's pages. */
  locale?: string | undefined;
  billing_details?: Record<string, unknown> | null;
}

export interface LastPaymentError {
  type: string;
  code: string;
  decline_code?: string;
  message: string;
}

/** What the shopper must do next, shaped for a page or an app (see src/payments/next-action.ts). */
export type NextAction =
  | { type: "redirect_to_url"; redirect_to_url: { url: string; return_url: string | null } }
  | {
      type: "display_qr_code";
      display_qr_code: {
        data: string;
        image_data_url: string;
        mobile_url: string | null;
        expires_at: number | null;
      };
    }
  | { type: "wechat_pay_jsapi"; wechat_pay_jsapi: Record<string, string | number | null> }
  | { type: "wechat_pay_app"; wechat_pay_app: Record<string, string | number | null> }
  | { type: "alipay_app"; alipay_app: { order_string: string; expires_at: number | null } }
  | { type: "deep_link"; deep_link: { url: string; expires_at: number | null } };

export interface PaymentIntentsTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  status: PaymentIntentStatus;
  amount: Bigint;
  currency: string;
  capture_method: "automatic" | "manual";
  amount_capturable: Generated<bigint>;
  amount_received: Generated<bigint>;
  amount_refunded: Generated<bigint>;
  customer_id: string | null;
  merchant_reference: string | null;
  description: string | null;
  metadata: Json<Metadata>;
  return_url: string | null;
  client_secret: string;
  payment_method_type: string | null;
  payment_method: JsonNullable<StoredPaymentMethod>;
  connector: string | null;
  connector_account_id: string | null;
  connector_transaction_id: string | null;
  authorize_attempts: Generated<number>;
  last_payment_error: JsonNullable<LastPaymentError>;
  next_action: JsonNullable<NextAction>;
  /** The payment method types this intent accepts; null: cards only (the default). */
  payment_method_types: JsonNullable<string[]>;
  /** When the provider's order for the current attempt expires (non-card methods). */
  action_expires_at: NullableTimestamp;
  cancellation_reason: string | null;
  canceled_at: NullableTimestamp;
  capture_before: NullableTimestamp;
  processing_since: NullableTimestamp;
  next_sync_at: NullableTimestamp;
  sync_attempts: Generated<number>;
  review_requested: Generated<boolean>;
  /** Added to the amount when the customer bears the fees (shown separately). */
  surcharge_amount: Generated<bigint>;
  application_fee_amount: bigint | null;
  transfer_destination: string | null;
  /** Resolved seller parts: [{ account, amount }] in the settlement currency, summing to the amount. */
  splits: JsonNullable<Array<{ account: string; amount: string }>>;
  /** The open ledger hold (pending transfer) of the authorization, and how many were opened so far. */
  ledger_hold: string | null;
  ledger_holds: Generated<number>;
  fx_quote_id: string | null;
  /** The merchant is paid in this currency when it differs from `currency`, at `settlement_rate`. */
  settlement_currency: string | null;
  settlement_rate: string | null;
  settlement_reference_rate: string | null;
  /** The vaulted card this intent pays with (pm_…). */
  payment_method_id: OptionalText;
  setup_future_usage: ColumnType<PaymentMethodUsage | null, PaymentMethodUsage | null | undefined>;
  off_session: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type AttemptOperation = "authorize" | "capture" | "void" | "refund";
export type AttemptStatus = "pending" | "succeeded" | "failed" | "requires_action";

export interface PaymentAttemptsTable {
  id: string;
  merchant_id: string;
  payment_intent_id: string;
  refund_id: string | null;
  operation: AttemptOperation;
  reference: string;
  status: AttemptStatus;
  amount: Bigint;
  connector_account_id: string;
  connector_reference: string | null;
  error: JsonNullable<LastPaymentError>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type RefundStatus = "pending" | "succeeded" | "failed" | "canceled";

export interface RefundsTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  payment_intent_id: string;
  amount: Bigint;
  currency: string;
  reason: string | null;
  status: RefundStatus;
  failure_reason: string | null;
  connector_refund_id: string | null;
  metadata: Json<Metadata>;
  next_sync_at: NullableTimestamp;
  sync_attempts: Generated<number>;
  /** The ledger holds reserving the refund: [{ id, account, amount, bucket, bt }]. */
  ledger_holds: JsonNullable<unknown[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EventsTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  type: string;
  object_id: string;
  data: Json<Record<string, unknown>>;
  request_id: string | null;
  idempotency_key: string | null;
  created_at: Timestamp;
  dispatched: Generated<boolean>;
}

export interface WebhookEndpointsTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  url: string;
  description: string | null;
  enabled_events: Json<string[]>;
  /** The signing secret, sealed with the vault keyring (in clear only on rows older than the vault). */
  secret: string;
  secret_key_version: OptionalText;
  status: "enabled" | "disabled";
  disabled_reason: string | null;
  metadata: Json<Metadata>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  merchant_id: string;
  endpoint_id: string;
  event_id: string;
  status: "pending" | "succeeded" | "failed";
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  locked_until: NullableTimestamp;
  last_status_code: number | null;
  last_error: string | null;
  first_attempt_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookAttemptsTable {
  id: string;
  merchant_id: string;
  delivery_id: string;
  endpoint_id: string;
  event_id: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  created_at: Timestamp;
}

export type InboundWebhookStatus = "received" | "rejected" | "pending" | "processed" | "duplicate" | "failed";

export interface InboundWebhooksTable {
  id: string;
  connector: string;
  connector_account_id: string | null;
  merchant_id: string | null;
  raw_body: ColumnType<Uint8Array, Uint8Array, Uint8Array>;
  headers: Json<Record<string, string>>;
  provider_event_id: string | null;
  status: InboundWebhookStatus;
  failure: string | null;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  received_at: Timestamp;
  processed_at: NullableTimestamp;
}

export interface IdempotencyKeysTable {
  merchant_id: string;
  livemode: boolean;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status: "in_progress" | "completed";
  response_status: number | null;
  response_body: string | null;
  locked_until: Timestamp;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface PlatformSettingsTable {
  key: string;
  value: string;
}

export interface CheckoutLineItem {
  name: string;
  quantity: number;
  unit_amount: string;
  amount: string;
}

export interface CheckoutSessionsTable {
  id: string;
  merchant_id: string;
  livemode: boolean;
  payment_intent_id: string;
  amount_total: Bigint;
  currency: string;
  line_items: ColumnType<CheckoutLineItem[], string | undefined, string>;
  customer_id: string | null;
  merchant_reference: string | null;
  success_url: string;
  cancel_url: string | null;
  method_order: ColumnType<string[] | null, string | null | undefined, string | null>;
  locale: string;
  shopper_country: string | null;
  display_currencies: ColumnType<string[] | null, string | null | undefined, string | null>;
  expires_at: Timestamp;
  expired_at: Timestamp | null;
  completed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  metadata: ColumnType<Metadata, string | undefined, string>;
  created_at: Timestamp;
}

export interface CheckoutSettingsTable {
  merchant_id: string;
  embed_origins: ColumnType<string[], string | undefined, string>;
  updated_at: Timestamp;
}

export interface Database {
  platform_settings: PlatformSettingsTable;
  merchants: MerchantsTable;
  api_keys: ApiKeysTable;
  connector_accounts: ConnectorAccountsTable;
  customers: CustomersTable;
  payment_intents: PaymentIntentsTable;
  payment_attempts: PaymentAttemptsTable;
  refunds: RefundsTable;
  events: EventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  inbound_webhooks: InboundWebhooksTable;
  idempotency_keys: IdempotencyKeysTable;
  payment_methods: PaymentMethodsTable;
  vault_cvcs: VaultCvcsTable;
  audit_log: AuditLogTable;
  wallet_configs: WalletConfigsTable;
  checkout_sessions: CheckoutSessionsTable;
  checkout_settings: CheckoutSettingsTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
}

export type PaymentIntentRow = Selectable<PaymentIntentsTable>;
export type NewPaymentIntent = Insertable<PaymentIntentsTable>;
export type PaymentIntentUpdate = Updateable<PaymentIntentsTable>;
export type RefundRow = Selectable<RefundsTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type EventRow = Selectable<EventsTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type ConnectorAccountRow = Selectable<ConnectorAccountsTable>;
export type PaymentAttemptRow = Selectable<PaymentAttemptsTable>;
export type InboundWebhookRow = Selectable<InboundWebhooksTable>;
export type PaymentMethodRow = Selectable<PaymentMethodsTable>;
export type CheckoutSessionRow = Selectable<CheckoutSessionsTable>;

export const json = (value: unknown): string => JSON.stringify(value);
