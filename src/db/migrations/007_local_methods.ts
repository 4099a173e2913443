/**
 * Non-card payment methods (Alipay, WeChat Pay, PayPal, iDEAL, GrabPay, crypto). An intent remembers
 * which methods it accepts and when the provider's order for its current attempt expires
 * (`action_expires_at`): past it, the sync job closes the order and cancels the intent as expired.
 * Providers that notify with their own id only (Mollie) are matched through the intent's
 * `connector_transaction_id`, hence the index.
 */
export const statements = [
  `alter table payment_intents add column payment_method_types jsonb`,
  `alter table payment_intents add column action_expires_at timestamptz`,
  `create index payment_intents_connector_transaction on payment_intents (connector_account_id, connector_transaction_id)
    where connector_transaction_id is not null`,
];
