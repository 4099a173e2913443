/**
 * Standard webhook items (NotificationRequestItem) and their HMAC signature, computed the way Adyen
 * documents it: Base64(HMAC-SHA256(hex-decoded key, signing string)) where the signing string joins
 * pspReference, originalReference, merchantAccountCode, merchantReference, value, currency, eventCode
 * and success with ":" (a missing value is the empty string).
 */
import { createHmac } from "node:crypto";
import type { Money, Payment } from "./store.ts";

export type EventCode =
  | "AUTHORISATION"
  | "CAPTURE"
  | "CAPTURE_FAILED"
  | "CANCELLATION"
  | "REFUND"
  | "REFUND_FAILED"
  | "CANCEL_OR_REFUND"
  | "TECHNICAL_CANCEL";

export interface NotificationItem {
  additionalData?: Record<string, string>;
  amount: { value: number; currency: string };
  eventCode: EventCode;
  eventDate: string;
  merchantAccountCode: string;
  merchantReference: string;
  originalReference?: string;
  paymentMethod?: string;
  pspReference: string;
  reason?: string;
  success: "true" | "false";
  operations?: string[];
}

export function signingString(item: NotificationItem): string {
  return [
    item.pspReference,
    item.originalReference ?? "",
    item.merchantAccountCode,
    item.merchantReference,
    String(item.amount.value),
    item.amount.currency,
    item.eventCode,
    item.success,
  ].join(":");
}

export function hmacSignature(item: NotificationItem, hexKey: string): string {
  return createHmac("sha256", Buffer.from(hexKey, "hex"))
    .update(signingString(item), "utf8")
    .digest("base64");
}

export function signed(item: NotificationItem, hexKey: string | null): NotificationItem {
  if (hexKey === null) return item;
  return { ...item, additionalData: { ...item.additionalData, hmacSignature: hmacSignature(item, hexKey) } };
}

/** Adyen writes event dates with an explicit offset and without milliseconds. */
export function eventDate(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

export function wireAmount(money: Money): { value: number; currency: string } {
  return { value: Number(money.value), currency: money.currency };
}

export function authorisationItem(payment: Payment, now: Date): NotificationItem {
  const item: NotificationItem = {
    amount: wireAmount(payment.amount),
    eventCode: "AUTHORISATION",
    eventDate: eventDate(now),
    merchantAccountCode: payment.merchantAccount,
    merchantReference: payment.reference,
    paymentMethod: payment.card.brand,
    pspReference: payment.pspReference,
    success: payment.status === "Authorised" ? "true" : "false",
  };
  const expiry = `${String(payment.card.expiry.month).padStart(2, "0")}/${payment.card.expiry.year}`;
  const additionalData: Record<string, string> = {
    cardSummary: payment.card.last4,
    expiryDate: `${payment.card.expiry.month}/${payment.card.expiry.year}`,
    shopperInteraction: payment.shopperInteraction,
  };
  if (payment.status === "Authorised") {
    item.reason = `${payment.authCode ?? ""}:${payment.card.last4}:${expiry}`;
    item.operations = payment.captureMode.kind === "immediate" ? ["REFUND"] : ["CANCEL", "CAPTURE", "REFUND"];
    if (payment.authCode) additionalData.authCode = payment.authCode;
    if (payment.networkTxReference) additionalData.networkTxReference = payment.networkTxReference;
    if (payment.recurringProcessingModel)
      additionalData.recurringProcessingModel = payment.recurringProcessingModel;
    if (payment.storedPaymentMethodId && payment.shopperReference) {
      additionalData["tokenization.storedPaymentMethodId"] = payment.storedPaymentMethodId;
      additionalData["tokenization.shopperReference"] = payment.shopperReference;
    }
  } else {
    item.reason = payment.refusal?.refusalReason ?? "Refused";
    if (payment.refusal) additionalData.refusalReasonRaw = payment.refusal.raw;
  }
  item.additionalData = additionalData;
  return item;
}

export interface ModificationEvent {
  eventCode: Exclude<EventCode, "AUTHORISATION">;
  pspReference: string;
  payment: Payment;
  merchantReference: string;
  amount: Money;
  success: boolean;
  reason: string;
  additionalData?: Record<string, string>;
}

export function modificationItem(event: ModificationEvent, now: Date): NotificationItem {
  const item: NotificationItem = {
    amount: wireAmount(event.amount),
    eventCode: event.eventCode,
    eventDate: eventDate(now),
    merchantAccountCode: event.payment.merchantAccount,
    merchantReference: event.merchantReference,
    originalReference: event.payment.pspReference,
    paymentMethod: event.payment.card.brand,
    pspReference: event.pspReference,
    reason: event.reason,
    success: event.success ? "true" : "false",
  };
  if (event.additionalData) item.additionalData = { ...event.additionalData };
  return item;
}
