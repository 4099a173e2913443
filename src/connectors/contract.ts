import type { ZodType } from "zod";

/**
 * The contract every payment provider connector implements. Declines and other expected outcomes come
 * back as values; an exception means something unexpected (a bug, a malformed provider answer), and a
 * network failure or 5xx comes back as `pending`: unknown is not failed.
 */

export interface CardDetails {
  number: string;
  exp_month: number;
  exp_year: number;
  cvc?: string | undefined;
  holder_name?: string | null | undefined;
}

export interface ConnectorAccount {
  id: string;
  merchantId: string;
  livemode: boolean;
  connector: string;
  config: Record<string, unknown>;
}

export interface CallContext {
  account: ConnectorAccount;
  /** Where the provider should send asynchronous notifications for this account. */
  notificationUrl: string;
  /** Milliseconds before a call is abandoned and its outcome treated as unknown. */
  timeoutMs: number;
  /**
   * Persists configuration the connector obtained from the provider for this account (a webhook
   * signing secret registered on first use, say). Fields the connector marks secret are encrypted.
   */
  saveConfig?: ((patch: Record<string, unknown>) => Promise<void>) | undefined;
}

export interface Money {
  amount: bigint;
  currency: string;
}

export interface AuthorizeRequest extends Money {
  /** Our idempotency reference: the provider must never act twice on one reference. */
  reference: string;
  paymentIntentId: string;
  capture: boolean;
  card: CardDetails;
  /** Where the shopper returns after a redirect (3-D Secure): Payrail's own return route. */
  returnUrl: string;
  description?: string | null | undefined;
  /**
   * A wallet payment (Apple Pay, Google Pay) decrypted by Payrail: `card.number` is the device or
   * network-token PAN and this is its one-time cryptogram. Sent as a network-token authorization.
   */
  networkToken?: NetworkTokenData | undefined;
  /** Card-on-file use: the first saved-card payment, or a later one by the shopper or the merchant. */
  storedCredential?: StoredCredential | undefined;
}

/**
 * Google Pay in PAYMENT_GATEWAY mode: the page asked Google to encrypt for the processor (gateway
 * "stripe" or "adyen"), so Payrail cannot read the token and forwards it as is.
 */
export interface WalletTokenAuthorizeRequest
  extends Omit<AuthorizeRequest, "card" | "networkToken" | "storedCredential"> {
  walletToken: { wallet: "google_pay"; token: string };
}

export interface NetworkTokenData {
  wallet: "apple_pay" | "google_pay";
  /** Base64 online payment cryptogram (TAVV / CAVV). */
  cryptogram: string;
  /** Electronic commerce indicator, two digits, when the wallet gives one. */
  eci?: string | undefined;
}

export interface StoredCredential {
  /** `first`: the card is being saved now; `subsequent`: a payment with a card saved earlier. */
  sequence: "first" | "subsequent";
  /** `customer`: the shopper is present (one-click); `merchant`: merchant-initiated, off-session. */
  initiator: "customer" | "merchant";
  /** For `subsequent` merchant-initiated payments: the network transaction id of the first one. */
  networkTransactionId?: string | undefined;
}

export type DeclineCode =
  | "generic_decline"
  | "insufficient_funds"
  | "lost_card"
  | "stolen_card"
  | "expired_card"
  | "incorrect_cvc"
  | "processing_error"
  | "incorrect_number"
  | "authentication_required"
  | "authentication_failed"
  | "do_not_honor"
  | "fraudulent"
  | "card_not_supported"
  | "currency_not_supported";

export interface Declined {
  outcome: "declined";
  /** Our decline code; the API maps it to `code` (card_declined, expired_card, …) and `decline_code`. */
  declineCode: DeclineCode;
  /** The provider's own words, kept for the merchant's logs; never shown to the shopper as is. */
  providerMessage?: string | undefined;
  connectorReference?: string | undefined;
}

export type AuthorizeResult =
  | {
      outcome: "authorized";
      connectorReference: string;
      amount: bigint;
      currency: string;
      captured: boolean;
      networkTransactionId?: string | undefined;
    }
  | { outcome: "requires_action"; connectorReference: string; redirectUrl: string }
  | Declined
  | { outcome: "pending"; connectorReference?: string | undefined; reason: string };

export interface ModifyRequest extends Money {
  reference: string;
  connectorReference: string;
}

export type ModifyResult =
  | { outcome: "succeeded"; connectorReference: string; amount: bigint; currency: string }
  | { outcome: "failed"; reason: string; providerMessage?: string | undefined }
  | { outcome: "pending"; connectorReference?: string | undefined; reason: string };

