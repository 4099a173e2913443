/** PayPal's JSON representations of orders, authorizations, captures and refunds, built from the records. */
import { money } from "./money.ts";
import type {
  App,
  AuthorizationRecord,
  CaptureRecord,
  OrderRecord,
  PurchaseUnitRecord,
  RefundRecord,
  Store,
} from "./store.ts";

export interface WireContext {
  store: Store;
  baseUrl: () => string;
}

type Json = Record<string, unknown>;

export function link(href: string, rel: string, method: string): Json {
  return { href, rel, method };
}

/** PayPal stamps whole seconds: 2018-04-01T21:20:49Z. */
export function paypalTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function times(record: { createdAt: Date; updatedAt: Date }): Json {
  return { create_time: paypalTime(record.createdAt), update_time: paypalTime(record.updatedAt) };
}

const SELLER_PROTECTION = {
  status: "ELIGIBLE",
  dispute_categories: ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"],
};

function optional(fields: Record<string, string | undefined>): Json {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

export function checkoutUrl(ctx: WireContext, order: OrderRecord): string {
  return `${ctx.baseUrl()}/checkoutnow?token=${order.id}`;
}

function payee(app: App | undefined): Json {
  return app ? { email_address: app.merchantEmail, merchant_id: app.merchantId } : {};
}

/** `standalone`: as the Payments API and webhooks show it, with related ids and the payee. */
export function captureWire(ctx: WireContext, capture: CaptureRecord, standalone: boolean): Json {
  const base = ctx.baseUrl();
  const up = capture.authorizationId
    ? link(`${base}/v2/payments/authorizations/${capture.authorizationId}`, "up", "GET")
    : link(`${base}/v2/checkout/orders/${capture.orderId}`, "up", "GET");
  const wire: Json = {
    id: capture.id,
    status: capture.status,
    ...(capture.statusReason ? { status_details: { reason: capture.statusReason } } : {}),
    amount: money(capture.currency, capture.amountMinor),
    final_capture: capture.finalCapture,
    seller_protection: SELLER_PROTECTION,
    ...optional({ invoice_id: capture.invoiceId, custom_id: capture.customId }),
  };
  if (capture.status !== "PENDING") {
    wire.seller_receivable_breakdown = {
      gross_amount: money(capture.currency, capture.amountMinor),
      paypal_fee: money(capture.currency, capture.feeMinor),
      net_amount: money(capture.currency, capture.amountMinor - capture.feeMinor),
    };
  }
  wire.links = [
    link(`${base}/v2/payments/captures/${capture.id}`, "self", "GET"),
    link(`${base}/v2/payments/captures/${capture.id}/refund`, "refund", "POST"),
    up,
  ];
  Object.assign(wire, times(capture));
  if (standalone) {
    wire.supplementary_data = {
      related_ids: {
        order_id: capture.orderId,
        ...(capture.authorizationId ? { authorization_id: capture.authorizationId } : {}),
      },
    };
    wire.payee = payee(ctx.store.apps.get(capture.clientId));
  }
  return wire;
}

export function authorizationWire(ctx: WireContext, auth: AuthorizationRecord, standalone: boolean): Json {
  const base = ctx.baseUrl();
  const self = `${base}/v2/payments/authorizations/${auth.id}`;
  const wire: Json = {
    id: auth.id,
    status: auth.status,
    amount: money(auth.currency, auth.amountMinor),
    ...optional({ invoice_id: auth.invoiceId, custom_id: auth.customId }),
    seller_protection: SELLER_PROTECTION,
    expiration_time: paypalTime(auth.expiresAt),
    links: [
      link(self, "self", "GET"),
      link(`${self}/capture`, "capture", "POST"),
      link(`${self}/void`, "void", "POST"),
      link(`${self}/reauthorize`, "reauthorize", "POST"),
      link(`${base}/v2/checkout/orders/${auth.orderId}`, "up", "GET"),
    ],
    ...times(auth),
  };
  if (standalone) {
    wire.supplementary_data = { related_ids: { order_id: auth.orderId } };
    wire.payee = payee(ctx.store.apps.get(auth.clientId));
  }
  return wire;
}

/** Only what the refund schema's custom_id pattern admits is echoed. */
const REFUND_CUSTOM_ID = /^[A-Za-z0-9-_.,]*$/;

export function refundWire(ctx: WireContext, refund: RefundRecord): Json {
  const base = ctx.baseUrl();
  const capture = ctx.store.captures.get(refund.captureId);
  return {
    id: refund.id,
    status: refund.status,
    amount: money(refund.currency, refund.amountMinor),
    ...optional({
      invoice_id: refund.invoiceId,
      custom_id: refund.customId && REFUND_CUSTOM_ID.test(refund.customId) ? refund.customId : undefined,
      note_to_payer: refund.noteToPayer,
    }),
    seller_payable_breakdown: {
      gross_amount: money(refund.currency, refund.amountMinor),
      paypal_fee: money(refund.currency, 0n),
      net_amount: money(refund.currency, refund.amountMinor),
      total_refunded_amount: money(refund.currency, capture?.refundedMinor ?? refund.amountMinor),
    },
    links: [
      link(`${base}/v2/payments/refunds/${refund.id}`, "self", "GET"),
      link(`${base}/v2/payments/captures/${refund.captureId}`, "up", "GET"),
    ],
    ...times(refund),
  };
}

function purchaseUnitWire(ctx: WireContext, order: OrderRecord, unit: PurchaseUnitRecord): Json {
  const { payments: _ignored, ...request } = unit.request;
  const wire: Json = {
    ...request,
    reference_id: unit.referenceId,
    payee: payee(ctx.store.apps.get(order.clientId)),
  };
  const captures = unit.captureIds.flatMap((id) => {
    const capture = ctx.store.captures.get(id);
    return capture ? [captureWire(ctx, capture, false)] : [];
  });
  const authorizations = unit.authorizationIds.flatMap((id) => {
    const auth = ctx.store.authorizations.get(id);
    return auth ? [authorizationWire(ctx, auth, false)] : [];
  });
  const refunds = unit.captureIds.flatMap((id) =>
    (ctx.store.captures.get(id)?.refundIds ?? []).flatMap((refundId) => {
      const refund = ctx.store.refunds.get(refundId);
      return refund ? [refundWire(ctx, refund)] : [];
    }),
  );
  if (captures.length + authorizations.length > 0) {
    wire.payments = {
      ...(authorizations.length ? { authorizations } : {}),
      ...(captures.length ? { captures } : {}),
      ...(refunds.length ? { refunds } : {}),
    };
  }
  return wire;
}

function orderLinks(ctx: WireContext, order: OrderRecord): Json[] {
  const self = `${ctx.baseUrl()}/v2/checkout/orders/${order.id}`;
  const links = [link(self, "self", "GET")];
  if (order.status === "COMPLETED" || order.status === "VOIDED") return links;
  if (order.status !== "APPROVED") links.push(link(checkoutUrl(ctx, order), order.linkRel, "GET"));
  links.push(link(self, "update", "PATCH"));
  const action = order.intent === "CAPTURE" ? "capture" : "authorize";
  links.push(link(`${self}/${action}`, action, "POST"));
  return links;
}

export function orderWire(ctx: WireContext, order: OrderRecord, view: "full" | "minimal"): Json {
  const payer = order.payer;
  const paypal = payer
    ? {
        email_address: payer.email,
        account_id: payer.payerId,
        account_status: "VERIFIED",
        name: { given_name: payer.givenName, surname: payer.surname },
        address: { country_code: payer.countryCode },
      }
    : {};
  const paymentSource = payer || order.linkRel === "payer-action" ? { paypal } : undefined;
  if (view === "minimal") {
    return {
      id: order.id,
      status: order.status,
      ...(paymentSource ? { payment_source: paymentSource } : {}),
      links: orderLinks(ctx, order),
    };
  }
  return {
    id: order.id,
    intent: order.intent,
    status: order.status,
    ...(paymentSource ? { payment_source: paymentSource } : {}),
    purchase_units: order.purchaseUnits.map((unit) => purchaseUnitWire(ctx, order, unit)),
    ...(payer
      ? {
          payer: {
            name: { given_name: payer.givenName, surname: payer.surname },
            email_address: payer.email,
            payer_id: payer.payerId,
            address: { country_code: payer.countryCode },
          },
        }
      : {}),
    ...times(order),
    links: orderLinks(ctx, order),
  };
}
