/**
 * Pure mapping between the sandbox processor's wire objects and the connector contract. Whatever is
 * not understood maps to pending; whatever does not confirm the amount and currency we asked for is
 * not a success.
 */
import { z } from "zod";
import {
  type AuthorizeResult,
  confirmsRequest,
  type DeclineCode,
  type ModifyResult,
  type Money,
  type PaymentStatus,
  type RefundStatus,
  type WebhookEvent,
} from "../contract.ts";

const wireAmount = z
  .number()
  .int()
  .nonnegative()
  .refine((n) => Number.isSafeInteger(n));

export const wireChargeSchema = z.object({
  id: z.string().min(1),
  object: z.literal("charge"),
  reference: z.string(),
  status: z.string(),
  amount: wireAmount,
  currency: z.string(),
  amount_captured: wireAmount,
  amount_refunded: wireAmount,
  capture: z.boolean(),
  decline_code: z.string().nullable(),
  message: z.string().nullable(),
  redirect_url: z.string().nullable(),
  network_transaction_id: z.string().nullable(),
  created: z.number(),
});
export type WireCharge = z.infer<typeof wireChargeSchema>;

export const wireRefundSchema = z.object({
  id: z.string().min(1),
  object: z.literal("refund"),
  charge: z.string(),
  reference: z.string(),
  amount: wireAmount,
  currency: z.string(),
  status: z.string(),
  failure_reason: z.string().nullable(),
  created: z.number(),
});
export type WireRefund = z.infer<typeof wireRefundSchema>;

const wireListSchema = z.object({ object: z.literal("list"), data: z.array(z.unknown()) });

const wireErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string().optional(), param: z.string().optional() }),
});
export type WireError = z.infer<typeof wireErrorSchema>["error"];

const wireEventSchema = z.object({
  id: z.string().min(1),
  object: z.literal("event"),
  type: z.string().min(1),
  data: z.object({ object: z.unknown() }),
});

