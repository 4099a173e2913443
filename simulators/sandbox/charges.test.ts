import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type SandboxSimulator, startSandboxSimulator } from "./index.ts";
import { api, chargeBody, newApiKey, uniqueRef, waitUntil, withLuhnDigit } from "./test-support.ts";

let sim: SandboxSimulator;
const key = newApiKey();

before(async () => {
  // Long enough that the status read right after the hang-up still sees `processing` on a loaded machine.
  sim = await startSandboxSimulator({ resolveAfterMs: 400 });
});
after(() => sim.close());

const post = (path: string, body: unknown, k = key) => api(sim.url, "POST", path, { key: k, body });
const get = (path: string, k = key) => api(sim.url, "GET", path, { key: k });

describe("authentication", () => {
  test("a missing key is 401", async () => {
    const res = await api(sim.url, "POST", "/v1/charges", { key: null, body: chargeBody() });
    assert.equal(res.status, 401);
    assert.equal(res.json.error.code, "unauthorized");
    assert.equal(typeof res.json.error.message, "string");
  });

  for (const bad of [
    "sk_test_abcdefghijklmnopqrstuvwxyz",
    "sbx_sk_short",
    "sbx_sk_abcdefghijklmnopqrstuvw-",
    "sbx_pk_abcdefghijklmnopqrstuvwxyz",
  ]) {
    test(`key ${bad} is 401`, async () => {
      const res = await get("/v1/charges?reference=x", bad);
      assert.equal(res.status, 401);
      assert.equal(res.json.error.code, "unauthorized");
    });
  }

  test("one key never sees another key's charges", async () => {
    const created = await post("/v1/charges", chargeBody());
    assert.equal(created.status, 200);
    const other = newApiKey();
    const byId = await get(`/v1/charges/${created.json.id}`, other);
    assert.equal(byId.status, 404);
    const byRef = await get(`/v1/charges?reference=${created.json.reference}`, other);
    assert.deepEqual(byRef.json, { object: "list", data: [] });
    const capture = await post(
      `/v1/charges/${created.json.id}/capture`,
      { amount: 1000, reference: "c1" },
      other,
    );
    assert.equal(capture.status, 404);
    const refund = await post("/v1/refunds", { charge: created.json.id, amount: 1, reference: "r1" }, other);
    assert.equal(refund.status, 404);
  });

  test("an unknown path is 404 and a wrong method 405", async () => {
    assert.equal((await get("/v1/nothing")).status, 404);
    assert.equal((await api(sim.url, "DELETE", "/v1/charges", { key })).status, 405);
  });
});

