/** HTTP routing: the gateway, the shopper's pages, the app stand-in, bill downloads; faults on the way. */
import type { IncomingMessage, ServerResponse } from "node:http";
import iconv from "iconv-lite";
import { BILL_PATH, billDownloadUrlQuery, downloadBill } from "./bill.ts";
import { actOnCashier, appPay, errorPage, type PageAnswer, showCashier } from "./cashier.ts";
import type { Context } from "./context.ts";
import { type AlipayError, errors } from "./errors.ts";
import type { FaultBook, RequestAction } from "./faults.ts";
import { parseForm, sniffCharset } from "./form.ts";
import { API_METHODS, type ApiMethod, checkCommon, PAGE_METHODS, type PageMethod } from "./gateway.ts";
import type { SimulatorLogger } from "./logger.ts";
import { placeOrder } from "./orders.ts";
import { type Answer, close, precreate, query, refund, refundQuery } from "./trade-api.ts";
import { errorResponseBody, responseKey, signedResponseBody } from "./wire.ts";

const MAX_BODY_BYTES = 1_000_000;

type Reply =
  | { kind: "json"; text: string; charset: string }
  | PageAnswer
  | { kind: "text"; status: number; text: string; contentType?: string }
  | { kind: "file"; fileName: string; data: Buffer };

interface Incoming {
  method: string;
  url: URL;
  /** The body as latin1, so every byte survives until the declared charset decodes it. */
  rawBody: string;
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("latin1")));
    req.on("error", reject);
  });
}

function gatewayParams(incoming: Incoming): Record<string, string> {
  const rawQuery = incoming.url.search.slice(1);
  const charset = sniffCharset(rawQuery, incoming.rawBody) ?? "utf-8";
  return { ...parseForm(incoming.rawBody, charset), ...parseForm(rawQuery, charset) };
}

function jsonReply(ctx: Context, method: string, answer: Answer | AlipayError, charset: string): Reply {
  return {
    kind: "json",
    text: signedResponseBody(responseKey(method), answer, ctx.alipayPrivateKey, charset),
    charset,
  };
}

function gateway(ctx: Context, params: Record<string, string>): Reply {
  const method = params.method;
  const charset = params.charset && /^(gbk|gb2312)$/i.test(params.charset) ? params.charset : "utf-8";
  if (!method) return { kind: "json", text: errorResponseBody(errors.missingMethod()), charset };
  const isApi = (API_METHODS as readonly string[]).includes(method);
  const isPage = (PAGE_METHODS as readonly string[]).includes(method);
  if (!isApi && !isPage) return { kind: "json", text: errorResponseBody(errors.invalidMethod()), charset };
  const checked = checkCommon(ctx, params);
  if (isPage) {
    if (!checked.ok) return errorPage(checked.error);
    const placed = placeOrder(ctx, checked.app, method as PageMethod, params, checked.biz);
    if (!placed.ok) return errorPage(placed.error);
    return { kind: "redirect", location: `${ctx.baseUrl()}/cashier/${placed.trade.token}` };
  }
  if (!checked.ok) return jsonReply(ctx, method, checked.error, charset);
  const { app, biz } = checked;
  const handlers: Record<ApiMethod, () => Answer | AlipayError> = {
    "alipay.trade.precreate": () => precreate(ctx, app, params, biz),
    "alipay.trade.query": () => query(ctx, app, biz),
    "alipay.trade.refund": () => refund(ctx, app, biz),
    "alipay.trade.fastpay.refund.query": () => refundQuery(ctx, app, biz),
    "alipay.trade.close": () => close(ctx, app, biz),
    "alipay.data.dataservice.bill.downloadurl.query": () => billDownloadUrlQuery(ctx, app, biz),
  };
  return jsonReply(ctx, method, handlers[method as ApiMethod](), charset);
}

function appEndpoint(ctx: Context, incoming: Incoming, contentType: string): Reply {
  let orderString: string | undefined;
  let action: string | undefined;
  if (contentType.includes("json")) {
    try {
      const body = JSON.parse(incoming.rawBody) as { orderString?: unknown; action?: unknown };
      if (typeof body.orderString === "string") orderString = body.orderString;
      if (typeof body.action === "string") action = body.action;
    } catch {
      // answered below as a missing order string
    }
  } else {
    const form = parseForm(incoming.rawBody);
    orderString = form.order_string;
    action = form.action;
  }
  if (!orderString) return { kind: "text", status: 400, text: "order string required" };
  const result = appPay(ctx, parseForm(Buffer.from(orderString, "utf8").toString("latin1")), action);
  return { kind: "text", status: 200, text: JSON.stringify(result), contentType: "application/json" };
}

