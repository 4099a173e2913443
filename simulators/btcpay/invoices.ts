/** Greenfield invoice endpoints: create, get, list, mark status, payment methods; and the invoice model. */
import type { Context, Outcome } from "./context.ts";
import { apiError, ok, unixSeconds, validationError } from "./context.ts";
import { currencyDigits, formatSats, formatScaled, parseScaled, satsToFiat } from "./decimal.ts";
import {
  accountedSats,
  canMarkInvalid,
  canMarkSettled,
  mark,
  PAYMENT_METHOD_ID,
  paymentModel,
  refresh,
  satsFor,
} from "./invoice-state.ts";
import type { Invoice, InvoiceStatus, SpeedPolicy, StoreSettings } from "./store.ts";

/** GreenfieldConstants.MaxAmount */
const MAX_AMOUNT = 21_000_000n * 10n ** 8n * 10n ** 8n;
const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

interface CreateBody {
  amount?: string | null;
  currency?: string | null;
  metadata?: Record<string, unknown> | null;
  checkout?: {
    speedPolicy?: SpeedPolicy | null;
    paymentMethods?: string[] | null;
    defaultPaymentMethod?: string | null;
    lazyPaymentMethods?: boolean | null;
    expirationMinutes?: number | null;
    monitoringMinutes?: number | null;
    paymentTolerance?: number | null;
    redirectURL?: string | null;
    redirectAutomatically?: boolean | null;
    defaultLanguage?: string | null;
  } | null;
  additionalSearchTerms?: string[] | null;
}

function testnetAddress(ctx: Context): string {
  const bytes = ctx.ids.hex(32);
  let body = "";
  for (let i = 0; i < 39; i++) body += BECH32[Number.parseInt(bytes.slice(i, i + 2), 16) % 32];
  return `tb1q${body}`;
}

export function createInvoice(ctx: Context, settings: StoreSettings, body: CreateBody): Outcome {
  const problems: Array<{ path: string; message: string }> = [];
  const checkout = body.checkout ?? {};
  let price = 0n;
  if (body.amount !== undefined && body.amount !== null) {
    const parsed = parseScaled(body.amount);
    if (parsed === null)
      problems.push({ path: "amount", message: "The amount must have at most 8 decimals" });
    else if (parsed < 0n) problems.push({ path: "Amount", message: "The amount should be 0 or more." });
    else if (parsed > MAX_AMOUNT) {
      problems.push({ path: "Amount", message: "The amount should less than 2100000000000000." });
    } else price = parsed;
  }
  (checkout.paymentMethods ?? []).forEach((method, index) => {
    if (method !== PAYMENT_METHOD_ID && method !== "BTC") {
      problems.push({ path: `checkout.paymentMethods[${index}]`, message: "Invalid PaymentMethodId" });
    }
  });
  if (typeof checkout.expirationMinutes === "number" && checkout.expirationMinutes * 60 < 30) {
    problems.push({
      path: "checkout.expirationMinutes",
      message: "Expiration time must be at least 30 seconds",
    });
  }
  if (problems.length > 0) return validationError(problems);

  const currency = (body.currency || settings.defaultCurrency).toUpperCase();
  const rate = ctx.rates.get(currency);
  if (rate === undefined) {
    return apiError(400, "generic-error", `Currency ${currency} is not supported (no BTC rate is available)`);
  }
  const now = ctx.now();
  const expirationMinutes = checkout.expirationMinutes ?? settings.expirationMinutes;
  const monitoringMinutes = checkout.monitoringMinutes ?? settings.monitoringMinutes;
  const expiresAt = new Date(now.getTime() + Math.round(expirationMinutes * 60_000));
  const topUp = body.amount === undefined || body.amount === null;
  const invoice: Invoice = {
    id: ctx.ids.id(),
    storeId: settings.id,
    type: topUp ? "TopUp" : "Standard",
    amount: topUp ? "0" : (body.amount as string).trim(),
    price,
    currency,
    metadata: body.metadata ?? {},
    checkout: {
      speedPolicy: checkout.speedPolicy ?? settings.speedPolicy,
      expirationMinutes,
      monitoringMinutes,
      paymentTolerance: checkout.paymentTolerance ?? settings.paymentTolerance,
      redirectURL: checkout.redirectURL ?? null,
      redirectAutomatically: checkout.redirectAutomatically ?? false,
      defaultLanguage: checkout.defaultLanguage ?? null,
      defaultPaymentMethod: checkout.defaultPaymentMethod ?? null,
      lazyPaymentMethods: checkout.lazyPaymentMethods ?? false,
    },
    createdAt: now,
    expiresAt,
    monitoringUntil: new Date(expiresAt.getTime() + Math.round(monitoringMinutes * 60_000)),
    status: "New",
    additionalStatus: "None",
    archived: false,
    rate,
    dueSats: topUp ? 0n : satsFor(price, rate),
    destination: testnetAddress(ctx),
    keyPath: `0/${ctx.store.invoices.size}`,
    payments: [],
    refunds: [],
  };
  ctx.store.invoices.set(invoice.id, invoice);
  ctx.events.emit(invoice, "InvoiceCreated");
  return ok(invoiceModel(ctx, invoice), "InvoiceData");
}

