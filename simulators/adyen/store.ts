/** In-memory state, one account per API key (Adyen keeps state per company account). */
import type { CardBehavior, Expiry, Refusal } from "./cards.ts";

export type PaymentStatus = "Received" | "RedirectShopper" | "Authorised" | "Refused" | "Error" | "Cancelled";

/** `immediate`: captured shortly after authorisation; `delayed`: after `captureDelayHours`. */
export type CaptureMode = { kind: "immediate" } | { kind: "manual" } | { kind: "delayed"; hours: number };

export interface Money {
  value: bigint;
  currency: string;
}

/** Everything the simulator keeps about a card: never the full number or the CVC. */
export interface CardFacts {
  brand: string;
  last4: string;
  expiry: Expiry;
  behavior: CardBehavior;
  type: "scheme" | "networkToken" | "googlepay";
}

export interface Payment {
  pspReference: string;
  apiKey: string;
  merchantAccount: string;
  reference: string;
  amount: Money;
  status: PaymentStatus;
  refusal: Refusal | null;
  card: CardFacts;
  captureMode: CaptureMode;
  captured: bigint;
  refunded: bigint;
  returnUrl: string;
  shopperInteraction: string;
  recurringProcessingModel: string | null;
  shopperReference: string | null;
  storeCard: boolean;
  storedPaymentMethodId: string | null;
  networkTxReference: string | null;
  authCode: string | null;
  threeDSecure: boolean;
  /** Challenge page token while `RedirectShopper`, and the `redirectResult` once the shopper answered. */
  redirectToken: string | null;
  redirectResult: string | null;
  /** A technical cancel that arrived while the outcome was still unknown. */
  pendingTechnicalCancel: Modification | null;
}

export type ModificationKind = "capture" | "cancel" | "refund" | "reversal" | "technicalCancel";

export interface Modification {
  pspReference: string;
  kind: ModificationKind;
  merchantAccount: string;
  reference: string | null;
  amount: Money | null;
  paymentPspReference: string | null;
  /** Technical cancels name the payment by merchant reference. */
  paymentReference: string | null;
}

export interface StoredCard {
  id: string;
  shopperReference: string;
  merchantAccount: string;
  card: CardFacts;
}

export interface WebhookConfig {
  id: string;
  merchantId: string;
  /** Only `standard` webhooks carry payment events. */
  type: string;
  url: string;
  active: boolean;
  communicationFormat: string;
  description: string | null;
  username: string | null;
  password: string | null;
  hmacKey: string | null;
  acceptsExpiredCertificate: boolean;
  acceptsSelfSignedCertificate: boolean;
  acceptsUntrustedRootCertificate: boolean;
  populateSoapActionHeader: boolean;
  encryptionProtocol: string;
  networkType: string;
}

export interface StoredResponse {
  status: number;
  body: string;
}

export interface IdempotencyEntry {
  fingerprint: string;
  storedAt: number;
  /** Null while the first request with the key is being answered. */
  response: StoredResponse | null;
}

export interface RedirectResult {
  pspReference: string;
  outcome: "approved" | "failed";
}

export interface Account {
  apiKey: string;
  payments: Map<string, Payment>;
  storedCards: Map<string, StoredCard>;
  redirectResults: Map<string, RedirectResult>;
  /** Technical cancels waiting for a payment with their merchant reference. */
  orphanCancels: Map<string, Modification>;
  idempotency: Map<string, IdempotencyEntry>;
  webhooks: Map<string, WebhookConfig>;
}

export interface Store {
  account(apiKey: string): Account;
  /** The challenge page is opened by the shopper's browser, without an API key. */
  paymentByRedirectToken(token: string): Payment | undefined;
  addPayment(payment: Payment): void;
  indexRedirectToken(token: string, payment: Payment): void;
  /** The latest payment of `merchantAccount` with this merchant reference. */
  paymentByReference(apiKey: string, merchantAccount: string, reference: string): Payment | undefined;
  paymentCount(apiKey?: string): number;
}

export function referenceKey(merchantAccount: string, reference: string): string {
  return `${merchantAccount}\u0000${reference}`;
}

export function createStore(): Store {
  const accounts = new Map<string, Account>();
  const byRedirectToken = new Map<string, Payment>();
  const byReference = new Map<string, Payment>();
  let total = 0;

  function account(apiKey: string): Account {
    let found = accounts.get(apiKey);
    if (!found) {
      found = {
        apiKey,
        payments: new Map(),
        storedCards: new Map(),
        redirectResults: new Map(),
        orphanCancels: new Map(),
        idempotency: new Map(),
        webhooks: new Map(),
      };
      accounts.set(apiKey, found);
    }
    return found;
  }

  return {
    account,
    paymentByRedirectToken: (token) => byRedirectToken.get(token),
    addPayment(payment) {
      account(payment.apiKey).payments.set(payment.pspReference, payment);
      byReference.set(
        `${payment.apiKey}\u0000${referenceKey(payment.merchantAccount, payment.reference)}`,
        payment,
      );
      total += 1;
    },
    indexRedirectToken(token, payment) {
      byRedirectToken.set(token, payment);
    },
    paymentByReference(apiKey, merchantAccount, reference) {
      return byReference.get(`${apiKey}\u0000${referenceKey(merchantAccount, reference)}`);
    },
    paymentCount(apiKey) {
      if (apiKey !== undefined) return accounts.get(apiKey)?.payments.size ?? 0;
      return total;
    },
  };
}
