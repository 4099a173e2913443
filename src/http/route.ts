import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { ApiError } from "../core/errors.ts";
import type { Authenticator } from "./auth.ts";
import type { AppContext, AuthContext } from "./context.ts";
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "./idempotency.ts";
import { parseOrThrow } from "./validation.ts";

export type AuthMode = "secret" | "secret_or_publishable" | "none";

export interface HandlerInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  auth: AuthContext;
  requestId: string;
  idempotencyKey: string | undefined;
  /** True when this request takes over an Idempotency-Key whose first run died mid-request. */
  idempotencyRecovered: boolean;
  headers: FastifyRequest["headers"];
  request: FastifyRequest;
}

export interface HandlerOutput {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RouteDefinition<B = unknown, Q = unknown, P = unknown> {
  method: "GET" | "POST" | "DELETE";
  url: string;
  summary: string;
  tags: string[];
  auth?: AuthMode;
  /**
   * A credential other than an API key (the checkout page's client secret): returns the merchant scope the
   * request acts in. Used with `auth: "none"`; idempotency then applies as for a key.
   */
  authenticate?: (request: FastifyRequest) => Promise<AuthContext>;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** Documentation only: the shape of the 2xx body. */
  response?: z.ZodType;
  /**
   * For responses that carry a secret shown once (new API keys, webhook signing secrets): what the
   * idempotency store keeps instead, so the secret is never written to the database in clear.
   */
  storedForReplay?: (body: unknown) => unknown;
  handler(input: HandlerInput<B, Q, P>): Promise<HandlerOutput>;
}

/** Lets a capability list routes of different shapes in one array while keeping each typed. */
export function defineRoute<B = undefined, Q = undefined, P = undefined>(
  def: RouteDefinition<B, Q, P>,
): RouteDefinition {
  return def as unknown as RouteDefinition;
}

function jsonSchema(schema: z.ZodType | undefined, io: "input" | "output") {
  if (!schema) return undefined;
  return z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
}

declare module "fastify" {
  interface FastifyRequest {
    payrailAuth?: AuthContext;
  }
}

export interface RouteDeps {
  ctx: AppContext;
  authenticator: Authenticator;
}

/**
 * Registers a route whose schemas are zod: validated here (so errors name the parameter the Stripe
 * way), and converted to JSON Schema for the OpenAPI document. Every POST honours Idempotency-Key.
 */
export function registerRoute(app: FastifyInstance, deps: RouteDeps, def: RouteDefinition): void {
  const authMode = def.auth ?? "secret";
  const body = jsonSchema(def.body, "input");
  const querystring = jsonSchema(def.query, "input");
  const params = jsonSchema(def.params, "input");
  const response = jsonSchema(def.response, "output");
  app.route({
    method: def.method,
    url: def.url,
    schema: {
      summary: def.summary,
      tags: def.tags,
      ...(body ? { body } : {}),
      ...(querystring ? { querystring } : {}),
      ...(params ? { params } : {}),
      ...(response ? { response: { 200: response } } : {}),
      ...(authMode === "none" ? {} : { security: [{ bearerAuth: [] }] }),
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      let auth: AuthContext | undefined;
      if (authMode !== "none") {
        auth = await deps.authenticator.authenticate(request.headers.authorization);
        if (auth.keyKind === "publishable" && authMode !== "secret_or_publishable") {
          throw new ApiError(403, {
            type: "permission_error",
            code: "secret_key_required",
            message: "This API call cannot be made with a publishable API key. Please use a secret API key.",
          });
        }
        request.payrailAuth = auth;
      } else if (def.authenticate) {
        auth = await def.authenticate(request);
        request.payrailAuth = auth;
      }
      const parsedParams = def.params ? parseOrThrow(def.params, request.params, "params") : undefined;
      const parsedQuery = def.query ? parseOrThrow(def.query, request.query ?? {}, "query") : undefined;
      const parsedBody = def.body ? parseOrThrow(def.body, request.body ?? {}, "body") : undefined;

      const headerKey = request.headers["idempotency-key"];
      const idempotencyKey = typeof headerKey === "string" ? headerKey : undefined;
      const useIdempotency = def.method === "POST" && idempotencyKey !== undefined && auth !== undefined;
      let recovered = false;
      if (useIdempotency) {
        const claim = await claimIdempotencyKey(
          deps.ctx,
          auth as AuthContext,
          idempotencyKey,
          def.method,
          request.url.split("?")[0] as string,
          request.body,
        );
        recovered = claim.kind === "proceed" && claim.recovered;
        if (claim.kind === "replay") {
          reply.header("idempotent-replayed", "true");
          return reply.code(claim.status).type("application/json; charset=utf-8").send(claim.body);
        }
      }
      let output: HandlerOutput;
      try {
        output = await def.handler({
          body: parsedBody,
          query: parsedQuery,
          params: parsedParams,
          auth: auth as AuthContext,
          requestId: request.id,
          idempotencyKey,
          idempotencyRecovered: recovered,
          headers: request.headers,
          request,
        });
      } catch (error) {
        if (useIdempotency) {
          // A definite answer is kept for replays; a conflict ("try again") or a failure is not, so the
          // client's retry with the same key runs again.
          if (
            error instanceof ApiError &&
            error.status < 500 &&
            error.status !== 409 &&
            error.status !== 429
          ) {
            const text = JSON.stringify({ error: { ...error.body, request_id: request.id } });
            await completeIdempotencyKey(deps.ctx, auth as AuthContext, idempotencyKey, error.status, text);
          } else {
            await releaseIdempotencyKey(deps.ctx, auth as AuthContext, idempotencyKey);
          }
        }
        throw error;
      }
      const status = output.status ?? 200;
      const text = JSON.stringify(output.body);
      if (useIdempotency) {
        const stored = def.storedForReplay ? JSON.stringify(def.storedForReplay(output.body)) : text;
        await completeIdempotencyKey(deps.ctx, auth as AuthContext, idempotencyKey, status, stored);
      }
      if (output.headers) reply.headers(output.headers);
      return reply.code(status).type("application/json; charset=utf-8").send(text);
    },
  });
}

/** Replays of responses that showed a secret once show it as withheld. */
export function withholdSecret(field: string) {
  return (body: unknown) => ({
    ...(body as Record<string, unknown>),
    [field]: null,
    [`${field}_withheld`]: true,
  });
}