export function checkoutLink(ctx: Context, invoice: Invoice): string {
  return `${ctx.baseUrl()}/i/${encodeURIComponent(invoice.id)}`;
}

function statusesForManualMarking(invoice: Invoice): InvoiceStatus[] {
  const statuses: InvoiceStatus[] = [];
  if (canMarkSettled(invoice)) statuses.push("Settled");
  if (canMarkInvalid(invoice)) statuses.push("Invalid");
  return statuses;
}

/** The amount BTCPay answers: the merchant's string, or the paid amount once a top-up is paid. */
function amountString(invoice: Invoice): string {
  if (invoice.type === "TopUp" && invoice.price > 0n)
    return formatScaled(invoice.price, currencyDigits(invoice.currency));
  return invoice.amount;
}

export function invoiceModel(ctx: Context, invoice: Invoice) {
  const digits = currencyDigits(invoice.currency);
  const c = invoice.checkout;
  return {
    id: invoice.id,
    storeId: invoice.storeId,
    amount: amountString(invoice),
    paidAmount: formatScaled(satsToFiat(accountedSats(invoice), invoice.rate), digits),
    checkoutLink: checkoutLink(ctx, invoice),
    status: invoice.status,
    additionalStatus: invoice.additionalStatus,
    monitoringExpiration: unixSeconds(invoice.monitoringUntil),
    expirationTime: unixSeconds(invoice.expiresAt),
    createdTime: unixSeconds(invoice.createdAt),
    availableStatusesForManualMarking: statusesForManualMarking(invoice),
    archived: invoice.archived,
    type: invoice.type,
    currency: invoice.currency,
    metadata: invoice.metadata,
    checkout: {
      speedPolicy: c.speedPolicy,
      paymentMethods: [PAYMENT_METHOD_ID],
      defaultPaymentMethod: c.defaultPaymentMethod,
      lazyPaymentMethods: c.lazyPaymentMethods,
      expirationMinutes: c.expirationMinutes,
      monitoringMinutes: c.monitoringMinutes,
      paymentTolerance: c.paymentTolerance,
      redirectURL: c.redirectURL,
      redirectAutomatically: c.redirectAutomatically,
      defaultLanguage: c.defaultLanguage,
    },
    receipt: { enabled: true, showQR: null, showPayments: null },
  };
}

export function paymentMethodsModel(invoice: Invoice) {
  const paid = accountedSats(invoice);
  const due = invoice.dueSats - paid;
  const bip21 = `bitcoin:${invoice.destination}?amount=${formatSats(due > 0n ? due : 0n)}`;
  return [
    {
      paymentMethodId: PAYMENT_METHOD_ID,
      currency: "BTC",
      destination: invoice.destination,
      paymentLink: bip21,
      rate: formatScaled(invoice.rate, currencyDigits(invoice.currency)),
      paymentMethodPaid: formatSats(paid),
      totalPaid: formatSats(paid),
      due: formatSats(due),
      amount: formatSats(invoice.dueSats),
      paymentMethodFee: "0.00000000",
      payments: invoice.payments.map(paymentModel),
      activated: true,
      additionalData: {
        keyPath: invoice.keyPath,
        payjoinEnabled: false,
        recommendedFeeRate: "1.000",
        paymentMethodFeeRate: "0.000",
      },
    },
  ];
}

export function getInvoice(ctx: Context, invoice: Invoice): Outcome {
  refresh(ctx, invoice);
  return ok(invoiceModel(ctx, invoice), "InvoiceData");
}

export function getPaymentMethods(ctx: Context, invoice: Invoice): Outcome {
  refresh(ctx, invoice);
  return ok(paymentMethodsModel(invoice), "InvoicePaymentMethodDataModel[]");
}

export function markInvoiceStatus(ctx: Context, invoice: Invoice, body: { status?: string | null }): Outcome {
  const status = body.status;
  if ((status !== "Settled" && status !== "Invalid") || !mark(ctx, invoice, status)) {
    return validationError([
      {
        path: "Status",
        message: "Status can only be marked to invalid or settled within certain conditions.",
      },
    ]);
  }
  return getInvoice(ctx, invoice);
}

export function listInvoices(ctx: Context, storeId: string, query: URLSearchParams): Outcome {
  const orderIds = query.getAll("orderId");
  const statuses = query.getAll("status");
  const skip = Number(query.get("skip") ?? "0") || 0;
  const take = query.get("take") === null ? Number.POSITIVE_INFINITY : Number(query.get("take")) || 0;
  const startDate = query.get("startDate");
  const endDate = query.get("endDate");
  const found = [...ctx.store.invoices.values()]
    .filter((invoice) => invoice.storeId === storeId && !invoice.archived)
    .map((invoice) => {
      refresh(ctx, invoice);
      return invoice;
    })
    .filter((invoice) => orderIds.length === 0 || orderIds.includes(String(invoice.metadata.orderId ?? "")))
    .filter((invoice) => statuses.length === 0 || statuses.includes(invoice.status))
    .filter((invoice) => startDate === null || unixSeconds(invoice.createdAt) >= Number(startDate))
    .filter((invoice) => endDate === null || unixSeconds(invoice.createdAt) <= Number(endDate))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return ok(
    found.slice(skip, skip + take).map((invoice) => invoiceModel(ctx, invoice)),
    "InvoiceDataList",
  );
}
