/** HTTP layer: auth, routing, form parsing, spec validation, idempotency, expansion and fault injection. */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkApiKey, publishableKeyRefused } from "./auth.ts";
import type { Call, SimContext } from "./context.ts";
import { applyExpand, unexpandablePath } from "./expand.ts";
import { type FaultBook, faultSchema, type RequestFaults } from "./faults.ts";
import { canonicalForm, parseForm } from "./form.ts";
import {
  errorReply,
  faultReply,
  htmlReply,
  idempotencyKeyInUse,
  idempotencyMismatch,
  jsonReply,
  type Reply,
  redirectReply,
  send,
  unrecognizedUrl,
} from "./http-replies.ts";
import { admit, reserve, settle } from "./idempotency.ts";
import type { SimulatorLogger } from "./logger.ts";
import { invalidParam, type Responded } from "./outcomes.ts";
import { checkParams } from "./params.ts";
import { matchRoute } from "./routes.ts";
import type { StripeSpec } from "./spec.ts";
import type { Account, StoredResponse } from "./store.ts";
import { challengePage, completeChallenge } from "./threeds.ts";

const MAX_BODY_BYTES = 1 << 20;
const DEFAULT_VERSION = "2022-04-12";
const CHALLENGE_PATH = /^\/3d_secure\/authenticate\/([^/]+)$/;

