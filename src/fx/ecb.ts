/**
 * Parser of the ECB euro foreign exchange reference rates (eurofxref-daily.xml, and the 90-day and
 * historic files eurofxref-hist-90d.xml / eurofxref-hist.xml):
 *
 *   <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
 *                    xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
 *     <gesmes:subject>Reference rates</gesmes:subject>
 *     <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
 *     <Cube>
 *       <Cube time='2026-01-02'>
 *         <Cube currency='USD' rate='1.0823'/>   (units of USD for one euro)
 *         ...
 *
 * Only the newest dated Cube is kept. Currencies this platform does not know (not in ISO 4217, or
 * withdrawn) are skipped and reported in `skipped`; anything else malformed is an EcbParseError.
 */
import { XMLParser } from "fast-xml-parser";
import { findCurrency } from "../core/money.ts";
import { isPositive, parseDecimal, type Rational } from "./decimal.ts";

export interface EcbRates {
  /** The ECB reference date, YYYY-MM-DD. */
  date: string;
  base: "eur";
  /** Lower-case currency code -> units of that currency for one euro. */
  rates: Map<string, Rational>;
  /** Codes present in the file but skipped as unknown (upper case, as the file spells them). */
  skipped: string[];
}

export class EcbParseError extends Error {
  override name = "EcbParseError";
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  isArray: (name) => name === "Cube",
});

type Node = Record<string, unknown>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RATE = /^\d+(\.\d+)?$/;

function isRealDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Child `Cube` elements of a node; an empty element parses as "" and has none. */
function cubes(node: unknown): Node[] {
  if (!node || typeof node !== "object") return [];
  const children = (node as Node).Cube;
  if (!Array.isArray(children)) return [];
  return children.map((child) => (child && typeof child === "object" ? (child as Node) : {}));
}

function parseXml(xml: string): Node {
  try {
    return parser.parse(xml, true) as Node;
  } catch (error) {
    throw new EcbParseError(`ECB rates file is not well-formed XML: ${(error as Error).message}`);
  }
}

function newestDay(envelope: unknown): Node {
  const [outer, ...extra] = cubes(envelope);
  if (!outer) throw new EcbParseError("ECB rates file has no Cube element");
  if (extra.length > 0) throw new EcbParseError("ECB rates file has more than one top-level Cube");
  const days = cubes(outer);
  if (days.length === 0) throw new EcbParseError("ECB rates file has no dated Cube (Cube time='YYYY-MM-DD')");
  let newest: Node | undefined;
  const seen = new Set<string>();
  for (const day of days) {
    const time = day.time;
    if (typeof time !== "string" || !isRealDate(time)) {
      throw new EcbParseError(`ECB rates file has a Cube with an invalid time: ${JSON.stringify(time)}`);
    }
    if (seen.has(time)) throw new EcbParseError(`ECB rates file has two Cubes for ${time}`);
    seen.add(time);
    if (!newest || time > (newest.time as string)) newest = day;
  }
  return newest as Node;
}

export function parseEcbXml(xml: string): EcbRates {
  const document = parseXml(xml);
  const envelope = document.Envelope;
  if (!envelope || typeof envelope !== "object") {
    throw new EcbParseError("ECB rates file has no gesmes:Envelope root element");
  }
  const day = newestDay(envelope);
  const date = day.time as string;
  const rates = new Map<string, Rational>();
  const skipped: string[] = [];
  for (const entry of cubes(day)) {
    const { currency, rate } = entry;
    if (typeof currency !== "string" || typeof rate !== "string") {
      throw new EcbParseError(`ECB rates of ${date}: a Cube lacks its currency or rate attribute`);
    }
    const known = /^[A-Z]{3}$/.test(currency) ? findCurrency(currency) : undefined;
    if (!known || known.code === "eur") {
      skipped.push(currency);
      continue;
    }
    if (!RATE.test(rate)) {
      throw new EcbParseError(
        `ECB rates of ${date}: rate of ${currency} is not a decimal: ${JSON.stringify(rate)}`,
      );
    }
    const value = parseDecimal(rate);
    if (!isPositive(value))
      throw new EcbParseError(`ECB rates of ${date}: rate of ${currency} is not positive`);
    if (rates.has(known.code)) throw new EcbParseError(`ECB rates of ${date}: ${currency} appears twice`);
    rates.set(known.code, value);
  }
  if (rates.size === 0) throw new EcbParseError(`ECB rates of ${date}: no usable currency rates`);
  return { date, base: "eur", rates, skipped };
}
