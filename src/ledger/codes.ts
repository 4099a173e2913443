/**
 * What an account is. Merchant accounts belong to one merchant; platform accounts have no merchant
 * (`merchant_id` null). `normal` is the side an account's balance usually grows on, and `flag` the balance
 * constraint such an account normally carries (the caller decides; these are the recommended defaults).
 */
export const AccountCode = {
  merchant_pending: 1,
  merchant_available: 2,
  merchant_reserve: 3,
  platform_fee_revenue: 100,
  provider_clearing: 101,
  bank_clearing: 102,
  refunds_payable: 103,
  chargebacks: 104,
  fx_position: 105,
  platform_operating: 106,
  fx_gain_loss: 107,
} as const;

export type AccountCodeName = keyof typeof AccountCode;
export type AccountCodeValue = (typeof AccountCode)[AccountCodeName];

export interface AccountCodeInfo {
  name: AccountCodeName;
  owner: "merchant" | "platform";
  normal: "credit" | "debit";
  description: string;
}

export const ACCOUNT_CODES: Readonly<Record<AccountCodeValue, AccountCodeInfo>> = {
  1: {
    name: "merchant_pending",
    owner: "merchant",
    normal: "credit",
    description: "captured funds owed to the merchant, not yet available",
  },
  2: {
    name: "merchant_available",
    owner: "merchant",
    normal: "credit",
    description: "funds the merchant can be paid out",
  },
  3: {
    name: "merchant_reserve",
    owner: "merchant",
    normal: "credit",
    description: "funds held back against refunds and chargebacks",
  },
  100: {
    name: "platform_fee_revenue",
    owner: "platform",
    normal: "credit",
    description: "fees the platform earned",
  },
  101: {
    name: "provider_clearing",
    owner: "platform",
    normal: "debit",
    description: "funds a payment provider owes us (one account per connector account: reference)",
  },
  102: {
    name: "bank_clearing",
    owner: "platform",
    normal: "debit",
    description: "funds in transit through our bank accounts",
  },
  103: {
    name: "refunds_payable",
    owner: "platform",
    normal: "credit",
    description: "refunds accepted and not yet paid back by the provider",
  },
  104: {
    name: "chargebacks",
    owner: "platform",
    normal: "debit",
    description: "disputed funds taken back by the card networks",
  },
  105: {
    name: "fx_position",
    owner: "platform",
    normal: "debit",
    description: "currency exchange position, one account per currency",
  },
  106: {
    name: "platform_operating",
    owner: "platform",
    normal: "debit",
    description: "platform funds used to cover shortfalls and adjustments",
  },
  107: {
    name: "fx_gain_loss",
    owner: "platform",
    normal: "credit",
    description: "gains (credits) and losses (debits) from currency conversion, one account per currency",
  },
};

export function accountCodeInfo(code: number): AccountCodeInfo | undefined {
  return (ACCOUNT_CODES as Record<number, AccountCodeInfo>)[code];
}

/** Why a transfer happened. Any positive integer up to 65535 is accepted; these are the ones Payrail uses. */
export const TransferCode = {
  payment_capture: 1,
  payment_fee: 2,
  funds_available: 3,
  refund: 4,
  refund_fee: 5,
  payout: 6,
  payout_fee: 7,
  chargeback: 8,
  chargeback_reversal: 9,
  reserve_hold: 10,
  reserve_release: 11,
  split: 12,
  settlement: 13,
  fx_conversion: 14,
  adjustment: 15,
  authorization: 16,
  application_fee: 17,
  platform_transfer: 18,
  transfer_reversal: 19,
  fx_gain_loss: 20,
  provider_fee: 21,
  chargeback_fee: 22,
} as const;

export type TransferCodeName = keyof typeof TransferCode;

const TRANSFER_CODE_NAMES = new Map<number, string>(
  Object.entries(TransferCode).map(([name, v]) => [v, name]),
);

export function transferCodeName(code: number): string {
  return TRANSFER_CODE_NAMES.get(code) ?? `code_${code}`;
}

/**
 * Results of `createTransfers`, in TigerBeetle's order of precedence: when several apply, the first listed
 * is returned.
 */
export const TRANSFER_ERRORS = [
  "linked_event_failed",
  "linked_event_chain_open",
  "id_must_not_be_empty",
  "id_too_long",
  "exists_with_different_flags",
  "exists_with_different_pending_id",
  "exists_with_different_timeout",
  "exists_with_different_debit_account_id",
  "exists_with_different_credit_account_id",
  "exists_with_different_amount",
  "exists_with_different_user_data",
  "exists_with_different_currency",
  "exists_with_different_code",
  "id_already_failed",
  "flags_are_mutually_exclusive",
  "debit_account_id_must_not_be_empty",
  "credit_account_id_must_not_be_empty",
  "accounts_must_be_different",
  "pending_id_must_be_empty",
  "pending_id_must_not_be_empty",
  "pending_id_must_be_different",
  "timeout_reserved_for_pending_transfer",
  "amount_must_not_be_zero",
  "code_must_not_be_zero",
  "debit_account_not_found",
  "credit_account_not_found",
  "accounts_must_have_the_same_currency",
  "accounts_must_have_the_same_livemode",
  "transfer_must_have_the_same_currency_as_accounts",
  "pending_transfer_not_found",
  "pending_transfer_not_pending",
  "pending_transfer_has_different_debit_account_id",
  "pending_transfer_has_different_credit_account_id",
  "pending_transfer_has_different_currency",
  "pending_transfer_has_different_code",
  "exceeds_pending_transfer_amount",
  "pending_transfer_has_different_amount",
  "pending_transfer_already_posted",
  "pending_transfer_already_voided",
  "pending_transfer_expired",
  "debit_account_already_closed",
  "credit_account_already_closed",
  "overflows_debits_pending",
  "overflows_credits_pending",
  "overflows_debits_posted",
  "overflows_credits_posted",
  "overflows_debits",
  "overflows_credits",
  "overflows_timeout",
  "exceeds_credits",
  "exceeds_debits",
] as const;

export type TransferError = (typeof TRANSFER_ERRORS)[number];
export type TransferResultCode = "ok" | "exists" | TransferError;

/**
 * Failures whose outcome could differ on a retry (an account may appear, funds may arrive). TigerBeetle
 * remembers them so that a transfer id has exactly one outcome forever: a retry gets `id_already_failed`.
 */
export const TRANSIENT_ERRORS: ReadonlySet<TransferError> = new Set<TransferError>([
  "debit_account_not_found",
  "credit_account_not_found",
  "pending_transfer_not_found",
  "exceeds_credits",
  "exceeds_debits",
  "debit_account_already_closed",
  "credit_account_already_closed",
]);
