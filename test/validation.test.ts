import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CARD, startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

async function countIntents(): Promise<number> {
  const row = await server.payrail.ctx.db
    .selectFrom("payment_intents")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("merchant_id", "=", server.merchant.merchant_id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function expectError(res: { status: number; body: any; text: string }, status: number, param?: string) {
  assert.equal(res.status, status, res.text);
  assert.ok(res.body?.error, res.text);
  assert.ok(typeof res.body.error.message === "string" && res.body.error.message.length > 0);
  assert.ok(res.body.error.request_id?.startsWith("req_"));
  if (param !== undefined) assert.equal(res.body.error.param, param, res.text);
  assert.ok(
    !/at \w+ \(|node_modules|select |insert |update /i.test(res.text),
    `no stack traces or SQL: ${res.text}`,
  );
}

describe("bad input gets a clear error and changes nothing", () => {
  const valid = { amount: 1000, currency: "usd" };
  const cases: Array<[string, unknown, string]> = [
    ["missing amount", { currency: "usd" }, "amount"],
    ["missing currency", { amount: 100 }, "currency"],
    ["string amount", { ...valid, amount: "100" }, "amount"],
    ["zero amount", { ...valid, amount: 0 }, "amount"],
    ["negative amount", { ...valid, amount: -5 }, "amount"],
    ["fractional amount", { ...valid, amount: 10.5 }, "amount"],
    ["too large amount", { ...valid, amount: 100_000_000 }, "amount"],
    ["too large for JPY", { amount: 1_000_000, currency: "jpy" }, "amount"],
    ["unknown currency", { ...valid, currency: "xyz" }, "currency"],
    ["upper-case currency", { ...valid, currency: "USD" }, "currency"],
    ["unknown field", { ...valid, colour: "red" }, "colour"],
    [
      "unknown nested field",
      {
        ...valid,
        confirm: true,
        payment_method_data: {
          ...CARD("4242424242424242"),
          card: { ...CARD("4242424242424242").card, pin: "1234" },
        },
      },
      "payment_method_data[card][pin]",
    ],
    ["bad capture_method", { ...valid, capture_method: "later" }, "capture_method"],
    ["bad metadata value", { ...valid, metadata: { a: 1 } }, "metadata[a]"],
    [
      "too many metadata keys",
      { ...valid, metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) },
      "metadata",
    ],
    ["customer of the wrong kind", { ...valid, customer: "pi_1234567890abcdef" }, "customer"],
    ["bad return_url", { ...valid, return_url: "javascript:alert(1)" }, "return_url"],
    ["confirm without a payment method", { ...valid, confirm: true }, "payment_method"],
    [
      "card details and a payment method together",
      { ...valid, payment_method_data: CARD("4242424242424242"), payment_method: "pm_1234567890abcdef" },
      "payment_method_data",
    ],
    ["off_session without confirm", { ...valid, off_session: true }, "off_session"],
    [
      "setup_future_usage without a customer",
      { ...valid, setup_future_usage: "off_session" },
      "setup_future_usage",
    ],
    [
      "payment method of the wrong kind",
      { ...valid, payment_method: "cus_1234567890abcdef" },
      "payment_method",
    ],
    [
      "bad expiry month",
      { ...valid, confirm: true, payment_method_data: CARD("4242424242424242", { exp_month: 13 }) },
      "payment_method_data[card][exp_month]",
    ],
    [
      "expired card",
      { ...valid, confirm: true, payment_method_data: CARD("4242424242424242", { exp_year: 2020 }) },
      "payment_method_data[card][exp_year]",
    ],
    [
      "bad cvc",
      { ...valid, confirm: true, payment_method_data: CARD("4242424242424242", { cvc: "12a" }) },
      "payment_method_data[card][cvc]",
    ],
  ];
  for (const [name, body, param] of cases) {
    test(name, async () => {
      const before = await countIntents();
      const res = await server.request("POST", "/v1/payment_intents", { body });
      expectError(res, res.status === 402 ? 402 : 400, param);
      assert.equal(await countIntents(), before);
    });
  }

  test("a wrong type is told apart from a missing parameter", async () => {
    const wrong = await server.request("POST", "/v1/payment_intents", {
      body: { amount: "100", currency: "usd" },
    });
    expectError(wrong, 400, "amount");
    assert.equal(wrong.body.error.code, "parameter_invalid_type");
    assert.match(wrong.body.error.message, /expected number, received string/);
    const missing = await server.request("POST", "/v1/payment_intents", { body: { currency: "usd" } });
    assert.equal(missing.body.error.code, "parameter_missing");
  });

  test("a rolled API key is never stored for idempotent replay", async () => {
    const other = await server.newMerchant();
    const keys = await server.request("GET", "/v1/api_keys", { key: other.secret_key });
    const publishable = keys.body.data.find((k: any) => k.type === "publishable");
    const headers = { "idempotency-key": "roll-once" };
    const first = await server.request("POST", `/v1/api_keys/${publishable.id}/roll`, {
      key: other.secret_key,
      body: {},
      headers,
    });
    assert.match(first.body.secret, /^pk_test_/);
    const replay = await server.request("POST", `/v1/api_keys/${publishable.id}/roll`, {
      key: other.secret_key,
      body: {},
      headers,
    });
    assert.equal(replay.body.secret, null);
    assert.equal(replay.body.secret_withheld, true);
    const stored = await server.payrail.ctx.db
      .selectFrom("idempotency_keys")
      .select("response_body")
      .where("merchant_id", "=", other.merchant_id)
      .execute();
    assert.ok(stored.every((row) => !row.response_body?.includes(first.body.secret)));
  });

  test("malformed JSON", async () => {
    const res = await server.request("POST", "/v1/payment_intents", { raw: '{"amount": 10,' });
    expectError(res, 400);
    assert.equal(res.body.error.code, "body_invalid");
  });

  test("a JSON array or scalar body", async () => {
    expectError(await server.request("POST", "/v1/payment_intents", { raw: "[1,2]" }), 400);
    expectError(await server.request("POST", "/v1/payment_intents", { raw: "42" }), 400);
  });

  test("bodies over 1 MB are refused with 413", async () => {
    const res = await server.request("POST", "/v1/customers", {
      raw: JSON.stringify({ description: "x".repeat(1024 * 1024 + 10) }),
    });
    expectError(res, 413);
  });

  test("a non-JSON content type is 415", async () => {
    const res = await server.request("POST", "/v1/customers", {
      raw: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectError(res, 415);
  });

  test("ids of the wrong kind are not found", async () => {
    const res = await server.request("GET", "/v1/payment_intents/cus_1234567890abcdef");
    expectError(res, 404, "id");
    const refund = await server.request("POST", "/v1/refunds", {
      body: { payment_intent: "re_1234567890abcdef" },
    });
    expectError(refund, 400, "payment_intent");
  });

  test("unknown routes are 404 JSON, wrong methods are 405", async () => {
    const missing = await server.request("GET", "/v1/nothing_here");
    expectError(missing, 404);
    assert.equal(missing.body.error.code, "route_not_found");
    const wrong = await server.request("PUT", "/v1/payment_intents");
    expectError(wrong, 405);
    assert.match(wrong.headers.get("allow") ?? "", /POST/);
  });

  test("missing, malformed, revoked keys are 401; a publishable key on a secret route is 403", async () => {
    expectError(await server.request("GET", "/v1/payment_intents", { key: "" }), 401);
    expectError(await server.request("GET", "/v1/payment_intents", { key: "sk_test_nope" }), 401);
    expectError(
      await server.request("GET", "/v1/payment_intents", { key: `sk_test_${"a".repeat(32)}` }),
      401,
    );
    expectError(
      await server.request("GET", "/v1/payment_intents", { key: server.merchant.publishable_key }),
      403,
    );
    const other = await server.newMerchant();
    const keys = await server.request("GET", "/v1/api_keys", { key: other.secret_key });
    const secret = keys.body.data.find((k: any) => k.type === "secret" && !k.livemode);
    const revoked = await server.request("POST", `/v1/api_keys/${secret.id}/revoke`, {
      key: other.secret_key,
      body: {},
    });
    assert.equal(revoked.status, 200, revoked.text);
    expectError(await server.request("GET", "/v1/payment_intents", { key: other.secret_key }), 401);
  });

  test("rolling a key returns a new one once and stops the old one", async () => {
    const other = await server.newMerchant();
    const keys = await server.request("GET", "/v1/api_keys", { key: other.secret_key });
    const secret = keys.body.data.find((k: any) => k.type === "secret" && !k.livemode);
    const rolled = await server.request("POST", `/v1/api_keys/${secret.id}/roll`, {
      key: other.secret_key,
      body: {},
    });
    assert.equal(rolled.status, 200, rolled.text);
    assert.match(rolled.body.secret, /^sk_test_/);
    expectError(await server.request("GET", "/v1/customers", { key: other.secret_key }), 401);
    assert.equal((await server.request("GET", "/v1/customers", { key: rolled.body.secret })).status, 200);
  });

  test("pagination parameters are validated", async () => {
    expectError(await server.request("GET", "/v1/payment_intents?limit=0"), 400, "limit");
    expectError(await server.request("GET", "/v1/payment_intents?limit=101"), 400, "limit");
    expectError(await server.request("GET", "/v1/payment_intents?status=paid"), 400, "status");
    expectError(
      await server.request("GET", "/v1/payment_intents?starting_after=pi_1234567890unknown"),
      400,
      "starting_after",
    );
  });
});

test("a NUL character anywhere is a 400 naming the parameter, never a database error", async () => {
  const res = await server.request("POST", "/v1/customers", { body: { metadata: { note: "a\u0000b" } } });
  assert.equal(res.status, 400, res.text);
  assert.equal(res.body.error.param, "metadata[note]");
  const query = await server.request("GET", "/v1/customers?email=a%00b");
  assert.equal(query.status, 400, query.text);
});
