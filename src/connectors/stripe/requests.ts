/** Pure building of the parameters Payrail sends to Stripe. */
import type { AuthorizeRequest, WalletTokenAuthorizeRequest } from "../contract.ts";
import { REFERENCE_KEY } from "./wire.ts";

/** Stripe amounts are JSON numbers; anything past 2^53 cannot be sent exactly and is a bug upstream. */
export function toStripeAmount(amount: bigint): number {
  if (amount < 0n || amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`amount ${amount} is outside what Stripe accepts`);
  }
  return Number(amount);
}

export type FormParams = Record<string, unknown>;

/**
 * The PaymentIntent create-and-confirm parameters for one authorization.
 *
 * Raw card numbers (`payment_method_data[card][...]`), network-token cryptograms and MIT exemptions are
 * not in Stripe's public OpenAPI spec (../shared/specs/stripe/spec3.2022-04-12.json has no `card` under
 * `payment_method_data` and neither `network_token` nor `mit_exemption` under
 * `payment_method_options[card]`; the SDK's types lack them too): Stripe enables them per account. We
 * use the names Stripe gives those gated parameters:
 * - a decrypted Apple Pay / Google Pay token goes as a network token: the device PAN and its expiry in
 *   `payment_method_data[card][network_token][number|exp_month|exp_year|tokenization_method]` (the
 *   expiry also in `payment_method_data[card]`), and the one-time cryptogram and ECI in
 *   `payment_method_options[card][network_token][cryptogram|electronic_commerce_indicator]`;
 * - a merchant-initiated payment on a stored card sends `off_session=true` and the first payment's
 *   `payment_method_options[card][mit_exemption][network_transaction_id]`.
 */
export function paymentIntentParams(request: AuthorizeRequest): FormParams {
  const { networkToken, storedCredential } = request;
  const cardOptions: FormParams = {};
  const params = confirmedIntentParams(request, {
    type: "card",
    card: networkToken ? networkTokenCard(request) : plainCard(request),
    ...(request.card.holder_name ? { billing_details: { name: request.card.holder_name } } : {}),
  });
  if (networkToken) {
    const eci = networkToken.eci && ECIS.has(networkToken.eci) ? networkToken.eci : undefined;
    cardOptions.network_token = {
      cryptogram: networkToken.cryptogram,
      ...(eci ? { electronic_commerce_indicator: eci } : {}),
    };
  }
  if (storedCredential?.sequence === "first") {
    params.setup_future_usage = "off_session";
  } else if (storedCredential?.sequence === "subsequent" && storedCredential.initiator === "merchant") {
    params.off_session = true;
    if (storedCredential.networkTransactionId) {
      cardOptions.mit_exemption = { network_transaction_id: storedCredential.networkTransactionId };
    }
  }
  if (Object.keys(cardOptions).length > 0) params.payment_method_options = { card: cardOptions };
  return params;
}

/** What every authorization sends, whatever the payment method: amount, capture mode, our reference. */
type IntentBasics = Omit<AuthorizeRequest, "card" | "networkToken" | "storedCredential">;

function confirmedIntentParams(request: IntentBasics, paymentMethodData: FormParams): FormParams {
  return {
    amount: toStripeAmount(request.amount),
    currency: request.currency.toLowerCase(),
    confirm: true,
    capture_method: request.capture ? "automatic" : "manual",
    payment_method_data: paymentMethodData,
    return_url: request.returnUrl,
    metadata: { [REFERENCE_KEY]: request.reference, payrail_payment_intent: request.paymentIntentId },
    expand: ["latest_charge"],
    ...(request.description ? { description: request.description } : {}),
  };
}

/**
 * The PaymentIntent parameters for a Stripe card token (Google Pay in PAYMENT_GATEWAY mode): the token
 * goes where the card details would, as `payment_method_data[card][token]`, the form Stripe documents
 * for PaymentMethods (`card: {token: "tok_visa"}`, spec3 `token_params`); like the raw card fields, it
 * is gated under PaymentIntents' `payment_method_data`.
 */
export function walletTokenIntentParams(request: WalletTokenAuthorizeRequest, tokenId: string): FormParams {
  return confirmedIntentParams(request, { type: "card", card: { token: tokenId } });
}

/** Stripe ids are short and plain; anything else in a token is not worth sending. */
const STRIPE_TOKEN_ID = /^tok_[0-9A-Za-z_]{1,250}$/;

/**
 * The Stripe token id inside Google Pay's `tokenizationData.token` for gateway "stripe": that text is
 * the JSON of a Stripe Token object (`{"id":"tok_...","object":"token","card":{...},...}`). Null when it
 * is anything else.
 */
export function stripeTokenIdOf(googlePayToken: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(googlePayToken);
  } catch {
    return null;
  }
  const id = typeof parsed === "object" && parsed !== null ? (parsed as { id?: unknown }).id : undefined;
  return typeof id === "string" && STRIPE_TOKEN_ID.test(id) ? id : null;
}

/** The electronic commerce indicators Stripe takes; any other value is left for Stripe to derive. */
const ECIS = new Set(["01", "02", "05", "06", "07"]);

function plainCard({ card }: AuthorizeRequest): FormParams {
  return {
    number: card.number,
    exp_month: card.exp_month,
    exp_year: card.exp_year,
    ...(card.cvc ? { cvc: card.cvc } : {}),
  };
}

function networkTokenCard({ card, networkToken }: AuthorizeRequest): FormParams {
  return {
    exp_month: card.exp_month,
    exp_year: card.exp_year,
    network_token: {
      number: card.number,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      tokenization_method: networkToken?.wallet === "apple_pay" ? "apple_pay" : "google_pay_dpan",
    },
  };
}

/** A Stripe search query for our reference; quotes and backslashes in it are escaped. */
export function referenceSearchQuery(reference: string): string {
  return `metadata['${REFERENCE_KEY}']:'${reference.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}
