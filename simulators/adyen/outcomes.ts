/** How a payment reaches its final result, and what follows it: the AUTHORISATION webhook, a pending
 * technical cancel, and the automatic capture. */
import { REFUSALS, type RefusalKey } from "./cards.ts";
import type { Context } from "./context.ts";
import { authorisationItem, modificationItem } from "./notification-items.ts";
import type { Account, Modification, Payment } from "./store.ts";

export function authorise(ctx: Context, account: Account, payment: Payment): void {
  payment.status = "Authorised";
  payment.refusal = null;
  payment.authCode = ctx.ids.digits(6);
  payment.networkTxReference = ctx.ids.digits(15);
  if (payment.storeCard && payment.shopperReference !== null && payment.storedPaymentMethodId === null) {
    const id = ctx.ids.pspReference();
    account.storedCards.set(id, {
      id,
      shopperReference: payment.shopperReference,
      merchantAccount: payment.merchantAccount,
      card: payment.card,
    });
    payment.storedPaymentMethodId = id;
  }
}

export function refuse(payment: Payment, refusal: RefusalKey): void {
  const details = REFUSALS[refusal];
  payment.status = details.resultCode;
  payment.refusal = details;
}

/** After the outcome is known: webhook, then a technical cancel that was waiting, else the capture. */
export function settle(ctx: Context, account: Account, payment: Payment): void {
  ctx.notifier.notify(account, authorisationItem(payment, ctx.now()));
  const cancel = payment.pendingTechnicalCancel;
  if (cancel) {
    payment.pendingTechnicalCancel = null;
    applyTechnicalCancel(ctx, account, cancel, payment);
    return;
  }
  if (payment.status === "Authorised") scheduleCapture(ctx, account, payment);
}

function scheduleCapture(ctx: Context, account: Account, payment: Payment): void {
  if (payment.amount.value === 0n) return;
  const mode = payment.captureMode;
  if (mode.kind === "manual") return;
  const delay = mode.kind === "immediate" ? ctx.modificationDelayMs : mode.hours * 3_600_000;
  ctx.lifecycle.later(delay, () => {
    if (payment.status !== "Authorised" || payment.captured > 0n) return;
    payment.captured = payment.amount.value;
    const item = modificationItem(
      {
        eventCode: "CAPTURE",
        pspReference: ctx.ids.pspReference(),
        payment,
        merchantReference: payment.reference,
        amount: payment.amount,
        success: true,
        reason: "",
      },
      ctx.now(),
    );
    ctx.notifier.notify(account, item);
  });
}

/** Cancels by merchant reference exist for payments whose answer never arrived: the result is what
 * matters, so an uncaptured payment is cancelled and a refused one needs nothing. */
export function applyTechnicalCancel(
  ctx: Context,
  account: Account,
  cancel: Modification,
  payment: Payment,
): void {
  let success = true;
  let reason = "";
  if (payment.status === "Authorised") {
    if (payment.captured > 0n) {
      success = false;
      reason = "Transaction already captured";
    } else {
      payment.status = "Cancelled";
    }
  } else if (payment.status === "RedirectShopper") {
    payment.status = "Cancelled";
  }
  const item = modificationItem(
    {
      eventCode: "TECHNICAL_CANCEL",
      pspReference: cancel.pspReference,
      payment,
      merchantReference: payment.reference,
      amount: payment.amount,
      success,
      reason,
    },
    ctx.now(),
  );
  ctx.notifier.notify(account, item);
}
