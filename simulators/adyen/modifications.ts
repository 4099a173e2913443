/**
 * Captures, cancels, refunds, reversals and technical cancels. As on Adyen they are asynchronous: the
 * request is answered `201 received` at once, and the outcome arrives `modificationDelayMs` later in a
 * CAPTURE / CANCELLATION / REFUND / CANCEL_OR_REFUND / TECHNICAL_CANCEL webhook. A capture or refund
 * whose amount ends in 78 (minor units) succeeds and then fails late (CAPTURE_FAILED / REFUND_FAILED).
 */
import { answer, type Context, type Outcome, rejected } from "./context.ts";
import { CHECKOUT_ERRORS } from "./errors.ts";
import { type ModificationEvent, modificationItem, wireAmount } from "./notification-items.ts";
import { applyTechnicalCancel } from "./outcomes.ts";
import {
  type Account,
  type Modification,
  type ModificationKind,
  type Money,
  type Payment,
  referenceKey,
} from "./store.ts";

interface ModificationBody {
  merchantAccount: string;
  reference?: string;
  amount?: { value: number; currency: string };
  merchantRefundReason?: string | null;
  paymentReference?: string;
}

const REASONS = {
  notAuthorised: "Transaction not authorised",
  alreadyCancelled: "Transaction already cancelled",
  alreadyCaptured: "Transaction already captured",
  alreadyRefunded: "Transaction already refunded",
  insufficientBalance: "Insufficient balance on payment",
  currency: "Modification in different currency than authorisation",
} as const;

const LATE_FAILURE_CENTS = 78n;

type Prepared = { ok: true; payment: Payment; amount: Money | null } | { ok: false; outcome: Outcome };

function prepare(
  account: Account,
  paymentPspReference: string,
  body: ModificationBody,
  needsAmount: boolean,
): Prepared {
  if (body.merchantAccount.trim() === "")
    return { ok: false, outcome: rejected(CHECKOUT_ERRORS.invalidMerchantAccount()) };
  const payment = account.payments.get(paymentPspReference);
  if (!payment || payment.merchantAccount !== body.merchantAccount) {
    return { ok: false, outcome: rejected(CHECKOUT_ERRORS.originalPspReference()) };
  }
  if (!needsAmount) return { ok: true, payment, amount: null };
  const value = body.amount?.value ?? 0;
  if (!Number.isSafeInteger(value) || value <= 0)
    return { ok: false, outcome: rejected(CHECKOUT_ERRORS.invalidAmount()) };
  return { ok: true, payment, amount: { value: BigInt(value), currency: body.amount?.currency ?? "" } };
}

function record(
  ctx: Context,
  kind: ModificationKind,
  body: ModificationBody,
  payment: Payment | null,
  amount: Money | null,
): Modification {
  return {
    pspReference: ctx.ids.pspReference(),
    kind,
    merchantAccount: body.merchantAccount,
    reference: body.reference ?? null,
    amount,
    paymentPspReference: payment?.pspReference ?? null,
    paymentReference: body.paymentReference ?? null,
  };
}

function received(modification: Modification, body: ModificationBody): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    merchantAccount: modification.merchantAccount,
    pspReference: modification.pspReference,
    status: "received",
  };
  if (modification.paymentPspReference !== null) wire.paymentPspReference = modification.paymentPspReference;
  if (modification.paymentReference !== null) wire.paymentReference = modification.paymentReference;
  if (modification.amount) wire.amount = wireAmount(modification.amount);
  if (modification.reference !== null) wire.reference = modification.reference;
  if (body.merchantRefundReason) wire.merchantRefundReason = body.merchantRefundReason;
  return wire;
}

function emit(
  ctx: Context,
  account: Account,
  event: Omit<ModificationEvent, "merchantReference">,
  reference: string | null,
): void {
  const merchantReference = reference ?? event.payment.reference;
  ctx.notifier.notify(account, modificationItem({ ...event, merchantReference }, ctx.now()));
}

function failure(payment: Payment): string {
  if (payment.status === "Cancelled") return REASONS.alreadyCancelled;
  return REASONS.notAuthorised;
}

function processCapture(ctx: Context, account: Account, mod: Modification, payment: Payment): void {
  const amount = mod.amount as Money;
  let reason = "";
  if (payment.status !== "Authorised") reason = failure(payment);
  else if (amount.currency !== payment.amount.currency) reason = REASONS.currency;
  else if (amount.value > payment.amount.value - payment.captured) reason = REASONS.insufficientBalance;
  const event = { eventCode: "CAPTURE" as const, pspReference: mod.pspReference, payment, amount };
  if (reason !== "") {
    emit(ctx, account, { ...event, success: false, reason }, mod.reference);
    return;
  }
  payment.captured += amount.value;
  emit(ctx, account, { ...event, success: true, reason: "" }, mod.reference);
  if (amount.value % 100n !== LATE_FAILURE_CENTS) return;
  ctx.lifecycle.later(ctx.modificationDelayMs, () => {
    payment.captured -= amount.value;
    emit(
      ctx,
      account,
      { ...event, eventCode: "CAPTURE_FAILED", success: true, reason: "Capture Failed" },
      mod.reference,
    );
  });
}

