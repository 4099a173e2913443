/**
 * What a failed SDK call means for us. The SDK throws for every non-2xx answer and for network
 * failures; this sorts them into: the outcome is unknown (pending), the card was declined, the
 * idempotency key was used with other parameters, or Stripe refused the request outright.
 */
import { redact } from "../../core/redact.ts";
import { isDeclineCode } from "./declines.ts";
import { parsePaymentIntent, type WirePaymentIntent } from "./wire.ts";

export type StripeFailure =
  | { kind: "unknown"; reason: string }
  | {
      kind: "declined";
      code: string | undefined;
      declineCode: string | undefined;
      message: string | undefined;
      paymentIntent: WirePaymentIntent | null;
    }
  | { kind: "idempotency_mismatch"; message: string | undefined }
  | { kind: "refused"; status: number | undefined; code: string | undefined; message: string | undefined };

interface SdkErrorFields {
  type?: unknown;
  rawType?: unknown;
  statusCode?: unknown;
  code?: unknown;
  decline_code?: unknown;
  message?: unknown;
  payment_intent?: unknown;
  detail?: unknown;
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function isTimeout(fields: SdkErrorFields): boolean {
  const detail = fields.detail as { code?: unknown } | null | undefined;
  return detail?.code === "ETIMEDOUT" || /timeout/i.test(str(fields.message) ?? "");
}

/** Our own deadline: the SDK's timeout only covers an idle socket, not a slow trickle of bytes. */
export class DeadlineExceeded extends Error {
  override name = "DeadlineExceeded";
}

/** Classifies what the SDK threw; anything that is not a Stripe error is a bug and is thrown again. */
export function classifyStripeError(error: unknown): StripeFailure {
  if (error instanceof DeadlineExceeded) return { kind: "unknown", reason: "timeout" };
  const fields = (typeof error === "object" && error !== null ? error : {}) as SdkErrorFields;
  const type = str(fields.type);
  if (!type?.startsWith("Stripe")) throw error;
  const status = typeof fields.statusCode === "number" ? fields.statusCode : undefined;
  const code = str(fields.code);
  const message = str(fields.message);

  if (type === "StripeConnectionError") {
    return { kind: "unknown", reason: isTimeout(fields) ? "timeout" : "network_error" };
  }
  if (code === "lock_timeout") return { kind: "unknown", reason: "lock_timeout" };
  if (status === 429 || type === "StripeRateLimitError") return { kind: "unknown", reason: "rate_limited" };
  // A concurrent request with the same idempotency key is still in flight: its outcome is not known yet.
  if (status === 409) return { kind: "unknown", reason: code ?? "conflict" };
  if (status === undefined || status >= 500) {
    return { kind: "unknown", reason: status === undefined ? "malformed_response" : `http_${status}` };
  }
  if (status === 402 || fields.rawType === "card_error" || isDeclineCode(code)) {
    return {
      kind: "declined",
      code,
      declineCode: str(fields.decline_code),
      message: message === undefined ? undefined : redact(message),
      paymentIntent: parsePaymentIntent(fields.payment_intent),
    };
  }
  if (type === "StripeIdempotencyError" || fields.rawType === "idempotency_error") {
    return { kind: "idempotency_mismatch", message };
  }
  return { kind: "refused", status, code, message };
}

/** An error for a refusal we did not expect: a bug or a misconfiguration. Never carries card data. */
export function unexpectedRefusal(operation: string, failure: StripeFailure & { kind: "refused" }): Error {
  const detail = [failure.code, failure.message].filter(Boolean).join(": ") || "no detail";
  return new Error(redact(`stripe ${operation}: unexpected HTTP ${failure.status ?? "?"} (${detail})`));
}
