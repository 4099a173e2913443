/** The HTTP layer: faults, the shopper-side pages, admin, then signed API v3 calls. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate } from "./auth.ts";
import { actOnCashier, scan, showCashier } from "./cashier.ts";
import type { Context } from "./context.ts";
import { ERRORS, WechatpayError } from "./errors.ts";
import type { FaultBook } from "./faults.ts";
import { json, type Reply, readBody, type Sent, send } from "./http.ts";
import type { SimulatorLogger } from "./logger.ts";
import type { Merchant } from "./merchants.ts";
import { findRoute } from "./routes.ts";
import { type JsonObject, parseJsonObject } from "./validation.ts";
import { appPay, jsapiPay } from "./wechat-client.ts";

export interface ServerDeps {
  ctx: Context;
  faults: FaultBook;
  logger: SimulatorLogger;
}

function errorReply(error: WechatpayError): Sent {
  return json(error.status, error.toBody());
}

export function createRequestHandler({ ctx, faults, logger }: ServerDeps) {
  /** Sets the Wechatpay-* headers on an API answer; the merchant is unknown when authentication failed. */
  function signed(reply: Sent, merchant: Merchant | undefined, tamper: boolean): Sent {
    if (!reply.sign) return reply;
    return {
      ...reply,
      headers: {
        ...reply.headers,
        ...ctx.signer.headers(merchant, reply.body, { tamper }),
        "request-id": ctx.ids.token(32),
      },
    };
  }

  function handleApi(
    req: IncomingMessage,
    pathAndQuery: string,
    url: URL,
    raw: Buffer,
    tamper: boolean,
  ): Sent {
    const method = req.method ?? "GET";
    let merchant: Merchant | undefined;
    try {
      const found = findRoute(method, url.pathname);
      if (found === "no_path") throw ERRORS.notFound();
      if (found === "no_method") throw ERRORS.methodNotAllowed();
      const authorization = req.headers.authorization;
      merchant = authenticate(
        ctx.merchants,
        { method, pathAndQuery, body: raw.toString("utf8"), authorization },
        ctx.now(),
      );
      let body: JsonObject = {};
      if (method === "POST") {
        const parsed = parseJsonObject(raw);
        if (!parsed) throw ERRORS.invalidJson();
        body = parsed;
      }
      const reply = found.route.handler({
        ctx,
        merchant,
        params: found.params,
        query: url.searchParams,
        body,
      });
      return found.route.unsigned ? { ...reply, sign: false } : signed(reply, merchant, tamper);
    } catch (thrown) {
      if (!(thrown instanceof WechatpayError)) throw thrown;
      return signed(errorReply(thrown), merchant, tamper);
    }
  }

  function handleSimulator(req: IncomingMessage, url: URL, raw: Buffer): Reply | null {
    const method = req.method ?? "GET";
    const path = url.pathname;
    if (path === "/simulator/scan" && method === "GET") return scan(ctx, url.searchParams.get("code_url"));
    if (path === "/cgi-bin/mmpayweb-bin/checkmweb" && method === "GET") {
      return showCashier(ctx, url.searchParams.get("prepay_id") ?? "", url.searchParams.get("redirect_url"));
    }
    const cashier = /^\/simulator\/cashier\/([^/]+)$/.exec(path);
    if (cashier) {
      const prepayId = cashier[1] ?? "";
      if (method === "GET") return showCashier(ctx, prepayId, url.searchParams.get("redirect_url"));
      if (method === "POST") return actOnCashier(ctx, prepayId, new URLSearchParams(raw.toString("utf8")));
    }
    if ((path === "/simulator/client/jsapi" || path === "/simulator/client/app") && method === "POST") {
      const body = parseJsonObject(raw);
      if (!body) return json(400, { errMsg: "requestPayment:fail invalid JSON" });
      return path.endsWith("jsapi") ? jsapiPay(ctx, body) : appPay(ctx, body);
    }
    return null;
  }

  function handleAdmin(req: IncomingMessage, path: string, raw: Buffer): Sent | null {
    const method = req.method ?? "GET";
    try {
      if (path === "/_admin/faults" && method === "POST") {
        faults.inject(JSON.parse(raw.toString("utf8")));
        return json(200, { ok: true });
      }
      if (path === "/_admin/faults" && method === "DELETE") {
        faults.clear();
        return json(200, { ok: true });
      }
      if (path === "/_admin/merchants" && method === "POST") {
        ctx.merchants.register(JSON.parse(raw.toString("utf8")));
        return json(200, { ok: true });
      }
    } catch (thrown) {
      return json(400, {
        code: "PARAM_ERROR",
        message: thrown instanceof Error ? thrown.message : "bad request",
      });
    }
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathAndQuery = req.url ?? "/";
    const url = new URL(pathAndQuery, "http://wechatpay.invalid");
    const raw = await readBody(req);
    if (raw === null) return send(res, json(413, ERRORS.tooLarge().toBody()));
    const admin = handleAdmin(req, url.pathname, raw);
    if (admin) return send(res, admin);

    const injected = faults.forRequest(url.pathname);
    if (injected.latencyMs > 0) await ctx.lifecycle.sleep(injected.latencyMs);
    const action = injected.action;
    if (action?.kind === "status") {
      const error =
        action.status === 429
          ? ERRORS.frequencyLimited()
          : action.status === 503
            ? ERRORS.unavailable()
            : ERRORS.systemError();
      const reply = errorReply(error);
      return send(
        res,
        action.status === 429 ? { ...reply, headers: { ...reply.headers, "retry-after": "1" } } : reply,
      );
    }
    if (action?.kind === "reset" && !action.after) return send(res, { kind: "hang_up" });

    const reply =
      handleSimulator(req, url, raw) ??
      handleApi(req, pathAndQuery, url, raw, action?.kind === "bad_signature");
    if (action?.kind === "reset") return send(res, { kind: "hang_up" });
    send(res, reply, action?.kind === "malformed");
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((thrown: unknown) => {
      logger.error({ err: thrown, path: req.url }, "wechatpay simulator request failed");
      if (!res.headersSent) send(res, errorReply(ERRORS.systemError()));
      else res.destroy();
    });
  };
}
