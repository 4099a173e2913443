import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { type EcbSimulator, startEcbSimulator } from "../../simulators/ecb/server.ts";
import { renderEcbDailyXml, renderEcbXml } from "../../simulators/ecb/xml.ts";
import { ManualClock } from "../core/clock.ts";
import { ApiError } from "../core/errors.ts";
import { divide, invert, ONE, parseDecimal } from "./decimal.ts";
import { ageInDays, createEcbRateSource, type RateTable, referenceRate } from "./rate-source.ts";

const HOUR = 3_600_000;

function recordingLogger() {
  const lines: Array<{ level: string; object: object; message: string }> = [];
  return {
    lines,
    info: (object: object, message: string) => lines.push({ level: "info", object, message }),
    warn: (object: object, message: string) => lines.push({ level: "warn", object, message }),
  };
}

const isUnavailable = (pattern: RegExp) => (error: unknown) =>
  error instanceof ApiError &&
  error.status === 503 &&
  error.body.code === "rates_unavailable" &&
  pattern.test(error.body.message);

describe("ECB rate source over HTTP (simulator)", () => {
  let sim: EcbSimulator;
  before(async () => {
    sim = await startEcbSimulator({
      date: "2026-01-02",
      rates: { USD: "1.0823", JPY: "161.45", GBP: "0.8392" },
    });
  });
  after(async () => {
    await sim?.close();
  });

  test("loads, caches for refreshMs, then refreshes", async () => {
    sim.setFault(null);
    const clock = new ManualClock(new Date("2026-01-02T16:30:00Z"));
    const source = createEcbRateSource({ location: sim.url, clock });
    const start = sim.requestCount();
    const table = await source.current();
    assert.equal(table.date, "2026-01-02");
    assert.equal(table.base, "eur");
    assert.deepEqual(table.rates.get("usd"), parseDecimal("1.0823"));
    clock.advance(HOUR - 1);
    assert.equal(await source.current(), table);
    assert.equal(sim.requestCount() - start, 1);

    sim.setRates({ date: "2026-01-05", rates: { USD: "1.0900", JPY: "162.00", GBP: "0.8400" } });
    clock.set(new Date("2026-01-05T16:30:00Z"));
    const next = await source.current();
    assert.equal(next.date, "2026-01-05");
    assert.deepEqual(next.rates.get("usd"), parseDecimal("1.09"));
    assert.equal(sim.requestCount() - start, 2);
  });

  test("concurrent callers share one fetch", async () => {
    sim.setFault(null);
    const source = createEcbRateSource({ location: sim.url, clock: new ManualClock(new Date("2026-01-05")) });
    const start = sim.requestCount();
    const tables = await Promise.all(Array.from({ length: 10 }, () => source.current()));
    assert.equal(sim.requestCount() - start, 1);
    assert.ok(tables.every((t) => t === tables[0]));
  });

  for (const fault of ["http_500", "malformed", "hang_up"] as const) {
    test(`keeps the last good table when a refresh fails (${fault}), and retries later`, async () => {
      sim.setFault(null);
      const clock = new ManualClock(new Date("2026-01-05T17:00:00Z"));
      const logger = recordingLogger();
      const source = createEcbRateSource({
        location: sim.url,
        clock,
        logger,
        retryMs: 60_000,
        timeoutMs: 2000,
      });
      const good = await source.current();

      sim.setFault(fault);
      clock.advance(HOUR);
      const start = sim.requestCount();
      assert.equal(await source.current(), good);
      assert.equal(sim.requestCount() - start, 1);
      const warning = logger.lines.find((l) => l.level === "warn");
      assert.ok(warning, "the failure is logged");
      assert.equal((warning.object as { kept: string }).kept, "2026-01-05");
      await assert.rejects(source.refresh());

      clock.advance(30_000); // within retryMs: no new attempt
      const afterForced = sim.requestCount();
      assert.equal(await source.current(), good);
      assert.equal(sim.requestCount(), afterForced);

      sim.setFault(null);
      clock.advance(60_000);
      const fresh = await source.current();
      assert.notEqual(fresh, good);
      assert.equal(fresh.date, "2026-01-05");
    });
  }

  test("refuses with rates_unavailable when nothing could be loaded, without leaking the cause", async () => {
    sim.setFault("http_500");
    const logger = recordingLogger();
    const source = createEcbRateSource({ location: sim.url, clock: new ManualClock(), logger });
    await assert.rejects(source.current(), isUnavailable(/No FX reference rates are loaded/));
    await assert.rejects(source.current(), (error: ApiError) => !error.message.includes("127.0.0.1"));
    assert.match(JSON.stringify(logger.lines), /HTTP 500/);
    sim.setFault(null);
  });
});

