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

const body = () => ({
  amount: 4200,
  currency: "usd",
  confirm: true,
  payment_method_data: CARD("4242424242424242"),
});

/** Charges the sandbox processor itself holds for this merchant's account: the provider's view. */
async function sandboxCharges(): Promise<number> {
  const account = await server.payrail.ctx.db
    .selectFrom("connector_accounts")
    .select("config")
    .where("merchant_id", "=", server.merchant.merchant_id)
    .where("connector", "=", "sandbox")
    .executeTakeFirstOrThrow();
  return server.payrail.simulator?.chargeCount(account.config.api_key as string) ?? Number.NaN;
}

describe("Idempotency-Key", () => {
  test("the same key and body replays the first response byte for byte", async () => {
    const key = `k-${Date.now()}-replay`;
    const first = await server.request("POST", "/v1/payment_intents", {
      body: body(),
      headers: { "idempotency-key": key },
    });
    const second = await server.request("POST", "/v1/payment_intents", {
      body: body(),
      headers: { "idempotency-key": key },
    });
    assert.equal(first.status, 200);
    assert.equal(second.status, first.status);
    assert.equal(second.text, first.text);
    assert.equal(second.headers.get("idempotent-replayed"), "true");
  });

  test("a declined response is replayed too, with its 402", async () => {
    const key = `k-${Date.now()}-decline`;
    const req = {
      amount: 100,
      currency: "usd",
      confirm: true,
      payment_method_data: CARD("4000000000000002"),
    };
    const first = await server.request("POST", "/v1/payment_intents", {
      body: req,
      headers: { "idempotency-key": key },
    });
    const second = await server.request("POST", "/v1/payment_intents", {
      body: req,
      headers: { "idempotency-key": key },
    });
    assert.equal(first.status, 402);
    assert.equal(second.status, 402);
    assert.equal(second.text, first.text);
  });

  test("the same key with another body is a 400 idempotency_error", async () => {
    const key = `k-${Date.now()}-mismatch`;
    await server.request("POST", "/v1/payment_intents", {
      body: body(),
      headers: { "idempotency-key": key },
    });
    const other = await server.request("POST", "/v1/payment_intents", {
      body: { ...body(), amount: 4300 },
      headers: { "idempotency-key": key },
    });
    assert.equal(other.status, 400);
    assert.equal(other.body.error.type, "idempotency_error");
  });

  test("a conflict is not kept for replay: once it is resolved, the same key runs again", async () => {
    const ref = `order-${Date.now()}-conflict`;
    const first = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 500, currency: "usd", merchant_reference: ref },
    });
    const key = `k-${Date.now()}-conflict`;
    const blocked = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 500, currency: "usd", merchant_reference: ref },
      headers: { "idempotency-key": key },
    });
    assert.equal(blocked.status, 409);
    await server.request("POST", `/v1/payment_intents/${first.body.id}/cancel`, { body: {} });
    const retried = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 500, currency: "usd", merchant_reference: ref },
      headers: { "idempotency-key": key },
    });
    assert.equal(retried.status, 200, retried.text);
    assert.notEqual(retried.body.id, first.body.id);
  });

  test("keys are per merchant", async () => {
    const key = `k-${Date.now()}-tenant`;
    const other = await server.newMerchant();
    const a = await server.request("POST", "/v1/customers", {
      body: { name: "A" },
      headers: { "idempotency-key": key },
    });
    const b = await server.request("POST", "/v1/customers", {
      key: other.secret_key,
      body: { name: "A" },
      headers: { "idempotency-key": key },
    });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.notEqual(a.body.id, b.body.id);
  });

  test("50 concurrent identical confirms call the provider once and create one charge", async () => {
    const created = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 990, currency: "usd" },
    });
    const before = await sandboxCharges();
    const key = `k-${Date.now()}-race`;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        server.request("POST", `/v1/payment_intents/${created.body.id}/confirm`, {
          body: { payment_method_data: CARD("4242424242424242") },
          headers: { "idempotency-key": key },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.ok(
      statuses.every((s) => s === 200 || s === 409),
      statuses.join(","),
    );
    const succeeded = results.filter((r) => r.status === 200);
    assert.ok(succeeded.length >= 1);
    for (const r of succeeded) assert.equal(r.body.status, "succeeded");
    for (const r of results.filter((r) => r.status === 409))
      assert.equal(r.body.error.type, "idempotency_error");
    assert.equal((await sandboxCharges()) - before, 1);
  });
});

test("the stored request fingerprint is keyed, so a body with a card number cannot be brute-forced from it", async () => {
  const key = `k-${Date.now()}-hash`;
  await server.request("POST", "/v1/payment_intents", { body: body(), headers: { "idempotency-key": key } });
  const row = await server.payrail.ctx.db
    .selectFrom("idempotency_keys")
    .select(["request_hash", "response_body"])
    .where("merchant_id", "=", server.merchant.merchant_id)
    .where("key", "=", key)
    .executeTakeFirstOrThrow();
  const { createHash } = await import("node:crypto");
  const { requestHash } = await import("../src/http/idempotency.ts");
  const plain = createHash("sha256")
    .update(`POST /v1/payment_intents\n${JSON.stringify(body())}`)
    .digest("hex");
  assert.notEqual(row.request_hash, plain);
  assert.notEqual(row.request_hash, requestHash("guess", "POST", "/v1/payment_intents", body()));
  assert.ok(!row.response_body?.includes("4242424242424242"));
});
