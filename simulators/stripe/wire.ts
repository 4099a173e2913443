/**
 * Stripe's JSON for the payment objects, with the keys of Stripe's current API (as in fixtures3.json):
 * fields the simulator does not model are present with null where Stripe allows null.
 */
import type {
  Account,
  BalanceTransactionRecord,
  ChargeRecord,
  PaymentIntentRecord,
  PaymentMethodRecord,
  RefundRecord,
  TokenRecord,
} from "./store.ts";

type Json = Record<string, unknown>;

const minor = (amount: bigint): number => Number(amount);

function billingDetailsWire(pm: PaymentMethodRecord | undefined): Json {
  const details = pm?.billingDetails;
  return {
    address: {
      city: details?.address.city ?? null,
      country: details?.address.country ?? null,
      line1: details?.address.line1 ?? null,
      line2: details?.address.line2 ?? null,
      postal_code: details?.address.postal_code ?? null,
      state: details?.address.state ?? null,
    },
    email: details?.email ?? null,
    name: details?.name ?? null,
    phone: details?.phone ?? null,
    tax_id: null,
  };
}

function walletWire(pm: PaymentMethodRecord): Json | null {
  const wallet = pm.card.wallet;
  return wallet ? { dynamic_last4: wallet.dynamicLast4, type: wallet.type } : null;
}

export function paymentMethodWire(pm: PaymentMethodRecord): Json {
  return {
    id: pm.id,
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: billingDetailsWire(pm),
    card: {
      brand: pm.card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: null },
      country: pm.card.country,
      display_brand: pm.card.brand,
      exp_month: pm.card.expMonth,
      exp_year: pm.card.expYear,
      fingerprint: pm.card.fingerprint,
      funding: "credit",
      generated_from: null,
      last4: pm.card.last4,
      networks: { available: [pm.card.brand], preferred: null },
      regulated_status: "unregulated",
      three_d_secure_usage: { supported: true },
      wallet: walletWire(pm),
    },
    created: pm.created,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: { ...pm.metadata },
    type: "card",
  };
}

/** The legacy Card object names brands in words. */
const CARD_BRAND_NAMES: Readonly<Record<PaymentMethodRecord["card"]["brand"], string>> = {
  amex: "American Express",
  diners: "Diners Club",
  discover: "Discover",
  jcb: "JCB",
  mastercard: "MasterCard",
  unionpay: "UnionPay",
  visa: "Visa",
  unknown: "Unknown",
};

export function tokenWire(token: TokenRecord): Json {
  const { card } = token;
  return {
    id: token.id,
    object: "token",
    card: {
      id: token.cardId,
      object: "card",
      address_city: null,
      address_country: null,
      address_line1: null,
      address_line1_check: null,
      address_line2: null,
      address_state: null,
      address_zip: null,
      address_zip_check: null,
      brand: CARD_BRAND_NAMES[card.brand],
      country: card.country,
      cvc_check: card.cvcProvided ? "unchecked" : null,
      dynamic_last4: null,
      exp_month: card.expMonth,
      exp_year: card.expYear,
      fingerprint: card.fingerprint,
      funding: "credit",
      last4: card.last4,
      metadata: {},
      name: token.name,
      networks: { preferred: null },
      regulated_status: "unregulated",
      tokenization_method: null,
    },
    client_ip: null,
    created: token.created,
    livemode: false,
    type: "card",
    used: token.used,
  };
}

function outcomeWire(charge: ChargeRecord): Json | null {
  if (charge.status === "pending") return null;
  const decline = charge.decline;
  return {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: decline ? "declined_by_network" : "approved_by_network",
    reason: decline ? decline.declineCode : null,
    seller_message: decline
      ? decline.declineCode === "generic_decline"
        ? "The bank did not return any further details with this decline."
        : `The bank returned the decline code \`${decline.declineCode}\`.`
      : "Payment complete.",
    type: decline ? "issuer_declined" : "authorized",
  };
}

function cardDetailsWire(charge: ChargeRecord, pm: PaymentMethodRecord | undefined): Json {
  const approved = charge.status === "succeeded";
  return {
    amount_authorized: approved ? minor(charge.amount) : null,
    authorization_code: charge.authorizationCode,
    brand: pm?.card.brand ?? "unknown",
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: charge.cvcCheck },
    country: pm?.card.country ?? null,
    exp_month: pm?.card.expMonth ?? 0,
    exp_year: pm?.card.expYear ?? 0,
    extended_authorization: { status: "disabled" },
    fingerprint: pm?.card.fingerprint ?? null,
    funding: "credit",
    incremental_authorization: { status: "unavailable" },
    installments: null,
    last4: pm?.card.last4 ?? null,
    mandate: null,
    multicapture: { status: "unavailable" },
    network: pm?.card.brand ?? null,
    network_token: { used: charge.networkTokenUsed },
    network_transaction_id: charge.networkTransactionId,
    overcapture: { maximum_amount_capturable: minor(charge.amount), status: "unavailable" },
    regulated_status: "unregulated",
    three_d_secure: charge.threeDSecure
      ? {
          authentication_flow: "challenge",
          electronic_commerce_indicator: charge.threeDSecure.eci,
          exemption_indicator: null,
          result: "authenticated",
          result_reason: null,
          transaction_id: charge.threeDSecure.transactionId,
          version: "2.2.0",
        }
      : null,
    transaction_link_id: null,
    wallet: pm ? walletWire(pm) : null,
  };
}

