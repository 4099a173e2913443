/** The payment resource: creation, its status machine, expiry, cancel, and its wire form. */
import type { Context, Outcome } from "./context.ts";
import { ERRORS } from "./errors.ts";
import { DEFAULT_ISSUER, testConsumer } from "./ideal.ts";
import { api, DOCS, type Link, page } from "./links.ts";
import { eur } from "./money.ts";
import { readPaymentInput } from "./payment-input.ts";
import { paidOutSettlement, recordMovement } from "./settlement-days.ts";
import type { Account, Payment, PaymentStatus } from "./store.ts";
import { isoTime } from "./time.ts";

/** iDEAL payments expire 15 minutes after creation unless the shopper completes them. */
export const IDEAL_EXPIRY_MS = 15 * 60 * 1000;

const FINAL: ReadonlySet<PaymentStatus> = new Set(["paid", "failed", "canceled", "expired"]);
/** Mollie calls the webhook for these status changes, not for open or pending. */
const NOTIFIED: ReadonlySet<PaymentStatus> = new Set(["paid", "failed", "canceled", "expired", "authorized"]);

export function isCancelable(ctx: Context, payment: Payment): boolean {
  return payment.status === "open" && ctx.idealCancelable;
}

/** Refunds that have not failed or been canceled count against what is left to refund. */
export function amountRefunded(payment: Payment): bigint {
  return payment.refunds
    .filter((r) => r.status !== "failed" && r.status !== "canceled")
    .reduce((sum, r) => sum + r.amount, 0n);
}

export function checkoutHref(ctx: Context, payment: Payment): string {
  return `${ctx.baseUrl()}/checkout/select-issuer/ideal/${payment.checkoutToken}`;
}

export function serializePayment(ctx: Context, p: Payment, documentation: Link = DOCS.getPayment): object {
  const settlement = p.status === "paid" ? paidOutSettlement(ctx, p.account, p.paidAt) : null;
  const links: Record<string, Link> = { self: api(`${ctx.baseUrl()}/v2/payments/${p.id}`) };
  if (p.status === "open") links.checkout = page(checkoutHref(ctx, p));
  links.dashboard = page(`${ctx.baseUrl()}/dashboard/payments/${p.id}`);
  if (p.refunds.length > 0) links.refunds = api(`${ctx.baseUrl()}/v2/payments/${p.id}/refunds`);
  if (settlement) links.settlement = api(`${ctx.baseUrl()}/v2/settlements/${settlement.id}`);
  links.documentation = documentation;

  const paid = p.status === "paid";
  return {
    resource: "payment",
    id: p.id,
    mode: "test",
    createdAt: isoTime(p.createdAt),
    amount: eur(p.amount),
    description: p.description,
    method: p.method,
    metadata: p.metadata,
    status: p.status,
    isCancelable: isCancelable(ctx, p),
    ...(p.status === "open" || p.status === "pending" ? { expiresAt: isoTime(p.expiresAt) } : {}),
    ...(p.paidAt ? { paidAt: isoTime(p.paidAt) } : {}),
    ...(p.canceledAt ? { canceledAt: isoTime(p.canceledAt) } : {}),
    ...(p.expiredAt ? { expiredAt: isoTime(p.expiredAt) } : {}),
    ...(p.failedAt ? { failedAt: isoTime(p.failedAt) } : {}),
    ...(paid
      ? {
          amountRefunded: eur(amountRefunded(p)),
          amountRemaining: eur(p.amount - amountRefunded(p)),
          settlementAmount: eur(p.amount),
        }
      : {}),
    ...(p.locale ? { locale: p.locale } : {}),
    details: p.details,
    profileId: p.account.profileId,
    sequenceType: "oneoff",
    redirectUrl: p.redirectUrl,
    ...(p.cancelUrl ? { cancelUrl: p.cancelUrl } : {}),
    webhookUrl: p.webhookUrl,
    ...(settlement ? { settlementId: settlement.id } : {}),
    _links: links,
  };
}

