/**
 * The ECB euro foreign exchange reference rates file, byte for byte as the ECB writes it
 * (https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml): a gesmes envelope, tab
 * indentation, single-quoted Cube attributes, rates as units of currency for one euro.
 */
export const GESMES_NS = "http://www.gesmes.org/xml/2002-08-01";
export const EUROFXREF_NS = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref";

export interface EcbDay {
  /** YYYY-MM-DD */
  date: string;
  /** Upper-case ISO 4217 code -> decimal rate as the ECB prints it ("1.0823", "161.45"). */
  rates: Record<string, string>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[A-Z]{3}$/;
const RATE = /^\d+(\.\d+)?$/;

function checkDay(day: EcbDay): void {
  if (!DATE.test(day.date)) throw new RangeError(`date must be YYYY-MM-DD: ${day.date}`);
  for (const [code, rate] of Object.entries(day.rates)) {
    if (!CODE.test(code)) throw new RangeError(`currency must be three upper-case letters: ${code}`);
    if (!RATE.test(rate)) throw new RangeError(`rate of ${code} must be a decimal: ${rate}`);
  }
}

function renderDay(day: EcbDay): string {
  checkDay(day);
  const lines = Object.entries(day.rates).map(
    ([code, rate]) => `\t\t\t<Cube currency='${code}' rate='${rate}'/>`,
  );
  return [`\t\t<Cube time='${day.date}'>`, ...lines, "\t\t</Cube>"].join("\n");
}

/** A file of one or more days, newest first as the ECB orders its 90-day and historic files. */
export function renderEcbXml(days: readonly EcbDay[]): string {
  const sorted = [...days].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<gesmes:Envelope xmlns:gesmes="${GESMES_NS}" xmlns="${EUROFXREF_NS}">`,
    "\t<gesmes:subject>Reference rates</gesmes:subject>",
    "\t<gesmes:Sender>",
    "\t\t<gesmes:name>European Central Bank</gesmes:name>",
    "\t</gesmes:Sender>",
    "\t<Cube>",
    ...sorted.map(renderDay),
    "\t</Cube>",
    "</gesmes:Envelope>",
    "",
  ].join("\n");
}

/** eurofxref-daily.xml: the rates of one day. */
export function renderEcbDailyXml(day: EcbDay): string {
  return renderEcbXml([day]);
}
