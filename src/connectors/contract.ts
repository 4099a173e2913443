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
  | RequiresAction
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
  /**
   * Only look: a connector that finishes an approved order while syncing (PayPal) must not, because the
   * intent was canceled meanwhile. Money that arrived anyway is still reported.
   */
  lookOnly?: boolean | undefined;
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
  | {
      status: "requires_action";
      connectorReference: string;
      action: ShopperAction;
      expiresAt?: Date | undefined;
    }
  /** The provider's order expired or was closed before the shopper paid: nothing was charged. */
  | { status: "expired"; connectorReference?: string | undefined }
  /**
   * Money arrived but not as asked (a crypto invoice underpaid, paid after expiry, or marked invalid):
   * never a silent success; a person decides.
   */
  | {
      status: "requires_review";
      connectorReference: string;
      reason: string;
      /** What the provider says was received, when it says. */
      amount?: bigint | undefined;
      currency?: string | undefined;
    }
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
  /**
   * The notification only names the provider's payment (Mollie posts `id=tr_…`): Payrail never trusts
   * such a body and asks the provider with `sync` instead.
   */
  | { kind: "payment_lookup"; providerEventId: string; connectorReference: string }
  | { kind: "unknown"; providerEventId: string; providerType: string };

export type WebhookVerification = { ok: true; event: WebhookEvent } | { ok: false; reason: string };

/** The payment methods that are not cards: each has its own flow through the provider. */
export const LOCAL_METHOD_TYPES = ["alipay", "wechat_pay", "paypal", "ideal", "grabpay", "crypto"] as const;
export type LocalMethodType = (typeof LOCAL_METHOD_TYPES)[number];

/**
 * Where the shopper pays: a desktop page (`web`), a mobile browser (`mobile_web`, H5), a QR code
 * scanned with the provider's app (`qr`), the merchant's native app (`app`), or inside the provider's
 * own app or mini-program (`in_app`, WeChat JSAPI).
 */
export type ShopperChannel = "web" | "mobile_web" | "qr" | "app" | "in_app";

export interface LocalPaymentRequest extends Money {
  reference: string;
  paymentIntentId: string;
  method: LocalMethodType;
  channel: ShopperChannel;
  /** false: authorize now and capture later (PayPal authorize intent); most local methods cannot. */
  capture: boolean;
  /** Payrail's return route: where the provider sends the shopper back (with its own query parameters). */
  returnUrl: string;
  /** A short text the provider shows the shopper (Alipay `subject`, WeChat `description`). Never empty. */
  description: string;
  /** When the provider's order must expire if unpaid (Alipay `time_expire`, WeChat `time_expire`, …). */
  expiresAt: Date;
  shopper: {
    /** ISO 3166-1 alpha-2, upper case, when known. */
    country?: string | undefined;
    ip?: string | undefined;
    locale?: string | undefined;
    email?: string | undefined;
    /** WeChat JSAPI / mini-program: the shopper's openid under the merchant's app id. */
    openId?: string | undefined;
    /** WeChat H5 `scene_info.h5_info.type`, Alipay app: the kind of device. */
    device?: "ios" | "android" | "wap" | undefined;
  };
}

/** What the shopper (or the merchant's page or app) must do to pay, as the provider describes it. */
export type ShopperAction =
  | { type: "redirect_to_url"; url: string }
  /** A string to encode as a QR code (Payrail draws the image). `mobile_url` opens the app on a phone. */
  | { type: "display_qr_code"; data: string; mobile_url?: string | undefined }
  /** The signed parameters for `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` or `wx.requestPayment`. */
  | {
      type: "wechat_pay_jsapi";
      params: {
        appId: string;
        timeStamp: string;
        nonceStr: string;
        package: string;
        signType: "RSA";
        paySign: string;
      };
    }
  /** The signed parameters for the WeChat Open SDK's `PayReq` in the merchant's app. */
  | {
      type: "wechat_pay_app";
      params: {
        appid: string;
        partnerid: string;
        prepayid: string;
        package: string;
        noncestr: string;
        timestamp: string;
        sign: string;
      };
    }
  /** The signed order string the Alipay app SDK's `payV2` takes. */
  | { type: "alipay_app"; order_string: string }
  /** A link that opens the provider's app directly (`alipays://`, `weixin://`, `grab://`). */
  | { type: "deep_link"; url: string };

/** The shopper must act: a 3-D Secure redirect for cards, or the local method's own flow. */
export interface RequiresAction {
  outcome: "requires_action";
  connectorReference: string;
  action: ShopperAction;
  /** When the provider's order expires, if it differs from what was asked. */
  expiresAt?: Date | undefined;
}

/** The URL of a redirect action (cards: the 3-D Secure page); throws for any other kind of action. */
export function redirectUrlOf(result: { action: ShopperAction }): string {
  if (result.action.type !== "redirect_to_url") throw new Error(`not a redirect: ${result.action.type}`);
  return result.action.url;
}

export interface CloseRequest {
  reference: string;
  connectorReference?: string | null | undefined;
}

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
  /**
   * Request headers the provider signs its notifications in that Payrail would otherwise drop from what it
   * keeps (it never keeps `authorization` or `cookie`): GrabPay puts its HMAC in `Authorization`.
   */
  webhookSignatureHeaders?: readonly string[] | undefined;
  /**
   * For providers that take one registered return URL per account (GrabPay's redirect_uri): our
   * reference, read from the parameters the provider added to that URL (its `state`). Only a pointer:
   * `completeRedirect` verifies them.
   */
  returnReference?(params: Record<string, string>): string | undefined;
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
  /**
   * Starts a non-card payment (see LOCAL_METHOD_TYPES): creates the provider's order and says what the
   * shopper must do. Connectors that list a local method in `capabilities.paymentMethods` implement it.
   */
  startPayment?(call: CallContext, request: LocalPaymentRequest): Promise<AuthorizeResult>;
  /**
   * Closes an unpaid order so it can no longer be paid (Alipay `trade.close`, WeChat close, Mollie
   * cancel). `succeeded` also when the order never existed or was already closed; `failed` when it was
   * paid meanwhile (sync then tells).
   */
  closePayment?(call: CallContext, request: CloseRequest): Promise<ModifyResult>;
  /**
   * Refuses a shopper this account must not serve (crypto outside the account's allowed countries),
   * with a message for the merchant; undefined when the shopper may pay.
   */
  refusesShopper?(account: ConnectorAccount, shopper: LocalPaymentRequest["shopper"]): string | undefined;
  /** Default configuration for a new merchant's test-mode account, or undefined if none is created. */
  defaultTestAccountConfig?(random: (size: number) => Buffer): Record<string, unknown> | undefined;
}

/** The amount and currency a provider confirms must be what we asked for. */
export function confirmsRequest(asked: Money, confirmed: Money): boolean {
  return (
    asked.amount === confirmed.amount && asked.currency.toLowerCase() === confirmed.currency.toLowerCase()
  );
}
