import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually, startTestServer, type TestServer } from "../support/server.ts";

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

  const eventsOf = async (sessionId: string) =>
    (await server.request("GET", "/v1/events?limit=100")).body.data
      .filter((e: any) => e.data.object.id === sessionId)
      .map((e: any) => e.type);

  test("a paid session is announced once with checkout.session.completed", async () => {
    const session = await create({ amount: 1500, currency: "eur", success_url: "https://s.example/" });
    const intent = await server.request("GET", `/v1/payment_intents/${session.body.payment_intent}`);
    const paid = await fetch(`${server.url}/pay/api/intents/${intent.body.id}/confirm`, {
      method: "POST",
      headers: {
        "payrail-client-secret": intent.body.client_secret,
        "content-type": "application/json",
        "idempotency-key": "chk_completed",
      },
      body: JSON.stringify({
        payment_method_data: {
          type: "card",
          card: { number: "4242424242424242", exp_month: 12, exp_year: 2034, cvc: "123" },
        },
      }),
    });
    assert.equal((await paid.json()).intent.status, "succeeded");
    await eventually(
      async () => ((await eventsOf(session.body.id)).length > 0 ? true : undefined),
      10_000,
      "event",
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await eventsOf(session.body.id), ["checkout.session.completed"]);
    const read = await server.request("GET", `/v1/checkout/sessions/${session.body.id}`);
    assert.equal(read.body.status, "complete");
    assert.equal(read.body.payment_status, "paid");
    const expire = await server.request("POST", `/v1/checkout/sessions/${session.body.id}/expire`, {
      body: {},
    });
    assert.equal(expire.status, 400, "a paid session cannot expire");
  });

  test("past its expiry, the worker cancels the intent and announces checkout.session.expired once", async () => {
    const session = await create({ amount: 1600, currency: "eur", success_url: "https://s.example/" });
    await server.payrail.ctx.db
      .updateTable("checkout_sessions")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", session.body.id)
      .execute();
    await eventually(
      async () => ((await eventsOf(session.body.id)).includes("checkout.session.expired") ? true : undefined),
      10_000,
      "expired event",
    );
    const intent = await server.request("GET", `/v1/payment_intents/${session.body.payment_intent}`);
    assert.equal(intent.body.status, "canceled");
    const again = await server.request("POST", `/v1/checkout/sessions/${session.body.id}/expire`, {
      body: {},
    });
    assert.equal(again.body.status, "expired");
    assert.deepEqual(await eventsOf(session.body.id), ["checkout.session.expired"]);
    const page = await fetch(session.body.url ?? `${server.url}/pay/${session.body.id}`);
    assert.match(await page.text(), /expired/);
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
