/** The HTTP layer: routing, `Authorization: token` auth and store permissions, spec validation, faults. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleCheckout, pullPaymentPage } from "./checkout-page.ts";
import type { Context, Outcome } from "./context.ts";
import { apiError, validationError } from "./context.ts";
import { type FaultBook, faultSchema } from "./faults.ts";
import { json, type Reply, raw, readBody, type Sent, send } from "./http.ts";
import type { SimulatorLogger } from "./logger.ts";
import type { Notifier } from "./notifier.ts";
import { exportCsv, periodFromQuery } from "./report.ts";
import {
  invoiceNotFound,
  missingPermission,
  PERMISSIONS,
  ROUTES,
  type Route,
  type Target,
  unauthenticated,
} from "./routes.ts";
import { holds, type KeyGrant, type StoreSettings } from "./store.ts";
import { webhookNotFound } from "./webhooks.ts";

export interface ServerDeps {
  ctx: Context;
  notifier: Notifier;
  faults: FaultBook;
  logger: SimulatorLogger;
  /** Called when the simulator produced a body its spec rejects; throws in strict mode. */
  onViolation(message: string): void;
}

function decode(parts: string[]): string[] | null {
  try {
    return parts.map((part) => decodeURIComponent(part));
  } catch {
    return null;
  }
}

/** `Authorization: token <apikey>`; null when absent or not a token. */
function apiKeyOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header !== "string") return null;
  const match = /^token\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] ?? null) : null;
}

