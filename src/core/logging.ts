import { AsyncLocalStorage } from "node:async_hooks";
import { type DestinationStream, type Logger, pino } from "pino";
import { redact } from "./redact.ts";

export type { Logger };

/**
 * The request being served, so that every log line written while serving it (in services, connectors,
 * anywhere) carries its request id, not only the lines written through the request's own logger.
 */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

export function createLogger(options: {
  level: string;
  destination?: DestinationStream;
  name?: string;
}): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.name ?? "payrail", pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: (_object, _level, logger) => {
        const current = requestContext.getStore();
        // The request's own logger already binds reqId; others (services, connectors) get it here.
        return current && !(logger as Logger).bindings().reqId ? { reqId: current.requestId } : {};
      },
      // Field-name redaction first; the pattern pass below catches what lands in any other field.
      redact: {
        paths: ["req.headers.authorization", "*.card.number", "*.card.cvc", "card.number", "card.cvc"],
        censor: "[REDACTED]",
      },
      hooks: { streamWrite: redact },
    },
    options.destination,
  );
}
