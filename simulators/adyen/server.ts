/** The HTTP layer: routing, X-API-Key auth, spec validation both ways, idempotency and faults. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context, Outcome } from "./context.ts";
import { CHECKOUT_ERRORS, managementError, type ServiceError } from "./errors.ts";
import type { FaultBook } from "./faults.ts";
import { json, matchPath, type Reply, readBody, type Sent, send } from "./http.ts";
import { claim, fingerprint, IDEMPOTENCY_KEY_MAX } from "./idempotency.ts";
import type { SimulatorLogger } from "./logger.ts";
import { type Api, ROUTES, type Route } from "./routes.ts";
import { handleAdmin, handleChallenge } from "./simulator-routes.ts";
import type { CheckoutSchema, SchemaProblem, SpecValidators } from "./spec.ts";
import type { Account, StoredResponse } from "./store.ts";

type Finish = (response: StoredResponse | null) => void;

/** Any key of at least 24 printable characters is a company account of its own. */
const API_KEY = /^[\x21-\x7e]{24,}$/;

export interface ServerDeps {
  ctx: Context;
  faults: FaultBook;
  logger: SimulatorLogger;
  spec: SpecValidators;
  /** Called when the simulator produced a body its spec rejects; throws in strict mode. */
  onViolation(message: string): void;
}

function apiOf(path: string): Api {
  return path.startsWith("/v3/") ? "management" : "checkout";
}

function managementReply(status: number, errorCode: string, title: string, detail: string): Sent {
  return json(status, managementError(status, errorCode, title, detail));
}

function problemToError(problem: SchemaProblem, schema: CheckoutSchema): ServiceError {
  if (problem.kind === "missing" && problem.field === "amount") return CHECKOUT_ERRORS.amountMissing();
  if (problem.kind === "missing" && problem.field === "returnUrl" && schema === "PaymentRequest") {
    return CHECKOUT_ERRORS.returnUrlMissing();
  }
  return CHECKOUT_ERRORS.invalidField(problem.message);
}