function processRefund(ctx: Context, account: Account, mod: Modification, payment: Payment): void {
  const amount = mod.amount as Money;
  let reason = "";
  if (payment.status !== "Authorised") reason = failure(payment);
  else if (amount.currency !== payment.amount.currency) reason = REASONS.currency;
  else if (amount.value > payment.captured - payment.refunded) reason = REASONS.insufficientBalance;
  const event = { eventCode: "REFUND" as const, pspReference: mod.pspReference, payment, amount };
  if (reason !== "") {
    emit(ctx, account, { ...event, success: false, reason }, mod.reference);
    return;
  }
  payment.refunded += amount.value;
  emit(ctx, account, { ...event, success: true, reason: "" }, mod.reference);
  if (amount.value % 100n !== LATE_FAILURE_CENTS) return;
  ctx.lifecycle.later(ctx.modificationDelayMs, () => {
    payment.refunded -= amount.value;
    emit(
      ctx,
      account,
      { ...event, eventCode: "REFUND_FAILED", success: true, reason: "Refund Failed" },
      mod.reference,
    );
  });
}

function processCancel(ctx: Context, account: Account, mod: Modification, payment: Payment): void {
  let reason = "";
  if (payment.status !== "Authorised") reason = failure(payment);
  else if (payment.captured > 0n) reason = REASONS.alreadyCaptured;
  else payment.status = "Cancelled";
  const event = {
    eventCode: "CANCELLATION" as const,
    pspReference: mod.pspReference,
    payment,
    amount: payment.amount,
  };
  emit(ctx, account, { ...event, success: reason === "", reason }, mod.reference);
}

/** Cancels what is not captured, refunds what is. */
function processReversal(ctx: Context, account: Account, mod: Modification, payment: Payment): void {
  let reason = "";
  let action = "";
  if (payment.status !== "Authorised") reason = failure(payment);
  else if (payment.captured === 0n) {
    payment.status = "Cancelled";
    action = "cancel";
  } else if (payment.captured > payment.refunded) {
    payment.refunded = payment.captured;
    action = "refund";
  } else reason = REASONS.alreadyRefunded;
  const event: Omit<ModificationEvent, "merchantReference"> = {
    eventCode: "CANCEL_OR_REFUND",
    pspReference: mod.pspReference,
    payment,
    amount: payment.amount,
    success: reason === "",
    reason,
  };
  if (action !== "") event.additionalData = { "modification.action": action };
  emit(ctx, account, event, mod.reference);
}

const PROCESSORS = {
  capture: processCapture,
  refund: processRefund,
  cancel: processCancel,
  reversal: processReversal,
} as const;

export function modifyPayment(
  ctx: Context,
  account: Account,
  kind: keyof typeof PROCESSORS,
  paymentPspReference: string,
  input: unknown,
): Outcome {
  const body = input as ModificationBody;
  const prepared = prepare(account, paymentPspReference, body, kind === "capture" || kind === "refund");
  if (!prepared.ok) return prepared.outcome;
  const mod = record(ctx, kind, body, prepared.payment, prepared.amount);
  ctx.lifecycle.later(ctx.modificationDelayMs, () => PROCESSORS[kind](ctx, account, mod, prepared.payment));
  return answer(201, received(mod, body));
}

/** `POST /cancels`: by merchant reference, for a payment whose answer may never have arrived. */
export function technicalCancel(ctx: Context, account: Account, input: unknown): Outcome {
  const body = input as ModificationBody;
  if (body.merchantAccount.trim() === "") return rejected(CHECKOUT_ERRORS.invalidMerchantAccount());
  const mod = record(ctx, "technicalCancel", body, null, null);
  const paymentReference = body.paymentReference ?? "";
  ctx.lifecycle.later(ctx.modificationDelayMs, () => {
    const payment = ctx.store.paymentByReference(account.apiKey, body.merchantAccount, paymentReference);
    if (!payment) {
      // Nothing to cancel yet: if the payment request still arrives, it is cancelled as it settles.
      account.orphanCancels.set(referenceKey(body.merchantAccount, paymentReference), mod);
      return;
    }
    if (payment.status === "Received") payment.pendingTechnicalCancel = mod;
    else applyTechnicalCancel(ctx, account, mod, payment);
  });
  return answer(201, received(mod, body));
}
