/** The Greenfield routes the simulator speaks: path, method, scope, permission, request schema, handler. */
import type { Context, Outcome } from "./context.ts";
import { apiError } from "./context.ts";
import { createInvoice, getInvoice, getPaymentMethods, listInvoices, markInvoiceStatus } from "./invoices.ts";
import type { Notifier } from "./notifier.ts";
import { getPullPayment, refundInvoice } from "./refunds.ts";
import type { Invoice, KeyGrant, StoreSettings, Webhook } from "./store.ts";
import { holds } from "./store.ts";
import {
  createWebhook,
  deleteWebhook,
  getDelivery,
  getDeliveryRequest,
  getWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  updateWebhook,
} from "./webhooks.ts";

export const PERMISSIONS = {
  viewInvoices: "btcpay.store.canviewinvoices",
  createInvoice: "btcpay.store.cancreateinvoice",
  modifyInvoices: "btcpay.store.canmodifyinvoices",
  webhooks: "btcpay.store.webhooks.canmodifywebhooks",
  nonApprovedPullPayments: "btcpay.store.cancreatenonapprovedpullpayments",
  pullPayments: "btcpay.store.cancreatepullpayments",
  viewReports: "btcpay.store.canviewreports",
} as const;

export interface Target {
  store: StoreSettings;
  grant: KeyGrant;
  invoice: Invoice | null;
  webhook: Webhook | null;
  /** Path parameters after the scope's own (delivery ids). */
  rest: string[];
  body: unknown;
  query: URLSearchParams;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  pattern: RegExp;
  /** What the first path parameters name: store, invoice or webhook (with or without a store before it). */
  scope: "store" | "store-invoice" | "invoice" | "store-webhook" | "webhook" | "public";
  permission: string | null;
  requestSchema?: string;
  run(ctx: Context, notifier: Notifier, target: Target): Outcome;
}

const ID = "([^/]+)";

function invoiceRoutes(prefix: string, scope: "store-invoice" | "invoice"): Route[] {
  return [
    {
      method: "GET",
      pattern: new RegExp(`^${prefix}$`),
      scope,
      permission: PERMISSIONS.viewInvoices,
      run: (ctx, _n, t) => getInvoice(ctx, t.invoice as Invoice),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${prefix}/payment-methods$`),
      scope,
      permission: PERMISSIONS.viewInvoices,
      run: (ctx, _n, t) => getPaymentMethods(ctx, t.invoice as Invoice),
    },
    {
      method: "POST",
      pattern: new RegExp(`^${prefix}/status$`),
      scope,
      permission: PERMISSIONS.modifyInvoices,
      requestSchema: "MarkInvoiceStatusRequest",
      run: (ctx, _n, t) => markInvoiceStatus(ctx, t.invoice as Invoice, t.body as { status?: string }),
    },
    {
      method: "POST",
      pattern: new RegExp(`^${prefix}/refund$`),
      scope,
      permission: PERMISSIONS.nonApprovedPullPayments,
      requestSchema: "RefundInvoiceRequest",
      run: (ctx, _n, t) =>
        refundInvoice(ctx, t.invoice as Invoice, t.body as object, holds(t.grant, PERMISSIONS.pullPayments)),
    },
  ];
}

function webhookRoutes(prefix: string, scope: "store-webhook" | "webhook"): Route[] {
  const permission = PERMISSIONS.webhooks;
  return [
    {
      method: "GET",
      pattern: new RegExp(`^${prefix}$`),
      scope,
      permission,
      run: (_c, _n, t) => getWebhook(t.webhook as Webhook),
    },
    {
      method: "PUT",
      pattern: new RegExp(`^${prefix}$`),
      scope,
      permission,
      requestSchema: "WebhookDataUpdate",
      run: (_c, _n, t) => updateWebhook(t.webhook as Webhook, t.body as object),
    },
    {
      method: "DELETE",
      pattern: new RegExp(`^${prefix}$`),
      scope,
      permission,
      run: (ctx, _n, t) => deleteWebhook(ctx, t.webhook as Webhook),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${prefix}/deliveries$`),
      scope,
      permission,
      run: (ctx, _n, t) => listDeliveries(ctx, t.webhook as Webhook, t.query),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${prefix}/deliveries/${ID}$`),
      scope,
      permission,
      run: (ctx, _n, t) => getDelivery(ctx, t.webhook as Webhook, t.rest[0] ?? ""),
    },
    {
      method: "GET",
      pattern: new RegExp(`^${prefix}/deliveries/${ID}/request$`),
      scope,
      permission,
      run: (ctx, _n, t) => getDeliveryRequest(ctx, t.webhook as Webhook, t.rest[0] ?? ""),
    },
    {
      method: "POST",
      pattern: new RegExp(`^${prefix}/deliveries/${ID}/redeliver$`),
      scope,
      permission,
      run: (ctx, notifier, t) => redeliver(ctx, notifier, t.webhook as Webhook, t.rest[0] ?? ""),
    },
  ];
}

export const ROUTES: Route[] = [
  {
    method: "POST",
    pattern: new RegExp(`^/api/v1/stores/${ID}/invoices$`),
    scope: "store",
    permission: PERMISSIONS.createInvoice,
    requestSchema: "CreateInvoiceRequest",
    run: (ctx, _n, t) => createInvoice(ctx, t.store, t.body as object),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v1/stores/${ID}/invoices$`),
    scope: "store",
    permission: PERMISSIONS.viewInvoices,
    run: (ctx, _n, t) => listInvoices(ctx, t.store.id, t.query),
  },
  ...invoiceRoutes(`/api/v1/stores/${ID}/invoices/${ID}`, "store-invoice"),
  ...invoiceRoutes(`/api/v1/invoices/${ID}`, "invoice"),
  {
    method: "POST",
    pattern: new RegExp(`^/api/v1/stores/${ID}/webhooks$`),
    scope: "store",
    permission: PERMISSIONS.webhooks,
    requestSchema: "WebhookDataCreate",
    run: (ctx, _n, t) => createWebhook(ctx, t.store.id, t.body as object),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/api/v1/stores/${ID}/webhooks$`),
    scope: "store",
    permission: PERMISSIONS.webhooks,
    run: (ctx, _n, t) => listWebhooks(ctx, t.store.id),
  },
  ...webhookRoutes(`/api/v1/stores/${ID}/webhooks/${ID}`, "store-webhook"),
  ...webhookRoutes(`/api/v1/webhooks/${ID}`, "webhook"),
  {
    method: "GET",
    pattern: new RegExp(`^/api/v1/pull-payments/${ID}$`),
    scope: "public",
    permission: null,
    run: (ctx, _n, t) => getPullPayment(ctx, t.rest[0] ?? ""),
  },
];

export const invoiceNotFound = (): Outcome => apiError(404, "invoice-not-found", "The invoice was not found");

export function missingPermission(permission: string): Outcome {
  return {
    status: 403,
    body: {
      code: "missing-permission",
      message: `Insufficient API Permissions. Please use an API key with permission "${permission}". You can create an API key in your account's settings / Api Keys.`,
      missingPermission: permission,
    },
  };
}

export const unauthenticated = (): Outcome =>
  apiError(401, "unauthenticated", "Authentication is required for accessing this endpoint");
