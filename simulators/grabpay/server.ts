/** The HTTP layer: routing, authentication per route, and injected faults. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticateEither, authenticatePartner, authenticateToken, type RequestFacts } from "./auth.ts";
import { chargeComplete, chargeInit, chargeStatus, oneTimeChargeStatus } from "./charges.ts";
import type { Context } from "./context.ts";
import { ERR, partnerError } from "./errors.ts";
import type { FaultBook } from "./faults.ts";
import { type Reply, readBody, type Sent, send } from "./http.ts";
import type { SimulatorLogger } from "./logger.ts";
import { authorize, consent, token } from "./oauth.ts";
import { createRefund, refundStatus } from "./refunds.ts";
import { transactionReport } from "./report.ts";

const API = "/grabpay/partner/v2";

function decoded(part: string | undefined): string | null {
  try {
    return decodeURIComponent(part ?? "");
  } catch {
    return null;
  }
}

function route(ctx: Context, facts: RequestFacts, url: URL): Sent {
  const { method } = facts;
  const path = url.pathname;
  const post = method === "POST";
  const get = method === "GET";

  if (path === `${API}/charge/init`) {
    if (!post) return partnerError(ERR.methodNotAllowed());
    const auth = authenticatePartner(ctx, facts);
    return auth.ok ? chargeInit(ctx, auth.value, facts.body) : partnerError(auth.error);
  }
  if (path === `${API}/charge/complete`) {
    if (!post) return partnerError(ERR.methodNotAllowed());
    const auth = authenticateToken(ctx, facts);
    return auth.ok ? chargeComplete(ctx, auth.value, facts.body) : partnerError(auth.error);
  }
  if (path === `${API}/refund`) {
    if (!post) return partnerError(ERR.methodNotAllowed());
    const auth = authenticateEither(ctx, facts);
    return auth.ok ? createRefund(ctx, auth.value, facts.body) : partnerError(auth.error);
  }
  const status = /^\/grabpay\/partner\/v2\/(charge|one-time-charge|refund)\/([^/]+)\/status$/.exec(path);
  if (status) {
    if (!get) return partnerError(ERR.methodNotAllowed());
    const id = decoded(status[2]);
    if (id === null) return partnerError(ERR.invalidArgument("malformed partnerTxID", "partnerTxID"));
    if (status[1] === "one-time-charge") {
      const auth = authenticatePartner(ctx, facts);
      return auth.ok ? oneTimeChargeStatus(ctx, auth.value, id, url.searchParams) : partnerError(auth.error);
    }
    const auth = authenticateEither(ctx, facts);
    if (!auth.ok) return partnerError(auth.error);
    return status[1] === "charge"
      ? chargeStatus(ctx, auth.value, id, url.searchParams)
      : refundStatus(ctx, auth.value, id, url.searchParams);
  }
  if (path === "/grabid/v1/oauth2/authorize") {
    return get ? authorize(ctx, url.searchParams) : partnerError(ERR.methodNotAllowed());
  }
  if (path === "/grabid/v1/oauth2/token") {
    if (!post) return partnerError(ERR.methodNotAllowed());
    const contentType = String(facts.headers["content-type"] ?? "");
    return token(ctx, contentType, facts.body);
  }
  const page = /^\/simulator\/consent\/([^/]+)$/.exec(path);
  if (page) {
    return post ? consent(ctx, decoded(page[1]) ?? "", facts.body) : partnerError(ERR.methodNotAllowed());
  }
  if (path === "/simulator/reports/transactions") {
    if (!get) return partnerError(ERR.methodNotAllowed());
    const auth = authenticatePartner(ctx, facts);
    return auth.ok ? transactionReport(ctx, auth.value, url.searchParams) : partnerError(auth.error);
  }
  return partnerError(ERR.notFound(`no route for ${method} ${path}`));
}

export function createRequestHandler(deps: { ctx: Context; faults: FaultBook; logger: SimulatorLogger }) {
  const { ctx, faults, logger } = deps;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathAndQuery = req.url ?? "/";
    const url = new URL(pathAndQuery, "http://grabpay.invalid");
    const body = await readBody(req);
    if (body === null) return send(res, partnerError(ERR.tooLarge()));

    const injected = faults.forRequest(url.pathname, req.method);
    if (injected.latencyMs > 0) await ctx.lifecycle.sleep(injected.latencyMs);
    const action = injected.action;
    if (action?.kind === "status") {
      const error =
        action.status === 429
          ? ERR.tooManyRequests()
          : action.status === 503
            ? ERR.unavailable()
            : ERR.internal();
      return send(res, partnerError(error, action.status === 429 ? { "retry-after": "1" } : {}));
    }
    if (action?.kind === "reset" && !action.after) return send(res, { kind: "hang_up" });

    const facts: RequestFacts = { method: req.method ?? "GET", pathAndQuery, headers: req.headers, body };
    const reply: Reply = route(ctx, facts, url);
    if (reply.kind === "send" && reply.status >= 400) {
      logger.info(
        { method: facts.method, path: url.pathname, status: reply.status },
        "grabpay request rejected",
      );
    }
    if (action?.kind === "reset") return send(res, { kind: "hang_up" });
    send(res, reply, action?.kind === "malformed");
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((thrown: unknown) => {
      logger.error({ err: thrown, path: req.url?.split("?")[0] }, "grabpay simulator request failed");
      if (!res.headersSent) send(res, partnerError(ERR.internal()));
      else res.destroy();
    });
  };
}