export function refundWire(refund: RefundRecord, account: Account): Json {
  const charge = account.charges.get(refund.chargeId);
  const wire: Json = {
    id: refund.id,
    object: "refund",
    amount: minor(refund.amount),
    balance_transaction: refund.balanceTransactionId,
    charge: refund.chargeId,
    created: refund.created,
    currency: refund.currency,
    customer: null,
    customer_account: null,
    destination_details: { card: { type: "refund" }, type: "card" },
    metadata: { ...refund.metadata },
    payment_intent: refund.paymentIntentId,
    payment_method: charge?.paymentMethodId ?? null,
    reason: refund.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: refund.status,
    transfer_reversal: null,
  };
  if (refund.status === "failed") {
    wire.failure_balance_transaction = refund.failureBalanceTransactionId;
    wire.failure_reason = refund.failureReason;
  }
  return wire;
}

export function chargeAmountRefunded(charge: ChargeRecord): bigint {
  return charge.amountReleased + charge.amountRefundedByRefunds;
}

export function chargeWire(charge: ChargeRecord, account: Account): Json {
  const pm = account.paymentMethods.get(charge.paymentMethodId);
  const intent = account.intents.get(charge.paymentIntentId);
  const refunded = chargeAmountRefunded(charge);
  const refunds = charge.refundIds
    .map((id) => account.refunds.get(id))
    .filter((refund) => refund !== undefined)
    .reverse();
  return {
    id: charge.id,
    object: "charge",
    amount: minor(charge.amount),
    amount_captured: minor(charge.amountCaptured),
    amount_refunded: minor(refunded),
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: charge.balanceTransactionId,
    billing_details: billingDetailsWire(pm),
    calculated_statement_descriptor: charge.status === "succeeded" ? "STRIPE SIMULATOR" : null,
    captured: charge.captured,
    created: charge.created,
    currency: charge.currency,
    customer: null,
    description: charge.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: charge.decline?.code ?? null,
    failure_message: charge.decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...charge.metadata },
    on_behalf_of: null,
    outcome: outcomeWire(charge),
    paid: charge.status === "succeeded",
    payment_intent: charge.paymentIntentId,
    payment_method: charge.paymentMethodId,
    payment_method_details: { card: cardDetailsWire(charge, pm), type: "card" },
    receipt_email: charge.receiptEmail,
    receipt_number: null,
    receipt_url: null,
    refunded: charge.amount > 0n && refunded === charge.amount,
    refunds: {
      object: "list",
      data: refunds.map((refund) => refundWire(refund, account)),
      has_more: false,
      url: `/v1/charges/${charge.id}/refunds`,
    },
    review: null,
    shipping: intent?.shipping ?? null,
    source: null,
    source_transfer: null,
    statement_descriptor: charge.statementDescriptor,
    statement_descriptor_suffix: charge.statementDescriptorSuffix,
    status: charge.status,
    transfer_data: null,
    transfer_group: null,
  };
}

export function paymentIntentWire(intent: PaymentIntentRecord): Json {
  const cardOptions: Json = {
    installments: null,
    mandate_options: null,
    network: null,
    request_three_d_secure: intent.cardOptions.requestThreeDSecure,
  };
  if (intent.cardOptions.captureMethod) cardOptions.capture_method = intent.cardOptions.captureMethod;
  return {
    id: intent.id,
    object: "payment_intent",
    amount: minor(intent.amount),
    amount_capturable: minor(intent.amountCapturable),
    amount_details: { tip: {} },
    amount_received: minor(intent.amountReceived),
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: intent.automaticPaymentMethods,
    canceled_at: intent.canceledAt,
    cancellation_reason: intent.cancellationReason,
    capture_method: intent.captureMethod,
    client_secret: intent.clientSecret,
    confirmation_method: intent.confirmationMethod,
    created: intent.created,
    currency: intent.currency,
    customer: null,
    customer_account: null,
    description: intent.description,
    excluded_payment_method_types: null,
    last_payment_error: intent.lastPaymentError,
    latest_charge: intent.latestChargeId,
    livemode: false,
    managed_payments: null,
    metadata: { ...intent.metadata },
    next_action: intent.nextAction,
    on_behalf_of: null,
    payment_method: intent.paymentMethodId,
    payment_method_configuration_details: null,
    payment_method_options: { card: cardOptions },
    payment_method_types: [...intent.paymentMethodTypes],
    processing: intent.status === "processing" ? { card: {}, type: "card" } : null,
    receipt_email: intent.receiptEmail,
    review: null,
    setup_future_usage: intent.setupFutureUsage,
    shipping: intent.shipping,
    source: null,
    statement_descriptor: intent.statementDescriptor,
    statement_descriptor_suffix: intent.statementDescriptorSuffix,
    status: intent.status,
    transfer_data: null,
    transfer_group: intent.transferGroup,
  };
}

export function balanceTransactionWire(txn: BalanceTransactionRecord, now: () => Date): Json {
  const fee = minor(txn.fee);
  const nowSeconds = Math.floor(now().getTime() / 1000);
  return {
    id: txn.id,
    object: "balance_transaction",
    amount: minor(txn.amount),
    available_on: txn.availableOn,
    balance_type: "payments",
    created: txn.created,
    currency: txn.currency,
    description: txn.description,
    exchange_rate: null,
    fee,
    fee_details:
      fee === 0
        ? []
        : [
            {
              amount: fee,
              application: null,
              currency: txn.currency,
              description: "Stripe processing fees",
              type: "stripe_fee",
            },
          ],
    net: minor(txn.amount - txn.fee),
    reporting_category: txn.type,
    source: txn.sourceId,
    status: nowSeconds >= txn.availableOn ? "available" : "pending",
    type: txn.type,
  };
}
