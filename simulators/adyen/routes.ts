/** The paths the simulator answers: Adyen's real ones, Checkout v71 and Management v3. */
import type { Context, Outcome } from "./context.ts";
import {
  createWebhook,
  deleteWebhook,
  generateHmac,
  getWebhook,
  listWebhooks,
  updateWebhook,
} from "./management.ts";
import { modifyPayment, technicalCancel } from "./modifications.ts";
import { createPayment, paymentDetails } from "./payments.ts";
import type { CheckoutSchema } from "./spec.ts";
import type { Account } from "./store.ts";

export type Api = "checkout" | "management";
export type Method = "GET" | "POST" | "PATCH" | "DELETE";

export interface Route {
  api: Api;
  method: Method;
  pattern: RegExp;
  /** Checkout routes: the spec schemas of the request body and of a 2xx answer. */
  schemas?: { request: CheckoutSchema; response: CheckoutSchema };
  run(ctx: Context, account: Account, params: string[], body: unknown): Outcome;
}

const p = (params: string[], index = 0) => params[index] ?? "";

function modification(
  kind: "capture" | "cancel" | "refund" | "reversal",
  plural: string,
  schema: string,
): Route {
  return {
    api: "checkout",
    method: "POST",
    pattern: new RegExp(`^/v71/payments/([^/]+)/${plural}$`),
    schemas: {
      request: `Payment${schema}Request` as CheckoutSchema,
      response: `Payment${schema}Response` as CheckoutSchema,
    },
    run: (ctx, account, params, body) => modifyPayment(ctx, account, kind, p(params), body),
  };
}

const WEBHOOKS = /^\/v3\/merchants\/([^/]+)\/webhooks$/;
const WEBHOOK = /^\/v3\/merchants\/([^/]+)\/webhooks\/([^/]+)$/;

export const ROUTES: Route[] = [
  {
    api: "checkout",
    method: "POST",
    pattern: /^\/v71\/payments$/,
    schemas: { request: "PaymentRequest", response: "PaymentResponse" },
    run: (ctx, account, _params, body) => createPayment(ctx, account, body),
  },
  {
    api: "checkout",
    method: "POST",
    pattern: /^\/v71\/payments\/details$/,
    schemas: { request: "PaymentDetailsRequest", response: "PaymentDetailsResponse" },
    run: (ctx, account, _params, body) => paymentDetails(ctx, account, body),
  },
  modification("capture", "captures", "Capture"),
  modification("cancel", "cancels", "Cancel"),
  modification("refund", "refunds", "Refund"),
  modification("reversal", "reversals", "Reversal"),
  {
    api: "checkout",
    method: "POST",
    pattern: /^\/v71\/cancels$/,
    schemas: { request: "StandalonePaymentCancelRequest", response: "StandalonePaymentCancelResponse" },
    run: (ctx, account, _params, body) => technicalCancel(ctx, account, body),
  },
  {
    api: "management",
    method: "POST",
    pattern: WEBHOOKS,
    run: (ctx, account, params, body) => createWebhook(ctx, account, p(params), body),
  },
  {
    api: "management",
    method: "GET",
    pattern: WEBHOOKS,
    run: (ctx, account, params) => listWebhooks(ctx, account, p(params)),
  },
  {
    api: "management",
    method: "GET",
    pattern: WEBHOOK,
    run: (ctx, account, params) => getWebhook(ctx, account, p(params), p(params, 1)),
  },
  {
    api: "management",
    method: "PATCH",
    pattern: WEBHOOK,
    run: (ctx, account, params, body) => updateWebhook(ctx, account, p(params), p(params, 1), body),
  },
  {
    api: "management",
    method: "DELETE",
    pattern: WEBHOOK,
    run: (_ctx, account, params) => deleteWebhook(account, p(params), p(params, 1)),
  },
  {
    api: "management",
    method: "POST",
    pattern: /^\/v3\/merchants\/([^/]+)\/webhooks\/([^/]+)\/generateHmac$/,
    run: (ctx, account, params) => generateHmac(ctx, account, p(params), p(params, 1)),
  },
];
