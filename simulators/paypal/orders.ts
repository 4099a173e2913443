/**
 * Orders v2: create, show, capture and authorize, the buyer's approval or cancellation, and expiry. An order
 * nobody approved within `orderExpiryMs` is gone (404, as PayPal forgets it); an approved order not captured
 * or authorized within `approvedOrderExpiryMs` answers 422 ORDER_EXPIRED.
 */
import { createCapture } from "./captures.ts";
import { answer, type Call, type Context, fail, notFound, type Outcome } from "./context.ts";
import { formatAmount, parseAmount } from "./money.ts";
import { type Funding, type OrderRecord, owned, type Payer, type PurchaseUnitRecord } from "./store.ts";
import { authorizationWire, orderWire } from "./wire.ts";

const AUTHORIZATION_VALIDITY_MS = 29 * 24 * 3600_000;
const BREAKDOWN_ADDS = ["item_total", "tax_total", "shipping", "handling", "insurance"];
const BREAKDOWN_SUBTRACTS = ["shipping_discount", "discount"];

export function isAwaitingApproval(order: OrderRecord): boolean {
  return order.status === "CREATED" || order.status === "PAYER_ACTION_REQUIRED";
}

/** Unapproved orders past their time are forgotten. */
export function findOrder(ctx: Context, id: string, clientId?: string): OrderRecord | undefined {
  const order = clientId === undefined ? ctx.store.orders.get(id) : owned(ctx.store.orders, id, clientId);
  if (!order) return undefined;
  if (isAwaitingApproval(order) && ctx.now().getTime() - order.createdAt.getTime() >= ctx.orderExpiryMs) {
    return undefined;
  }
  return order;
}

function approvalExpired(ctx: Context, order: OrderRecord): boolean {
  const approvedAt = order.approvedAt ?? order.createdAt;
  return ctx.now().getTime() - approvedAt.getTime() >= ctx.approvedOrderExpiryMs;
}

type UnitCheck = { ok: true; unit: PurchaseUnitRecord } | { ok: false; outcome: Outcome };

function checkBreakdown(currency: string, total: bigint, breakdown: Record<string, unknown>): boolean {
  let sum = 0n;
  for (const [key, value] of Object.entries(breakdown)) {
    const entry = value as { currency_code?: string; value?: string };
    if (!entry || typeof entry.value !== "string") continue;
    const parsed = parseAmount(currency, entry.value);
    const minor = parsed.ok ? parsed.minor : 0n;
    if (BREAKDOWN_ADDS.includes(key)) sum += minor;
    if (BREAKDOWN_SUBTRACTS.includes(key)) sum -= minor;
  }
  return sum === total;
}

function checkUnit(ctx: Context, call: Call, request: Record<string, unknown>, index: number): UnitCheck {
  const referenceId = typeof request.reference_id === "string" ? request.reference_id : "default";
  const amount = request.amount as {
    currency_code: string;
    value: string;
    breakdown?: Record<string, unknown>;
  };
  const field = `/purchase_units/@reference_id=='${referenceId}'/amount`;
  const parsed = parseAmount(amount.currency_code, amount.value);
  if (!parsed.ok) {
    const onCurrency = parsed.issue === "INVALID_CURRENCY_CODE";
    // Orders v2 names a fraction on a zero-decimal currency a precision problem.
    const issue = parsed.issue === "DECIMALS_NOT_SUPPORTED" ? "DECIMAL_PRECISION" : parsed.issue;
    return {
      ok: false,
      outcome: fail(ctx, call, 422, issue, {
        field: `${field}/${onCurrency ? "currency_code" : "value"}`,
        value: onCurrency ? amount.currency_code : amount.value,
        location: "body",
      }),
    };
  }
  if (amount.breakdown && !checkBreakdown(amount.currency_code, parsed.minor, amount.breakdown)) {
    return {
      ok: false,
      outcome: fail(ctx, call, 422, "AMOUNT_MISMATCH", {
        field: `${field}/value`,
        value: amount.value,
        location: "body",
      }),
    };
  }
  return {
    ok: true,
    unit: {
      referenceId: index === 0 && request.reference_id === undefined ? "default" : referenceId,
      currency: amount.currency_code,
      amountMinor: parsed.minor,
      request: { ...request, amount: { ...amount, value: formatAmount(amount.currency_code, parsed.minor) } },
      customId: typeof request.custom_id === "string" ? request.custom_id : undefined,
      invoiceId: typeof request.invoice_id === "string" ? request.invoice_id : undefined,
      authorizationIds: [],
      captureIds: [],
    },
  };
}

export function createOrder(ctx: Context, call: Call): Outcome {
  const body = call.body as Record<string, unknown> & { purchase_units: Array<Record<string, unknown>> };
  const source = (body.payment_source ?? {}) as Record<string, unknown>;
  const unsupported = Object.keys(source).find((name) => name !== "paypal");
  if (unsupported) {
    return fail(ctx, call, 400, "NOT_SUPPORTED", {
      field: `/payment_source/${unsupported}`,
      location: "body",
    });
  }
  const units: PurchaseUnitRecord[] = [];
  const references = new Set<string>();
  for (const [index, request] of body.purchase_units.entries()) {
    const checked = checkUnit(ctx, call, request, index);
    if (!checked.ok) return checked.outcome;
    if (references.has(checked.unit.referenceId)) {
      return fail(ctx, call, 422, "DUPLICATE_REFERENCE_ID", {
        field: `/purchase_units/${index}/reference_id`,
        value: checked.unit.referenceId,
        location: "body",
      });
    }
    references.add(checked.unit.referenceId);
    units.push(checked.unit);
  }
  const experience = (source.paypal as { experience_context?: Record<string, string> } | undefined)
    ?.experience_context;
  const legacy = (body.application_context ?? {}) as Record<string, string>;
  const now = ctx.now();
  const order: OrderRecord = {
    id: ctx.ids.resource(),
    clientId: call.app.clientId,
    intent: body.intent as OrderRecord["intent"],
    status: source.paypal ? "PAYER_ACTION_REQUIRED" : "CREATED",
    createdAt: now,
    updatedAt: now,
    purchaseUnits: units,
    linkRel: source.paypal ? "payer-action" : "approve",
    returnUrl: experience?.return_url ?? legacy.return_url,
    cancelUrl: experience?.cancel_url ?? legacy.cancel_url,
    brandName: experience?.brand_name ?? legacy.brand_name,
    funding: "balance",
  };
  ctx.store.orders.set(order.id, order);
  return answer(201, orderWire(ctx, order, call.representation ? "full" : "minimal"));
}

