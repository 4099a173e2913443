/** Everything the simulator remembers, in memory, scoped by the REST app (client id) that owns it. */

export interface App {
  clientId: string;
  clientSecret: string;
  appId: string;
  /** The merchant's PayPal account: payee.merchant_id and the settlement report's account id. */
  merchantId: string;
  merchantEmail: string;
}

export interface AccessToken {
  token: string;
  clientId: string;
  expiresAt: Date;
  nonce: string;
}

/** How the buyer funds the payment, chosen on the approval page. */
export type Funding = "balance" | "echeck" | "echeck_denied" | "declined";

export type OrderStatus = "CREATED" | "PAYER_ACTION_REQUIRED" | "APPROVED" | "COMPLETED" | "VOIDED";

export interface PurchaseUnitRecord {
  referenceId: string;
  currency: string;
  amountMinor: bigint;
  /** The purchase unit as the merchant sent it, echoed back in the order (amount, items, shipping...). */
  request: Record<string, unknown>;
  customId?: string | undefined;
  invoiceId?: string | undefined;
  authorizationIds: string[];
  captureIds: string[];
}

export interface Payer {
  payerId: string;
  email: string;
  givenName: string;
  surname: string;
  countryCode: string;
}

export interface OrderRecord {
  id: string;
  clientId: string;
  intent: "CAPTURE" | "AUTHORIZE";
  status: OrderStatus;
  createdAt: Date;
  updatedAt: Date;
  approvedAt?: Date | undefined;
  purchaseUnits: PurchaseUnitRecord[];
  /** payment_source.paypal.experience_context orders answer with a `payer-action` link, others `approve`. */
  linkRel: "approve" | "payer-action";
  returnUrl?: string | undefined;
  cancelUrl?: string | undefined;
  brandName?: string | undefined;
  payer?: Payer | undefined;
  funding: Funding;
}

export type AuthorizationStatus =
  | "CREATED"
  | "CAPTURED"
  | "DENIED"
  | "PARTIALLY_CAPTURED"
  | "VOIDED"
  | "PENDING";

export interface AuthorizationRecord {
  id: string;
  clientId: string;
  orderId: string;
  status: AuthorizationStatus;
  currency: string;
  amountMinor: bigint;
  capturedMinor: bigint;
  captureIds: string[];
  invoiceId?: string | undefined;
  customId?: string | undefined;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

export type CaptureStatus =
  | "COMPLETED"
  | "DECLINED"
  | "PARTIALLY_REFUNDED"
  | "PENDING"
  | "REFUNDED"
  | "FAILED";

export interface CaptureRecord {
  id: string;
  clientId: string;
  orderId: string;
  authorizationId?: string | undefined;
  status: CaptureStatus;
  /** PENDING captures say why (ECHECK). */
  statusReason?: string | undefined;
  currency: string;
  amountMinor: bigint;
  feeMinor: bigint;
  refundedMinor: bigint;
  refundIds: string[];
  finalCapture: boolean;
  invoiceId?: string | undefined;
  customId?: string | undefined;
  noteToPayer?: string | undefined;
  createdAt: Date;
  updatedAt: Date;
}

export interface RefundRecord {
  id: string;
  clientId: string;
  captureId: string;
  orderId: string;
  status: "CANCELLED" | "FAILED" | "PENDING" | "COMPLETED";
  currency: string;
  amountMinor: bigint;
  invoiceId?: string | undefined;
  customId?: string | undefined;
  noteToPayer?: string | undefined;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookRecord {
  id: string;
  clientId: string;
  url: string;
  eventTypes: string[];
}

export interface EventRecord {
  id: string;
  clientId: string;
  /** The event exactly as delivered: its JSON is what gets signed. */
  body: Record<string, unknown>;
}

/** A balance-affecting money movement, as the settlement report lists it. */
export interface LedgerEntry {
  clientId: string;
  transactionId: string;
  eventCode: "T0006" | "T1107";
  direction: "CR" | "DR";
  currency: string;
  grossMinor: bigint;
  feeMinor: bigint;
  feeDirection: "CR" | "DR";
  initiatedAt: Date;
  completedAt: Date;
  invoiceId?: string | undefined;
  customId?: string | undefined;
  referenceId?: string | undefined;
  referenceType?: "TXN" | "ODR" | undefined;
  consumerId?: string | undefined;
}

export interface StoredReply {
  status: number;
  body: unknown;
}

export interface Store {
  apps: Map<string, App>;
  tokens: Map<string, AccessToken>;
  orders: Map<string, OrderRecord>;
  authorizations: Map<string, AuthorizationRecord>;
  captures: Map<string, CaptureRecord>;
  refunds: Map<string, RefundRecord>;
  webhooks: Map<string, WebhookRecord>;
  events: Map<string, EventRecord>;
  ledger: LedgerEntry[];
  /** PayPal-Request-Id replays, keyed by client id, operation and request id. */
  replies: Map<string, StoredReply>;
}

export function createStore(): Store {
  return {
    apps: new Map(),
    tokens: new Map(),
    orders: new Map(),
    authorizations: new Map(),
    captures: new Map(),
    refunds: new Map(),
    webhooks: new Map(),
    events: new Map(),
    ledger: [],
    replies: new Map(),
  };
}

/** A record of another app is as absent as one that never existed. */
export function owned<T extends { clientId: string }>(
  map: Map<string, T>,
  id: string,
  clientId: string,
): T | undefined {
  const record = map.get(id);
  return record && record.clientId === clientId ? record : undefined;
}
