/** In-memory state of the simulated Stripe, one account per secret key. Amounts are bigint minor units. */
import type { CardBehavior, CardBrand, Decline } from "./cards.ts";

export type IntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "requires_capture"
  | "canceled"
  | "succeeded";

export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

export interface BillingDetails {
  address: Address;
  email: string | null;
  name: string | null;
  phone: string | null;
}

export interface PaymentMethodRecord {
  id: string;
  created: number;
  billingDetails: BillingDetails;
  metadata: Record<string, string>;
  /** What the card does; the number itself is never kept. */
  behavior: CardBehavior;
  card: {
    brand: CardBrand;
    last4: string;
    expMonth: number;
    expYear: number;
    fingerprint: string;
    country: string;
    cvcProvided: boolean;
    wallet: { type: "apple_pay" | "google_pay"; dynamicLast4: string } | null;
  };
}

/** A single-use card token (`POST /v1/tokens`): what a PaymentMethod made from it will be. */
export interface TokenRecord {
  id: string;
  created: number;
  /** Unix seconds from which the token can no longer be used. */
  expiresAt: number;
  used: boolean;
  /** The id of the card object inside the token. */
  cardId: string;
  name: string | null;
  behavior: CardBehavior;
  card: PaymentMethodRecord["card"];
}

export interface ThreeDSecureRecord {
  transactionId: string;
  eci: string;
}

export interface ChargeRecord {
  id: string;
  created: number;
  paymentIntentId: string;
  paymentMethodId: string;
  amount: bigint;
  currency: string;
  status: "pending" | "succeeded" | "failed";
  captured: boolean;
  amountCaptured: bigint;
  /** The part of an authorization given back uncaptured (partial capture, cancel). */
  amountReleased: bigint;
  /** Pending and succeeded refunds; a failed refund gives its amount back. */
  amountRefundedByRefunds: bigint;
  decline: Decline | null;
  balanceTransactionId: string | null;
  networkTransactionId: string | null;
  authorizationCode: string | null;
  networkTokenUsed: boolean;
  threeDSecure: ThreeDSecureRecord | null;
  cvcCheck: "pass" | "fail" | null;
  description: string | null;
  metadata: Record<string, string>;
  receiptEmail: string | null;
  statementDescriptor: string | null;
  statementDescriptorSuffix: string | null;
  refundIds: string[];
}

export interface RefundRecord {
  id: string;
  created: number;
  chargeId: string;
  paymentIntentId: string;
  amount: bigint;
  currency: string;
  status: "pending" | "succeeded" | "failed";
  reason: string | null;
  metadata: Record<string, string>;
  balanceTransactionId: string;
  failureReason: string | null;
  failureBalanceTransactionId: string | null;
}

export interface BalanceTransactionRecord {
  id: string;
  created: number;
  availableOn: number;
  amount: bigint;
  fee: bigint;
  currency: string;
  type: "charge" | "refund" | "refund_failure";
  sourceId: string;
  description: string | null;
}

export interface CardOptions {
  requestThreeDSecure: "automatic" | "any";
  captureMethod: "manual" | null;
  /** A decrypted wallet token came with its cryptogram (which itself is never kept). */
  networkToken: { eci: string | null } | null;
  mitNetworkTransactionId: string | null;
}

export interface PaymentIntentRecord {
  id: string;
  created: number;
  clientSecret: string;
  amount: bigint;
  currency: string;
  status: IntentStatus;
  captureMethod: "automatic" | "manual";
  confirmationMethod: "automatic" | "manual";
  description: string | null;
  metadata: Record<string, string>;
  paymentMethodId: string | null;
  paymentMethodTypes: string[];
  setupFutureUsage: string | null;
  returnUrl: string | null;
  offSession: boolean;
  errorOnRequiresAction: boolean;
  receiptEmail: string | null;
  statementDescriptor: string | null;
  statementDescriptorSuffix: string | null;
  shipping: Record<string, unknown> | null;
  transferGroup: string | null;
  automaticPaymentMethods: { enabled: boolean } | null;
  amountCapturable: bigint;
  amountReceived: bigint;
  canceledAt: number | null;
  cancellationReason: string | null;
  lastPaymentError: Record<string, unknown> | null;
  nextAction: Record<string, unknown> | null;
  latestChargeId: string | null;
  cardOptions: CardOptions;
  /** The open 3-D Secure challenge, reached through its page by this token. */
  challengeToken: string | null;
}

export interface EventRecord {
  id: string;
  created: number;
  type: string;
  object: Record<string, unknown>;
  previousAttributes: Record<string, unknown> | null;
  request: { id: string | null; idempotency_key: string | null };
  pendingWebhooks: number;
}

export interface WebhookEndpointRecord {
  id: string;
  created: number;
  url: string;
  enabledEvents: string[];
  secret: string;
  description: string | null;
  metadata: Record<string, string>;
  status: "enabled" | "disabled";
  apiVersion: string | null;
}

export interface StoredResponse {
  status: number;
  body: string;
  requestId: string;
}

export type IdempotencyEntry =
  | { state: "in_flight"; fingerprint: string; createdAt: number }
  | { state: "done"; fingerprint: string; createdAt: number; response: StoredResponse };

export interface Account {
  key: string;
  intents: Map<string, PaymentIntentRecord>;
  charges: Map<string, ChargeRecord>;
  refunds: Map<string, RefundRecord>;
  paymentMethods: Map<string, PaymentMethodRecord>;
  tokens: Map<string, TokenRecord>;
  balanceTransactions: Map<string, BalanceTransactionRecord>;
  events: Map<string, EventRecord>;
  webhookEndpoints: Map<string, WebhookEndpointRecord>;
  idempotency: Map<string, IdempotencyEntry>;
}

export interface Store {
  account(key: string): Account;
  /** The 3-D Secure page is reached by a browser without an API key, so challenges are indexed globally. */
  openChallenge(token: string, account: Account, intentId: string): void;
  challenge(token: string): { account: Account; intent: PaymentIntentRecord } | undefined;
  intentCount(key?: string): number;
}

export function createStore(): Store {
  const accounts = new Map<string, Account>();
  const challenges = new Map<string, { account: Account; intentId: string }>();

  function account(key: string): Account {
    let found = accounts.get(key);
    if (!found) {
      found = {
        key,
        intents: new Map(),
        charges: new Map(),
        refunds: new Map(),
        paymentMethods: new Map(),
        tokens: new Map(),
        balanceTransactions: new Map(),
        events: new Map(),
        webhookEndpoints: new Map(),
        idempotency: new Map(),
      };
      accounts.set(key, found);
    }
    return found;
  }

  return {
    account,
    openChallenge(token, owner, intentId) {
      challenges.set(token, { account: owner, intentId });
    },
    challenge(token) {
      const found = challenges.get(token);
      const intent = found?.account.intents.get(found.intentId);
      return found && intent ? { account: found.account, intent } : undefined;
    },
    intentCount(key) {
      if (key !== undefined) return accounts.get(key)?.intents.size ?? 0;
      let total = 0;
      for (const entry of accounts.values()) total += entry.intents.size;
      return total;
    },
  };
}
