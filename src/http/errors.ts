import type { FastifyError, FastifyInstance } from "fastify";
import { ApiError, type ApiErrorBody } from "../core/errors.ts";
import { isContention } from "../db/errors.ts";

function send(reply: import("fastify").FastifyReply, requestId: string, status: number, body: ApiErrorBody) {
  return reply
    .code(status)
    .type("application/json; charset=utf-8")
    .send(JSON.stringify({ error: { ...body, request_id: requestId } }));
}

function fromFastifyError(error: FastifyError): { status: number; body: ApiErrorBody } | undefined {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        status: 413,
        body: {
          type: "invalid_request_error",
          code: "request_too_large",
          message: "The request body exceeds the 1 MB limit.",
        },
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        status: 415,
        body: {
          type: "invalid_request_error",
          code: "unsupported_media_type",
          message: "Send request bodies as application/json.",
        },
      };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return {
        status: 400,
        body: { type: "invalid_request_error", code: "body_invalid", message: "The JSON body is empty." },
      };
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return {
        status: 400,
        body: {
          type: "invalid_request_error",
          code: "body_invalid",
          message: "Content-Length does not match the body.",
        },
      };
  }
  if (error instanceof SyntaxError || error.code === "FST_ERR_CTP_INVALID_JSON_BODY") {
    return {
      status: 400,
      body: {
        type: "invalid_request_error",
        code: "body_invalid",
        message: "The request body is not valid JSON.",
      },
    };
  }
  if (typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500) {
    return {
      status: error.statusCode,
      body: {
        type: "invalid_request_error",
        code: "request_invalid",
        message: "The request could not be read.",
      },
    };
  }
  return undefined;
}

/** Errors say what happened and never leak stack traces or SQL. */
export function installErrorHandling(
  app: FastifyInstance,
  routeTable: () => Array<{ method: string; pattern: RegExp }>,
) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return send(reply, request.id, error.status, error.body);
    const mapped = fromFastifyError(error);
    if (mapped) return send(reply, request.id, mapped.status, mapped.body);
    if (isContention(error)) {
      request.log.warn({ err: error }, "lost to a concurrent request");
      return send(reply, request.id, 409, {
        type: "api_error",
        code: "lock_timeout",
        message:
          "Another request changed the same object or balance at the same moment. Retry; the same Idempotency-Key is safe.",
      });
    }
    request.log.error({ err: error }, "unhandled error");
    return send(reply, request.id, 500, {
      type: "api_error",
      code: "internal_error",
      message:
        "An unexpected error occurred. It has been logged; retrying with the same Idempotency-Key is safe.",
    });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] as string;
    const allowed = routeTable()
      .filter((r) => r.pattern.test(path))
      .map((r) => r.method);
    if (allowed.length > 0) {
      reply.header("allow", [...new Set(allowed)].join(", "));
      return send(reply, request.id, 405, {
        type: "invalid_request_error",
        code: "method_not_allowed",
        message: `${request.method} is not allowed on ${path}; use ${[...new Set(allowed)].join(" or ")}.`,
      });
    }
    return send(reply, request.id, 404, {
      type: "invalid_request_error",
      code: "route_not_found",
      message: `Unrecognized request URL (${request.method}: ${path}).`,
    });
  });
}
