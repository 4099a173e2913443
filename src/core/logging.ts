import { type DestinationStream, type Logger, pino } from "pino";
import { redact } from "./redact.ts";

export type { Logger };

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
