import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { startTestServer, type TestServer } from "../support/server.ts";

const RUNS = Number(process.env.PAYRAIL_PAGE_FUZZ_RUNS ?? 1_000);

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const value = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("card", "alipay", "wechat_pay", "ideal", "pm_x", "123", "zh-CN", "4242424242424242"),
  fc.dictionary(fc.constantFrom("type", "card", "number", "cvc", "exp_month", "channel", "x"), fc.string()),
);

test(`${RUNS} generated bodies to the checkout page's confirm: never a 5xx, every error names itself`, async () => {
  const app = server.payrail.app;
  assert.ok(app);
  const session = await server.request("POST", "/v1/checkout/sessions", {
    body: { amount: 1200, currency: "eur", success_url: "https://shop.example/done" },
  });
  const intent = await server.request("GET", `/v1/payment_intents/${session.body.payment_intent}`);
  let n = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.anything(),
        fc.dictionary(
          fc.constantFrom(
            "payment_method_data",
            "payment_method",
            "cvc",
            "passkey",
            "save_card",
            "locale",
            "x",
          ),
          value,
          { maxKeys: 4 },
        ),
      ),
      async (body) => {
        const res = await app.inject({
          method: "POST",
          url: `/pay/api/intents/${intent.body.id}/confirm`,
          headers: {
            "payrail-client-secret": intent.body.client_secret,
            "content-type": "application/json",
            "idempotency-key": `fuzz_${n++}`,
          },
          payload: JSON.stringify(body) ?? "",
        });
        assert.ok(res.statusCode < 500, `${JSON.stringify(body)} → ${res.statusCode} ${res.body}`);
        if (res.statusCode >= 400) assert.ok(JSON.parse(res.body).error?.message, res.body);
      },
    ),
    { numRuns: RUNS, seed: Number(process.env.PAYRAIL_FUZZ_SEED ?? 20261126) },
  );
});
