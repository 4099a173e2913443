import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseDecimal } from "./decimal.ts";
import { EcbParseError, parseEcbXml } from "./ecb.ts";

// Written by hand in the exact shape of https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml.
const DAILY = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>European Central Bank</gesmes:name>
	</gesmes:Sender>
	<Cube>
		<Cube time='2025-03-14'>
			<Cube currency='USD' rate='1.0823'/>
			<Cube currency='JPY' rate='161.45'/>
			<Cube currency='CZK' rate='25.050'/>
			<Cube currency='GBP' rate='0.83920'/>
			<Cube currency='HUF' rate='399.80'/>
			<Cube currency='IDR' rate='17812.34'/>
			<Cube currency='KRW' rate='1579.45'/>
		</Cube>
	</Cube>
</gesmes:Envelope>`;

const envelope = (cubes: string) => `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>European Central Bank</gesmes:name>
	</gesmes:Sender>
	<Cube>${cubes}</Cube>
</gesmes:Envelope>`;

const day = (time: string, rates: string) => `<Cube time='${time}'>${rates}</Cube>`;

describe("parseEcbXml", () => {
  test("reads the daily file: date, euro base, exact rates keyed by lower-case code", () => {
    const parsed = parseEcbXml(DAILY);
    assert.equal(parsed.date, "2025-03-14");
    assert.equal(parsed.base, "eur");
    assert.equal(parsed.rates.size, 7);
    assert.deepEqual(parsed.rates.get("usd"), parseDecimal("1.0823"));
    assert.deepEqual(parsed.rates.get("jpy"), { num: 3229n, den: 20n });
    assert.deepEqual(parsed.rates.get("gbp"), parseDecimal("0.8392"));
    assert.deepEqual(parsed.rates.get("idr"), parseDecimal("17812.34"));
    assert.deepEqual(parsed.skipped, []);
  });

  test("takes the newest day of a 90-day or historic file, whatever the order", () => {
    const xml = envelope(
      day("2025-03-13", "<Cube currency='USD' rate='1.0800'/>") +
        day("2025-03-14", "<Cube currency='USD' rate='1.0823'/><Cube currency='JPY' rate='161.45'/>") +
        day("2025-03-12", "<Cube currency='USD' rate='1.0900'/>"),
    );
    const parsed = parseEcbXml(xml);
    assert.equal(parsed.date, "2025-03-14");
    assert.deepEqual(parsed.rates.get("usd"), parseDecimal("1.0823"));
    assert.equal(parsed.rates.size, 2);
  });

  test("accepts double-quoted attributes and other whitespace", () => {
    const xml = envelope(`\n  <Cube time="2025-03-14">\n <Cube currency="USD"   rate="1.0823" />\n</Cube>\n`);
    assert.deepEqual(parseEcbXml(xml).rates.get("usd"), parseDecimal("1.0823"));
  });

  test("skips currencies it does not know, and reports them", () => {
    const xml = envelope(
      day(
        "2025-03-14",
        "<Cube currency='USD' rate='1.0823'/><Cube currency='XYZ' rate='2.5'/>" +
          "<Cube currency='EUR' rate='1'/><Cube currency='usd2' rate='1.1'/><Cube currency='RUB' rate='95.1'/>",
      ),
    );
    const parsed = parseEcbXml(xml);
    assert.deepEqual([...parsed.rates.keys()], ["usd", "rub"]);
    assert.deepEqual(parsed.skipped, ["XYZ", "EUR", "usd2"]);
  });

  const malformed: Array<[string, string, RegExp]> = [
    ["not XML", "this is not xml", /no gesmes:Envelope|not well-formed/],
    ["truncated XML", DAILY.slice(0, 300), /not well-formed/],
    ["an HTML error page", "<html><body>Service unavailable</body></html>", /no gesmes:Envelope/],
    ["no Cube", envelope("").replace("<Cube></Cube>", ""), /no Cube element/],
    ["no dated Cube", envelope(""), /no dated Cube/],
    ["an invalid time", envelope(day("2025-02-30", "<Cube currency='USD' rate='1.08'/>")), /invalid time/],
    [
      "a time that is no date",
      envelope(day("yesterday", "<Cube currency='USD' rate='1.08'/>")),
      /invalid time/,
    ],
    ["a Cube without time", envelope("<Cube><Cube currency='USD' rate='1.08'/></Cube>"), /invalid time/],
    [
      "a rate with a comma",
      envelope(day("2025-03-14", "<Cube currency='USD' rate='1,0823'/>")),
      /not a decimal/,
    ],
    [
      "a rate in exponent form",
      envelope(day("2025-03-14", "<Cube currency='USD' rate='1e2'/>")),
      /not a decimal/,
    ],
    ["an empty rate", envelope(day("2025-03-14", "<Cube currency='USD' rate=''/>")), /not a decimal/],
    ["a negative rate", envelope(day("2025-03-14", "<Cube currency='USD' rate='-1.08'/>")), /not a decimal/],
    ["a zero rate", envelope(day("2025-03-14", "<Cube currency='USD' rate='0.0000'/>")), /not positive/],
    ["a missing rate", envelope(day("2025-03-14", "<Cube currency='USD'/>")), /lacks its currency or rate/],
    ["a missing currency", envelope(day("2025-03-14", "<Cube rate='1.08'/>")), /lacks its currency or rate/],
    [
      "a currency twice",
      envelope(day("2025-03-14", "<Cube currency='USD' rate='1.08'/><Cube currency='USD' rate='1.09'/>")),
      /appears twice/,
    ],
    [
      "the same day twice",
      envelope(day("2025-03-14", "<Cube currency='USD' rate='1.08'/>").repeat(2)),
      /two Cubes for 2025-03-14/,
    ],
    ["an empty day", envelope(day("2025-03-14", "")), /no usable currency rates/],
    [
      "only unknown currencies",
      envelope(day("2025-03-14", "<Cube currency='XYZ' rate='1.08'/>")),
      /no usable/,
    ],
  ];
  for (const [what, xml, message] of malformed) {
    test(`rejects ${what}`, () => {
      assert.throws(
        () => parseEcbXml(xml),
        (error: unknown) => error instanceof EcbParseError && message.test(error.message),
      );
    });
  }
});