function route(ctx: Context, incoming: Incoming, req: IncomingMessage): Reply {
  const path = incoming.url.pathname;
  if (path === "/gateway.do" && (incoming.method === "GET" || incoming.method === "POST")) {
    return gateway(ctx, gatewayParams(incoming));
  }
  const cashier = /^\/(cashier|qr)\/([A-Za-z0-9_-]+)$/.exec(path);
  if (cashier && incoming.method === "GET") return showCashier(ctx, cashier[2]!);
  if (cashier?.[1] === "cashier" && incoming.method === "POST") {
    return actOnCashier(ctx, cashier[2]!, parseForm(incoming.rawBody).action);
  }
  if (path === "/sandbox/app-pay" && incoming.method === "POST") {
    return appEndpoint(ctx, incoming, req.headers["content-type"] ?? "");
  }
  if (path === BILL_PATH && incoming.method === "GET") {
    const download = downloadBill(ctx, incoming.url.searchParams.get("token") ?? "");
    if (!download.ok) return { kind: "text", status: 200, text: download.message, contentType: "text/html" };
    return { kind: "file", fileName: download.fileName, data: download.zip };
  }
  return { kind: "text", status: 404, text: "Not Found" };
}

function faultPath(incoming: Incoming): string {
  if (incoming.url.pathname !== "/gateway.do") return incoming.url.pathname;
  const rawQuery = incoming.url.search.slice(1);
  const method = parseForm(rawQuery).method ?? parseForm(incoming.rawBody).method ?? "";
  return `/gateway.do/${method}`;
}

function send(res: ServerResponse, reply: Reply): void {
  switch (reply.kind) {
    case "json": {
      const utf8 = reply.charset.toLowerCase().startsWith("utf");
      const bytes = utf8 ? Buffer.from(reply.text, "utf8") : iconv.encode(reply.text, reply.charset);
      res.writeHead(200, { "content-type": `text/html;charset=${reply.charset}` }).end(bytes);
      return;
    }
    case "html":
      res.writeHead(reply.status, { "content-type": "text/html;charset=utf-8" }).end(reply.html);
      return;
    case "redirect":
      res.writeHead(302, { location: reply.location }).end();
      return;
    case "text":
      res
        .writeHead(reply.status, { "content-type": `${reply.contentType ?? "text/plain"};charset=utf-8` })
        .end(reply.text);
      return;
    case "file":
      res
        .writeHead(200, {
          "content-type": "application/oct-stream",
          "content-disposition": `attachment; filename=${encodeURIComponent(reply.fileName)}`,
        })
        .end(reply.data);
  }
}

function faultReply(ctx: Context, incoming: Incoming, action: RequestAction): Reply | null {
  const method = incoming.url.pathname === "/gateway.do" ? gatewayParams(incoming).method : undefined;
  const known = method !== undefined && [...API_METHODS, ...PAGE_METHODS].includes(method as ApiMethod);
  const asAlipay = (error: AlipayError): Reply =>
    known
      ? jsonReply(ctx, method!, error, "utf-8")
      : { kind: "json", text: errorResponseBody(error), charset: "utf-8" };
  if (action.kind === "status")
    return { kind: "text", status: action.status, text: "<html>Service Error</html>" };
  if (action.kind === "service_unavailable") return asAlipay(errors.unknown());
  if (action.kind === "system_error") return asAlipay(errors.systemError());
  return null;
}

export function createRequestHandler(deps: { ctx: Context; faults: FaultBook; logger: SimulatorLogger }) {
  const { ctx, faults, logger } = deps;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const rawBody = await readBody(req);
      if (rawBody === null) return;
      const incoming: Incoming = {
        method: req.method ?? "GET",
        url: new URL(req.url ?? "/", "http://simulator.invalid"),
        rawBody,
      };
      const { latencyMs, action } = faults.forRequest(faultPath(incoming));
      if (latencyMs > 0) await ctx.lifecycle.sleep(latencyMs);
      const actsFirst =
        action === null ||
        ((action.kind === "reset" || action.kind === "system_error") && action.after) ||
        action.kind === "malformed";
      const reply = actsFirst ? route(ctx, incoming, req) : null;
      if (action?.kind === "reset") {
        req.socket.destroy();
        return;
      }
      if (action?.kind === "malformed") {
        res.writeHead(200, { "content-type": "text/html;charset=utf-8" }).end('{"alipay_trade_');
        return;
      }
      const faulted = action ? faultReply(ctx, incoming, action) : null;
      send(res, faulted ?? reply!);
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, "alipay simulator error");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
      else res.destroy();
    }
  };
}
