/**
 * Payments v2: authorizations (show, capture in full or in parts, void), captures (show, refund in full or in
 * parts) and refunds (show). Captures and refunds answer minimally unless `Prefer: return=representation`.
 */
import { createCapture } from "./captures.ts";
import { answer, type Call, type Context, fail, notFound, type Outcome } from "./context.ts";
import { formatAmount, parseAmount } from "./money.ts";
import { type AuthorizationRecord, type CaptureRecord, owned, type RefundRecord } from "./store.ts";
import { authorizationWire, captureWire, refundWire } from "./wire.ts";

const REFUND_WINDOW_MS = 180 * 24 * 3600_000;

function minimal(body: Record<string, unknown>): Record<string, unknown> {
  return { id: body.id, status: body.status, links: body.links };
}

/** The amount a capture or refund asks for, or everything that is left when it names none. */
function requestedAmount(
  ctx: Context,
  call: Call,
  currency: string,
  remaining: bigint,
  mismatchIssue: string,
): { ok: true; minor: bigint } | { ok: false; outcome: Outcome } {
  const amount = call.body?.amount as { currency_code: string; value: string } | undefined;
  if (!amount) return { ok: true, minor: remaining };
  if (amount.currency_code !== currency) {
    return {
      ok: false,
      outcome: fail(ctx, call, 422, mismatchIssue, {
        field: "/amount/currency_code",
        value: amount.currency_code,
        location: "body",
      }),
    };
  }
  const parsed = parseAmount(currency, amount.value);
  if (!parsed.ok) {
    return {
      ok: false,
      outcome: fail(ctx, call, 422, parsed.issue, {
        field: "/amount/value",
        value: amount.value,
        location: "body",
      }),
    };
  }
  return { ok: true, minor: parsed.minor };
}

export function showAuthorization(ctx: Context, call: Call): Outcome {
  const auth = owned(ctx.store.authorizations, call.params[0] ?? "", call.app.clientId);
  return auth ? answer(200, authorizationWire(ctx, auth, true)) : notFound(ctx, call);
}

function authorizationRefusal(ctx: Context, call: Call, auth: AuthorizationRecord): Outcome | null {
  if (auth.status === "VOIDED") return fail(ctx, call, 422, "AUTHORIZATION_VOIDED");
  if (auth.status === "CAPTURED") return fail(ctx, call, 422, "AUTHORIZATION_ALREADY_CAPTURED");
  if (auth.status === "DENIED") return fail(ctx, call, 422, "AUTHORIZATION_DENIED");
  if (ctx.now().getTime() >= auth.expiresAt.getTime()) return fail(ctx, call, 422, "AUTHORIZATION_EXPIRED");
  return null;
}

export function captureAuthorization(ctx: Context, call: Call): Outcome {
  const auth = owned(ctx.store.authorizations, call.params[0] ?? "", call.app.clientId);
  if (!auth) return notFound(ctx, call);
  const refused = authorizationRefusal(ctx, call, auth);
  if (refused) return refused;
  const remaining = auth.amountMinor - auth.capturedMinor;
  const amount = requestedAmount(ctx, call, auth.currency, remaining, "AUTH_CAPTURE_CURRENCY_MISMATCH");
  if (!amount.ok) return amount.outcome;
  if (amount.minor > remaining) {
    return fail(ctx, call, 422, "MAX_CAPTURE_AMOUNT_EXCEEDED", { field: "/amount/value", location: "body" });
  }
  const order = ctx.store.orders.get(auth.orderId);
  const finalCapture = call.body?.final_capture === true;
  const capture = createCapture(ctx, {
    clientId: auth.clientId,
    orderId: auth.orderId,
    authorizationId: auth.id,
    currency: auth.currency,
    amountMinor: amount.minor,
    finalCapture,
    funding: order?.funding ?? "balance",
    invoiceId: call.body?.invoice_id ?? auth.invoiceId,
    customId: auth.customId,
    noteToPayer: call.body?.note_to_payer,
    payerEmail: order?.payer?.email,
  });
  auth.capturedMinor += amount.minor;
  auth.captureIds.push(capture.id);
  auth.status = finalCapture || auth.capturedMinor >= auth.amountMinor ? "CAPTURED" : "PARTIALLY_CAPTURED";
  auth.updatedAt = ctx.now();
  const unit = order?.purchaseUnits.find((candidate) => candidate.authorizationIds.includes(auth.id));
  unit?.captureIds.push(capture.id);
  const body = captureWire(ctx, capture, true);
  return answer(201, call.representation ? body : minimal(body));
}

