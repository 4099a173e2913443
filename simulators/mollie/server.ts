/** The HTTP layer: routing, Bearer auth, JSON parsing, idempotency, faults, checkout page and exports. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleCheckout } from "./checkout-page.ts";
import type { Context, Outcome } from "./context.ts";
import { ERRORS } from "./errors.ts";
import { type FaultBook, faultSchema } from "./faults.ts";
import { csv, hal, matchPath, type Reply, readBody, type Sent, send } from "./http.ts";
import { claim, fingerprint } from "./idempotency.ts";
import type { SimulatorLogger } from "./logger.ts";
import { movementsCsv } from "./report-csv.ts";
import { ROUTES, type Route } from "./routes.ts";
import { findSettlement, movementsOfDay } from "./settlements.ts";
import type { Account } from "./store.ts";
import { DAY_PATTERN } from "./time.ts";

/** Every `test_` key of at least 30 characters is an account of its own. */
export const API_KEY = /^test_[A-Za-z0-9]+$/;
const API_KEY_MIN_LENGTH = 30;

export interface ServerDeps {
  ctx: Context;
  faults: FaultBook;
  logger: SimulatorLogger;
}

function outcomeReply(outcome: Outcome, headers: Record<string, string> = {}): Sent {
  return hal(outcome.status, outcome.body, headers);
}

function authenticate(ctx: Context, req: IncomingMessage): Account | null {
  const header = req.headers.authorization;
  const key = typeof header === "string" ? /^Bearer (\S+)$/.exec(header)?.[1] : undefined;
  if (!key || key.length < API_KEY_MIN_LENGTH || !API_KEY.test(key)) return null;
  return ctx.account(key);
}

function parseJson(raw: Buffer): { ok: true; body: unknown } | { ok: false } {
  const text = raw.toString("utf8");
  if (text.trim() === "") return { ok: true, body: {} };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
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

export function createRequestHandler(deps: ServerDeps) {
  const { ctx, faults, logger } = deps;

  function handleApi(req: IncomingMessage, url: URL, raw: Buffer): Sent {
    const method = req.method ?? "GET";
    const found = findRoute(method, url.pathname);
    if (found === "no_path") return outcomeReply({ status: 404, body: ERRORS.noResource() });
    if (found === "no_method") return outcomeReply({ status: 405, body: ERRORS.methodNotAllowed(method) });
    const account = authenticate(ctx, req);
    if (!account) return outcomeReply({ status: 401, body: ERRORS.unauthorized() });

    let body: unknown = {};
    if (method !== "GET") {
      const parsed = parseJson(raw);
      if (!parsed.ok) return outcomeReply({ status: 400, body: ERRORS.invalidJson() });
      body = parsed.body;
    }

    const key = req.headers["idempotency-key"];
    let finish: ((stored: { status: number; body: string } | null) => void) | null = null;
    if (typeof key === "string" && key !== "" && method !== "GET") {
      const claimed = claim(account, key, fingerprint(method, url.pathname, body), ctx.now());
      if (claimed.kind === "mismatch")
        return outcomeReply({ status: 422, body: ERRORS.idempotencyMismatch() });
      if (claimed.kind === "in_progress")
        return outcomeReply({ status: 409, body: ERRORS.idempotencyInProgress() });
      if (claimed.kind === "replay") {
        const { status, body: stored } = claimed.response;
        return { ...hal(status, null), body: stored };
      }
      finish = claimed.finish;
    }

    let reply: Sent;
    try {
      reply = outcomeReply(
        found.route.run(ctx, { account, params: found.params, body, query: url.searchParams }),
      );
    } catch (thrown) {
      finish?.(null);
      throw thrown;
    }
    finish?.(reply.status < 500 ? { status: reply.status, body: reply.body } : null);
    return reply;
  }

  /** The dashboard's "Download as CSV", for a settlement or one Amsterdam day of the balance. */
  function handleExport(req: IncomingMessage, path: string): Sent {
    const account = authenticate(ctx, req);
    if (!account) return outcomeReply({ status: 401, body: ERRORS.unauthorized() });
    const settlement = /^\/simulator\/exports\/settlements\/([^/]+)\.csv$/.exec(path);
    if (settlement) {
      const record = findSettlement(ctx, account, settlement[1] ?? "");
      if (!record) return outcomeReply({ status: 404, body: ERRORS.noSettlement(settlement[1] ?? "") });
      return csv(
        movementsCsv(account, movementsOfDay(account, record.day)),
        `settlement-${record.reference}.csv`,
      );
    }
    const balance = /^\/simulator\/exports\/balance-report\/([^/]+)\.csv$/.exec(path);
    if (balance && DAY_PATTERN.test(balance[1] ?? "")) {
      const day = balance[1] ?? "";
      return csv(movementsCsv(account, movementsOfDay(account, day)), `balance-report-${day}.csv`);
    }
    return outcomeReply({ status: 404, body: ERRORS.noResource() });
  }

  function handleAdmin(req: IncomingMessage, raw: Buffer): Sent {
    if (req.method === "DELETE") {
      faults.clear();
      return hal(200, { ok: true });
    }
    if (req.method !== "POST") return hal(405, { error: "Use POST or DELETE." });
    const parsed = parseJson(raw);
    const fault = parsed.ok ? faultSchema.safeParse(parsed.body) : null;
    if (!fault?.success) return hal(422, { error: fault?.error.issues[0]?.message ?? "invalid JSON" });
    faults.inject(fault.data);
    return hal(200, { ok: true });
  }

  function route(req: IncomingMessage, url: URL, raw: Buffer): Reply {
    const checkout = /^\/checkout\/select-issuer\/ideal\/([^/]+)$/.exec(url.pathname);
    if (checkout) return handleCheckout(ctx, req.method ?? "GET", checkout[1] ?? "", raw);
    if (url.pathname.startsWith("/simulator/exports/")) return handleExport(req, url.pathname);
    return handleApi(req, url, raw);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://mollie.invalid");
    const raw = await readBody(req);
    if (raw === null) return send(res, outcomeReply({ status: 413, body: ERRORS.tooLarge() }));
    if (url.pathname === "/_admin/faults") return send(res, handleAdmin(req, raw));

    const injected = faults.forRequest(url.pathname, req.method);
    if (injected.latencyMs > 0) await ctx.lifecycle.sleep(injected.latencyMs);
    const action = injected.action;
    if (action?.kind === "status") {
      const headers: Record<string, string> = action.status === 429 ? { "retry-after": "1" } : {};
      return send(
        res,
        outcomeReply({ status: action.status, body: ERRORS.injected(action.status) }, headers),
      );
    }
    if (action?.kind === "reset" && !action.after) return send(res, { kind: "hang_up" });
    const reply = route(req, url, raw);
    if (action?.kind === "reset") return send(res, { kind: "hang_up" });
    send(res, reply, action?.kind === "malformed");
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((thrown: unknown) => {
      logger.error({ err: thrown, path: req.url }, "mollie simulator request failed");
      if (!res.headersSent) send(res, outcomeReply({ status: 500, body: ERRORS.internal() }));
      else res.destroy();
    });
  };
}
