/** In-memory state of the sandbox processor, namespaced per API key. */
import { randomBytes } from "node:crypto";
import type { CardBrand, DeclineCode } from "./cards.ts";

export type ChargeStatus =
  | "authorized"
  | "captured"
  | "declined"
  | "requires_action"
  | "processing"
  | "voided";
export type RefundState = "succeeded" | "pending" | "failed";

export interface Charge {
  id: string;
  apiKey: string;
  reference: string;
  status: ChargeStatus;
  amount: number;
  currency: string;
  amountCaptured: number;
  /** Succeeded and pending refunds; a failed refund gives its amount back. */
  amountRefunded: number;
  capture: boolean;
  declineCode: DeclineCode | null;
  message: string | null;
  redirectUrl: string | null;
  networkTransactionId: string | null;
  created: number;
  card: { brand: CardBrand; last4: string; exp_month: number; exp_year: number };
  returnUrl: string;
  notificationUrl: string | null;
  description: string | null;
  captureReferences: Set<string>;
  voidReference: string | null;
}

export interface Refund {
  id: string;
  charge: string;
  reference: string;
  amount: number;
  currency: string;
  status: RefundState;
  failureReason: string | null;
  created: number;
}

export interface StoredResponse {
  status: number;
  body: string;
}

export type IdempotencyEntry =
  | { state: "in_flight"; fingerprint: string; settled: Promise<void> }
  | { state: "done"; fingerprint: string; response: StoredResponse };

export interface Account {
  apiKey: string;
  charges: Map<string, Charge>;
  chargesByReference: Map<string, Charge>;
  refunds: Map<string, Refund>;
  refundsByReference: Map<string, Refund>;
  idempotency: Map<string, IdempotencyEntry>;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: rejecting the bytes above keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export function newId(prefix: "ch" | "rf" | "evt"): string {
  return `${prefix}_${randomBase62(24)}`;
}

export function randomDigits(length: number): string {
  let out = "";
  for (const byte of randomBytes(length * 2)) {
    if (byte < 250 && out.length < length) out += String(byte % 10);
  }
  return out.length === length ? out : randomDigits(length);
}

export interface Store {
  account(apiKey: string): Account;
  /** Finds a charge by id across accounts: the 3-D Secure page is reached without an API key. */
  chargeById(id: string): Charge | undefined;
  addCharge(charge: Charge): void;
  addRefund(apiKey: string, refund: Refund): void;
  chargeCount(apiKey?: string): number;
}

export function createStore(): Store {
  const accounts = new Map<string, Account>();
  const chargeIndex = new Map<string, Charge>();

  function account(apiKey: string): Account {
    let found = accounts.get(apiKey);
    if (!found) {
      found = {
        apiKey,
        charges: new Map(),
        chargesByReference: new Map(),
        refunds: new Map(),
        refundsByReference: new Map(),
        idempotency: new Map(),
      };
      accounts.set(apiKey, found);
    }
    return found;
  }

  return {
    account,
    chargeById: (id) => chargeIndex.get(id),
    addCharge(charge) {
      const acct = account(charge.apiKey);
      acct.charges.set(charge.id, charge);
      acct.chargesByReference.set(charge.reference, charge);
      chargeIndex.set(charge.id, charge);
    },
    addRefund(apiKey, refund) {
      const acct = account(apiKey);
      acct.refunds.set(refund.id, refund);
      acct.refundsByReference.set(refund.reference, refund);
    },
    chargeCount(apiKey) {
      if (apiKey !== undefined) return accounts.get(apiKey)?.charges.size ?? 0;
      return chargeIndex.size;
    },
  };
}

export function chargeToWire(charge: Charge) {
  return {
    id: charge.id,
    object: "charge" as const,
    reference: charge.reference,
    status: charge.status,
    amount: charge.amount,
    currency: charge.currency,
    amount_captured: charge.amountCaptured,
    amount_refunded: charge.amountRefunded,
    capture: charge.capture,
    decline_code: charge.declineCode,
    message: charge.message,
    redirect_url: charge.redirectUrl,
    network_transaction_id: charge.networkTransactionId,
    created: charge.created,
    card: { ...charge.card },
  };
}

export function refundToWire(refund: Refund) {
  return {
    id: refund.id,
    object: "refund" as const,
    charge: refund.charge,
    reference: refund.reference,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    failure_reason: refund.failureReason,
    created: refund.created,
  };
}
