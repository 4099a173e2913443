/**
 * A local stand-in for the ECB's reference rate files over HTTP (node:http), at the ECB's own paths:
 *   /stats/eurofxref/eurofxref-daily.xml     the newest day
 *   /stats/eurofxref/eurofxref-hist-90d.xml  every day set so far (newest first, at most 90)
 * Faults on demand: an HTTP 500, a malformed body, or a connection closed without an answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_RATES, latestBusinessDay } from "./rates.ts";
import { type EcbDay, renderEcbDailyXml, renderEcbXml } from "./xml.ts";

export const DAILY_PATH = "/stats/eurofxref/eurofxref-daily.xml";
export const HIST_90D_PATH = "/stats/eurofxref/eurofxref-hist-90d.xml";

export type EcbFault = "http_500" | "malformed" | "hang_up";

export interface EcbSimulatorOptions {
  port?: number;
  host?: string;
  /** Default: the newest weekday, today or before (UTC). */
  date?: string;
  /** Default: DEFAULT_RATES. */
  rates?: Record<string, string>;
}

export interface EcbSimulator {
  /** URL of eurofxref-daily.xml. */
  url: string;
  /** URL of eurofxref-hist-90d.xml. */
  hist90dUrl: string;
  /** Publishes rates: for a new date a new day (kept in the 90-day file), else replaces that day's. */
  setRates(update: { rates: Record<string, string>; date?: string }): void;
  /** Every following request fails this way, until called with null. */
  setFault(fault: EcbFault | null): void;
  /** How many requests were answered (or refused) so far. */
  requestCount(): number;
  close(): Promise<void>;
}

const MAX_DAYS = 90;

export async function startEcbSimulator(options: EcbSimulatorOptions = {}): Promise<EcbSimulator> {
  const days: EcbDay[] = [
    { date: options.date ?? latestBusinessDay(), rates: { ...(options.rates ?? DEFAULT_RATES) } },
  ];
  renderEcbDailyXml(days[0] as EcbDay); // rejects bad initial input at start, not on the first request
  let fault: EcbFault | null = null;
  let requests = 0;

  const newest = () => days.reduce((a, b) => (b.date > a.date ? b : a));

  function answer(request: IncomingMessage, response: ServerResponse): void {
    requests += 1;
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path !== DAILY_PATH && path !== HIST_90D_PATH) {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
      return;
    }
    if (fault === "hang_up") {
      request.socket.destroy();
      return;
    }
    if (fault === "http_500") {
      response.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
      return;
    }
    const xml = path === DAILY_PATH ? renderEcbDailyXml(newest()) : renderEcbXml(days);
    const body = fault === "malformed" ? xml.slice(0, Math.floor(xml.length / 2)) : xml;
    response.writeHead(200, {
      "content-type": "text/xml",
      "content-length": Buffer.byteLength(body),
      "cache-control": "no-cache",
    });
    response.end(request.method === "HEAD" ? undefined : body);
  }

  const server = createServer(answer);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const base = `http://${host}:${address.port}`;

  return {
    url: `${base}${DAILY_PATH}`,
    hist90dUrl: `${base}${HIST_90D_PATH}`,
    setRates(update) {
      const day: EcbDay = { date: update.date ?? newest().date, rates: { ...update.rates } };
      renderEcbDailyXml(day); // validates
      const index = days.findIndex((d) => d.date === day.date);
      if (index >= 0) days[index] = day;
      else days.push(day);
      days.sort((a, b) => (a.date < b.date ? 1 : -1));
      days.splice(MAX_DAYS);
    },
    setFault(next) {
      fault = next;
    },
    requestCount: () => requests,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
