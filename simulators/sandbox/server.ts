/** HTTP layer: routing, API-key auth, idempotency, fault injection and the 3-D Secure pages. */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  captureCharge,
  completeThreeDs,
  createCharge,
  getCharge,
  listCharges,
  voidCharge,
} from "./charges.ts";
import { type FaultBook, faultSchema } from "./faults.ts";
import type { SimulatorLogger } from "./logger.ts";
import { createRefund, getRefund, listRefunds } from "./refunds.ts";
import type { OperationContext, Outcome } from "./responses.ts";
import type { Account, StoredResponse } from "./store.ts";
import { challengePage, messagePage } from "./threeds-page.ts";

const MAX_BODY_BYTES = 1 << 20;
const API_KEY = /^Bearer (sbx_sk_[0-9A-Za-z]{24,})$/;

type Sent = { kind: "send"; status: number; headers: Record<string, string>; body: string };
type Reply = Sent | { kind: "hang_up" };

interface ApiCall {
  apiKey: string;
  params: string[];
  body: unknown;
  query: URLSearchParams;
}

interface ApiRoute {
  method: "GET" | "POST";
  pattern: RegExp;
  run(ctx: OperationContext, call: ApiCall): Outcome;
}

const p = (call: ApiCall) => call.params[0] ?? "";

const API_ROUTES: ApiRoute[] = [
  { method: "POST", pattern: /^\/v1\/charges$/, run: (ctx, c) => createCharge(ctx, c.apiKey, c.body) },
  {
    method: "GET",
    pattern: /^\/v1\/charges$/,
    run: (ctx, c) => listCharges(ctx, c.apiKey, c.query.get("reference")),
  },
  { method: "GET", pattern: /^\/v1\/charges\/([^/]+)$/, run: (ctx, c) => getCharge(ctx, c.apiKey, p(c)) },
  {
    method: "POST",
    pattern: /^\/v1\/charges\/([^/]+)\/capture$/,
    run: (ctx, c) => captureCharge(ctx, c.apiKey, p(c), c.body),
  },
  {
    method: "POST",
    pattern: /^\/v1\/charges\/([^/]+)\/void$/,
    run: (ctx, c) => voidCharge(ctx, c.apiKey, p(c), c.body),
  },
  { method: "POST", pattern: /^\/v1\/refunds$/, run: (ctx, c) => createRefund(ctx, c.apiKey, c.body) },
  {
    method: "GET",
    pattern: /^\/v1\/refunds$/,
    run: (ctx, c) => listRefunds(ctx, c.apiKey, c.query.get("reference")),
  },
  { method: "GET", pattern: /^\/v1\/refunds\/([^/]+)$/, run: (ctx, c) => getRefund(ctx, c.apiKey, p(c)) },
];

function json(status: number, body: unknown): Sent {
  return {
    kind: "send",
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(body),
  };
}

function errorReply(status: number, code: string, message: string): Sent {
  return json(status, { error: { code, message } });
}

function html(status: number, body: string): Reply {
  return {
    kind: "send",
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
      "cache-control": "no-store",
    },
    body,
  };
}

