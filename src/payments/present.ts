import { unixSeconds } from "../core/clock.ts";
import { toJsonAmount } from "../core/money.ts";
import type { PaymentIntentRow } from "../db/schema.ts";

/** The API representation of a payment intent (Stripe-shaped; amounts as integer minor units). */
export function presentIntent(row: PaymentIntentRow) {
  return {
    id: row.id,
    object: "payment_intent",
    amount: toJsonAmount(row.amount),
    amount_capturable: toJsonAmount(row.amount_capturable),
    amount_received: toJsonAmount(row.amount_received),
    amount_refunded: toJsonAmount(row.amount_refunded),
    currency: row.currency,
    status: row.status,
    capture_method: row.capture_method,
    client_secret: row.client_secret,
    created: unixSeconds(row.created_at),
    livemode: row.livemode,
    customer: row.customer_id,
    description: row.description,
    merchant_reference: row.merchant_reference,
    metadata: row.metadata,
    return_url: row.return_url,
    // Null on the row: any method the merchant's accounts take; shown as what the intent is paid with.
    payment_method_types: row.payment_method_types ?? [row.payment_method_type ?? "card"],
    payment_method: row.payment_method_id ?? null,
    payment_method_details: row.payment_method,
    setup_future_usage: row.setup_future_usage ?? null,
    off_session: row.off_session ?? false,
    connector: row.connector,
    connector_account: row.connector_account_id,
    last_payment_error: row.last_payment_error,
    next_action: row.next_action,
    cancellation_reason: row.cancellation_reason,
    canceled_at: row.canceled_at ? unixSeconds(row.canceled_at) : null,
    capture_before: row.capture_before ? unixSeconds(row.capture_before) : null,
    review_requested: row.review_requested,
    surcharge_amount: toJsonAmount(row.surcharge_amount),
    application_fee_amount:
      row.application_fee_amount === null ? null : toJsonAmount(row.application_fee_amount),
    transfer_data: row.transfer_destination ? { destination: row.transfer_destination } : null,
    splits: row.splits ? row.splits.map((s) => ({ destination: s.account, amount: Number(s.amount) })) : null,
    fx_quote: row.fx_quote_id,
    settlement_currency: row.settlement_currency ?? row.currency,
  };
}

export type PresentedIntent = ReturnType<typeof presentIntent>;
