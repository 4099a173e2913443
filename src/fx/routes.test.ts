import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { type EcbSimulator, startEcbSimulator } from "../../simulators/ecb/server.ts";
import { createTestContext, type TestContext } from "../../test/support/context.ts";
import { ManualClock } from "../core/clock.ts";
import { buildApp } from "../http/app.ts";
import { createEcbRateSource } from "./rate-source.ts";
import { fxRoutes } from "./routes.ts";
import { createFxService } from "./service.ts";
import { createFxTestMerchant, ensureFxTables, type FxTestMerchant } from "./testing.ts";

/** The whole chain over real HTTP: API routes -> service -> ECB rate source -> ECB simulator. */
describe("FX quote routes", () => {
  const clock = new ManualClock(new Date("2026-01-02T16:30:00Z"));
  let t: TestContext;
  let sim: EcbSimulator;
  let app: FastifyInstance;
  let base: string;
  let merchant: FxTestMerchant;

  before(async () => {
    t = await createTestContext({ clock });
    await ensureFxTables(t.ctx.db);
    sim = await startEcbSimulator({ date: "2026-01-02" });
    const rates = createEcbRateSource({ location: sim.url, clock, logger: t.ctx.logger });
    const fx = createFxService({ ctx: t.ctx, rates, spreadBps: 100 });
    ({ app } = await buildApp({
      ctx: t.ctx,
      routes: fxRoutes(fx),
      ready: async () => ({ ok: true, checks: {} }),
    }));
    base = await app.listen({ port: 0, host: "127.0.0.1" });
    merchant = await createFxTestMerchant(t.ctx, clock.now());
  });
  after(async () => {
    await app?.close();
    await sim?.close();
    await t?.close();
  });

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${merchant.secretKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any, headers: response.headers };
  }

  test("POST creates a quote from the simulator's ECB rates; GET retrieves it", async () => {
    const created = await call("POST", "/v1/fx_quotes", {
      from_currency: "eur",
      to_currency: "usd",
      lock_duration: "five_minutes",
      amount: 10_000,
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.object, "fx_quote");
    assert.equal(created.body.reference_rate, "1.172"); // the simulator's default EUR/USD 1.1720
    assert.equal(created.body.rate, "1.16028"); // less 1 %
    assert.equal(created.body.rate_date, "2026-01-02");
    assert.equal(created.body.converted_amount, 11_603); // €100.00 -> $116.028 -> 11603 cents
    assert.deepEqual(created.body.fee, { spread_bps: 100, amount: 117 }); // 11720 − 11603
    assert.equal(created.body.expires_at, created.body.created + 300);

    const fetched = await call("GET", `/v1/fx_quotes/${created.body.id}`);
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.body, created.body);
  });

  test("lock_duration defaults to none (indicative)", async () => {
    const created = await call("POST", "/v1/fx_quotes", { from_currency: "usd", to_currency: "jpy" });
    assert.equal(created.status, 200);
    assert.equal(created.body.lock_duration, "none");
    assert.equal(created.body.expires_at, null);
  });

  test("an Idempotency-Key replays the first quote", async () => {
    const body = { from_currency: "gbp", to_currency: "sgd", lock_duration: "hour" };
    const first = await call("POST", "/v1/fx_quotes", body, { "idempotency-key": "fx-replay-1" });
    const second = await call("POST", "/v1/fx_quotes", body, { "idempotency-key": "fx-replay-1" });
    assert.equal(second.headers.get("idempotent-replayed"), "true");
    assert.deepEqual(second.body, first.body);
  });

  const invalid: Array<[string, unknown, string, string]> = [
    [
      "upper-case currency",
      { from_currency: "USD", to_currency: "jpy" },
      "from_currency",
      "parameter_invalid",
    ],
    ["unknown currency", { from_currency: "usd", to_currency: "abc" }, "to_currency", "parameter_invalid"],
    ["same currency twice", { from_currency: "usd", to_currency: "usd" }, "to_currency", "parameter_invalid"],
    [
      "bad lock",
      { from_currency: "usd", to_currency: "jpy", lock_duration: "week" },
      "lock_duration",
      "parameter_invalid",
    ],
    [
      "fractional amount",
      { from_currency: "usd", to_currency: "jpy", amount: 1.5 },
      "amount",
      "parameter_invalid_type",
    ],
    ["missing to_currency", { from_currency: "usd" }, "to_currency", "parameter_missing"],
    [
      "unknown parameter",
      { from_currency: "usd", to_currency: "jpy", rate: "2" },
      "rate",
      "parameter_unknown",
    ],
    [
      "no ECB rate for TWD",
      { from_currency: "usd", to_currency: "twd" },
      "to_currency",
      "fx_rate_unavailable",
    ],
    [
      "no ECB rate for KWD",
      { from_currency: "kwd", to_currency: "usd" },
      "from_currency",
      "fx_rate_unavailable",
    ],
    [
      "no ECB rate for VND",
      { from_currency: "eur", to_currency: "vnd" },
      "to_currency",
      "fx_rate_unavailable",
    ],
  ];
  for (const [what, body, param, code] of invalid) {
    test(`400 for ${what}`, async () => {
      const response = await call("POST", "/v1/fx_quotes", body);
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.equal(response.body.error.code, code);
      assert.equal(response.body.error.param, param);
    });
  }

  test("404 for another merchant's quote; 401 without a key", async () => {
    const created = await call("POST", "/v1/fx_quotes", { from_currency: "usd", to_currency: "chf" });
    const other = await createFxTestMerchant(t.ctx, clock.now());
    const response = await fetch(`${base}/v1/fx_quotes/${created.body.id}`, {
      headers: { authorization: `Bearer ${other.secretKey}` },
    });
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as any).error.code, "resource_missing");
    assert.equal((await fetch(`${base}/v1/fx_quotes/${created.body.id}`)).status, 401);
  });

  test("503 rates_unavailable once the ECB table is too old", async () => {
    clock.set(new Date("2026-01-09T12:00:00Z")); // 7 days after the table; refresh fetches the same date
    try {
      const response = await call("POST", "/v1/fx_quotes", { from_currency: "usd", to_currency: "jpy" });
      assert.equal(response.status, 503);
      assert.equal(response.body.error.code, "rates_unavailable");
      assert.match(response.body.error.message, /2026-01-02 are 7 days old/);
    } finally {
      clock.set(new Date("2026-01-02T16:30:00Z"));
    }
  });

  test("the routes are in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as any;
    assert.ok(doc.paths["/v1/fx_quotes"].post);
    assert.ok(doc.paths["/v1/fx_quotes/{id}"].get);
  });
});