export function showOrder(ctx: Context, call: Call): Outcome {
  const order = findOrder(ctx, call.params[0] ?? "", call.app.clientId);
  return order ? answer(200, orderWire(ctx, order, "full")) : notFound(ctx, call);
}

/** The checks capture and authorize share; null when the order may be paid. */
function refusal(
  ctx: Context,
  call: Call,
  order: OrderRecord,
  intent: OrderRecord["intent"],
): Outcome | null {
  if (order.intent !== intent) return fail(ctx, call, 422, "ACTION_DOES_NOT_MATCH_INTENT");
  if (order.status === "COMPLETED") {
    return fail(ctx, call, 422, intent === "CAPTURE" ? "ORDER_ALREADY_CAPTURED" : "ORDER_ALREADY_AUTHORIZED");
  }
  if (order.status !== "APPROVED") return fail(ctx, call, 422, "ORDER_NOT_APPROVED");
  if (approvalExpired(ctx, order)) return fail(ctx, call, 422, "ORDER_EXPIRED");
  if (order.funding === "declined") return fail(ctx, call, 422, "INSTRUMENT_DECLINED");
  return null;
}

export function captureOrder(ctx: Context, call: Call): Outcome {
  const order = findOrder(ctx, call.params[0] ?? "", call.app.clientId);
  if (!order) return notFound(ctx, call);
  const refused = refusal(ctx, call, order, "CAPTURE");
  if (refused) return refused;
  order.status = "COMPLETED";
  order.updatedAt = ctx.now();
  for (const unit of order.purchaseUnits) {
    const capture = createCapture(ctx, {
      clientId: order.clientId,
      orderId: order.id,
      currency: unit.currency,
      amountMinor: unit.amountMinor,
      finalCapture: true,
      funding: order.funding,
      invoiceId: unit.invoiceId,
      customId: unit.customId,
      payerEmail: order.payer?.email,
    });
    unit.captureIds.push(capture.id);
  }
  return answer(201, orderWire(ctx, order, "full"));
}

export function authorizeOrder(ctx: Context, call: Call): Outcome {
  const order = findOrder(ctx, call.params[0] ?? "", call.app.clientId);
  if (!order) return notFound(ctx, call);
  const refused = refusal(ctx, call, order, "AUTHORIZE");
  if (refused) return refused;
  const now = ctx.now();
  order.status = "COMPLETED";
  order.updatedAt = now;
  for (const unit of order.purchaseUnits) {
    const auth = {
      id: ctx.ids.resource(),
      clientId: order.clientId,
      orderId: order.id,
      status: "CREATED" as const,
      currency: unit.currency,
      amountMinor: unit.amountMinor,
      capturedMinor: 0n,
      captureIds: [],
      invoiceId: unit.invoiceId,
      customId: unit.customId,
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + AUTHORIZATION_VALIDITY_MS),
    };
    ctx.store.authorizations.set(auth.id, auth);
    unit.authorizationIds.push(auth.id);
    ctx.events.publish(
      order.clientId,
      "PAYMENT.AUTHORIZATION.CREATED",
      "authorization",
      authorizationWire(ctx, auth, true),
      `A successful payment authorization was created for ${formatAmount(auth.currency, auth.amountMinor)} ${auth.currency}`,
    );
  }
  return answer(201, orderWire(ctx, order, "full"));
}

function withQuery(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  return target.toString();
}

export type BuyerResult =
  | { ok: true; redirectTo: string | null; order: OrderRecord }
  | { ok: false; reason: string };

export function approveOrder(
  ctx: Context,
  id: string,
  funding: Funding,
  payer: Omit<Payer, "payerId">,
): BuyerResult {
  const order = findOrder(ctx, id);
  if (!order) return { ok: false, reason: "This order has expired or does not exist." };
  if (order.status !== "APPROVED" && !isAwaitingApproval(order)) {
    return { ok: false, reason: "This order has already been paid." };
  }
  const now = ctx.now();
  order.payer ??= { ...payer, payerId: ctx.ids.payerId() };
  order.funding = funding;
  order.status = "APPROVED";
  order.approvedAt = now;
  order.updatedAt = now;
  ctx.events.publish(
    order.clientId,
    "CHECKOUT.ORDER.APPROVED",
    "checkout-order",
    orderWire(ctx, order, "full"),
    "An order has been approved by buyer",
  );
  const redirectTo = order.returnUrl
    ? withQuery(order.returnUrl, { token: order.id, PayerID: order.payer.payerId })
    : null;
  return { ok: true, redirectTo, order };
}

export function cancelOrder(ctx: Context, id: string): BuyerResult {
  const order = findOrder(ctx, id);
  if (!order) return { ok: false, reason: "This order has expired or does not exist." };
  return {
    ok: true,
    redirectTo: order.cancelUrl ? withQuery(order.cancelUrl, { token: order.id }) : null,
    order,
  };
}
