/** In-memory state: one account per API key, its payments, refunds, settlements and idempotency keys. */

export type PaymentStatus = "open" | "pending" | "authorized" | "paid" | "failed" | "expired" | "canceled";
export type RefundStatus = "queued" | "pending" | "processing" | "refunded" | "failed" | "canceled";

export interface ConsumerDetails {
  consumerName: string;
  consumerAccount: string;
  consumerBic: string;
}

export interface Refund {
  id: string;
  payment: Payment;
  amount: bigint;
  description: string;
  metadata: unknown;
  status: RefundStatus;
  createdAt: Date;
  /** When it reached `refunded`: the moment it counts against the balance here. */
  refundedAt: Date | null;
}

export interface Payment {
  id: string;
  account: Account;
  checkoutToken: string;
  createdAt: Date;
  amount: bigint;
  description: string;
  method: "ideal" | null;
  metadata: unknown;
  status: PaymentStatus;
  expiresAt: Date;
  redirectUrl: string | null;
  cancelUrl: string | null;
  webhookUrl: string | null;
  locale: string | null;
  issuer: string | null;
  paidAt: Date | null;
  canceledAt: Date | null;
  expiredAt: Date | null;
  failedAt: Date | null;
  details: ConsumerDetails | null;
  refunds: Refund[];
}

export interface StoredResponse {
  status: number;
  body: string;
}

export interface IdempotencyEntry {
  fingerprint: string;
  storedAt: number;
  response: StoredResponse | null;
}

export interface SettlementRecord {
  id: string;
  /** Amsterdam calendar day whose balance movements it pays out. */
  day: string;
  reference: string;
  openedAt: Date;
}

export interface Account {
  apiKey: string;
  profileId: string;
  balanceId: string;
  /** Seven digits, the organisation number that starts settlement references. */
  organizationNumber: string;
  payments: Map<string, Payment>;
  idempotency: Map<string, IdempotencyEntry>;
  settlementsByDay: Map<string, SettlementRecord>;
}

export interface Store {
  account(
    apiKey: string,
    create: () => Omit<Account, "apiKey" | "payments" | "idempotency" | "settlementsByDay">,
  ): Account;
  existingAccount(apiKey: string): Account | undefined;
  addPayment(payment: Payment): void;
  paymentByToken(token: string): Payment | undefined;
  allPayments(): Iterable<Payment>;
  paymentCount(apiKey?: string): number;
}

export function createStore(): Store {
  const accounts = new Map<string, Account>();
  const byToken = new Map<string, Payment>();
  return {
    account(apiKey, create) {
      let account = accounts.get(apiKey);
      if (!account) {
        account = {
          apiKey,
          ...create(),
          payments: new Map(),
          idempotency: new Map(),
          settlementsByDay: new Map(),
        };
        accounts.set(apiKey, account);
      }
      return account;
    },
    existingAccount: (apiKey) => accounts.get(apiKey),
    addPayment(payment) {
      payment.account.payments.set(payment.id, payment);
      byToken.set(payment.checkoutToken, payment);
    },
    paymentByToken: (token) => byToken.get(token),
    *allPayments() {
      for (const account of accounts.values()) yield* account.payments.values();
    },
    paymentCount(apiKey) {
      if (apiKey !== undefined) return accounts.get(apiKey)?.payments.size ?? 0;
      let total = 0;
      for (const account of accounts.values()) total += account.payments.size;
      return total;
    },
  };
}
