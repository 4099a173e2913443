/** The Stripe operations the simulator implements, named by their path template in the OpenAPI spec. */
import type { Call, SimContext } from "./context.ts";
import { listEvents, retrieveEvent } from "./events.ts";
import { cancelIntent, captureIntent } from "./intent-actions.ts";
import { confirmIntent, createIntent, listIntents, retrieveIntent } from "./intents.ts";
import { retrieveBalanceTransaction, retrieveCharge, retrievePaymentMethod } from "./objects.ts";
import type { Outcome } from "./outcomes.ts";
import { createRefund, listRefunds, retrieveRefund } from "./refunds.ts";
import { createToken, retrieveToken } from "./tokens.ts";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  retrieveWebhookEndpoint,
  updateWebhookEndpoint,
} from "./webhook-endpoints.ts";

export interface Route {
  method: "GET" | "POST" | "DELETE";
  template: string;
  /** What the answer is, for `expand`: an object kind, or `list:<kind>`. */
  answers: string;
  /** Whether a publishable key may call it (only token creation). */
  publishable?: boolean;
  run(ctx: SimContext, call: Call): Outcome;
}

export const ROUTES: readonly Route[] = [
  { method: "POST", template: "/v1/payment_intents", answers: "payment_intent", run: createIntent },
  { method: "GET", template: "/v1/payment_intents", answers: "list:payment_intent", run: listIntents },
  { method: "GET", template: "/v1/payment_intents/{intent}", answers: "payment_intent", run: retrieveIntent },
  {
    method: "POST",
    template: "/v1/payment_intents/{intent}/confirm",
    answers: "payment_intent",
    run: confirmIntent,
  },
  {
    method: "POST",
    template: "/v1/payment_intents/{intent}/capture",
    answers: "payment_intent",
    run: captureIntent,
  },
  {
    method: "POST",
    template: "/v1/payment_intents/{intent}/cancel",
    answers: "payment_intent",
    run: cancelIntent,
  },
  { method: "POST", template: "/v1/tokens", answers: "token", publishable: true, run: createToken },
  { method: "GET", template: "/v1/tokens/{token}", answers: "token", run: retrieveToken },
  { method: "GET", template: "/v1/charges/{charge}", answers: "charge", run: retrieveCharge },
  {
    method: "GET",
    template: "/v1/payment_methods/{payment_method}",
    answers: "payment_method",
    run: retrievePaymentMethod,
  },
  {
    method: "GET",
    template: "/v1/balance_transactions/{id}",
    answers: "balance_transaction",
    run: retrieveBalanceTransaction,
  },
  { method: "POST", template: "/v1/refunds", answers: "refund", run: createRefund },
  { method: "GET", template: "/v1/refunds", answers: "list:refund", run: listRefunds },
  { method: "GET", template: "/v1/refunds/{refund}", answers: "refund", run: retrieveRefund },
  { method: "GET", template: "/v1/events", answers: "list:event", run: listEvents },
  { method: "GET", template: "/v1/events/{id}", answers: "event", run: retrieveEvent },
  {
    method: "POST",
    template: "/v1/webhook_endpoints",
    answers: "webhook_endpoint",
    run: createWebhookEndpoint,
  },
  {
    method: "GET",
    template: "/v1/webhook_endpoints",
    answers: "list:webhook_endpoint",
    run: listWebhookEndpoints,
  },
  {
    method: "GET",
    template: "/v1/webhook_endpoints/{webhook_endpoint}",
    answers: "webhook_endpoint",
    run: retrieveWebhookEndpoint,
  },
  {
    method: "POST",
    template: "/v1/webhook_endpoints/{webhook_endpoint}",
    answers: "webhook_endpoint",
    run: updateWebhookEndpoint,
  },
  {
    method: "DELETE",
    template: "/v1/webhook_endpoints/{webhook_endpoint}",
    answers: "webhook_endpoint",
    run: deleteWebhookEndpoint,
  },
];

export interface MatchedRoute {
  route: Route;
  path: Record<string, string>;
}

const compiled = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { route, names, pattern: new RegExp(`^${source}$`) };
});

export function matchRoute(method: string, pathname: string): MatchedRoute | null {
  for (const { route, names, pattern } of compiled) {
    if (route.method !== method) continue;
    const match = pattern.exec(pathname);
    if (!match) continue;
    try {
      const path = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]));
      return { route, path };
    } catch {
      return null;
    }
  }
  return null;
}
