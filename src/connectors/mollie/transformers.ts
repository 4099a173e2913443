/**
 * Pure mapping between Mollie's wire objects and the connector contract. Whatever is not understood
 * maps to pending; whatever amount is not readable exactly is not a success.
 */

import {
  type AuthorizeResult,
  confirmsRequest,
  type DeclineCode,
  type LocalPaymentRequest,
  type ModifyRequest,
  type ModifyResult,
  type PaymentStatus,
  type RefundStatus,
} from "../contract.ts";
import { refundStatusAsModifyResult, statusAsAuthorizeResult } from "../status-result.ts";
import { fromMollieAmount, toMollieAmount } from "./amounts.ts";
import { payrailReferenceOf, type WirePayment, type WireRefund } from "./wire.ts";

/** The locales Mollie's hosted pages speak. */
const MOLLIE_LOCALES = new Set([
  "en_US",
  "en_GB",
  "nl_NL",
  "nl_BE",
  "de_DE",
  "de_AT",
  "de_CH",
  "fr_FR",
  "fr_BE",
  "es_ES",
  "ca_ES",
  "pt_PT",
  "it_IT",
  "nb_NO",
  "sv_SE",
  "fi_FI",
  "da_DK",
  "is_IS",
  "hu_HU",
  "pl_PL",
  "lv_LV",
  "lt_LT",
]);

/** For a language alone (or with a region Mollie lacks): the region Mollie offers it in first. */
const LANGUAGE_DEFAULT = new Map<string, string>();
for (const locale of MOLLIE_LOCALES) {
  const language = locale.slice(0, 2);
  if (!LANGUAGE_DEFAULT.has(language)) LANGUAGE_DEFAULT.set(language, locale);
}
LANGUAGE_DEFAULT.set("no", "nb_NO");

/** The shopper's locale (`nl-NL`, `nl_be`, `de`) as one Mollie supports, or undefined (Mollie picks). */
export function mollieLocale(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  const match = /^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}))?(?:[-_].*)?$/.exec(locale.trim());
  if (!match) return undefined;
  const language = (match[1] ?? "").toLowerCase();
  const region = match[2]?.toUpperCase();
  const exact = region ? `${language}_${region}` : undefined;
  if (exact && MOLLIE_LOCALES.has(exact)) return exact;
  return LANGUAGE_DEFAULT.get(language);
}

const DESCRIPTION_MAX = 255;

/**
 * POST /v2/payments for iDEAL. Built only from the request, so a retry sends the very same body and
 * Mollie's Idempotency-Key answers it with the first payment. Mollie has no field for the expiry of an
 * iDEAL payment: it expires 15 minutes after creation, and `expiresAt` in the answer says when.
 */
export function createPaymentBody(request: LocalPaymentRequest, webhookUrl: string): Record<string, unknown> {
  const locale = mollieLocale(request.shopper.locale);
  return {
    amount: toMollieAmount(request),
    description: Array.from(request.description).slice(0, DESCRIPTION_MAX).join(""),
    redirectUrl: request.returnUrl,
    ...(webhookUrl ? { webhookUrl } : {}),
    method: "ideal",
    metadata: { payrail_reference: request.reference },
    ...(locale ? { locale } : {}),
  };
}

export function createRefundBody(request: ModifyRequest): Record<string, unknown> {
  return {
    amount: toMollieAmount(request),
    metadata: { payrail_reference: request.reference },
  };
}

function parseTime(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}

export function paymentToStatus(payment: WirePayment): PaymentStatus {
  const connectorReference = payment.id;
  switch (payment.status) {
    case "paid":
    case "authorized": {
      const money = fromMollieAmount(payment.amount);
      if (!money) return { status: "pending", connectorReference };
      const captured = payment.status === "paid";
      return {
        status: "authorized",
        connectorReference,
        amount: money.amount,
        currency: money.currency,
        captured,
        capturedAmount: captured ? money.amount : 0n,
      };
    }
    case "failed":
      return {
        status: "declined",
        declineCode: "generic_decline",
        connectorReference,
        providerMessage: "the iDEAL payment failed",
      };
    case "canceled":
      return {
        status: "declined",
        declineCode: "generic_decline",
        connectorReference,
        providerMessage: "canceled by the shopper",
      };
    case "expired":
      return { status: "expired", connectorReference };
    default:
      // open (the shopper has not paid yet), pending (the bank confirms later), and anything new.
      return { status: "pending", connectorReference };
  }
}

