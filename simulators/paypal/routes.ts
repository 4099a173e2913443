/** The REST operations: method, path pattern, spec operation and handler. */
import type { Call, Context, Outcome } from "./context.ts";
import { authorizeOrder, captureOrder, createOrder, showOrder } from "./orders.ts";
import {
  captureAuthorization,
  refundCapture,
  showAuthorization,
  showCapture,
  showRefund,
  voidAuthorization,
} from "./payments.ts";
import type { Operation } from "./spec.ts";
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  resendEvent,
  showEvent,
  showWebhook,
  type VerifierDeps,
  verifyWebhookSignature,
} from "./webhooks.ts";

export interface Route {
  method: "GET" | "POST" | "DELETE";
  pattern: RegExp;
  op: Operation;
  /** Honours PayPal-Request-Id: a repeated id replays the first answer. */
  idempotent: boolean;
  handle(ctx: Context, call: Call, deps: VerifierDeps): Outcome;
}

const ID = "([A-Za-z0-9-]{1,64})";

function route(
  method: Route["method"],
  path: string,
  op: Operation,
  handle: Route["handle"],
  idempotent = false,
): Route {
  return { method, pattern: new RegExp(`^${path.replaceAll(":id", ID)}$`), op, handle, idempotent };
}

export const ROUTES: Route[] = [
  route("POST", "/v2/checkout/orders", "orders.create", createOrder, true),
  route("GET", "/v2/checkout/orders/:id", "orders.get", showOrder),
  route("POST", "/v2/checkout/orders/:id/capture", "orders.capture", captureOrder, true),
  route("POST", "/v2/checkout/orders/:id/authorize", "orders.authorize", authorizeOrder, true),
  route("GET", "/v2/payments/authorizations/:id", "authorizations.get", showAuthorization),
  route(
    "POST",
    "/v2/payments/authorizations/:id/capture",
    "authorizations.capture",
    captureAuthorization,
    true,
  ),
  route("POST", "/v2/payments/authorizations/:id/void", "authorizations.void", voidAuthorization, true),
  route("GET", "/v2/payments/captures/:id", "captures.get", showCapture),
  route("POST", "/v2/payments/captures/:id/refund", "captures.refund", refundCapture, true),
  route("GET", "/v2/payments/refunds/:id", "refunds.get", showRefund),
  route("POST", "/v1/notifications/webhooks", "webhooks.create", createWebhook),
  route("GET", "/v1/notifications/webhooks", "webhooks.list", listWebhooks),
  route("GET", "/v1/notifications/webhooks/:id", "webhooks.get", showWebhook),
  route("DELETE", "/v1/notifications/webhooks/:id", "webhooks.delete", deleteWebhook),
  route("GET", "/v1/notifications/webhooks-events/:id", "events.get", showEvent),
  route("POST", "/v1/notifications/webhooks-events/:id/resend", "events.resend", resendEvent),
  route("POST", "/v1/notifications/verify-webhook-signature", "webhooks.verify", (ctx, call, deps) =>
    verifyWebhookSignature(ctx, call, deps),
  ),
];

export function findRoute(
  method: string,
  path: string,
): { route: Route; params: string[] } | "no_path" | "no_method" {
  let known = false;
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    known = true;
    if (candidate.method === method) return { route: candidate, params: match.slice(1) };
  }
  return known ? "no_method" : "no_path";
}