describe("ECB rate source from a file", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "payrail-fx-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("reads a path or a file: URL, and a 90-day file's newest day", async () => {
    const path = join(dir, "eurofxref-hist-90d.xml");
    await writeFile(
      path,
      renderEcbXml([
        { date: "2026-01-02", rates: { USD: "1.1720" } },
        { date: "2026-01-01", rates: { USD: "1.1600" } },
      ]),
    );
    const clock = new ManualClock(new Date("2026-01-03T10:00:00Z"));
    for (const location of [path, pathToFileURL(path).href]) {
      const table = await createEcbRateSource({ location, clock }).current();
      assert.equal(table.date, "2026-01-02");
      assert.deepEqual(table.rates.get("usd"), parseDecimal("1.172"));
    }
  });

  test("a table older than maxAgeDays is refused; a long weekend is not", async () => {
    const path = join(dir, "friday.xml");
    await writeFile(path, renderEcbDailyXml({ date: "2026-01-02", rates: { USD: "1.1720" } })); // a Friday
    const clock = new ManualClock(new Date("2026-01-07T23:59:59Z")); // Wednesday: 5 days
    const source = createEcbRateSource({ location: path, clock });
    assert.equal((await source.current()).date, "2026-01-02");
    clock.set(new Date("2026-01-08T00:00:00Z")); // 6 days
    await assert.rejects(source.current(), isUnavailable(/2026-01-02 are 6 days old \(more than 5\)/));
    const lenient = createEcbRateSource({ location: path, clock, maxAgeDays: 7 });
    assert.equal((await lenient.current()).date, "2026-01-02");
  });

  test("never moves back to an older table, and keeps the good one over a broken file", async () => {
    const path = join(dir, "daily.xml");
    await writeFile(path, renderEcbDailyXml({ date: "2026-01-05", rates: { USD: "1.1800" } }));
    const clock = new ManualClock(new Date("2026-01-05T17:00:00Z"));
    const logger = recordingLogger();
    const source = createEcbRateSource({ location: path, clock, logger, refreshMs: 1000 });
    await source.current();
    await writeFile(path, renderEcbDailyXml({ date: "2026-01-02", rates: { USD: "1.1000" } }));
    clock.advance(1000);
    const kept = await source.current();
    assert.equal(kept.date, "2026-01-05");
    assert.deepEqual(kept.rates.get("usd"), parseDecimal("1.18"));
    assert.ok(logger.lines.some((l) => /older; kept/.test(l.message)));

    await writeFile(path, "<html>maintenance</html>");
    clock.advance(1000);
    assert.equal((await source.current()).date, "2026-01-05");
  });

  test("a missing file gives rates_unavailable, not the path", async () => {
    const location = join(dir, "missing.xml");
    const source = createEcbRateSource({ location, clock: new ManualClock() });
    await assert.rejects(
      source.current(),
      (error: ApiError) => isUnavailable(/./)(error) && !error.message.includes(dir),
    );
  });

  test("ageInDays counts calendar days in UTC", () => {
    assert.equal(ageInDays({ date: "2026-01-02" }, new Date("2026-01-02T23:59:59Z")), 0);
    assert.equal(ageInDays({ date: "2026-01-02" }, new Date("2026-01-05T00:00:00Z")), 3);
  });
});

describe("referenceRate", () => {
  const table: RateTable = {
    date: "2025-03-14",
    base: "eur",
    rates: new Map([
      ["usd", parseDecimal("1.0823")],
      ["jpy", parseDecimal("161.45")],
      ["gbp", parseDecimal("0.8392")],
    ]),
    loadedAt: new Date(),
    source: "test",
  };

  test("crosses through the euro exactly", () => {
    assert.deepEqual(referenceRate(table, "usd", "jpy"), { num: 1614500n, den: 10823n });
    assert.deepEqual(referenceRate(table, "jpy", "usd"), invert(referenceRate(table, "usd", "jpy")));
    assert.deepEqual(referenceRate(table, "eur", "usd"), parseDecimal("1.0823"));
    assert.deepEqual(referenceRate(table, "USD", "EUR"), invert(parseDecimal("1.0823")));
    assert.deepEqual(
      referenceRate(table, "gbp", "usd"),
      divide(parseDecimal("1.0823"), parseDecimal("0.8392")),
    );
    assert.deepEqual(referenceRate(table, "usd", "usd"), ONE);
  });

  test("a currency the ECB does not publish fails clearly, naming the parameter", () => {
    for (const [from, to, param, code] of [
      ["usd", "twd", "to_currency", "TWD"],
      ["kwd", "usd", "from_currency", "KWD"],
      ["eur", "vnd", "to_currency", "VND"],
    ]) {
      assert.throws(
        () => referenceRate(table, from as string, to as string),
        (error: unknown) =>
          error instanceof ApiError &&
          error.status === 400 &&
          error.body.code === "fx_rate_unavailable" &&
          error.body.param === param &&
          error.message.includes(code as string),
      );
    }
  });
});
