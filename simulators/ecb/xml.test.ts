import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { XMLParser } from "fast-xml-parser";
import { DEFAULT_RATES, latestBusinessDay } from "./rates.ts";
import { renderEcbDailyXml, renderEcbXml } from "./xml.ts";

describe("renderEcbDailyXml", () => {
  test("writes the ECB's daily file byte for byte", () => {
    const xml = renderEcbDailyXml({
      date: "2026-01-02",
      rates: { USD: "1.1720", JPY: "182.45", GBP: "0.87630" },
    });
    assert.equal(
      xml,
      `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>European Central Bank</gesmes:name>
	</gesmes:Sender>
	<Cube>
		<Cube time='2026-01-02'>
			<Cube currency='USD' rate='1.1720'/>
			<Cube currency='JPY' rate='182.45'/>
			<Cube currency='GBP' rate='0.87630'/>
		</Cube>
	</Cube>
</gesmes:Envelope>
`,
    );
  });

  test("is well-formed XML with the gesmes and eurofxref namespaces", () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" });
    const doc = parser.parse(renderEcbDailyXml({ date: "2026-01-02", rates: { ...DEFAULT_RATES } }), true);
    const envelope = doc["gesmes:Envelope"];
    assert.equal(envelope["xmlns:gesmes"], "http://www.gesmes.org/xml/2002-08-01");
    assert.equal(envelope.xmlns, "http://www.ecb.int/vocabulary/2002-08-01/eurofxref");
    assert.equal(envelope["gesmes:Sender"]["gesmes:name"], "European Central Bank");
    const rates = envelope.Cube.Cube.Cube as Array<{ currency: string; rate: string }>;
    assert.equal(rates.length, Object.keys(DEFAULT_RATES).length);
  });

  test("lists several days newest first, as the 90-day file does", () => {
    const xml = renderEcbXml([
      { date: "2026-01-01", rates: { USD: "1.17" } },
      { date: "2026-01-05", rates: { USD: "1.18" } },
      { date: "2026-01-02", rates: { USD: "1.19" } },
    ]);
    const times = [...xml.matchAll(/time='([\d-]+)'/g)].map((m) => m[1]);
    assert.deepEqual(times, ["2026-01-05", "2026-01-02", "2026-01-01"]);
  });

  test("refuses input the ECB would never publish", () => {
    assert.throws(() => renderEcbDailyXml({ date: "2/1/2026", rates: {} }), RangeError);
    assert.throws(() => renderEcbDailyXml({ date: "2026-01-02", rates: { usd: "1.1" } }), RangeError);
    assert.throws(() => renderEcbDailyXml({ date: "2026-01-02", rates: { USD: "1,1" } }), RangeError);
    assert.throws(() => renderEcbDailyXml({ date: "2026-01-02", rates: { "US'": "1.1" } }), RangeError);
  });
});

describe("default rates", () => {
  test("follow the ECB list: no TWD, KWD, VND or (since 2026) BGN", () => {
    assert.ok(Object.keys(DEFAULT_RATES).length >= 29);
    for (const code of ["USD", "JPY", "GBP", "CNY", "HKD", "SGD", "MYR", "THB", "IDR", "KRW", "PHP", "AUD"]) {
      assert.ok(DEFAULT_RATES[code], code);
    }
    for (const code of ["TWD", "KWD", "VND", "BGN", "EUR"])
      assert.equal(DEFAULT_RATES[code], undefined, code);
  });

  test("latestBusinessDay skips weekends", () => {
    assert.equal(latestBusinessDay(new Date("2026-01-03T12:00:00Z")), "2026-01-02"); // Saturday
    assert.equal(latestBusinessDay(new Date("2026-01-04T23:00:00Z")), "2026-01-02"); // Sunday
    assert.equal(latestBusinessDay(new Date("2026-01-05T00:00:00Z")), "2026-01-05"); // Monday
  });
});
