/** Stripe's error codes and issuer decline codes, mapped to ours. */
import type { DeclineCode } from "../contract.ts";

/** `decline_code` values that come with `code: "card_declined"`. */
const ISSUER_DECLINES: ReadonlyMap<string, DeclineCode> = new Map<string, DeclineCode>([
  ["generic_decline", "generic_decline"],
  ["insufficient_funds", "insufficient_funds"],
  ["card_velocity_exceeded", "insufficient_funds"],
  ["withdrawal_count_limit_exceeded", "insufficient_funds"],
  ["lost_card", "lost_card"],
  ["stolen_card", "stolen_card"],
  ["pickup_card", "stolen_card"],
  ["do_not_honor", "do_not_honor"],
  ["fraudulent", "fraudulent"],
  ["merchant_blacklist", "fraudulent"],
  ["expired_card", "expired_card"],
  ["incorrect_cvc", "incorrect_cvc"],
  ["invalid_cvc", "incorrect_cvc"],
  ["incorrect_number", "incorrect_number"],
  ["invalid_number", "incorrect_number"],
  ["processing_error", "processing_error"],
  ["issuer_not_available", "processing_error"],
  ["reenter_transaction", "processing_error"],
  ["authentication_required", "authentication_required"],
  ["card_not_supported", "card_not_supported"],
  ["currency_not_supported", "currency_not_supported"],
]);

/** Top-level error `code` values that are declines in their own right. */
const ERROR_CODES: ReadonlyMap<string, DeclineCode> = new Map<string, DeclineCode>([
  ["expired_card", "expired_card"],
  ["incorrect_cvc", "incorrect_cvc"],
  ["invalid_cvc", "incorrect_cvc"],
  ["incorrect_number", "incorrect_number"],
  ["invalid_number", "incorrect_number"],
  ["incomplete_number", "incorrect_number"],
  // The contract has no invalid-expiry code; an impossible expiry date is closest to an expired card.
  ["invalid_expiry_month", "expired_card"],
  ["invalid_expiry_year", "expired_card"],
  ["processing_error", "processing_error"],
  ["authentication_required", "authentication_required"],
  ["payment_intent_authentication_failure", "authentication_failed"],
  ["card_decline_rate_limit_exceeded", "generic_decline"],
]);

/** Every code here is a decline; anything Stripe adds later that we do not know is a generic one. */
export function mapStripeDecline(error: {
  code?: string | null | undefined;
  decline_code?: string | null | undefined;
}): DeclineCode {
  const fromIssuer = error.decline_code ? ISSUER_DECLINES.get(error.decline_code) : undefined;
  if (fromIssuer) return fromIssuer;
  const fromCode = error.code ? ERROR_CODES.get(error.code) : undefined;
  return fromCode ?? "generic_decline";
}

/** Error codes Stripe answers with a 4xx other than 402 that still mean the card was declined. */
export function isDeclineCode(code: string | null | undefined): boolean {
  return code === "payment_intent_authentication_failure" || code === "authentication_required";
}