export interface ServerDeps {
  ctx: SimContext;
  spec: StripeSpec;
  faults: FaultBook;
  logger: SimulatorLogger;
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

function withRequestLog(body: unknown, requestId: string): unknown {
  if (typeof body !== "object" || body === null || !("error" in body)) return body;
  const { type, ...rest } = (body as { error: Record<string, unknown> }).error;
  return { error: { ...rest, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}`, type } };
}

function invalidRequest(message: string, param?: string, code?: string): Reply {
  return errorReply(400, { type: "invalid_request_error", message, param, code });
}

export function createRequestHandler(deps: ServerDeps) {
  const { ctx, spec, faults, logger } = deps;

  function finish(
    responded: Responded,
    account: Account,
    expand: string[],
    requestId: string,
  ): StoredResponse {
    let body = responded.body;
    if (responded.status === 200 && expand.length > 0 && typeof body === "object" && body !== null) {
      applyExpand(ctx, account, body as Record<string, unknown>, expand);
    }
    body = withRequestLog(body, requestId);
    return { status: responded.status, body: JSON.stringify(body, null, 2), requestId };
  }

  async function handleApi(
    req: IncomingMessage,
    url: URL,
    rawBody: Buffer,
    latencyMs: number,
  ): Promise<Reply> {
    const method = req.method ?? "GET";
    const requestId = `req_${ctx.ids.base62(14)}`;
    const version =
      typeof req.headers["stripe-version"] === "string" ? req.headers["stripe-version"] : DEFAULT_VERSION;
    const headers: Record<string, string> = { "request-id": requestId, "stripe-version": version };
    const reply = (stored: StoredResponse, extra: Record<string, string> = {}): Reply => ({
      kind: "send",
      status: stored.status,
      headers: {
        "content-type": "application/json",
        "cache-control": "no-cache, no-store",
        ...headers,
        ...extra,
      },
      body: stored.body,
    });

    const auth = checkApiKey(req.headers);
    if (!auth.ok) {
      return errorReply(401, auth.error, { ...headers, "www-authenticate": 'Bearer realm="Stripe"' });
    }
    const matched = matchRoute(method, url.pathname);
    if (auth.publishable && !matched?.route.publishable) {
      return errorReply(401, publishableKeyRefused, {
        ...headers,
        "www-authenticate": 'Bearer realm="Stripe"',
      });
    }
    if (!matched) return unrecognizedUrl(method, url.pathname);
    const { route } = matched;

    let form: ReturnType<typeof parseForm>;
    if (method === "POST") {
      if ((req.headers["content-type"] ?? "").includes("json")) {
        return invalidRequest("Invalid request: the body must be application/x-www-form-urlencoded.");
      }
      form = parseForm(rawBody.toString("utf8"));
    } else {
      form = parseForm(url.search.slice(1));
    }

    const account = ctx.store.account(auth.key);
    const rawKey = req.headers["idempotency-key"];
    const key = method === "POST" && typeof rawKey === "string" && rawKey !== "" ? rawKey : null;
    if (key !== null && key.length > 255) {
      return invalidRequest("Invalid Idempotency-Key header: it must be at most 255 characters long.");
    }
    if (key !== null) headers["idempotency-key"] = key;
    const fingerprint = createHash("sha256")
      .update(`${method} ${url.pathname}\n${canonicalForm(form)}`)
      .digest("hex");
    const nowMs = ctx.now().getTime();
    if (key !== null) {
      const admission = admit(account, key, fingerprint, nowMs);
      if (admission.kind === "replay") {
        return reply(admission.response, {
          "idempotent-replayed": "true",
          "original-request": admission.response.requestId,
        });
      }
      if (admission.kind === "mismatch") return idempotencyMismatch(key, headers);
      if (admission.kind === "in_flight") return idempotencyKeyInUse(key, headers);
    }

    const checked = checkParams(spec.parameters(method, route.template), form);
    if (!checked.ok) {
      const { code, param, message } = checked.issue;
      return reply(finish(invalidParam(message, param, code), account, [], requestId));
    }
    const expand = Array.isArray(checked.params.expand) ? (checked.params.expand as string[]) : [];
    const unexpandable = unexpandablePath(route.answers, expand);
    if (unexpandable !== null) {
      return reply(
        finish(
          invalidParam(`This property cannot be expanded (${unexpandable}).`, "expand"),
          account,
          [],
          requestId,
        ),
      );
    }

    if (key !== null) reserve(account, key, fingerprint, nowMs);
    if (latencyMs > 0) await ctx.lifecycle.sleep(latencyMs);
    const call: Call = {
      account,
      params: checked.params,
      path: matched.path,
      request: { id: requestId, idempotency_key: key },
    };
    let outcome: ReturnType<typeof route.run>;
    try {
      outcome = route.run(ctx, call);
    } catch (error) {
      if (key !== null) settle(account, key, null);
      throw error;
    }
    if (outcome.kind === "hang_up") {
      if (key !== null) {
        const eventualKey = key;
        outcome.eventual.then((settled) => {
          settle(account, eventualKey, settled.remember ? finish(settled, account, expand, requestId) : null);
        });
      }
      return { kind: "hang_up" };
    }
    const stored = finish(outcome, account, expand, requestId);
    if (key !== null) settle(account, key, outcome.remember ? stored : null);
    return reply(stored);
  }

  function handleChallenge(req: IncomingMessage, token: string, rawBody: Buffer): Reply {
    const answer =
      req.method === "POST"
        ? completeChallenge(ctx, token, new URLSearchParams(rawBody.toString("utf8")).get("result"))
        : challengePage(ctx, token);
    return answer.kind === "redirect"
      ? redirectReply(answer.location)
      : htmlReply(answer.status, answer.html);
  }

  function handleAdmin(req: IncomingMessage, rawBody: Buffer): Reply {
    if (req.method === "DELETE") {
      faults.clear();
      return jsonReply(200, { ok: true });
    }
    if (req.method !== "POST") return unrecognizedUrl(req.method ?? "GET", "/_admin/faults");
    let input: unknown;
    try {
      input = JSON.parse(rawBody.toString("utf8"));
    } catch {
      return invalidRequest("The fault must be JSON.");
    }
    const parsed = faultSchema.safeParse(input);
    if (!parsed.success) return invalidRequest(parsed.error.issues[0]?.message ?? "Invalid fault.");
    faults.inject(parsed.data);
    return jsonReply(200, { ok: true });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stripe.invalid");
    const rawBody = await readBody(req);
    if (rawBody === null) {
      send(
        res,
        errorReply(413, { type: "invalid_request_error", message: "The request body is too large." }),
        false,
      );
      return;
    }
    if (url.pathname === "/_admin/faults") {
      send(res, handleAdmin(req, rawBody), false);
      return;
    }
    const injected: RequestFaults = faults.forRequest(url.pathname, req.method);
    const action = injected.action;
    if (action?.kind === "status") {
      if (injected.latencyMs > 0) await ctx.lifecycle.sleep(injected.latencyMs);
      send(res, faultReply(action.status, action.code), false);
      return;
    }
    if (action?.kind === "reset" && !action.after) {
      send(res, { kind: "hang_up" }, false);
      return;
    }
    const challenge = CHALLENGE_PATH.exec(url.pathname);
    let reply: Reply;
    if (challenge) {
      if (injected.latencyMs > 0) await ctx.lifecycle.sleep(injected.latencyMs);
      reply = handleChallenge(req, challenge[1] ?? "", rawBody);
    } else {
      reply = await handleApi(req, url, rawBody, injected.latencyMs);
    }
    if (action?.kind === "reset") {
      send(res, { kind: "hang_up" }, false);
      return;
    }
    send(res, reply, action?.kind === "malformed");
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      logger.error(
        { err: error, method: req.method, path: req.url?.split("?")[0] },
        "stripe simulator request failed",
      );
      if (!res.headersSent)
        send(res, errorReply(500, { type: "api_error", message: "An unknown error occurred" }), false);
      else res.destroy();
    });
  };
}
