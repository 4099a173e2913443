import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startTestServer, type TestServer } from "../support/server.ts";

describe("checkout sessions API", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const create = (body: Record<string, unknown>, key?: string) =>
    server.request("POST", "/v1/checkout/sessions", { body, ...(key ? { key } : {}) });

  test("line items make the total; the URL is the hosted page; the intent is created with it", async () => {
    const res = await create({
      line_items: [
        { name: "Mug", quantity: 2, unit_amount: 1800 },
        { name: "Tote", quantity: 1, unit_amount: 2450 },
      ],
      currency: "eur",
      merchant_reference: "order_1",
      success_url: "https://shop.example/orders/{CHECKOUT_SESSION_ID}",
      cancel_url: "https://shop.example/cart",
      locale: "auto",
    });
    assert.equal(res.status, 200, res.text);
    assert.match(res.body.id, /^cs_/);
    assert.equal(res.body.object, "checkout.session");
    assert.equal(res.body.amount_total, 6050);
    assert.equal(res.body.status, "open");
    assert.equal(res.body.payment_status, "unpaid");
    assert.equal(res.body.url, `${server.url}/pay/${res.body.id}`);
    assert.deepEqual(
      res.body.line_items.map((i: any) => [i.name, i.quantity, i.amount]),
      [
        ["Mug", 2, 3600],
        ["Tote", 1, 2450],
      ],
    );
    const intent = await server.request("GET", `/v1/payment_intents/${res.body.payment_intent}`);
    assert.equal(intent.body.amount, 6050);
    assert.equal(intent.body.merchant_reference, "order_1");
    assert.equal(intent.body.return_url, res.body.url);
    assert.equal(intent.body.metadata.checkout_session, res.body.id);
    const fetched = await server.request("GET", `/v1/checkout/sessions/${res.body.id}`);
    assert.deepEqual(fetched.body, res.body);
    const list = await server.request("GET", "/v1/checkout/sessions?limit=1");
    assert.equal(list.body.data[0].id, res.body.id);
  });

  test("bad input names the parameter", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ currency: "eur", success_url: "https://s.example/" }, "line_items"],
      [
        {
          amount: 100,
          line_items: [{ name: "x", quantity: 1, unit_amount: 1 }],
          currency: "eur",
          success_url: "https://s.example/",
        },
        "amount",
      ],
      [{ amount: 100, currency: "eur", success_url: "javascript:alert(1)" }, "success_url"],
      [{ amount: 100, currency: "eur", success_url: "https://s.example/", locale: "xx" }, "locale"],
      [
        { amount: 100, currency: "eur", success_url: "https://s.example/", payment_method_types: ["cash"] },
        "payment_method_types[0]",
      ],
      [
        {
          amount: 100,
          currency: "eur",
          success_url: "https://s.example/",
          payment_method_order: ["card", "card"],
        },
        "payment_method_order",
      ],
      [
        { amount: 100, currency: "eur", success_url: "https://s.example/", shopper_country: "nl" },
        "shopper_country",
      ],
    ];
    for (const [body, param] of cases) {
      const res = await create(body);
      assert.equal(res.status, 400, `${param}: ${res.text}`);
      assert.equal(res.body.error.param, param, res.text);
    }
  });

  test("a publishable key cannot create sessions; another merchant cannot read one", async () => {
    const denied = await create(
      { amount: 500, currency: "usd", success_url: "https://s.example/" },
      server.merchant.publishable_key,
    );
    assert.equal(denied.status, 403);
    const mine = await create({ amount: 500, currency: "usd", success_url: "https://s.example/" });
    const other = await server.newMerchant("Other");
    const res = await server.request("GET", `/v1/checkout/sessions/${mine.body.id}`, {
      key: other.secret_key,
    });
    assert.equal(res.status, 404);
  });

  test("expire cancels the intent; the page then says the session expired", async () => {
    const session = await create({ amount: 700, currency: "usd", success_url: "https://s.example/" });
    const expired = await server.request("POST", `/v1/checkout/sessions/${session.body.id}/expire`, {
      body: {},
    });
    assert.equal(expired.status, 200, expired.text);
    assert.equal(expired.body.status, "expired");
    assert.equal(expired.body.url, null);
    const intent = await server.request("GET", `/v1/payment_intents/${session.body.payment_intent}`);
    assert.equal(intent.body.status, "canceled");
    const again = await server.request("POST", `/v1/checkout/sessions/${session.body.id}/expire`, {
      body: {},
    });
    assert.equal(again.status, 200);
  });

  test("embed origins: only origins, https in live mode", async () => {
    const bad = await server.request("POST", "/v1/checkout/settings", {
      body: { embed_origins: ["https://shop.example/path"] },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.param, "embed_origins[0]");
    const ok = await server.request("POST", "/v1/checkout/settings", {
      body: { embed_origins: ["https://shop.example", "http://127.0.0.1:8081", "https://shop.example"] },
    });
    assert.deepEqual(ok.body.embed_origins, ["https://shop.example", "http://127.0.0.1:8081"]);
    const read = await server.request("GET", "/v1/checkout/settings");
    assert.deepEqual(read.body.embed_origins, ok.body.embed_origins);
  });

  test("the script inventory lists every script with an SRI hash that matches what is served", async () => {
    const res = await server.request("GET", "/v1/checkout/scripts");
    assert.equal(res.status, 200);
    assert.ok(res.body.data.length >= 3);
    for (const entry of res.body.data) {
      const file = await fetch(`${server.url}${entry.url}`);
      assert.equal(file.status, 200, entry.url);
      const body = Buffer.from(await file.arrayBuffer());
      const { createHash } = await import("node:crypto");
      assert.equal(entry.integrity, `sha384-${createHash("sha384").update(body).digest("base64")}`);
      assert.equal(body.length, entry.bytes);
    }
  });
});
