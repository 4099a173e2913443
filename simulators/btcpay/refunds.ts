/**
 * POST …/invoices/{id}/refund: BTCPay refunds by creating a pull payment the buyer claims. The amount follows
 * the refund variant (RateThen, CurrentRate, Fiat, OverpaidAmount, Custom) as GreenfieldInvoiceController
 * computes it. Pull payments here have their basics: read back (public), a view page, and a completed payout
 * (admin helper) that shows in the CSV export.
 */
import type { Context, Outcome } from "./context.ts";
import { apiError, ok, unixSeconds, validationError } from "./context.ts";
import {
  currencyDigits,
  fiatToSats,
  formatScaled,
  parseScaled,
  percentOf,
  roundScaled,
  satsToFiat,
} from "./decimal.ts";
import { accountedSats, canRefund, PAYMENT_METHOD_ID } from "./invoice-state.ts";
import type { Invoice, PullPayment } from "./store.ts";

interface RefundBody {
  name?: string | null;
  description?: string;
  payoutMethods?: string[] | null;
  refundVariant?: "RateThen" | "CurrentRate" | "OverpaidAmount" | "Fiat" | "Custom";
  subtractPercentage?: string;
  customAmount?: string;
  customCurrency?: string;
}

export function pullPaymentModel(ctx: Context, pp: PullPayment) {
  return {
    id: pp.id,
    name: pp.name,
    description: pp.description,
    currency: pp.currency,
    amount: formatScaled(pp.amount, currencyDigits(pp.currency)),
    BOLT11Expiration: "30",
    autoApproveClaims: pp.autoApproveClaims,
    archived: false,
    viewLink: `${ctx.baseUrl()}/pull-payments/${encodeURIComponent(pp.id)}`,
    startsAt: unixSeconds(pp.startsAt),
    expiresAt: null,
    payoutMethods: pp.payoutMethods,
  };
}

export function refundInvoice(
  ctx: Context,
  invoice: Invoice,
  body: RefundBody,
  canCreateApprovedPullPayments: boolean,
): Outcome {
  if (!canRefund(invoice)) return apiError(400, "non-refundable", "Cannot refund this invoice");
  const methods = body.payoutMethods ?? [PAYMENT_METHOD_ID];
  if (methods.length === 0 || methods.some((m) => m !== PAYMENT_METHOD_ID && m !== "BTC")) {
    return validationError([
      {
        path: "PayoutMethodId",
        message: "Please select one of the payment methods which were available for the original invoice",
      },
    ]);
  }
  const problems: Array<{ path: string; message: string }> = [];
  const variant = body.refundVariant;
  if (variant !== "Custom") {
    if (body.customAmount !== undefined) {
      problems.push({
        path: "CustomAmount",
        message: "CustomAmount should only be set if the refundVariant is Custom",
      });
    }
    if (body.customCurrency !== undefined) {
      problems.push({
        path: "CustomCurrency",
        message: "CustomCurrency should only be set if the refundVariant is Custom",
      });
    }
  }
  const subtract = body.subtractPercentage === undefined ? 0n : parseScaled(body.subtractPercentage);
  if (subtract === null || subtract < 0n || subtract > 100n * 10n ** 8n) {
    problems.push({
      path: "SubtractPercentage",
      message: "Percentage must be a numeric value between 0 and 100",
    });
  }
  if (problems.length > 0) return validationError(problems);

  let paidSats = accountedSats(invoice);
  let dueSats = invoice.dueSats;
  if (paidSats === 0n && invoice.status === "Settled" && invoice.additionalStatus === "Marked") {
    paidSats = invoice.dueSats;
    dueSats = 0n;
  }
  const digits = currencyDigits(invoice.currency);
  const paidFiat = roundScaled(satsToFiat(paidSats, invoice.rate), digits);
  const currentRate = ctx.rates.get(invoice.currency) ?? invoice.rate;

  let currency = "BTC";
  let amount: bigint;
  let autoApprove = true;
  switch (variant) {
    case "RateThen":
      amount = paidSats;
      break;
    case "CurrentRate":
      amount = fiatToSats(paidFiat, currentRate, "half-up");
      break;
    case "Fiat":
      currency = invoice.currency;
      amount = paidFiat;
      autoApprove = false;
      break;
    case "OverpaidAmount":
      if (invoice.additionalStatus !== "PaidOver") {
        return validationError([{ path: "RefundVariant", message: "Invoice is not overpaid" }]);
      }
      amount = paidSats - dueSats;
      break;
    case "Custom": {
      const custom = body.customAmount === undefined ? null : parseScaled(body.customAmount);
      const customCurrency = body.customCurrency?.toUpperCase() ?? "";
      if (custom === null || custom <= 0n)
        problems.push({ path: "CustomAmount", message: "Amount must be greater than 0" });
      if (customCurrency !== "BTC" && !ctx.rates.has(customCurrency)) {
        problems.push({ path: "CustomCurrency", message: "Invalid currency" });
      }
      if (problems.length > 0 || custom === null) return validationError(problems);
      currency = customCurrency;
      amount = custom;
      autoApprove = customCurrency === "BTC";
      break;
    }
    default:
      return validationError([{ path: "RefundVariant", message: "Please select a valid refund option" }]);
  }
  if (subtract !== null && subtract > 0n) {
    amount = roundScaled(amount - percentOf(amount, subtract), currencyDigits(currency));
  }
  const pp: PullPayment = {
    id: ctx.ids.id(),
    storeId: invoice.storeId,
    invoiceId: invoice.id,
    name: body.name ?? `Refund ${invoice.id}`,
    description: body.description ?? "",
    currency,
    amount,
    autoApproveClaims: autoApprove && canCreateApprovedPullPayments,
    startsAt: ctx.now(),
    payoutMethods: [PAYMENT_METHOD_ID],
    payouts: [],
  };
  ctx.store.pullPayments.set(pp.id, pp);
  invoice.refunds.push(pp.id);
  return ok(pullPaymentModel(ctx, pp), "PullPaymentData");
}

export function getPullPayment(ctx: Context, pullPaymentId: string): Outcome {
  const pp = ctx.store.pullPayments.get(pullPaymentId);
  if (!pp) return apiError(404, "pullpayment-not-found", "The pull payment was not found");
  return ok(pullPaymentModel(ctx, pp), "PullPaymentData");
}

/** The buyer claimed the whole refund and the store paid it: a completed payout in BTC. */
export function payOutRefund(ctx: Context, pullPaymentId: string, destination: string): boolean {
  const pp = ctx.store.pullPayments.get(pullPaymentId);
  const invoice = pp ? ctx.store.invoices.get(pp.invoiceId) : undefined;
  if (!pp || !invoice) return false;
  const sats =
    pp.currency === "BTC" ? pp.amount : fiatToSats(pp.amount, ctx.rates.get(pp.currency) ?? invoice.rate);
  pp.payouts.push({ id: ctx.ids.id(), date: ctx.now(), sats, destination });
  return true;
}