export function createRequestHandler(deps: ServerDeps) {
  const { ctx, notifier, faults, logger } = deps;

  function reply(outcome: Outcome): Sent {
    if (outcome.schema) {
      const violation = outcome.schema.endsWith("[]")
        ? (((outcome.body as unknown[]) ?? [])
            .map((item) => ctx.spec.response(outcome.schema?.slice(0, -2) ?? "", item))
            .find((v) => v !== null) ?? null)
        : ctx.spec.response(outcome.schema, outcome.body);
      if (violation) deps.onViolation(violation);
    }
    if (Buffer.isBuffer(outcome.body)) return raw(outcome.status, outcome.body, outcome.headers ?? {});
    return json(outcome.status, outcome.body, outcome.headers ?? {});
  }

  function findRoute(
    method: string,
    path: string,
  ): { route: Route; params: string[] } | "no_path" | "no_method" {
    let known = false;
    for (const route of ROUTES) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      known = true;
      const params = decode(match.slice(1));
      if (params && route.method === method) return { route, params };
    }
    return known ? "no_method" : "no_path";
  }

  /** The store a key may act on with the route's permission, or the 403 BTCPay answers. */
  function authorize(grant: KeyGrant, storeId: string, permission: string): StoreSettings | Outcome {
    const settings = ctx.store.stores.get(storeId);
    if (!settings || !grant.storeIds.has(storeId) || !holds(grant, permission))
      return missingPermission(permission);
    return settings;
  }

  function resolve(
    route: Route,
    params: string[],
    grant: KeyGrant | null,
  ): Omit<Target, "body" | "query"> | Outcome {
    const permission = route.permission ?? "";
    const bare = { invoice: null, webhook: null };
    if (route.scope === "public") {
      return { store: null as unknown as StoreSettings, grant: grant as KeyGrant, ...bare, rest: params };
    }
    if (!grant) return unauthenticated();
    const [first = "", second = ""] = params;
    switch (route.scope) {
      case "store": {
        const store = authorize(grant, first, permission);
        return "id" in store ? { store, grant, ...bare, rest: params.slice(1) } : store;
      }
      case "store-invoice":
      case "invoice": {
        const scoped = route.scope === "store-invoice";
        const invoice = ctx.store.invoices.get(scoped ? second : first);
        const storeId = scoped ? first : (invoice?.storeId ?? "");
        if (scoped || invoice) {
          const store = authorize(grant, storeId, permission);
          if (!("id" in store)) return store;
          if (!invoice || invoice.storeId !== store.id) return invoiceNotFound();
          return { store, grant, invoice, webhook: null, rest: params.slice(scoped ? 2 : 1) };
        }
        return invoiceNotFound();
      }
      case "store-webhook":
      case "webhook": {
        const scoped = route.scope === "store-webhook";
        const webhook = ctx.store.webhooks.get(scoped ? second : first);
        const storeId = scoped ? first : (webhook?.storeId ?? "");
        if (scoped || webhook) {
          const store = authorize(grant, storeId, permission);
          if (!("id" in store)) return store;
          if (!webhook || webhook.storeId !== store.id) return webhookNotFound();
          return { store, grant, invoice: null, webhook, rest: params.slice(scoped ? 2 : 1) };
        }
        return webhookNotFound();
      }
    }
  }

  function handleApi(req: IncomingMessage, url: URL, body: Buffer): Sent {
    const method = req.method ?? "GET";
    const found = findRoute(method, url.pathname);
    if (found === "no_path")
      return reply(apiError(404, "not-found", "The requested endpoint does not exist"));
    if (found === "no_method") return json(405, null);
    const { route, params } = found;
    const key = apiKeyOf(req);
    const grant = key === null ? null : (ctx.store.keys.get(key) ?? null);
    if (key !== null && !grant) return reply(unauthenticated());
    const target = resolve(route, params, grant);
    if ("status" in target) return reply(target);

    let parsed: unknown = null;
    if (route.requestSchema) {
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        return reply(validationError([{ path: "", message: "The request body is not valid JSON" }]));
      }
      const problems = ctx.spec.request(route.requestSchema, parsed);
      if (problems.length > 0) return reply(validationError(problems));
    }
    return reply(route.run(ctx, notifier, { ...target, body: parsed, query: url.searchParams }));
  }

  /** BTCPay's invoice export (a dashboard download there; here it takes the API key). */
  function handleExport(req: IncomingMessage, url: URL, storeId: string, format: string): Sent {
    const key = apiKeyOf(req);
    const grant = key === null ? null : ctx.store.keys.get(key);
    if (!grant) return reply(unauthenticated());
    const store = authorize(grant, storeId, PERMISSIONS.viewInvoices);
    if (!("id" in store)) return reply(store);
    if (format !== "csv") return raw(400, "Export format not supported", { "content-type": "text/plain" });
    const period = periodFromQuery(url.searchParams);
    if (!period) return raw(400, "Invalid date filter", { "content-type": "text/plain" });
    const stamp = ctx.now().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    return raw(200, exportCsv(ctx, store.id, period), {
      "content-type": "application/csv",
      "content-disposition": `inline; filename=btcpay-export-${stamp}.csv`,
      "x-content-type-options": "nosniff",
    });
  }

  function handleAdmin(req: IncomingMessage, body: Buffer): Sent {
    if (req.method === "DELETE") {
      faults.clear();
      return json(200, { ok: true });
    }
    if (req.method !== "POST") return json(405, { error: "Use POST or DELETE." });
    let input: unknown;
    try {
      input = JSON.parse(body.toString("utf8"));
    } catch {
      return json(400, { error: "The request body is not valid JSON." });
    }
    const parsed = faultSchema.safeParse(input);
    if (!parsed.success) return json(422, { error: parsed.error.issues[0]?.message ?? "invalid fault" });
    faults.inject(parsed.data);
    return json(200, { ok: true });
  }

  function route(req: IncomingMessage, url: URL, body: Buffer): Reply {
    const path = url.pathname;
    const checkout = /^\/i\/([^/]+)$/.exec(path);
    if (checkout) return handleCheckout(ctx, req, decode([checkout[1] ?? ""])?.[0] ?? "", body);
    const pullPayment = /^\/pull-payments\/([^/]+)$/.exec(path);
    if (pullPayment) return pullPaymentPage(ctx, decode([pullPayment[1] ?? ""])?.[0] ?? "");
    const exported = /^\/stores\/([^/]+)\/invoices\/export\/([^/]+)$/.exec(path);
    if (exported && req.method === "GET") {
      const [storeId = "", format = ""] = decode([exported[1] ?? "", exported[2] ?? ""]) ?? [];
      return handleExport(req, url, storeId, format);
    }
    return handleApi(req, url, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://btcpay.invalid");
    const body = await readBody(req);
    if (body === null)
      return send(res, json(413, { code: "request-too-large", message: "Request too large" }));
    if (url.pathname === "/_admin/faults") return send(res, handleAdmin(req, body));

    const injected = faults.forRequest(url.pathname, req.method);
    if (injected.latencyMs > 0) await ctx.lifecycle.sleep(injected.latencyMs);
    const action = injected.action;
    if (action?.kind === "status") {
      const messages = { 500: "Internal server error", 503: "Service unavailable", 429: "Too many requests" };
      const headers: Record<string, string> = action.status === 429 ? { "retry-after": "1" } : {};
      const code = { 500: "internal-error", 503: "service-unavailable", 429: "rate-limited" }[action.status];
      return send(res, json(action.status, { code, message: messages[action.status] }, headers));
    }
    if (action?.kind === "reset" && !action.after) return send(res, { kind: "hang_up" });
    const result = route(req, url, body);
    if (action?.kind === "reset") return send(res, { kind: "hang_up" });
    send(res, result, action?.kind === "malformed");
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((thrown: unknown) => {
      logger.error({ err: thrown, path: req.url }, "btcpay simulator request failed");
      if (!res.headersSent)
        send(res, json(500, { code: "internal-error", message: "Internal server error" }));
      else res.destroy();
    });
  };
}