describe("test cards", () => {
  const table: Array<[string, string, string | null]> = [
    ["4242424242424242", "authorized", null],
    ["5555555555554444", "authorized", null],
    ["4000000000000002", "declined", "generic_decline"],
    ["4000000000009995", "declined", "insufficient_funds"],
    ["4000000000009987", "declined", "lost_card"],
    ["4000000000009979", "declined", "stolen_card"],
    ["4000000000000069", "declined", "expired_card"],
    ["4000000000000127", "declined", "incorrect_cvc"],
    ["4000000000000119", "declined", "processing_error"],
    ["4000002760003184", "requires_action", null],
    ["4111111111111111", "authorized", null],
  ];
  for (const [number, status, declineCode] of table) {
    test(`${number} → ${status}${declineCode ? ` (${declineCode})` : ""}`, async () => {
      const body = chargeBody({}, { number });
      const res = await post("/v1/charges", body);
      assert.equal(res.status, 200);
      const charge = res.json;
      assert.match(charge.id, /^ch_[0-9A-Za-z]{24}$/);
      assert.equal(charge.object, "charge");
      assert.equal(charge.reference, body.reference);
      assert.equal(charge.status, status);
      assert.equal(charge.decline_code, declineCode);
      assert.equal(charge.amount, 1000);
      assert.equal(charge.currency, "usd");
      assert.equal(charge.amount_captured, 0);
      assert.equal(charge.amount_refunded, 0);
      assert.equal(charge.capture, false);
      assert.equal(typeof charge.created, "number");
      assert.equal(charge.card.last4, number.slice(-4));
      assert.equal(charge.card.exp_month, 12);
      assert.equal(charge.card.exp_year, 2040);
      if (status === "declined") assert.equal(typeof charge.message, "string");
      else assert.equal(charge.message, null);
      if (status === "authorized") assert.match(charge.network_transaction_id, /^\d{15}$/);
      else assert.equal(charge.network_transaction_id, null);
      if (status === "requires_action") assert.equal(charge.redirect_url, `${sim.url}/3ds/${charge.id}`);
      else assert.equal(charge.redirect_url, null);
      assert.ok(!res.text.includes(number), "the full card number is never echoed");
      assert.ok(!res.text.includes('"cvc"'), "the CVC is never echoed");
    });
  }

  test("capture=true captures at once", async () => {
    const res = await post("/v1/charges", chargeBody({ capture: true, amount: 2599 }));
    assert.equal(res.json.status, "captured");
    assert.equal(res.json.capture, true);
    assert.equal(res.json.amount_captured, 2599);
  });

  test("the timeout card destroys the socket, then the charge is authorized", async () => {
    const body = chargeBody({}, { number: "4000000000000408" });
    await assert.rejects(post("/v1/charges", body));
    const first = await get(`/v1/charges?reference=${body.reference}`);
    assert.equal(first.json.data.length, 1);
    assert.equal(first.json.data[0].status, "processing");
    await waitUntil(
      async () => (await get(`/v1/charges?reference=${body.reference}`)).json.data[0].status !== "processing",
    );
    const later = await get(`/v1/charges/${first.json.data[0].id}`);
    assert.equal(later.json.status, "authorized");
    assert.match(later.json.network_transaction_id, /^\d{15}$/);
  });

  test("the timeout card with capture=true ends captured", async () => {
    const body = chargeBody({ capture: true }, { number: "4000000000000408" });
    await assert.rejects(post("/v1/charges", body));
    await waitUntil(
      async () => (await get(`/v1/charges?reference=${body.reference}`)).json.data[0].status !== "processing",
    );
    const found = await get(`/v1/charges?reference=${body.reference}`);
    assert.equal(found.json.data[0].status, "captured");
    assert.equal(found.json.data[0].amount_captured, 1000);
  });

  test("the declining timeout card ends declined", async () => {
    const body = chargeBody({}, { number: "4000000000000416" });
    await assert.rejects(post("/v1/charges", body));
    await waitUntil(
      async () => (await get(`/v1/charges?reference=${body.reference}`)).json.data[0].status !== "processing",
    );
    const found = await get(`/v1/charges?reference=${body.reference}`);
    assert.equal(found.json.data[0].status, "declined");
    assert.equal(found.json.data[0].decline_code, "generic_decline");
  });

  test("a retry of a timed-out charge returns the same charge instead of hanging up again", async () => {
    const body = chargeBody({}, { number: "4000000000000408" });
    await assert.rejects(api(sim.url, "POST", "/v1/charges", { key, body, idempotencyKey: "timeout-retry" }));
    const retry = await api(sim.url, "POST", "/v1/charges", { key, body, idempotencyKey: "timeout-retry" });
    assert.equal(retry.status, 200);
    assert.equal(retry.json.status, "processing");
    assert.equal(retry.json.reference, body.reference);
  });
});

describe("brands", () => {
  const table: Array<[string, string]> = [
    [withLuhnDigit("222100000000000"), "mastercard"],
    ["378282246310005", "amex"],
    ["6011111111111117", "discover"],
    [withLuhnDigit("353011133330000"), "jcb"],
    [withLuhnDigit("620000000000000"), "unionpay"],
    [withLuhnDigit("900000000000000"), "unknown"],
  ];
  for (const [number, brand] of table) {
    test(`${number} is ${brand}`, async () => {
      const res = await post("/v1/charges", chargeBody({}, { number }));
      assert.equal(res.json.status, "authorized");
      assert.equal(res.json.card.brand, brand);
    });
  }
});

