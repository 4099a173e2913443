/**
 * Adyen refusal reasons (https://docs.adyen.com/development-resources/refusal-reasons) mapped to our
 * decline codes. The numeric `refusalReasonCode` is the stable key; the text is the fallback for
 * answers (and webhooks) that carry only the words.
 */
import type { DeclineCode } from "../contract.ts";

interface Refusal {
  code: string;
  reason: string;
  decline: DeclineCode;
}

const REFUSALS: readonly Refusal[] = [
  { code: "2", reason: "Refused", decline: "generic_decline" },
  { code: "3", reason: "Referral", decline: "do_not_honor" },
  { code: "4", reason: "Acquirer Error", decline: "processing_error" },
  { code: "5", reason: "Blocked Card", decline: "lost_card" },
  { code: "6", reason: "Expired Card", decline: "expired_card" },
  { code: "7", reason: "Invalid Amount", decline: "generic_decline" },
  { code: "8", reason: "Invalid Card Number", decline: "incorrect_number" },
  { code: "9", reason: "Issuer Unavailable", decline: "processing_error" },
  { code: "10", reason: "Not supported", decline: "card_not_supported" },
  { code: "11", reason: "3D Not Authenticated", decline: "authentication_failed" },
  { code: "12", reason: "Not enough balance", decline: "insufficient_funds" },
  { code: "14", reason: "Acquirer Fraud", decline: "fraudulent" },
  { code: "15", reason: "Cancelled", decline: "generic_decline" },
  { code: "16", reason: "Shopper Cancelled", decline: "authentication_failed" },
  { code: "20", reason: "FRAUD", decline: "fraudulent" },
  { code: "21", reason: "Not Submitted", decline: "processing_error" },
  { code: "22", reason: "FRAUD-CANCELLED", decline: "fraudulent" },
  { code: "23", reason: "Transaction Not Permitted", decline: "card_not_supported" },
  { code: "24", reason: "CVC Declined", decline: "incorrect_cvc" },
  { code: "25", reason: "Restricted Card", decline: "card_not_supported" },
  { code: "26", reason: "Revocation Of Auth", decline: "do_not_honor" },
  { code: "27", reason: "Declined Non Generic", decline: "do_not_honor" },
  { code: "28", reason: "Withdrawal amount exceeded", decline: "insufficient_funds" },
  { code: "29", reason: "Withdrawal count exceeded", decline: "insufficient_funds" },
  { code: "31", reason: "Issuer Suspected Fraud", decline: "fraudulent" },
  { code: "38", reason: "Authentication required", decline: "authentication_required" },
  { code: "39", reason: "RReq not received from DS", decline: "authentication_failed" },
  { code: "42", reason: "3DS Authentication Error", decline: "authentication_failed" },
];

const BY_CODE = new Map(REFUSALS.map((r) => [r.code, r.decline]));
const BY_REASON = new Map(REFUSALS.map((r) => [r.reason.toLowerCase(), r.decline]));
// Words some acquirers (and Adyen's raw reasons) use for lost and stolen cards.
BY_REASON.set("card lost", "lost_card");
BY_REASON.set("lost card", "lost_card");
BY_REASON.set("stolen card", "stolen_card");
BY_REASON.set("card stolen", "stolen_card");

/**
 * Adyen maps lost and stolen cards to Blocked Card (or Restricted Card, by acquirer); only the
 * acquirer's raw answer (`refusalReasonRaw`, e.g. "41 : Lost card") tells them apart.
 */
function fromRawReason(raw: string | undefined): DeclineCode | undefined {
  if (!raw) return undefined;
  if (/\bstolen\b/i.test(raw)) return "stolen_card";
  if (/\blost\b/i.test(raw)) return "lost_card";
  return undefined;
}

export function refusalToDeclineCode(refusal: {
  refusalReasonCode?: string | undefined;
  refusalReason?: string | undefined;
  refusalReasonRaw?: string | undefined;
}): DeclineCode {
  const reason = refusal.refusalReason?.trim().toLowerCase();
  const byCode = refusal.refusalReasonCode ? BY_CODE.get(refusal.refusalReasonCode.trim()) : undefined;
  const byReason = reason ? BY_REASON.get(reason) : undefined;
  return fromRawReason(refusal.refusalReasonRaw) ?? byCode ?? byReason ?? "generic_decline";
}
