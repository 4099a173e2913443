import swagger from "@fastify/swagger";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { randomToken } from "../core/ids.ts";
import { requestContext } from "../core/logging.ts";
import { type Authenticator, createAuthenticator } from "./auth.ts";
import type { AppContext } from "./context.ts";
import { installErrorHandling } from "./errors.ts";
import { type RouteDefinition, registerRoute } from "./route.ts";

export interface AppOptions {
  ctx: AppContext;
  routes: RouteDefinition[];
  /** Routes that need the raw body (inbound provider webhooks) and register themselves. */
  rawRoutes?: Array<(app: FastifyInstance) => void>;
  /** Extra readiness checks beyond the database and migrations. */
  ready: () => Promise<{ ok: boolean; checks: Record<string, string> }>;
}

export interface BuiltApp {
  app: FastifyInstance;
  authenticator: Authenticator;
}

function patternOf(url: string): RegExp {
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\?:[a-z_]+/gi, "[^/]+");
  return new RegExp(`^${escaped}/?$`);
}

export async function buildApp(options: AppOptions): Promise<BuiltApp> {
  const { ctx } = options;
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.logger as unknown as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    genReqId: () => `req_${randomToken(ctx.random, 12)}`,
    requestIdHeader: false,
    // Requests are logged by the onResponse hook below, at debug level, with the route and status.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: "idle",
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  // Validation is done by zod inside each route; the JSON Schemas are for the OpenAPI document.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const authenticator = createAuthenticator(ctx);
  const routeTable: Array<{ method: string; pattern: RegExp }> = [];
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      if (method !== "HEAD") routeTable.push({ method, pattern: patternOf(route.url) });
  });
  installErrorHandling(app, () => routeTable);

  app.addHook("onRequest", (request, _reply, done) => {
    requestContext.run({ requestId: request.id }, done);
  });
  app.addHook("onRequest", async (request, reply) => {
    reply.header("request-id", request.id);
    reply.header("cache-control", "no-store");
    reply.header("x-content-type-options", "nosniff");
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    ctx.metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 500) request.log.warn({ route, status: reply.statusCode }, "request failed");
    else
      request.log.debug(
        { method: request.method, url: request.url, route, status: reply.statusCode, ms: reply.elapsedTime },
        "request",
      );
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Payrail API",
        version: "2026-11-01",
        description:
          "One API over many payment providers. Amounts are integers in the currency's minor unit.",
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer", description: "sk_test_… / pk_test_…" },
        },
      },
    },
  });

  for (const route of options.routes) registerRoute(app, { ctx, authenticator }, route);
  for (const register of options.rawRoutes ?? []) register(app);

  app.get("/openapi.json", { schema: { hide: true } }, async (_request, reply) => reply.send(app.swagger()));
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (_request, reply) => {
    const result = await options
      .ready()
      .catch((error: Error) => ({ ok: false, checks: { error: error.message } }));
    return reply
      .code(result.ok ? 200 : 503)
      .send({ status: result.ok ? "ready" : "not_ready", checks: result.checks });
  });
  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) =>
    reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()),
  );
  return { app, authenticator };
}
