/**
 * PayPal's daily Settlement Report (STL). PayPal delivers it by SFTP only (`/ppreports/outgoing` on its
 * reports server, with the account's SFTP user): there is no REST endpoint for it, so against real PayPal
 * these helpers do not apply. The simulator serves the same files over HTTPS at `/ppreports/outgoing`
 * with HTTP Basic REST credentials standing in for SFTP, and that is what they fetch.
 */
import { z } from "zod";
import { paypalConfigSchema } from "./config.ts";
import { failureReason } from "./tokens.ts";

export interface SettlementReportFile {
  fileName: string;
  /** The file's bytes: UTF-8 with a byte order mark, CRLF line ends. */
  content: Buffer;
}

export type SettlementFetch<T> = { ok: true; value: T } | { ok: false; reason: string };

/** One SB (body) row, keyed by the CH row's column names ("Transaction ID", "Gross Transaction Amount", …). */
export type SettlementRow = Record<string, string>;

const FILE_NAME = /^STL-\d{8}\.\d{2}\.\d{3}\.CSV$/;

export function settlementFileName(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`not a day: ${day}`);
  return `STL-${day.replaceAll("-", "")}.01.009.CSV`;
}

async function get(config: Record<string, unknown>, baseUrl: string, path: string, timeoutMs: number) {
  const { client_id, client_secret, base_url } = paypalConfigSchema.parse(config);
  const basic = Buffer.from(`${client_id}:${client_secret}`).toString("base64");
  try {
    const response = await fetch(`${(base_url ?? baseUrl).replace(/\/+$/, "")}${path}`, {
      headers: { authorization: `Basic ${basic}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { ok: true as const, status: response.status, body: Buffer.from(await response.arrayBuffer()) };
  } catch (error) {
    return { ok: false as const, reason: failureReason(error) };
  }
}

/** The report files available for the account (days that are over and had activity). */
export async function listSettlementReports(
  config: Record<string, unknown>,
  baseUrl: string,
  timeoutMs = 10_000,
): Promise<SettlementFetch<string[]>> {
  const answer = await get(config, baseUrl, "/ppreports/outgoing", timeoutMs);
  if (!answer.ok) return answer;
  if (answer.status !== 200) return { ok: false, reason: `http_${answer.status}` };
  const names = answer.body
    .toString("utf8")
    .split(/\r?\n/)
    .filter((name) => FILE_NAME.test(name));
  return { ok: true, value: names };
}

/** The report of one UTC day (`YYYY-MM-DD`); `not_available` until the day is over, or without activity. */
export async function fetchSettlementReport(
  config: Record<string, unknown>,
  baseUrl: string,
  day: string,
  timeoutMs = 10_000,
): Promise<SettlementFetch<SettlementReportFile>> {
  const fileName = settlementFileName(day);
  const answer = await get(config, baseUrl, `/ppreports/outgoing/${fileName}`, timeoutMs);
  if (!answer.ok) return answer;
  if (answer.status === 404) return { ok: false, reason: "not_available" };
  if (answer.status !== 200) return { ok: false, reason: `http_${answer.status}` };
  return { ok: true, value: { fileName, content: answer.body } };
}

/** Splits one CSV line; `""` inside a quoted field is a quote. */
function fields(line: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      current += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === "," && !quoted) {
      out.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

const rowTypeSchema = z.string().regex(/^[A-Z]{2}$/);

/**
 * The transactions (SB rows) of a report, by column name. Amounts stay as PayPal writes them: unsigned
 * minor units in PayPal's own precision, beside a `CR`/`DR` column.
 */
export function settlementRows(content: Buffer): SettlementRow[] {
  const text = content.toString("utf8").replace(/^\uFEFF/, "");
  let columns: string[] = [];
  const rows: SettlementRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === "") continue;
    const [type, ...values] = fields(line);
    if (!rowTypeSchema.safeParse(type).success) continue;
    if (type === "CH") columns = values;
    if (type === "SB")
      rows.push(Object.fromEntries(columns.map((name, index) => [name, values[index] ?? ""])));
  }
  return rows;
}
