/**
 * Pure mapping from Adyen Checkout API v71 answers to the connector contract. Whatever is not
 * understood maps to pending; whatever does not confirm the amount, currency and reference we asked
 * for is not a success.
 */
import { z } from "zod";
import {
  type AuthorizeResult,
  confirmsRequest,
  type DeclineCode,
  type ModifyResult,
  type Money,
  type PaymentStatus,
} from "../contract.ts";
import { refusalToDeclineCode } from "./refusals.ts";

const wireAmountSchema = z.object({
  value: z
    .number()
    .int()
    .refine((n) => Number.isSafeInteger(n)),
  currency: z.string().length(3),
});

const actionSchema = z.object({
  type: z.string(),
  url: z.string().optional(),
  method: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const paymentResponseSchema = z.object({
  resultCode: z.string().min(1),
  pspReference: z.string().min(1).optional(),
  merchantReference: z.string().optional(),
  amount: wireAmountSchema.optional(),
  refusalReason: z.string().optional(),
  refusalReasonCode: z.string().optional(),
  additionalData: z.record(z.string(), z.unknown()).optional(),
  action: actionSchema.optional(),
});
export type WirePaymentResponse = z.infer<typeof paymentResponseSchema>;
export type WireAction = z.infer<typeof actionSchema>;

const modificationResponseSchema = z.object({
  pspReference: z.string().min(1),
  status: z.string(),
  paymentPspReference: z.string().optional(),
  reference: z.string().optional(),
  amount: wireAmountSchema.optional(),
});
export type WireModificationResponse = z.infer<typeof modificationResponseSchema>;

const serviceErrorSchema = z.object({
  status: z.number().optional(),
  errorCode: z.string().optional(),
  message: z.string().optional(),
  errorType: z.string().optional(),
  pspReference: z.string().optional(),
});
export type WireServiceError = z.infer<typeof serviceErrorSchema>;

export function parsePaymentResponse(body: unknown): WirePaymentResponse | null {
  const parsed = paymentResponseSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

export function parseModificationResponse(body: unknown): WireModificationResponse | null {
  const parsed = modificationResponseSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

export function parseServiceError(body: unknown): WireServiceError | null {
  const parsed = serviceErrorSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

function additionalString(response: WirePaymentResponse, key: string): string | undefined {
  const value = response.additionalData?.[key];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/**
 * The URL that continues a redirect action. Payrail asks Adyen for GET redirects
 * (`redirectToIssuerMethod`), so a POST action should not come; if one does, its form fields are
 * sent as query parameters of the same URL, which issuers that accept GET understand.
 */
export function actionUrl(action: WireAction | undefined): string | undefined {
  if (!action?.url) return undefined;
  let url: URL;
  try {
    url = new URL(action.url);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (action.method?.toUpperCase() === "POST" && action.data) {
    for (const [key, value] of Object.entries(action.data)) {
      if (typeof value === "string") url.searchParams.set(key, value);
    }
  }
  return url.toString();
}

/**
 * Words of a 422 that are the shopper's typing (a decline); any other validation error is our own bug.
 * Adyen error codes 101/102: invalid card number / unknown card variant; 103: CVC length.
 */
const GOOGLE_PAY_TOKEN_ERRORS = new Set(["5_202", "5_206", "5_208"]);

export function validationDecline(error: WireServiceError | null): DeclineCode | null {
  if (!error) return null;
  const code = error.errorCode ?? "";
  const message = error.message?.toLowerCase() ?? "";
  if (code === "101" || code === "102" || message.includes("card number")) return "incorrect_number";
  if (code === "103" || message.includes("cvc")) return "incorrect_cvc";
  // Adyen's Google Pay token errors (5_202 invalid, 5_206 signature corrupt, 5_208 expired): nothing was
  // authorised, and a fresh token from the wallet may well succeed.
  if (GOOGLE_PAY_TOKEN_ERRORS.has(code)) return "processing_error";
  // The contract has no invalid-expiry code; an impossible expiry date is closest to an expired card.
  if (message.includes("expiry")) return "expired_card";
  return null;
}

export interface StatusContext extends Money {
  /** Our reference for the payment: it names a redirect until Adyen's pspReference is known. */
  reference: string;
  /** Whether we asked for automatic capture. */
  captureRequested: boolean;
}

/**
 * What a /payments or /payments/details answer says about the payment now.
 * - Authorised is captured only when we asked for automatic capture: Adyen captures such a payment by
 *   itself shortly after (and says so by webhook only if configured to), so Payrail books it as
 *   captured at once; with manual capture it stays authorized until a CAPTURE webhook.
 * - Error is "a final state" per the API reference (the payment was not authorised and will not be), so
 *   it is a definite decline with processing_error, not an unknown.
 * - Cancelled (before processing completed, also final) means nothing was authorised: voided.
 */
export function responseToPaymentStatus(response: WirePaymentResponse, asked: StatusContext): PaymentStatus {
  const connectorReference = response.pspReference;
  switch (response.resultCode) {
    case "Authorised":
    case "PartiallyAuthorised": {
      const confirmed = response.amount;
      if (!connectorReference || (response.resultCode === "PartiallyAuthorised" && !confirmed)) {
        return { status: "pending", connectorReference };
      }
      const amount = confirmed ? BigInt(confirmed.value) : asked.amount;
      const currency = confirmed ? confirmed.currency : asked.currency;
      return {
        status: "authorized",
        connectorReference,
        amount,
        currency: currency.toLowerCase(),
        captured: asked.captureRequested,
        capturedAmount: asked.captureRequested ? amount : 0n,
      };
    }
    case "Refused":
      return {
        status: "declined",
        declineCode: refusalToDeclineCode({
          refusalReasonCode: response.refusalReasonCode,
          refusalReason: response.refusalReason,
          refusalReasonRaw: additionalString(response, "refusalReasonRaw"),
        }),
        connectorReference,
        providerMessage: response.refusalReason,
      };
    case "Error":
      return {
        status: "declined",
        declineCode: "processing_error",
        connectorReference,
        providerMessage: response.refusalReason,
      };
    case "Cancelled":
      return connectorReference ? { status: "voided", connectorReference } : { status: "pending" };
    case "RedirectShopper":
    case "IdentifyShopper":
    case "ChallengeShopper": {
      const redirectUrl = actionUrl(response.action);
      return redirectUrl
        ? {
            status: "requires_action",
            connectorReference: connectorReference ?? asked.reference,
            action: { type: "redirect_to_url", url: redirectUrl },
          }
        : { status: "pending", connectorReference };
    }
    default:
      // Received, Pending, PresentToShopper, AuthenticationFinished, … and anything new.
      return { status: "pending", connectorReference };
  }
}

export function responseToAuthorizeResult(
  response: WirePaymentResponse,
  asked: StatusContext,
): AuthorizeResult {
  const connectorReference = response.pspReference;
  if (response.merchantReference !== undefined && response.merchantReference !== asked.reference) {
    return { outcome: "pending", connectorReference, reason: "reference_mismatch" };
  }
  const status = responseToPaymentStatus(response, asked);
  switch (status.status) {
    case "authorized":
      // Adyen returns `amount` only for some flows; without it the authorisation is for the amount we
      // sent (partial authorisation answers PartiallyAuthorised with the amount).
      if (!confirmsRequest(asked, status)) {
        return { outcome: "pending", connectorReference, reason: "amount_mismatch" };
      }
      return {
        outcome: "authorized",
        connectorReference: status.connectorReference,
        amount: asked.amount,
        currency: asked.currency,
        captured: status.captured,
        networkTransactionId: additionalString(response, "networkTxReference"),
      };
    case "requires_action":
      // A redirect answer may come before Adyen names the payment; our reference then stands in until
      // the /payments/details answer (or the AUTHORISATION webhook) brings the pspReference.
      return {
        outcome: "requires_action",
        connectorReference: status.connectorReference,
        action: status.action,
        ...(status.expiresAt ? { expiresAt: status.expiresAt } : {}),
      };
    case "declined":
      return {
        outcome: "declined",
        declineCode: status.declineCode,
        providerMessage: status.providerMessage,
        connectorReference,
      };
    case "voided":
      return {
        outcome: "declined",
        declineCode: "generic_decline",
        providerMessage: response.refusalReason ?? "Cancelled",
        connectorReference,
      };
    default:
      return { outcome: "pending", connectorReference, reason: `result_${response.resultCode}` };
  }
}

const AWAITED_EVENT = {
  captures: "CAPTURE",
  cancels: "CANCELLATION",
  refunds: "REFUND",
  reversals: "CANCEL_OR_REFUND",
} as const;

/**
 * Adyen modifications are asynchronous: a 201 with status `received` only says the request was
 * accepted; the webhook named in the reason confirms (or refuses) it.
 */
export function modificationToResult(
  kind: keyof typeof AWAITED_EVENT,
  asked: { connectorReference: string; reference: string } & Partial<Money>,
  response: WireModificationResponse,
): ModifyResult {
  const connectorReference = response.pspReference;
  if (
    (response.paymentPspReference !== undefined &&
      response.paymentPspReference !== asked.connectorReference) ||
    (response.reference !== undefined && response.reference !== asked.reference)
  ) {
    return { outcome: "pending", connectorReference, reason: "reference_mismatch" };
  }
  if (response.amount && asked.amount !== undefined && asked.currency !== undefined) {
    const confirmed = { amount: BigInt(response.amount.value), currency: response.amount.currency };
    if (!confirmsRequest({ amount: asked.amount, currency: asked.currency }, confirmed)) {
      return { outcome: "pending", connectorReference, reason: "amount_mismatch" };
    }
  }
  if (response.status !== "received") {
    return { outcome: "pending", connectorReference, reason: `status_${response.status}` };
  }
  return { outcome: "pending", connectorReference, reason: `awaiting ${AWAITED_EVENT[kind]} webhook` };
}