describe("expiry against the simulator clock", () => {
  let clocked: SandboxSimulator;
  before(async () => {
    clocked = await startSandboxSimulator({ now: () => new Date(Date.UTC(2030, 5, 15, 12)) });
  });
  after(() => clocked.close());

  test("last month is expired_card", async () => {
    const res = await api(clocked.url, "POST", "/v1/charges", {
      key,
      body: chargeBody({}, { exp_month: 5, exp_year: 2030 }),
    });
    assert.equal(res.json.status, "declined");
    assert.equal(res.json.decline_code, "expired_card");
    assert.equal(res.json.created, Math.floor(Date.UTC(2030, 5, 15, 12) / 1000));
  });

  test("this month is still valid", async () => {
    const res = await api(clocked.url, "POST", "/v1/charges", {
      key,
      body: chargeBody({}, { exp_month: 6, exp_year: 2030 }),
    });
    assert.equal(res.json.status, "authorized");
  });
});

describe("validation", () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, string]> = [
    ["non-Luhn number", {}, { number: "4242424242424241" }, "card[number]"],
    ["letters in number", {}, { number: "4242abcd42424242" }, "card[number]"],
    ["month 13", {}, { exp_month: 13 }, "card[exp_month]"],
    ["two-digit year", {}, { exp_year: 40 }, "card[exp_year]"],
    ["short cvc", {}, { cvc: "12" }, "card[cvc]"],
    ["zero amount", { amount: 0 }, {}, "amount"],
    ["fractional amount", { amount: 10.5 }, {}, "amount"],
    ["string amount", { amount: "1000" }, {}, "amount"],
    ["upper-case currency", { currency: "USD" }, {}, "currency"],
    ["missing capture", { capture: undefined }, {}, "capture"],
    ["empty reference", { reference: "" }, {}, "reference"],
    ["relative return_url", { return_url: "/return" }, {}, "return_url"],
    ["ftp notification_url", { notification_url: "ftp://x.example/" }, {}, "notification_url"],
    ["unknown parameter", { colour: "blue" }, {}, "colour"],
  ];
  for (const [name, overrides, card, param] of cases) {
    test(`${name} is 422 naming ${param}`, async () => {
      const res = await post("/v1/charges", chargeBody(overrides, card));
      assert.equal(res.status, 422);
      assert.equal(res.json.error.code, "invalid_request");
      assert.equal(res.json.error.param, param);
      assert.equal(typeof res.json.error.message, "string");
    });
  }

  test("a body that is not JSON is 400", async () => {
    const res = await api(sim.url, "POST", "/v1/charges", { key, rawBody: "{nope" });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, "invalid_json");
  });

  test("a POST without Idempotency-Key is 400", async () => {
    const res = await api(sim.url, "POST", "/v1/charges", { key, body: chargeBody(), idempotencyKey: null });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, "idempotency_key_missing");
  });

  test("listing without a reference is 422", async () => {
    const res = await get("/v1/charges");
    assert.equal(res.status, 422);
    assert.equal(res.json.error.param, "reference");
  });
});

describe("retrieval", () => {
  test("by id and by reference", async () => {
    const created = await post("/v1/charges", chargeBody({ description: "Order 42" }));
    const byId = await get(`/v1/charges/${created.json.id}`);
    assert.equal(byId.status, 200);
    assert.deepEqual(byId.json, created.json);
    const byRef = await get(`/v1/charges?reference=${encodeURIComponent(created.json.reference)}`);
    assert.deepEqual(byRef.json, { object: "list", data: [created.json] });
  });

  test("an unknown id is 404 and an unknown reference an empty list", async () => {
    const byId = await get("/v1/charges/ch_doesnotexist");
    assert.equal(byId.status, 404);
    assert.equal(typeof byId.json.error.code, "string");
    const byRef = await get(`/v1/charges?reference=${uniqueRef()}`);
    assert.deepEqual(byRef.json, { object: "list", data: [] });
  });
});
