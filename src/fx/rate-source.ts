/**
 * Where reference rates come from. `RateSource` is the seam: the ECB source below reads the
 * eurofxref XML from a file or an http(s) URL; another provider only has to produce a RateTable.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Clock } from "../core/clock.ts";
import { ApiError } from "../core/errors.ts";
import { divide, ONE, type Rational } from "./decimal.ts";
import { parseEcbXml } from "./ecb.ts";

export interface RateTable {
  /** Reference date of the rates, YYYY-MM-DD (the ECB publishes none on weekends and TARGET holidays). */
  date: string;
  /** Every rate is units of that currency for one unit of the base. */
  base: string;
  rates: ReadonlyMap<string, Rational>;
  /** When this process loaded the table. */
  loadedAt: Date;
  source: string;
}

export interface RateSource {
  /** The current table; throws `rates_unavailable` (503) when there is none fresh enough. */
  current(): Promise<RateTable>;
}

export interface RateSourceLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export const ratesUnavailable = (message: string) =>
  new ApiError(503, { type: "api_error", code: "rates_unavailable", message });

const DAY_MS = 86_400_000;

/** Whole days from the rate date (midnight UTC) to the current UTC date. */
export function ageInDays(table: Pick<RateTable, "date">, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.floor((today - Date.parse(`${table.date}T00:00:00Z`)) / DAY_MS);
}

async function readLocation(location: string, timeoutMs: number): Promise<string> {
  if (/^https?:\/\//i.test(location)) {
    const response = await fetch(location, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status} from ${location}`);
    }
    return response.text();
  }
  const path = location.startsWith("file:") ? fileURLToPath(location) : location;
  return readFile(path, "utf8");
}

export interface EcbRateSourceOptions {
  /** A file path, a file: URL, or an http(s) URL of eurofxref-daily.xml (or a -hist file). */
  location: string;
  clock: Clock;
  /** How long a loaded table is used before it is fetched again; default 1 hour. */
  refreshMs?: number;
  /** After a failed fetch, wait this long before trying again; default 1 minute (capped at refreshMs). */
  retryMs?: number;
  /** Tables older than this many days are refused; default 5 (long weekends have no ECB rates). */
  maxAgeDays?: number;
  timeoutMs?: number;
  logger?: RateSourceLogger;
}

export interface EcbRateSource extends RateSource {
  /** Fetches now, whatever the cache says; keeps the last good table when it fails, and rethrows. */
  refresh(): Promise<RateTable>;
}

export function createEcbRateSource(options: EcbRateSourceOptions): EcbRateSource {
  const { location, clock, logger } = options;
  const refreshMs = options.refreshMs ?? 3_600_000;
  const retryMs = Math.min(options.retryMs ?? 60_000, refreshMs);
  const maxAgeDays = options.maxAgeDays ?? 5;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let table: RateTable | undefined;
  let lastError: Error | undefined;
  let nextAttemptAt = 0;
  let inFlight: Promise<RateTable> | undefined;

  async function load(): Promise<RateTable> {
    const now = clock.now();
    try {
      const parsed = parseEcbXml(await readLocation(location, timeoutMs));
      if (parsed.skipped.length > 0) {
        logger?.info({ skipped: parsed.skipped, date: parsed.date }, "ECB rates: skipped unknown currencies");
      }
      const fresh: RateTable = { ...parsed, loadedAt: now, source: location };
      // A lagging mirror or cache must not move the rates back in time.
      if (table && fresh.date < table.date) {
        logger?.warn({ date: fresh.date, kept: table.date }, "ECB rates: fetched table is older; kept");
        table = { ...table, loadedAt: now };
      } else {
        table = fresh;
      }
      lastError = undefined;
      nextAttemptAt = now.getTime() + refreshMs;
      return table;
    } catch (error) {
      lastError = error as Error;
      nextAttemptAt = now.getTime() + retryMs;
      logger?.warn(
        { err: lastError.message, source: location, kept: table?.date ?? null },
        "ECB rates: refresh failed",
      );
      throw error;
    }
  }

  function refresh(): Promise<RateTable> {
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    refresh,
    async current() {
      const now = clock.now();
      if (now.getTime() >= nextAttemptAt) await refresh().catch(() => undefined);
      else if (inFlight) await inFlight.catch(() => undefined);
      if (!table) {
        // The cause (a path, a URL, a socket error) is in the log, not in what API callers see.
        throw ratesUnavailable(
          `No FX reference rates are loaded${lastError ? " (the rate source could not be read)" : ""}.`,
        );
      }
      const age = ageInDays(table, now);
      if (age > maxAgeDays) {
        throw ratesUnavailable(
          `The FX reference rates of ${table.date} are ${age} days old (more than ${maxAgeDays}); refusing to quote.`,
        );
      }
      return table;
    },
  };
}

/** Units of `code` for one unit of the table's base; throws a 400 naming the parameter when unknown. */
function rateOf(table: RateTable, code: string, param: string): Rational {
  const currency = code.toLowerCase();
  if (currency === table.base) return ONE;
  const rate = table.rates.get(currency);
  if (!rate) {
    throw new ApiError(400, {
      type: "invalid_request_error",
      code: "fx_rate_unavailable",
      message: `No reference rate for ${currency.toUpperCase()} in the FX rates of ${table.date}.`,
      param,
    });
  }
  return rate;
}

/** Exact cross rate through the base: units of `to` for one unit of `from` = rate[to] / rate[from]. */
export function referenceRate(table: RateTable, from: string, to: string): Rational {
  return divide(rateOf(table, to, "to_currency"), rateOf(table, from, "from_currency"));
}