export function voidAuthorization(ctx: Context, call: Call): Outcome {
  const auth = owned(ctx.store.authorizations, call.params[0] ?? "", call.app.clientId);
  if (!auth) return notFound(ctx, call);
  if (auth.status === "CAPTURED") return fail(ctx, call, 422, "PREVIOUSLY_CAPTURED");
  if (auth.status === "VOIDED") return fail(ctx, call, 422, "PREVIOUSLY_VOIDED");
  auth.status = "VOIDED";
  auth.updatedAt = ctx.now();
  const body = authorizationWire(ctx, auth, true);
  ctx.events.publish(
    auth.clientId,
    "PAYMENT.AUTHORIZATION.VOIDED",
    "authorization",
    body,
    "A payment authorization was voided",
  );
  return call.representation ? answer(200, body) : answer(204, null);
}

export function showCapture(ctx: Context, call: Call): Outcome {
  const capture = owned(ctx.store.captures, call.params[0] ?? "", call.app.clientId);
  return capture ? answer(200, captureWire(ctx, capture, true)) : notFound(ctx, call);
}

function refundRefusal(ctx: Context, call: Call, capture: CaptureRecord): Outcome | null {
  if (capture.status === "PENDING") return fail(ctx, call, 422, "PENDING_CAPTURE");
  if (capture.status === "REFUNDED") return fail(ctx, call, 422, "CAPTURE_FULLY_REFUNDED");
  if (capture.status !== "COMPLETED" && capture.status !== "PARTIALLY_REFUNDED") {
    return fail(ctx, call, 422, "REFUND_NOT_ALLOWED");
  }
  if (ctx.now().getTime() - capture.createdAt.getTime() > REFUND_WINDOW_MS) {
    return fail(ctx, call, 422, "REFUND_TIME_LIMIT_EXCEEDED");
  }
  return null;
}

export function refundCapture(ctx: Context, call: Call): Outcome {
  const capture = owned(ctx.store.captures, call.params[0] ?? "", call.app.clientId);
  if (!capture) return notFound(ctx, call);
  const refused = refundRefusal(ctx, call, capture);
  if (refused) return refused;
  const remaining = capture.amountMinor - capture.refundedMinor;
  const amount = requestedAmount(ctx, call, capture.currency, remaining, "REFUND_CAPTURE_CURRENCY_MISMATCH");
  if (!amount.ok) return amount.outcome;
  if (amount.minor > remaining) {
    return fail(ctx, call, 422, "REFUND_AMOUNT_EXCEEDED", { field: "/amount/value", location: "body" });
  }
  const now = ctx.now();
  const refund: RefundRecord = {
    id: ctx.ids.resource(),
    clientId: capture.clientId,
    captureId: capture.id,
    orderId: capture.orderId,
    status: "COMPLETED",
    currency: capture.currency,
    amountMinor: amount.minor,
    invoiceId: call.body?.invoice_id,
    customId: call.body?.custom_id,
    noteToPayer: call.body?.note_to_payer,
    createdAt: now,
    updatedAt: now,
  };
  ctx.store.refunds.set(refund.id, refund);
  capture.refundedMinor += amount.minor;
  capture.refundIds.push(refund.id);
  capture.status = capture.refundedMinor >= capture.amountMinor ? "REFUNDED" : "PARTIALLY_REFUNDED";
  capture.updatedAt = now;
  ctx.store.ledger.push({
    clientId: capture.clientId,
    transactionId: refund.id,
    eventCode: "T1107",
    direction: "DR",
    currency: refund.currency,
    grossMinor: refund.amountMinor,
    feeMinor: 0n,
    feeDirection: "CR",
    initiatedAt: now,
    completedAt: now,
    invoiceId: refund.invoiceId ?? capture.invoiceId,
    customId: refund.customId ?? capture.customId,
    referenceId: capture.id,
    referenceType: "TXN",
    consumerId: ctx.store.orders.get(capture.orderId)?.payer?.email,
  });
  const body = refundWire(ctx, refund);
  ctx.events.publish(
    refund.clientId,
    "PAYMENT.CAPTURE.REFUNDED",
    "refund",
    body,
    `A ${formatAmount(refund.currency, refund.amountMinor)} ${refund.currency} capture payment was refunded`,
  );
  return answer(201, call.representation ? body : minimal(body));
}

export function showRefund(ctx: Context, call: Call): Outcome {
  const refund = owned(ctx.store.refunds, call.params[0] ?? "", call.app.clientId);
  return refund ? answer(200, refundWire(ctx, refund)) : notFound(ctx, call);
}
