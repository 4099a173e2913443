import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEFAULT_RATES } from "./rates.ts";
import { type EcbSimulator, startEcbSimulator } from "./server.ts";
import { renderEcbDailyXml } from "./xml.ts";

describe("ECB simulator over HTTP", () => {
  let sim: EcbSimulator;
  before(async () => {
    sim = await startEcbSimulator({ date: "2026-01-02" });
  });
  after(async () => {
    await sim?.close();
  });

  test("serves eurofxref-daily.xml at the ECB's path", async () => {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+\/stats\/eurofxref\/eurofxref-daily\.xml$/);
    const response = await fetch(sim.url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/xml");
    assert.equal(
      await response.text(),
      renderEcbDailyXml({ date: "2026-01-02", rates: { ...DEFAULT_RATES } }),
    );
  });

  test("publishes new rates: a new day in the daily file, every day in the 90-day file", async () => {
    sim.setRates({ date: "2026-01-05", rates: { USD: "1.1800", JPY: "183.10" } });
    const daily = await (await fetch(sim.url)).text();
    assert.match(daily, /<Cube time='2026-01-05'>/);
    assert.match(daily, /<Cube currency='USD' rate='1.1800'\/>/);
    assert.doesNotMatch(daily, /2026-01-02/);
    const hist = await (await fetch(sim.hist90dUrl)).text();
    assert.deepEqual(
      [...hist.matchAll(/time='([\d-]+)'/g)].map((m) => m[1]),
      ["2026-01-05", "2026-01-02"],
    );
    sim.setRates({ rates: { USD: "1.1810" } }); // same day, corrected
    assert.match(
      await (await fetch(sim.url)).text(),
      /<Cube time='2026-01-05'>\s*<Cube currency='USD' rate='1.1810'\/>\s*<\/Cube>/,
    );
    assert.throws(() => sim.setRates({ rates: { USD: "1.18e0" } }), RangeError);
  });

  test("answers 404 elsewhere and 405 to other methods", async () => {
    assert.equal((await fetch(sim.url.replace("daily", "weekly"))).status, 404);
    assert.equal((await fetch(sim.url, { method: "POST", body: "x" })).status, 405);
  });

  test("injects faults on demand and counts requests", async () => {
    const before = sim.requestCount();
    sim.setFault("http_500");
    assert.equal((await fetch(sim.url)).status, 500);
    sim.setFault("malformed");
    const broken = await (await fetch(sim.url)).text();
    assert.ok(broken.startsWith("<?xml") && !broken.includes("</gesmes:Envelope>"));
    sim.setFault("hang_up");
    await assert.rejects(fetch(sim.url));
    sim.setFault(null);
    assert.equal((await fetch(sim.url)).status, 200);
    assert.equal(sim.requestCount() - before, 4);
  });
});
