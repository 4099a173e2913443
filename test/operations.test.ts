import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CARD, eventually, startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer({ env: { LOG_LEVEL: "trace" } });
});
after(async () => {
  await server.close();
});

describe("operations", () => {
  test("health and readiness", async () => {
    const health = await server.request("GET", "/healthz", { key: "" });
    assert.equal(health.status, 200);
    const ready = await server.request("GET", "/readyz", { key: "" });
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.checks, { database: "ok", migrations: "current" });
  });

  test("Prometheus metrics cover requests, payments, connectors and the outbox", async () => {
    await server.request("POST", "/v1/payment_intents", {
      body: { amount: 100, currency: "usd", confirm: true, payment_method_data: CARD("4242424242424242") },
    });
    const res = await fetch(`${server.url}/metrics`);
    const text = await res.text();
    assert.match(text, /payrail_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/payment_intents"/);
    assert.match(text, /payrail_payments_total\{status="succeeded",connector="sandbox"\} \d+/);
    assert.match(
      text,
      /payrail_connector_call_duration_seconds_count\{connector="sandbox",operation="authorize",outcome="authorized"\}/,
    );
    assert.match(text, /payrail_outbox_backlog\{queue="events"\}/);
    assert.match(text, /# TYPE payrail_webhook_delivery_attempts_total counter/);
    assert.match(text, /# TYPE payrail_webhook_delivery_lag_seconds histogram/);
  });

  test("the OpenAPI 3.1 document covers every API route", async () => {
    const doc = (await server.request("GET", "/openapi.json", { key: "" })).body;
    assert.equal(doc.openapi, "3.1.0");
    const expected = [
      "post /v1/payment_intents",
      "get /v1/payment_intents",
      "get /v1/payment_intents/{id}",
      "post /v1/payment_intents/{id}",
      "post /v1/payment_intents/{id}/confirm",
      "post /v1/payment_intents/{id}/capture",
      "post /v1/payment_intents/{id}/cancel",
      "post /v1/refunds",
      "get /v1/refunds",
      "get /v1/refunds/{id}",
      "post /v1/customers",
      "get /v1/customers",
      "get /v1/customers/{id}",
      "post /v1/customers/{id}",
      "delete /v1/customers/{id}",
      "get /v1/events",
      "get /v1/events/{id}",
      "post /v1/webhook_endpoints",
      "get /v1/webhook_endpoints",
      "post /v1/hooks/{connector}/{account}",
      "get /v1/api_keys",
    ];
    const present = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    for (const route of expected)
      assert.ok(present.includes(route), `${route} missing from the OpenAPI document`);
    const create = doc.paths["/v1/payment_intents"].post;
    assert.ok(create.requestBody.content["application/json"].schema.properties.amount);
    assert.deepEqual(create.security, [{ bearerAuth: [] }]);
  });

  test("card numbers, CVCs, keys and secrets never reach the logs, whatever field carries them", async () => {
    const pan = "4242424242424242";
    const spaced = "4242 4242 4242 4242";
    const cvc = "987";
    const payloads: Array<[string, string, unknown, Record<string, string>]> = [
      [
        "POST",
        "/v1/payment_intents",
        {
          amount: 100,
          currency: "usd",
          confirm: true,
          description: `card ${pan}`,
          metadata: { note: spaced, cvc },
          merchant_reference: `ref-${pan}`,
          payment_method_data: CARD(pan, { cvc }),
        },
        {},
      ],
      [
        "POST",
        "/v1/payment_intents",
        {
          amount: 100,
          currency: "usd",
          confirm: true,
          payment_method_data: CARD("4000000000000002", { cvc }),
        },
        { "idempotency-key": `key-${pan}` },
      ],
      [
        "POST",
        "/v1/payment_intents",
        { amount: "x", currency: pan, [pan]: cvc },
        { "accept-language": pan, "x-card": spaced },
      ],
      ["POST", "/v1/customers", { name: pan, email: `${pan}@example.com`, description: spaced }, {}],
      [
        "POST",
        "/v1/webhook_endpoints",
        { url: `http://127.0.0.1:9/hook?card=${pan}`, enabled_events: ["*"] },
        {},
      ],
      ["GET", `/v1/payment_intents?merchant_reference=${pan}`, undefined, {}],
      ["GET", `/v1/nothing/${pan}`, undefined, {}],
    ];
    for (const [method, path, body, headers] of payloads)
      await server.request(method, path, { ...(body !== undefined ? { body } : {}), headers });
    await server.request("POST", "/v1/payment_intents", {
      raw: `{"amount": 1, "card": "${pan}", "cvc": "${cvc}"`,
      headers: {},
    });
    await server.request("GET", "/v1/payment_intents", { key: `sk_test_${"Z".repeat(30)}` });
    await eventually(async () => (server.logLines.length > 0 ? true : undefined), 2000, "some log lines");
    await server.payrail.worker?.drain();
    const logs = server.logLines.join("");
    assert.ok(logs.length > 1000, "the test ran with verbose logs");
    for (const secret of [
      pan,
      spaced,
      server.merchant.secret_key,
      `sk_test_${"Z".repeat(30)}`,
      Buffer.from(pan).toString("base64"),
      Buffer.from(pan).toString("hex"),
    ]) {
      assert.ok(!logs.includes(secret), `logs contain ${secret.slice(0, 6)}…`);
    }
    assert.ok(!/"cvc":"987"/.test(logs));
  });

  test("errors never expose stack traces or SQL", async () => {
    const res = await server.request("GET", "/v1/payment_intents?created[gte]=-1");
    assert.equal(res.status, 400);
    assert.ok(!/select|stack|\.ts:/i.test(res.text));
  });
});
