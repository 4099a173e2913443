/** In-memory state of one simulator: stores and their API keys, invoices, webhooks, deliveries, refunds. */

export type InvoiceStatus = "New" | "Processing" | "Settled" | "Expired" | "Invalid";
export type AdditionalStatus = "None" | "PaidLate" | "PaidPartial" | "Marked" | "Invalid" | "PaidOver";
export type SpeedPolicy = "HighSpeed" | "MediumSpeed" | "LowMediumSpeed" | "LowSpeed";
export type PaymentStatus = "Processing" | "Settled" | "Invalid";

export interface StoreSettings {
  id: string;
  defaultCurrency: string;
  speedPolicy: SpeedPolicy;
  expirationMinutes: number;
  monitoringMinutes: number;
  paymentTolerance: number;
}

export interface Payment {
  id: string;
  receivedAt: Date;
  sats: bigint;
  status: PaymentStatus;
  destination: string;
  /** False when the shopper chose a payment that never confirms (it stays Processing). */
  willConfirm: boolean;
}

export interface InvoiceCheckout {
  speedPolicy: SpeedPolicy;
  expirationMinutes: number;
  monitoringMinutes: number;
  paymentTolerance: number;
  redirectURL: string | null;
  redirectAutomatically: boolean;
  defaultLanguage: string | null;
  defaultPaymentMethod: string | null;
  lazyPaymentMethods: boolean;
}

export interface Invoice {
  id: string;
  storeId: string;
  type: "Standard" | "TopUp";
  /** The amount as the merchant wrote it (BTCPay answers it back unchanged); "0" for an unpaid top-up. */
  amount: string;
  /** The amount in units of 10^-8 of the invoice currency. */
  price: bigint;
  currency: string;
  metadata: Record<string, unknown>;
  checkout: InvoiceCheckout;
  createdAt: Date;
  expiresAt: Date;
  monitoringUntil: Date;
  status: InvoiceStatus;
  additionalStatus: AdditionalStatus;
  archived: boolean;
  /** Invoice currency per BTC (scale 8), fixed when the invoice was created. */
  rate: bigint;
  /** BTC due, in satoshis (0 for an unpaid top-up). */
  dueSats: bigint;
  destination: string;
  keyPath: string;
  payments: Payment[];
  refunds: string[];
}

export interface Webhook {
  id: string;
  storeId: string;
  url: string;
  enabled: boolean;
  automaticRedelivery: boolean;
  everything: boolean;
  specificEvents: string[];
  secret: string;
}

export type DeliveryStatus = "Failed" | "HttpError" | "HttpSuccess";

export interface Delivery {
  id: string;
  webhookId: string;
  /** When the event was created: the `timestamp` of the delivery. */
  timestamp: Date;
  deliveryTime: Date | null;
  status: DeliveryStatus | null;
  httpCode: number | null;
  errorMessage: string | null;
  /** The exact bytes that were (or will be) signed and posted. */
  request: Buffer;
}

export interface Payout {
  id: string;
  date: Date;
  sats: bigint;
  destination: string;
}

export interface PullPayment {
  id: string;
  storeId: string;
  invoiceId: string;
  name: string;
  description: string;
  currency: string;
  /** Units of 10^-8 of `currency`. */
  amount: bigint;
  autoApproveClaims: boolean;
  startsAt: Date;
  payoutMethods: string[];
  payouts: Payout[];
}

export interface KeyGrant {
  storeIds: Set<string>;
  /** Null means every store permission (an unrestricted key). */
  permissions: Set<string> | null;
}

export interface Store {
  stores: Map<string, StoreSettings>;
  keys: Map<string, KeyGrant>;
  invoices: Map<string, Invoice>;
  webhooks: Map<string, Webhook>;
  deliveries: Map<string, Delivery>;
  pullPayments: Map<string, PullPayment>;
}

export function createStore(): Store {
  return {
    stores: new Map(),
    keys: new Map(),
    invoices: new Map(),
    webhooks: new Map(),
    deliveries: new Map(),
    pullPayments: new Map(),
  };
}

/** Permissions that a held permission includes, as BTCPay's permission tree has them. */
const IMPLIED: Record<string, string[]> = {
  "btcpay.store.canmodifystoresettings": [
    "btcpay.store.canviewstoresettings",
    "btcpay.store.canmodifyinvoices",
    "btcpay.store.webhooks.canmodifywebhooks",
    "btcpay.store.cancreatepullpayments",
    "btcpay.store.canviewpullpayments",
    "btcpay.store.canviewreports",
  ],
  "btcpay.store.canmodifyinvoices": ["btcpay.store.canviewinvoices", "btcpay.store.cancreateinvoice"],
  "btcpay.store.cancreatepullpayments": ["btcpay.store.cancreatenonapprovedpullpayments"],
  "btcpay.store.canmanagepullpayments": [
    "btcpay.store.cancreatepullpayments",
    "btcpay.store.canviewpullpayments",
  ],
};

export function holds(grant: KeyGrant, permission: string): boolean {
  if (grant.permissions === null) return true;
  const pending = [...grant.permissions];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const held = pending.pop() as string;
    if (held === "unrestricted" || held === permission) return true;
    if (seen.has(held)) continue;
    seen.add(held);
    pending.push(...(IMPLIED[held] ?? []));
  }
  return false;
}