export interface SyncRequest {
  /** The reference we sent with the original call (the only handle when the call timed out). */
  reference: string;
  connectorReference?: string | null | undefined;
}

/** What the provider says about an authorization now. */
export type PaymentStatus =
  | {
      status: "authorized";
      connectorReference: string;
      amount: bigint;
      currency: string;
      captured: boolean;
      capturedAmount: bigint;
      /** The scheme's transaction id, kept for later merchant-initiated payments with a saved card. */
      networkTransactionId?: string | undefined;
    }
  | { status: "requires_action"; connectorReference: string; redirectUrl: string }
  | {
      status: "declined";
      declineCode: DeclineCode;
      connectorReference?: string | undefined;
      providerMessage?: string | undefined;
    }
  | { status: "voided"; connectorReference: string }
  | { status: "pending"; connectorReference?: string | undefined }
  | { status: "not_found" };

export type RefundStatus =
  | { status: "succeeded"; connectorReference: string; amount: bigint; currency: string }
  | { status: "failed"; reason: string }
  | { status: "pending"; connectorReference?: string | undefined }
  | { status: "not_found" };

export interface InboundWebhook {
  rawBody: Buffer;
  headers: Record<string, string>;
}

/** A verified provider notification, mapped to what Payrail should look at. */
export type WebhookEvent =
  | {
      kind: "payment";
      providerEventId: string;
      /** Our reference from the original call. */
      reference: string;
      connectorReference: string;
      status: PaymentStatus;
    }
  | {
      kind: "refund";
      providerEventId: string;
      reference: string;
      connectorReference: string;
      status: RefundStatus;
    }
  | { kind: "unknown"; providerEventId: string; providerType: string };

export type WebhookVerification = { ok: true; event: WebhookEvent } | { ok: false; reason: string };

export interface ConnectorCapabilities {
  paymentMethods: string[];
  /** lower-case ISO 4217 codes, or "*" for any */
  currencies: string[] | "*";
  manualCapture: boolean;
  partialCapture: boolean;
  multipleCaptures: boolean;
  refunds: boolean;
  webhooks: boolean;
  /** How long an authorization may wait for capture before it lapses. */
  captureWindowMs?: number | undefined;
}

export interface Connector {
  id: string;
  displayName: string;
  capabilities: ConnectorCapabilities;
  /** Validates a connector account's configuration (POST /v1/connector_accounts). */
  configSchema?: ZodType<Record<string, unknown>> | undefined;
  /** Configuration fields that are secrets: sealed at rest, never returned or logged. */
  secretFields?: readonly string[] | undefined;
  /** The 200 answer the provider expects for an accepted notification, when it is not JSON `{"received":true}`. */
  webhookAcknowledgement?: { contentType: string; body: string } | undefined;
  /**
   * Finishes an authorization after the shopper's redirect (3-D Secure), with the query parameters the
   * provider added to the return URL. Without it, the return route asks the provider with `sync`.
   */
  completeRedirect?(
    call: CallContext,
    request: {
      connectorReference: string;
      reference: string;
      params: Record<string, string>;
      amount: bigint;
      currency: string;
      capture: boolean;
    },
  ): Promise<AuthorizeResult>;
  authorize(call: CallContext, request: AuthorizeRequest): Promise<AuthorizeResult>;
  capture(call: CallContext, request: ModifyRequest & { final: boolean }): Promise<ModifyResult>;
  void(call: CallContext, request: ModifyRequest): Promise<ModifyResult>;
  refund(call: CallContext, request: ModifyRequest): Promise<ModifyResult>;
  sync(call: CallContext, request: SyncRequest): Promise<PaymentStatus>;
  syncRefund(call: CallContext, request: SyncRequest): Promise<RefundStatus>;
  /** Verifies the signature on the exact raw bytes, then maps the body. Never throws for bad input. */
  verifyWebhook(account: ConnectorAccount, webhook: InboundWebhook, now: Date): Promise<WebhookVerification>;
  /** Authorizes a wallet token encrypted for this processor (Google Pay PAYMENT_GATEWAY mode). */
  authorizeWalletToken?(call: CallContext, request: WalletTokenAuthorizeRequest): Promise<AuthorizeResult>;
  /** Default configuration for a new merchant's test-mode account, or undefined if none is created. */
  defaultTestAccountConfig?(random: (size: number) => Buffer): Record<string, unknown> | undefined;
}

/** The amount and currency a provider confirms must be what we asked for. */
export function confirmsRequest(asked: Money, confirmed: Money): boolean {
  return (
    asked.amount === confirmed.amount && asked.currency.toLowerCase() === confirmed.currency.toLowerCase()
  );
}
