import type { TransferResultCode } from "./codes.ts";
import type { PendingStatus } from "./schema.ts";

export interface AccountFlags {
  /** debits_pending + debits_posted must stay ≤ credits_posted (a balance that may not go below zero) */
  debitsMustNotExceedCredits: boolean;
  /** credits_pending + credits_posted must stay ≤ debits_posted */
  creditsMustNotExceedDebits: boolean;
  /** a closed account takes no new transfers or posts; pending holds on it can still be voided or expire */
  closed: boolean;
}

export interface Balances {
  debitsPending: bigint;
  debitsPosted: bigint;
  creditsPending: bigint;
  creditsPosted: bigint;
}

export interface AccountSpec {
  /** Caller-provided id; generated when omitted. */
  id?: string;
  /** null for a platform account. */
  merchantId: string | null;
  livemode: boolean;
  /** lower-case ISO 4217 code: one currency per ledger */
  currency: string;
  code: number;
  /** Distinguishes several accounts of one kind, e.g. the connector account of a provider clearing account. */
  reference?: string;
  flags?: Partial<Omit<AccountFlags, "closed">>;
  /**
   * Balance rows for a hot account (1 = unsharded). Transfers that cannot break the account's constraint
   * take any free shard instead of queueing on one row; the balance is the sum of the shards.
   */
  shards?: number;
  userData?: string | null;
}

export interface Account extends Balances {
  id: string;
  merchantId: string | null;
  livemode: boolean;
  currency: string;
  code: number;
  reference: string;
  flags: AccountFlags;
  shards: number;
  userData: string | null;
  createdAt: Date;
}

export interface TransferFlags {
  /** Links this transfer with the next one: the chain succeeds or fails as a unit. */
  linked?: boolean;
  /** Reserves the amount in the pending balances until posted, voided or expired. */
  pending?: boolean;
  /** Posts the pending transfer `pendingId` (the full amount when `amount` is omitted). */
  postPendingTransfer?: boolean;
  /** Voids the pending transfer `pendingId`. */
  voidPendingTransfer?: boolean;
}

export interface TransferInput {
  /** Caller-chosen and the idempotency key, e.g. `tr_<payment attempt id>_capture`. */
  id: string;
  /** Required unless posting or voiding (then taken from the pending transfer, and checked if given). */
  debitAccountId?: string;
  creditAccountId?: string;
  /** Minor units. Required unless posting (omitted = the full pending amount) or voiding. */
  amount?: bigint;
  pendingId?: string;
  /** Optional; must match the accounts' currency when given. */
  currency?: string;
  /** Why the transfer happened (see TransferCode). Required unless posting or voiding. */
  code?: number;
  flags?: TransferFlags;
  /** Seconds a pending transfer may stay open before it expires (0 or omitted: never). */
  timeout?: number;
  /** The id of the payment, refund or payout that caused the transfer. */
  userData?: string;
}

export interface Transfer {
  seq: bigint;
  id: string;
  merchantId: string | null;
  livemode: boolean;
  currency: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  pendingId: string | null;
  code: number;
  flags: Required<TransferFlags>;
  timeout: number;
  userData: string | null;
  createdAt: Date;
  /** Only for pending transfers. */
  pendingStatus: PendingStatus | null;
  expiresAt: Date | null;
}

export interface CreateTransferResult {
  index: number;
  id: string;
  result: TransferResultCode;
}

export interface TransferPage {
  data: Transfer[];
  hasMore: boolean;
}

export interface PageOptions {
  /** 1–100, default 10 */
  limit?: number;
  /** Newest first (the default) or oldest first. */
  order?: "desc" | "asc";
  /** Transfer id to continue after. */
  startingAfter?: string;
}