export function parseCharge(body: unknown): WireCharge | null {
  const parsed = wireChargeSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

export function parseRefund(body: unknown): WireRefund | null {
  const parsed = wireRefundSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/** The list endpoints hold at most one object per reference; `undefined` means the list was unreadable. */
export function firstOfList<T>(body: unknown, parse: (item: unknown) => T | null): T | null | undefined {
  const list = wireListSchema.safeParse(body);
  if (!list.success) return undefined;
  if (list.data.data.length === 0) return null;
  return parse(list.data.data[0]) ?? undefined;
}

export function parseError(body: unknown): WireError | null {
  const parsed = wireErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.error : null;
}

const DECLINE_CODES: ReadonlyMap<string, DeclineCode> = new Map<string, DeclineCode>([
  ["generic_decline", "generic_decline"],
  ["insufficient_funds", "insufficient_funds"],
  ["lost_card", "lost_card"],
  ["stolen_card", "stolen_card"],
  ["expired_card", "expired_card"],
  ["incorrect_cvc", "incorrect_cvc"],
  ["processing_error", "processing_error"],
  ["incorrect_number", "incorrect_number"],
  ["authentication_required", "authentication_required"],
  ["authentication_failed", "authentication_failed"],
  ["do_not_honor", "do_not_honor"],
  ["fraudulent", "fraudulent"],
  ["card_not_supported", "card_not_supported"],
  ["currency_not_supported", "currency_not_supported"],
]);

export function mapDeclineCode(code: string | null | undefined): DeclineCode {
  return (code && DECLINE_CODES.get(code)) || "generic_decline";
}

/**
 * A 422 on a card field is the shopper's typing, so it is a decline; any other invalid parameter is
 * our own bug and has no decline code (null).
 */
export function invalidParamDecline(param: string | undefined): DeclineCode | null {
  if (param === "card[number]") return "incorrect_number";
  if (param === "card[cvc]") return "incorrect_cvc";
  // The contract has no invalid-expiry code; an impossible expiry date is closest to an expired card.
  if (param === "card[exp_month]" || param === "card[exp_year]") return "expired_card";
  return null;
}

function confirmed(charge: WireCharge): Money {
  return { amount: BigInt(charge.amount), currency: charge.currency };
}

export function chargeToPaymentStatus(charge: WireCharge): PaymentStatus {
  const connectorReference = charge.id;
  switch (charge.status) {
    case "authorized":
    case "captured":
      return {
        status: "authorized",
        connectorReference,
        amount: BigInt(charge.amount),
        currency: charge.currency,
        captured: charge.status === "captured",
        capturedAmount: BigInt(charge.amount_captured),
      };
    case "requires_action":
      return charge.redirect_url
        ? {
            status: "requires_action",
            connectorReference,
            action: { type: "redirect_to_url", url: charge.redirect_url },
          }
        : { status: "pending", connectorReference };
    case "declined":
      return {
        status: "declined",
        declineCode: mapDeclineCode(charge.decline_code),
        connectorReference,
        providerMessage: charge.message ?? undefined,
      };
    case "voided":
      return { status: "voided", connectorReference };
    default:
      return { status: "pending", connectorReference };
  }
}

export function chargeToAuthorizeResult(
  asked: Money & { reference: string },
  charge: WireCharge,
): AuthorizeResult {
  const connectorReference = charge.id;
  if (charge.reference !== asked.reference) {
    return { outcome: "pending", connectorReference, reason: "reference_mismatch" };
  }
  if (!confirmsRequest(asked, confirmed(charge))) {
    return { outcome: "pending", connectorReference, reason: "amount_mismatch" };
  }
  const status = chargeToPaymentStatus(charge);
  switch (status.status) {
    case "authorized":
      return {
        outcome: "authorized",
        connectorReference,
        amount: status.amount,
        currency: status.currency,
        captured: status.captured,
        networkTransactionId: charge.network_transaction_id ?? undefined,
      };
    case "requires_action":
      return { outcome: "requires_action", connectorReference, action: status.action };
    case "declined":
      return {
        outcome: "declined",
        declineCode: status.declineCode,
        providerMessage: status.providerMessage,
        connectorReference,
      };
    default:
      return { outcome: "pending", connectorReference, reason: `status_${charge.status}` };
  }
}

/**
 * The capture answer is the whole charge, which shows the running captured total rather than this
 * capture: it confirms our amount when that total covers it and stays within the authorization.
 */
export function chargeToCaptureResult(asked: Money & { final: boolean }, charge: WireCharge): ModifyResult {
  const connectorReference = charge.id;
  if (charge.currency.toLowerCase() !== asked.currency.toLowerCase()) {
    return { outcome: "pending", connectorReference, reason: "amount_mismatch" };
  }
  const captured = BigInt(charge.amount_captured);
  const covers = captured >= asked.amount && captured <= BigInt(charge.amount);
  switch (charge.status) {
    case "captured":
    case "authorized":
      if (!covers) return { outcome: "pending", connectorReference, reason: "amount_mismatch" };
      if (charge.status === "authorized" && asked.final) {
        return { outcome: "pending", connectorReference, reason: "capture_not_final" };
      }
      return { outcome: "succeeded", connectorReference, amount: asked.amount, currency: charge.currency };
    case "voided":
      return { outcome: "failed", reason: "charge_voided" };
    case "declined":
      return { outcome: "failed", reason: "charge_declined", providerMessage: charge.message ?? undefined };
    default:
      return { outcome: "pending", connectorReference, reason: `status_${charge.status}` };
  }
}

export function chargeToVoidResult(asked: Money, charge: WireCharge): ModifyResult {
  const connectorReference = charge.id;
  if (charge.status !== "voided") {
    return { outcome: "pending", connectorReference, reason: `status_${charge.status}` };
  }
  if (!confirmsRequest(asked, confirmed(charge))) {
    return { outcome: "pending", connectorReference, reason: "amount_mismatch" };
  }
  return { outcome: "succeeded", connectorReference, amount: asked.amount, currency: charge.currency };
}

export function refundToRefundStatus(refund: WireRefund): RefundStatus {
  switch (refund.status) {
    case "succeeded":
      return {
        status: "succeeded",
        connectorReference: refund.id,
        amount: BigInt(refund.amount),
        currency: refund.currency,
      };
    case "failed":
      return { status: "failed", reason: refund.failure_reason ?? "refund_failed" };
    default:
      return { status: "pending", connectorReference: refund.id };
  }
}

export function refundToModifyResult(
  asked: Money & { reference: string; connectorReference: string },
  refund: WireRefund,
): ModifyResult {
  const connectorReference = refund.id;
  if (refund.reference !== asked.reference || refund.charge !== asked.connectorReference) {
    return { outcome: "pending", connectorReference, reason: "reference_mismatch" };
  }
  if (!confirmsRequest(asked, { amount: BigInt(refund.amount), currency: refund.currency })) {
    return { outcome: "pending", connectorReference, reason: "amount_mismatch" };
  }
  const status = refundToRefundStatus(refund);
  switch (status.status) {
    case "succeeded":
      return { outcome: "succeeded", connectorReference, amount: status.amount, currency: status.currency };
    case "failed":
      return { outcome: "failed", reason: status.reason };
    default:
      return { outcome: "pending", connectorReference, reason: `refund_${refund.status}` };
  }
}

/**
 * Maps a verified notification body. The status comes from the object it carries, not from the event
 * type, so a late or repeated event can never move a payment further than the object says.
 */
export function eventToWebhookEvent(body: unknown): WebhookEvent | null {
  const event = wireEventSchema.safeParse(body);
  if (!event.success) return null;
  const { id, type, data } = event.data;
  if (type.startsWith("charge.")) {
    const charge = parseCharge(data.object);
    if (!charge) return null;
    return {
      kind: "payment",
      providerEventId: id,
      reference: charge.reference,
      connectorReference: charge.id,
      status: chargeToPaymentStatus(charge),
    };
  }
  if (type.startsWith("refund.")) {
    const refund = parseRefund(data.object);
    if (!refund) return null;
    return {
      kind: "refund",
      providerEventId: id,
      reference: refund.reference,
      connectorReference: refund.id,
      status: refundToRefundStatus(refund),
    };
  }
  return { kind: "unknown", providerEventId: id, providerType: type };
}
