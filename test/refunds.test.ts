import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CARD, eventually, startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

async function paid(amount = 3000) {
  const res = await server.request("POST", "/v1/payment_intents", {
    body: { amount, currency: "usd", confirm: true, payment_method_data: CARD("4242424242424242") },
  });
  assert.equal(res.status, 200, res.text);
  return res.body.id as string;
}

describe("refunds", () => {
  test("full refund by default", async () => {
    const pi = await paid(3000);
    const res = await server.request("POST", "/v1/refunds", {
      body: { payment_intent: pi, reason: "requested_by_customer" },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.object, "refund");
    assert.equal(res.body.amount, 3000);
    assert.equal(res.body.status, "succeeded");
    const intent = await server.request("GET", `/v1/payment_intents/${pi}`);
    assert.equal(intent.body.amount_refunded, 3000);
    const again = await server.request("POST", "/v1/refunds", { body: { payment_intent: pi, amount: 1 } });
    assert.equal(again.status, 400);
    assert.equal(again.body.error.code, "charge_already_refunded");
  });

  test("partial and repeated refunds never exceed what was captured", async () => {
    const pi = await paid(1000);
    for (const amount of [300, 300, 300]) {
      const res = await server.request("POST", "/v1/refunds", { body: { payment_intent: pi, amount } });
      assert.equal(res.status, 200, res.text);
    }
    const over = await server.request("POST", "/v1/refunds", { body: { payment_intent: pi, amount: 101 } });
    assert.equal(over.status, 400);
    assert.equal(over.body.error.code, "amount_too_large");
    assert.equal(over.body.error.param, "amount");
    const last = await server.request("POST", "/v1/refunds", { body: { payment_intent: pi, amount: 100 } });
    assert.equal(last.status, 200);
    const list = await server.request("GET", `/v1/refunds?payment_intent=${pi}`);
    assert.equal(list.body.data.length, 4);
    assert.equal(
      list.body.data.reduce((sum: number, r: { amount: number }) => sum + r.amount, 0),
      1000,
    );
  });

  test("concurrent refunds racing for the last funds: the total never exceeds the capture", async () => {
    const pi = await paid(1000);
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        server.request("POST", "/v1/refunds", { body: { payment_intent: pi, amount: 300 } }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 3, results.map((r) => `${r.status}`).join(","));
    for (const r of results.filter((r) => r.status !== 200)) assert.equal(r.status, 400);
    const intent = await server.request("GET", `/v1/payment_intents/${pi}`);
    assert.equal(intent.body.amount_refunded, 900);
  });

  test("an uncaptured or unknown payment cannot be refunded", async () => {
    const auth = await server.request("POST", "/v1/payment_intents", {
      body: {
        amount: 500,
        currency: "usd",
        capture_method: "manual",
        confirm: true,
        payment_method_data: CARD("4242424242424242"),
      },
    });
    const res = await server.request("POST", "/v1/refunds", { body: { payment_intent: auth.body.id } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "charge_not_refundable");
    const missing = await server.request("POST", "/v1/refunds", {
      body: { payment_intent: "pi_0000000000doesnotexist" },
    });
    assert.equal(missing.status, 404);
  });

  test("a refund the processor confirms later is pending, then succeeds with an event", async () => {
    const pi = await paid(1077);
    const res = await server.request("POST", "/v1/refunds", { body: { payment_intent: pi, amount: 77 } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, "pending");
    const done = await eventually(
      async () => {
        const r = await server.request("GET", `/v1/refunds/${res.body.id}`);
        return r.body.status === "pending" ? undefined : r.body;
      },
      10_000,
      "refund to settle",
    );
    assert.equal(done.status, "succeeded");
    const intent = await server.request("GET", `/v1/payment_intents/${pi}`);
    assert.equal(intent.body.amount_refunded, 77);
    const events = await server.request("GET", "/v1/events?type=refund.updated&limit=100");
    assert.ok(
      events.body.data.some((e: { data: { object: { id: string } } }) => e.data.object.id === res.body.id),
    );
  });

  test("a refund the processor later fails is marked failed and frees the amount", async () => {
    const pi = await paid(1078);
    const res = await server.request("POST", "/v1/refunds", { body: { payment_intent: pi } });
    assert.equal(res.status, 200, res.text);
    const done = await eventually(
      async () => {
        const r = await server.request("GET", `/v1/refunds/${res.body.id}`);
        return r.body.status === "pending" ? undefined : r.body;
      },
      10_000,
      "refund to fail",
    );
    assert.equal(done.status, "failed");
    assert.ok(done.failure_reason);
    const events = await server.request("GET", "/v1/events?type=refund.failed&limit=100");
    assert.ok(
      events.body.data.some((e: { data: { object: { id: string } } }) => e.data.object.id === res.body.id),
    );
    const intent = await server.request("GET", `/v1/payment_intents/${pi}`);
    assert.equal(intent.body.amount_refunded, 0);
  });
});