function toReply(outcome: Outcome): Reply {
  return outcome.kind === "hang_up" ? outcome : json(outcome.status, outcome.body);
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function matchParams(pattern: RegExp, path: string): string[] | null {
  const match = pattern.exec(path);
  if (!match) return null;
  try {
    return match.slice(1).map((part) => decodeURIComponent(part));
  } catch {
    return null;
  }
}

/**
 * Same key and same request replays the stored answer byte for byte; a duplicate that arrives while
 * the first is in flight waits for it. Answers to invalid requests and hang-ups are not stored.
 */
async function runIdempotent(
  account: Account,
  key: string,
  fingerprint: string,
  operation: () => Outcome,
): Promise<Reply> {
  for (let entry = account.idempotency.get(key); entry; entry = account.idempotency.get(key)) {
    if (entry.fingerprint !== fingerprint) {
      return errorReply(
        400,
        "idempotency_key_reused",
        "This Idempotency-Key was already used with a different request.",
      );
    }
    if (entry.state === "done") return replay(entry.response);
    await entry.settled;
  }
  let settle = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  account.idempotency.set(key, { state: "in_flight", fingerprint, settled });
  try {
    const outcome = operation();
    if (outcome.kind === "respond" && outcome.remember) {
      const reply = json(outcome.status, outcome.body);
      const response: StoredResponse = { status: reply.status, body: reply.body };
      account.idempotency.set(key, { state: "done", fingerprint, response });
      return reply;
    }
    account.idempotency.delete(key);
    return toReply(outcome);
  } catch (error) {
    account.idempotency.delete(key);
    throw error;
  } finally {
    settle();
  }
}

function replay(response: StoredResponse): Reply {
  return {
    kind: "send",
    status: response.status,
    headers: { "content-type": "application/json; charset=utf-8", "idempotent-replayed": "true" },
    body: response.body,
  };
}

async function handleApi(
  ctx: OperationContext,
  req: IncomingMessage,
  url: URL,
  rawBody: Buffer,
): Promise<Reply> {
  const method = req.method ?? "GET";
  let params: string[] | null = null;
  let route: ApiRoute | undefined;
  let pathKnown = false;
  for (const candidate of API_ROUTES) {
    const matched = matchParams(candidate.pattern, url.pathname);
    if (!matched) continue;
    pathKnown = true;
    if (candidate.method === method) {
      route = candidate;
      params = matched;
      break;
    }
  }
  if (!route || !params) {
    return pathKnown
      ? errorReply(405, "method_not_allowed", `${method} is not allowed on ${url.pathname}`)
      : errorReply(404, "not_found", `Unrecognized request URL (${method}: ${url.pathname})`);
  }

  const apiKey = API_KEY.exec(req.headers.authorization ?? "")?.[1];
  if (!apiKey) {
    return errorReply(401, "unauthorized", "Invalid API key: send 'Authorization: Bearer sbx_sk_…'.");
  }
  const account = ctx.store.account(apiKey);
  const call: ApiCall = { apiKey, params, body: undefined, query: url.searchParams };
  const selected = route;
  if (method !== "POST") return toReply(selected.run(ctx, call));

  const idempotencyKey = req.headers["idempotency-key"];
  if (typeof idempotencyKey !== "string" || idempotencyKey.length === 0 || idempotencyKey.length > 255) {
    return errorReply(400, "idempotency_key_missing", "POST requests require an Idempotency-Key header.");
  }
  const text = rawBody.toString("utf8");
  try {
    call.body = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return errorReply(400, "invalid_json", "The request body is not valid JSON.");
  }
  const fingerprint = createHash("sha256")
    .update(`${method} ${url.pathname}\n`)
    .update(rawBody)
    .digest("hex");
  return runIdempotent(account, idempotencyKey, fingerprint, () => selected.run(ctx, call));
}

function handleThreeDs(
  ctx: OperationContext,
  req: IncomingMessage,
  chargeId: string,
  rawBody: Buffer,
): Reply {
  if (req.method === "GET") {
    const charge = ctx.store.chargeById(chargeId);
    if (!charge) return html(404, messagePage("Not found", "There is no such authentication."));
    if (charge.status !== "requires_action") {
      return html(409, messagePage("Authentication closed", "This authentication is no longer pending."));
    }
    return html(200, challengePage({ ...charge, last4: charge.card.last4 }));
  }
  if (req.method !== "POST") return html(405, messagePage("Method not allowed", "Use GET or POST."));
  const result = new URLSearchParams(rawBody.toString("utf8")).get("result");
  const completion = completeThreeDs(ctx, chargeId, result);
  if (completion.kind === "not_found") {
    return html(404, messagePage("Not found", "There is no such authentication."));
  }
  if (completion.kind === "bad_result") {
    return html(400, messagePage("Bad request", "result must be approve or fail."));
  }
  return {
    kind: "send",
    status: 303,
    headers: { location: completion.location, "content-type": "text/plain; charset=utf-8" },
    body: "",
  };
}

function handleAdmin(faults: FaultBook, req: IncomingMessage, rawBody: Buffer): Reply {
  if (req.method === "DELETE") {
    faults.clear();
    return json(200, { ok: true });
  }
  if (req.method !== "POST") return errorReply(405, "method_not_allowed", "Use POST or DELETE.");
  let input: unknown;
  try {
    input = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return errorReply(400, "invalid_json", "The request body is not valid JSON.");
  }
  const parsed = faultSchema.safeParse(input);
  if (!parsed.success) {
    return json(422, { error: { code: "invalid_request", message: parsed.error.issues[0]?.message ?? "" } });
  }
  faults.inject(parsed.data);
  return json(200, { ok: true });
}

function send(res: ServerResponse, reply: Reply, truncate: boolean): void {
  if (reply.kind === "hang_up") {
    res.socket?.destroy();
    return;
  }
  if (res.destroyed) return;
  const body = truncate ? reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))) : reply.body;
  const status = truncate ? 200 : reply.status;
  const buffer = Buffer.from(body, "utf8");
  res.writeHead(status, { ...reply.headers, "content-length": String(buffer.length) });
  res.end(buffer);
}

const FAULT_STATUS = {
  500: { code: "internal_error", message: "An internal error occurred." },
  503: { code: "service_unavailable", message: "The service is temporarily unavailable." },
  429: { code: "rate_limited", message: "Too many requests." },
} as const;

export function createRequestHandler(deps: {
  ctx: OperationContext;
  faults: FaultBook;
  logger: SimulatorLogger;
}) {
  const { ctx, faults, logger } = deps;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const rawBody = await readBody(req);
    if (rawBody === null) {
      send(res, errorReply(413, "request_too_large", "The request body is too large."), false);
      return;
    }
    if (url.pathname === "/_admin/faults") {
      send(res, handleAdmin(faults, req, rawBody), false);
      return;
    }

    const injected = faults.forRequest(url.pathname, req.method);
    if (injected.latencyMs > 0) await ctx.lifecycle.sleep(injected.latencyMs);
    const action = injected.action;
    if (action?.kind === "status") {
      const reply = errorReply(
        action.status,
        FAULT_STATUS[action.status].code,
        FAULT_STATUS[action.status].message,
      );
      if (action.status === 429) reply.headers["retry-after"] = "1";
      send(res, reply, false);
      return;
    }
    if (action?.kind === "reset" && !action.after) {
      send(res, { kind: "hang_up" }, false);
      return;
    }

    const threeDs = /^\/3ds\/([^/]+)$/.exec(url.pathname);
    const reply = threeDs
      ? handleThreeDs(ctx, req, threeDs[1] ?? "", rawBody)
      : await handleApi(ctx, req, url, rawBody);

    if (action?.kind === "reset") {
      send(res, { kind: "hang_up" }, false);
      return;
    }
    send(res, reply, action?.kind === "malformed");
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, "sandbox simulator request failed");
      if (!res.headersSent)
        send(res, errorReply(500, "internal_error", "An internal error occurred."), false);
      else res.destroy();
    });
  };
}