export function createRequestHandler(deps: ServerDeps) {
  const { ctx, faults, logger, spec } = deps;

  /** Every Checkout body leaves through here, checked against the spec. */
  function checkout(
    status: number,
    body: unknown,
    schema: CheckoutSchema,
    headers: Record<string, string> = {},
  ): Sent {
    const violation = spec.response(status < 300 ? schema : "ServiceError", body);
    if (violation) deps.onViolation(violation);
    return json(status, body, headers);
  }

  function error(
    api: Api,
    status: 401 | 404 | 405 | 500 | 503 | 429,
    headers: Record<string, string> = {},
  ): Sent {
    if (api === "management") {
      const titles = {
        401: "Unauthorized",
        404: "Not found",
        405: "Method not allowed",
        500: "Internal error",
        503: "Service unavailable",
        429: "Too many requests",
      } as const;
      return managementReply(status, `00_${status}`, titles[status], titles[status]);
    }
    const bodies = {
      401: CHECKOUT_ERRORS.unauthorized,
      404: CHECKOUT_ERRORS.notFound,
      405: CHECKOUT_ERRORS.methodNotAllowed,
      500: CHECKOUT_ERRORS.internal,
      503: CHECKOUT_ERRORS.unavailable,
      429: CHECKOUT_ERRORS.tooManyRequests,
    } as const;
    return checkout(status, bodies[status](), "ServiceError", headers);
  }

  function findRoute(
    method: string,
    path: string,
  ): { route: Route; params: string[] } | "no_path" | "no_method" {
    let known = false;
    for (const route of ROUTES) {
      const params = matchPath(route.pattern, path);
      if (!params) continue;
      known = true;
      if (route.method === method) return { route, params };
    }
    return known ? "no_method" : "no_path";
  }

  function parseBody(route: Route, raw: Buffer): { ok: true; body: unknown } | { ok: false; reply: Sent } {
    const text = raw.toString("utf8");
    if (text.trim() === "" && route.api === "management") return { ok: true, body: {} };
    try {
      return { ok: true, body: JSON.parse(text) };
    } catch {
      // The body may hold card data, so the message never quotes it.
      if (route.api === "management") {
        return {
          ok: false,
          reply: managementReply(400, "00_400", "Bad request", "The request body is not valid JSON"),
        };
      }
      const detail = text.trim() === "" ? "end of input, expected: {" : "the request body is not valid JSON";
      return { ok: false, reply: checkout(400, CHECKOUT_ERRORS.unparsable(detail), "ServiceError") };
    }
  }

  function handleApi(req: IncomingMessage, path: string, raw: Buffer): Reply {
    const method = req.method ?? "GET";
    const api = apiOf(path);
    const found = findRoute(method, path);
    if (found === "no_path") return error(api, 404);
    if (found === "no_method") return error(api, 405);
    const { route, params } = found;

    const apiKey = req.headers["x-api-key"];
    if (typeof apiKey !== "string" || !API_KEY.test(apiKey)) return error(api, 401);
    const account = ctx.store.account(apiKey);

    let body: unknown;
    if (method === "POST" || method === "PATCH") {
      const parsed = parseBody(route, raw);
      if (!parsed.ok) return parsed.reply;
      body = parsed.body;
    }

    const key = req.headers["idempotency-key"];
    const headers: Record<string, string> = typeof key === "string" ? { "idempotency-key": key } : {};
    let finish: Finish | null = null;
    if (typeof key === "string" && method !== "GET" && method !== "DELETE") {
      const gate = idempotencyGate(account, key, fingerprint(method, path, body), headers);
      if (gate.kind === "reply") return gate.reply;
      finish = gate.finish;
    }

    let outcome: Outcome;
    let reply: Sent;
    try {
      outcome = execute(route, account, params, body);
      reply = route.schemas
        ? checkout(outcome.status, outcome.body, route.schemas.response, headers)
        : json(outcome.status, outcome.body, headers);
    } catch (thrown) {
      finish?.(null);
      throw thrown;
    }
    finish?.(outcome.remember ? { status: reply.status, body: reply.body } : null);
    return outcome.hangUp ? { kind: "hang_up" } : reply;
  }

  function idempotencyGate(
    account: Account,
    key: string,
    print: string,
    headers: Record<string, string>,
  ): { kind: "reply"; reply: Sent } | { kind: "go"; finish: Finish } {
    if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX) {
      return { kind: "reply", reply: checkout(422, CHECKOUT_ERRORS.idempotencyKeyTooLong(), "ServiceError") };
    }
    const claimed = claim(account, key, print, ctx.now());
    switch (claimed.kind) {
      case "fresh":
        return { kind: "go", finish: claimed.finish };
      case "replay": {
        const { status, body } = claimed.response;
        return { kind: "reply", reply: { ...json(status, null, headers), body } };
      }
      case "mismatch": {
        const transient = { ...headers, "transient-error": "false" };
        return {
          kind: "reply",
          reply: checkout(422, CHECKOUT_ERRORS.idempotencyMismatch(), "ServiceError", transient),
        };
      }
      case "in_progress": {
        const transient = { ...headers, "transient-error": "true" };
        return {
          kind: "reply",
          reply: checkout(409, CHECKOUT_ERRORS.idempotencyInProgress(), "ServiceError", transient),
        };
      }
    }
  }

  function execute(route: Route, account: Account, params: string[], body: unknown): Outcome {
    const problem = route.schemas ? spec.request(route.schemas.request, body) : null;
    if (route.schemas && problem) {
      const rejected = problemToError(problem, route.schemas.request);
      return { status: rejected.status, body: rejected, remember: false };
    }
    return route.run(ctx, account, params, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://adyen.invalid");
    const raw = await readBody(req);
    if (raw === null) return send(res, json(413, CHECKOUT_ERRORS.tooLarge()));
    if (url.pathname === "/_admin/faults") return send(res, handleAdmin(faults, req, raw));

    const injected = faults.forRequest(url.pathname, req.method);
    if (injected.latencyMs > 0) await ctx.lifecycle.sleep(injected.latencyMs);
    const action = injected.action;
    if (action?.kind === "status") {
      const headers: Record<string, string> = action.status === 429 ? { "retry-after": "1" } : {};
      return send(res, error(apiOf(url.pathname), action.status, headers));
    }
    if (action?.kind === "reset" && !action.after) return send(res, { kind: "hang_up" });

    const challenge = /^\/simulator\/3ds\/([^/]+)$/.exec(url.pathname);
    const reply = challenge
      ? handleChallenge(ctx, req, challenge[1] ?? "", raw)
      : handleApi(req, url.pathname, raw);
    if (action?.kind === "reset") return send(res, { kind: "hang_up" });
    send(res, reply, action?.kind === "malformed");
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((thrown: unknown) => {
      logger.error({ err: thrown, path: req.url }, "adyen simulator request failed");
      if (!res.headersSent) send(res, json(500, CHECKOUT_ERRORS.internal()));
      else res.destroy();
    });
  };
}
