import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type SandboxSimulator, startSandboxSimulator } from "./index.ts";
import { api, chargeBody, newApiKey, uniqueRef } from "./test-support.ts";

let sim: SandboxSimulator;

before(async () => {
  sim = await startSandboxSimulator();
});
after(() => sim.close());

describe("Idempotency-Key", () => {
  test("the same key and body replay the stored response byte for byte", async () => {
    const key = newApiKey();
    const body = chargeBody();
    const first = await api(sim.url, "POST", "/v1/charges", { key, body, idempotencyKey: "k1" });
    const second = await api(sim.url, "POST", "/v1/charges", { key, body, idempotencyKey: "k1" });
    assert.equal(first.status, 200);
    assert.equal(second.status, first.status);
    assert.equal(second.text, first.text);
    assert.equal(second.headers.get("idempotent-replayed"), "true");
    assert.equal(sim.chargeCount(key), 1);
  });

  test("an error answer is replayed too", async () => {
    const key = newApiKey();
    const created = await api(sim.url, "POST", "/v1/charges", { key, body: chargeBody() });
    const body = { amount: 5000, reference: "too-much" };
    const path = `/v1/charges/${created.json.id}/capture`;
    const first = await api(sim.url, "POST", path, { key, body, idempotencyKey: "cap" });
    const second = await api(sim.url, "POST", path, { key, body, idempotencyKey: "cap" });
    assert.equal(first.status, 400);
    assert.equal(first.json.error.code, "amount_too_large");
    assert.equal(second.status, 400);
    assert.equal(second.text, first.text);
  });

  test("the same key with another body is 400 idempotency_key_reused", async () => {
    const key = newApiKey();
    const body = chargeBody();
    await api(sim.url, "POST", "/v1/charges", { key, body, idempotencyKey: "k2" });
    const res = await api(sim.url, "POST", "/v1/charges", {
      key,
      body: { ...body, amount: 2000 },
      idempotencyKey: "k2",
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, "idempotency_key_reused");
    assert.equal(sim.chargeCount(key), 1);
  });

  test("the same key on another endpoint is reused, not replayed", async () => {
    const key = newApiKey();
    const created = await api(sim.url, "POST", "/v1/charges", {
      key,
      body: chargeBody(),
      idempotencyKey: "k3",
    });
    const res = await api(sim.url, "POST", `/v1/charges/${created.json.id}/void`, {
      key,
      body: { reference: "v" },
      idempotencyKey: "k3",
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, "idempotency_key_reused");
  });

  test("keys are per account", async () => {
    const body = chargeBody();
    const a = await api(sim.url, "POST", "/v1/charges", { key: newApiKey(), body, idempotencyKey: "shared" });
    const b = await api(sim.url, "POST", "/v1/charges", {
      key: newApiKey(),
      body: { ...body, amount: 3000 },
      idempotencyKey: "shared",
    });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.notEqual(a.json.id, b.json.id);
  });

  test("an invalid request is not remembered: the corrected one goes through under the same key", async () => {
    const key = newApiKey();
    const bad = await api(sim.url, "POST", "/v1/charges", {
      key,
      body: chargeBody({ amount: -1 }),
      idempotencyKey: "corrected",
    });
    assert.equal(bad.status, 422);
    const good = await api(sim.url, "POST", "/v1/charges", {
      key,
      body: chargeBody(),
      idempotencyKey: "corrected",
    });
    assert.equal(good.status, 200);
  });

  test("20 concurrent identical requests create one charge and get the same answer", async () => {
    const key = newApiKey();
    const body = chargeBody();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api(sim.url, "POST", "/v1/charges", { key, body, idempotencyKey: "burst" }),
      ),
    );
    for (const res of results) {
      assert.equal(res.status, 200);
      assert.equal(res.text, results[0]?.text);
    }
    assert.equal(sim.chargeCount(key), 1);
  });

  test("20 concurrent identical requests behind latency still create one charge", async () => {
    const key = newApiKey();
    const body = chargeBody();
    sim.injectFault({ kind: "latency", ms: 50, times: 10 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api(sim.url, "POST", "/v1/charges", { key, body, idempotencyKey: "slow" }),
      ),
    );
    assert.equal(new Set(results.map((res) => res.json.id)).size, 1);
    assert.equal(sim.chargeCount(key), 1);
  });
});

describe("reference uniqueness", () => {
  test("a second charge with the same reference returns the existing charge", async () => {
    const key = newApiKey();
    const body = chargeBody();
    const first = await api(sim.url, "POST", "/v1/charges", { key, body });
    const second = await api(sim.url, "POST", "/v1/charges", { key, body: { ...body, capture: true } });
    assert.equal(second.status, 200);
    assert.equal(second.json.id, first.json.id);
    assert.equal(second.json.status, "authorized");
    assert.equal(sim.chargeCount(key), 1);
  });

  test("a declined reference stays declined even with a good card", async () => {
    const key = newApiKey();
    const body = chargeBody({}, { number: "4000000000000002" });
    const first = await api(sim.url, "POST", "/v1/charges", { key, body });
    const second = await api(sim.url, "POST", "/v1/charges", {
      key,
      body: { ...body, card: { ...body.card, number: "4242424242424242" } },
    });
    assert.equal(second.json.id, first.json.id);
    assert.equal(second.json.status, "declined");
  });

  test("concurrent requests with different keys and one reference create one charge", async () => {
    const key = newApiKey();
    const reference = uniqueRef();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api(sim.url, "POST", "/v1/charges", { key, body: chargeBody({ reference }) }),
      ),
    );
    assert.equal(new Set(results.map((res) => res.json.id)).size, 1);
    assert.equal(sim.chargeCount(key), 1);
  });

  test("references are per account", async () => {
    const reference = uniqueRef();
    const a = await api(sim.url, "POST", "/v1/charges", {
      key: newApiKey(),
      body: chargeBody({ reference }),
    });
    const b = await api(sim.url, "POST", "/v1/charges", {
      key: newApiKey(),
      body: chargeBody({ reference }),
    });
    assert.notEqual(a.json.id, b.json.id);
  });
});