/** A payment status as what `startPayment` or `completeRedirect` returns. */
export function statusToAuthorizeResult(status: PaymentStatus): AuthorizeResult {
  return statusAsAuthorizeResult(status, ({ status }) => (status === "pending" ? "processing" : status));
}

/** The answer to POST /v2/payments: an open payment sends the shopper to its iDEAL checkout. */
export function createdPaymentToResult(payment: WirePayment, request: LocalPaymentRequest): AuthorizeResult {
  const confirmed = fromMollieAmount(payment.amount);
  if (!confirmed || !confirmsRequest(request, confirmed)) {
    return { outcome: "pending", connectorReference: payment.id, reason: "amount_mismatch" };
  }
  if (payrailReferenceOf(payment.metadata) !== request.reference) {
    return { outcome: "pending", connectorReference: payment.id, reason: "reference_mismatch" };
  }
  const checkout = payment._links?.checkout?.href;
  if (payment.status === "open" && checkout) {
    const expiresAt = parseTime(payment.expiresAt);
    return {
      outcome: "requires_action",
      connectorReference: payment.id,
      action: { type: "redirect_to_url", url: checkout },
      ...(expiresAt ? { expiresAt } : {}),
    };
  }
  return statusToAuthorizeResult(paymentToStatus(payment));
}

/**
 * A refund's connectorReference is `<payment id>/<refund id>`: Mollie reads a refund only under its
 * payment. When the create call's outcome is unknown it is the payment id alone, and the refund is
 * then found by our reference in its metadata.
 */
export function refundConnectorReference(paymentId: string, refundId?: string): string {
  return refundId ? `${paymentId}/${refundId}` : paymentId;
}

export function parseRefundConnectorReference(
  value: string,
): { paymentId: string; refundId?: string | undefined } | null {
  const match = /^(tr_[0-9A-Za-z]{5,64})(?:\/(re_[0-9A-Za-z]{5,64}))?$/.exec(value);
  if (!match) return null;
  return { paymentId: match[1] as string, refundId: match[2] };
}

export function refundToStatus(refund: WireRefund): RefundStatus {
  const connectorReference = refundConnectorReference(refund.paymentId, refund.id);
  switch (refund.status) {
    case "refunded": {
      const money = fromMollieAmount(refund.amount);
      if (!money) return { status: "pending", connectorReference };
      return { status: "succeeded", connectorReference, amount: money.amount, currency: money.currency };
    }
    case "failed":
      return { status: "failed", reason: "refund_failed" };
    case "canceled":
      return { status: "failed", reason: "refund_canceled" };
    default:
      // queued, pending, processing, and anything new.
      return { status: "pending", connectorReference };
  }
}

export function refundStatusToModifyResult(status: RefundStatus, paymentId: string): ModifyResult {
  return refundStatusAsModifyResult(status, paymentId);
}

/**
 * A 422 on the amount is Mollie refusing this payment (below its minimum, above its maximum, a
 * currency iDEAL does not take): a decline. Any other invalid field is our own bug (null).
 */
export function createRefusal(field: string | undefined): DeclineCode | null {
  if (field === "amount.currency") return "currency_not_supported";
  if (field === "amount" || field === "amount.value") return "generic_decline";
  return null;
}

/** What closing a payment means for it now: done, refused, still to do, or a DELETE to send. */
export function closeOutcome(payment: WirePayment): ModifyResult | "cancel" {
  const money = fromMollieAmount(payment.amount);
  const closed = (): ModifyResult =>
    money
      ? {
          outcome: "succeeded",
          connectorReference: payment.id,
          amount: money.amount,
          currency: money.currency,
        }
      : { outcome: "pending", connectorReference: payment.id, reason: "malformed_response" };
  switch (payment.status) {
    case "canceled":
    case "expired":
    case "failed":
      return closed();
    case "paid":
      return { outcome: "failed", reason: "already_paid" };
    case "authorized":
      return { outcome: "failed", reason: "already_authorized" };
    case "open":
      // Mollie reports open iDEAL payments as not cancelable: they expire at `expiresAt` instead.
      return payment.isCancelable
        ? "cancel"
        : { outcome: "pending", connectorReference: payment.id, reason: "not_cancelable_until_expiry" };
    default:
      // pending: the shopper's bank is confirming; it ends paid or failed.
      return { outcome: "pending", connectorReference: payment.id, reason: `payment_${payment.status}` };
  }
}
