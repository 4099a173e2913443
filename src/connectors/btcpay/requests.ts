/** The bodies Payrail sends to BTCPay: an invoice for a payment, a pull payment for a refund. */
import type { LocalPaymentRequest, ModifyRequest } from "../contract.ts";
import { currencyExponent, minorToDecimal } from "./amounts.ts";
import type { BtcpayConfig } from "./config.ts";
import { refundPullPaymentName } from "./transformers.ts";

/** Whole minutes until `expiresAt`, at least one (BTCPay refuses less than 30 seconds). */
export function expirationMinutes(expiresAt: Date, now: Date): number {
  return Math.max(1, Math.round((expiresAt.getTime() - now.getTime()) / 60_000));
}

/** Undefined when the currency has no ISO 4217 exponent we could write the amount in. */
export function invoiceRequest(
  request: LocalPaymentRequest,
  config: BtcpayConfig,
  now: Date,
): Record<string, unknown> | undefined {
  const exponent = currencyExponent(request.currency);
  if (exponent === undefined) return undefined;
  return {
    amount: minorToDecimal(request.amount, exponent),
    currency: request.currency.toUpperCase(),
    // orderId is what BTCPay lists invoices by: our reference, so a retry finds the invoice it made.
    metadata: {
      orderId: request.reference,
      payrailReference: request.reference,
      itemDesc: request.description,
    },
    checkout: {
      expirationMinutes: expirationMinutes(request.expiresAt, now),
      redirectURL: request.returnUrl,
      redirectAutomatically: true,
      ...(config.speed_policy ? { speedPolicy: config.speed_policy } : {}),
      ...(request.shopper.locale ? { defaultLanguage: request.shopper.locale } : {}),
    },
  };
}

/**
 * A refund of exactly the amount asked, in the invoice currency (`Custom`): `Fiat` can only refund all
 * that was paid and `CurrentRate` refunds in BTC, which Payrail could not compare with what it asked.
 */
export function refundRequest(request: ModifyRequest): Record<string, unknown> | undefined {
  const exponent = currencyExponent(request.currency);
  if (exponent === undefined) return undefined;
  return {
    name: refundPullPaymentName(request.reference),
    description: `Refund ${request.reference} of invoice ${request.connectorReference}`,
    refundVariant: "Custom",
    customAmount: minorToDecimal(request.amount, exponent),
    customCurrency: request.currency.toUpperCase(),
  };
}