function setStatus(ctx: Context, payment: Payment, status: PaymentStatus): void {
  if (payment.status === status) return;
  const now = ctx.now();
  payment.status = status;
  if (status === "paid") {
    payment.paidAt = now;
    payment.method = "ideal";
    recordMovement(ctx, payment.account, now);
  }
  if (status === "canceled") payment.canceledAt = now;
  if (status === "expired") payment.expiredAt = now;
  if (status === "failed") payment.failedAt = now;
  if (NOTIFIED.has(status) && payment.webhookUrl) ctx.notifier.notify(payment.webhookUrl, payment.id);
}

/** Lazily, on every read, and from the periodic sweep: an open payment past `expiresAt` expires. */
export function expireIfDue(ctx: Context, payment: Payment): boolean {
  if (payment.status !== "open" || ctx.now().getTime() < payment.expiresAt.getTime()) return false;
  setStatus(ctx, payment, "expired");
  return true;
}

export function expireDue(ctx: Context): number {
  let expired = 0;
  for (const payment of ctx.store.allPayments()) if (expireIfDue(ctx, payment)) expired++;
  return expired;
}

export type ShopperChoice = "paid" | "failed" | "canceled" | "expired" | "pending";

/** The shopper's answer on the checkout page. `pending` means the bank confirms after `resolveAfterMs`. */
export function completeCheckout(
  ctx: Context,
  payment: Payment,
  choice: ShopperChoice,
  issuer: string | null,
): void {
  if (payment.status !== "open") return;
  const chosenIssuer = issuer ?? payment.issuer ?? DEFAULT_ISSUER;
  payment.method = "ideal";
  if (choice === "paid" || choice === "pending") {
    payment.details = testConsumer(chosenIssuer, ctx.ids.digits(10));
  }
  if (choice !== "pending") {
    setStatus(ctx, payment, choice);
    return;
  }
  setStatus(ctx, payment, "pending");
  ctx.lifecycle.later(ctx.resolveAfterMs, () => {
    if (payment.status === "pending") setStatus(ctx, payment, "paid");
  });
}

export function isFinal(payment: Payment): boolean {
  return FINAL.has(payment.status);
}

export function createPayment(ctx: Context, account: Account, body: unknown): Outcome {
  const parsed = readPaymentInput(body);
  if (!parsed.ok) return { status: parsed.error.status, body: parsed.error };
  const { input } = parsed;
  const createdAt = ctx.now();
  const payment: Payment = {
    id: ctx.ids.payment(),
    account,
    checkoutToken: ctx.ids.checkoutToken(),
    createdAt,
    amount: input.amount,
    description: input.description,
    method: input.method,
    metadata: input.metadata,
    status: "open",
    expiresAt: new Date(createdAt.getTime() + IDEAL_EXPIRY_MS),
    redirectUrl: input.redirectUrl,
    cancelUrl: input.cancelUrl,
    webhookUrl: input.webhookUrl,
    locale: input.locale,
    issuer: input.issuer,
    paidAt: null,
    canceledAt: null,
    expiredAt: null,
    failedAt: null,
    details: null,
    refunds: [],
  };
  ctx.store.addPayment(payment);
  return { status: 201, body: serializePayment(ctx, payment, DOCS.createPayment) };
}

export function findPayment(ctx: Context, account: Account, id: string): Payment | undefined {
  const payment = account.payments.get(id);
  if (payment) expireIfDue(ctx, payment);
  return payment;
}

export function getPayment(ctx: Context, account: Account, id: string): Outcome {
  const payment = findPayment(ctx, account, id);
  if (!payment) return { status: 404, body: ERRORS.noPayment(id) };
  return { status: 200, body: serializePayment(ctx, payment) };
}

export function cancelPayment(ctx: Context, account: Account, id: string): Outcome {
  const payment = findPayment(ctx, account, id);
  if (!payment) return { status: 404, body: ERRORS.noPayment(id) };
  if (!isCancelable(ctx, payment)) {
    return { status: 422, body: ERRORS.unprocessable(`The payment ${id} cannot be canceled.`) };
  }
  setStatus(ctx, payment, "canceled");
  return { status: 200, body: serializePayment(ctx, payment) };
}
