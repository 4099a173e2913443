import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type SandboxSimulator, startSandboxSimulator } from "./index.ts";
import { api, chargeBody, newApiKey, waitUntil } from "./test-support.ts";

let sim: SandboxSimulator;
const key = newApiKey();

before(async () => {
  sim = await startSandboxSimulator({ resolveAfterMs: 50 });
});
after(() => sim.close());

const post = (path: string, body: unknown, idempotencyKey?: string) =>
  api(sim.url, "POST", path, { key, body, idempotencyKey });
const get = (path: string) => api(sim.url, "GET", path, { key });

async function authorized(amount = 1000, card: Record<string, unknown> = {}) {
  const res = await post("/v1/charges", chargeBody({ amount }, card));
  assert.equal(res.status, 200);
  return res.json as { id: string; status: string };
}

async function captured(amount = 1000) {
  const res = await post("/v1/charges", chargeBody({ amount, capture: true }));
  assert.equal(res.json.status, "captured");
  return res.json as { id: string };
}

describe("capture", () => {
  test("a full capture moves authorized to captured", async () => {
    const charge = await authorized();
    const res = await post(`/v1/charges/${charge.id}/capture`, { amount: 1000, reference: "cap-1" });
    assert.equal(res.status, 200);
    assert.equal(res.json.status, "captured");
    assert.equal(res.json.amount_captured, 1000);
  });

  test("a final partial capture ends the charge", async () => {
    const charge = await authorized();
    const res = await post(`/v1/charges/${charge.id}/capture`, {
      amount: 400,
      reference: "cap-1",
      final: true,
    });
    assert.equal(res.json.status, "captured");
    assert.equal(res.json.amount_captured, 400);
    const again = await post(`/v1/charges/${charge.id}/capture`, { amount: 100, reference: "cap-2" });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, "charge_not_capturable");
  });

  test("several partial captures while final=false, then a final one", async () => {
    const charge = await authorized();
    const one = await post(`/v1/charges/${charge.id}/capture`, {
      amount: 300,
      reference: "p1",
      final: false,
    });
    assert.equal(one.json.status, "authorized");
    assert.equal(one.json.amount_captured, 300);
    const two = await post(`/v1/charges/${charge.id}/capture`, {
      amount: 300,
      reference: "p2",
      final: false,
    });
    assert.equal(two.json.status, "authorized");
    assert.equal(two.json.amount_captured, 600);
    const tooMuch = await post(`/v1/charges/${charge.id}/capture`, { amount: 401, reference: "p3" });
    assert.equal(tooMuch.status, 400);
    assert.equal(tooMuch.json.error.code, "amount_too_large");
    const last = await post(`/v1/charges/${charge.id}/capture`, { amount: 100, reference: "p4" });
    assert.equal(last.json.status, "captured");
    assert.equal(last.json.amount_captured, 700);
  });

  test("non-final captures that reach the full amount end the charge", async () => {
    const charge = await authorized();
    await post(`/v1/charges/${charge.id}/capture`, { amount: 500, reference: "a", final: false });
    const rest = await post(`/v1/charges/${charge.id}/capture`, {
      amount: 500,
      reference: "b",
      final: false,
    });
    assert.equal(rest.json.status, "captured");
  });

  test("a capture reference is idempotent under a new Idempotency-Key", async () => {
    const charge = await authorized();
    const first = await post(`/v1/charges/${charge.id}/capture`, {
      amount: 200,
      reference: "same",
      final: false,
    });
    const again = await post(`/v1/charges/${charge.id}/capture`, {
      amount: 200,
      reference: "same",
      final: false,
    });
    assert.equal(again.status, 200);
    assert.equal(again.json.amount_captured, 200);
    assert.deepEqual(again.json, first.json);
  });

  test("more than the authorization is amount_too_large", async () => {
    const charge = await authorized();
    const res = await post(`/v1/charges/${charge.id}/capture`, { amount: 1001, reference: "x" });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, "amount_too_large");
  });

  for (const [name, card] of [
    ["declined", { number: "4000000000000002" }],
    ["requires_action", { number: "4000002760003184" }],
  ] as const) {
    test(`a ${name} charge is not capturable`, async () => {
      const charge = await authorized(1000, card);
      const res = await post(`/v1/charges/${charge.id}/capture`, { amount: 1000, reference: "x" });
      assert.equal(res.status, 409);
      assert.equal(res.json.error.code, "charge_not_capturable");
    });
  }

  test("a captured charge is not capturable", async () => {
    const charge = await captured();
    const res = await post(`/v1/charges/${charge.id}/capture`, { amount: 1, reference: "x" });
    assert.equal(res.status, 409);
  });

  test("an unknown charge is 404", async () => {
    const res = await post("/v1/charges/ch_missing/capture", { amount: 1, reference: "x" });
    assert.equal(res.status, 404);
  });

  test("a capture without amount is 422", async () => {
    const charge = await authorized();
    const res = await post(`/v1/charges/${charge.id}/capture`, { reference: "x" });
    assert.equal(res.status, 422);
    assert.equal(res.json.error.param, "amount");
  });
});

describe("void", () => {
  test("authorized → voided, and the same reference replays", async () => {
    const charge = await authorized();
    const res = await post(`/v1/charges/${charge.id}/void`, { reference: "void-1" });
    assert.equal(res.status, 200);
    assert.equal(res.json.status, "voided");
    const again = await post(`/v1/charges/${charge.id}/void`, { reference: "void-1" });
    assert.equal(again.status, 200);
    assert.equal(again.json.status, "voided");
    const other = await post(`/v1/charges/${charge.id}/void`, { reference: "void-2" });
    assert.equal(other.status, 409);
    const capture = await post(`/v1/charges/${charge.id}/capture`, { amount: 1000, reference: "c" });
    assert.equal(capture.status, 409);
    assert.equal(capture.json.error.code, "charge_not_capturable");
  });

  test("a captured or partially captured charge cannot be voided", async () => {
    const full = await captured();
    assert.equal((await post(`/v1/charges/${full.id}/void`, { reference: "v" })).status, 409);
    const partial = await authorized();
    await post(`/v1/charges/${partial.id}/capture`, { amount: 10, reference: "c", final: false });
    const res = await post(`/v1/charges/${partial.id}/void`, { reference: "v" });
    assert.equal(res.status, 409);
    assert.equal(res.json.error.code, "charge_not_voidable");
  });

  test("a declined charge cannot be voided", async () => {
    const charge = await authorized(1000, { number: "4000000000009995" });
    assert.equal((await post(`/v1/charges/${charge.id}/void`, { reference: "v" })).status, 409);
  });
});

describe("refunds", () => {
  test("partial refunds up to the captured amount", async () => {
    const charge = await captured(1000);
    const one = await post("/v1/refunds", { charge: charge.id, amount: 600, reference: "rf-a" });
    assert.equal(one.status, 200);
    assert.match(one.json.id, /^rf_[0-9A-Za-z]{24}$/);
    assert.deepEqual(
      { ...one.json, id: "", created: 0 },
      {
        id: "",
        object: "refund",
        charge: charge.id,
        reference: "rf-a",
        amount: 600,
        currency: "usd",
        status: "succeeded",
        failure_reason: null,
        created: 0,
      },
    );
    const tooMuch = await post("/v1/refunds", { charge: charge.id, amount: 401, reference: "rf-b" });
    assert.equal(tooMuch.status, 400);
    assert.equal(tooMuch.json.error.code, "amount_too_large");
    const rest = await post("/v1/refunds", { charge: charge.id, amount: 400, reference: "rf-c" });
    assert.equal(rest.json.status, "succeeded");
    const after = await get(`/v1/charges/${charge.id}`);
    assert.equal(after.json.amount_refunded, 1000);
    assert.equal(after.json.status, "captured");
  });

  test("only the captured part of a partially captured charge is refundable", async () => {
    const charge = await authorized(1000);
    await post(`/v1/charges/${charge.id}/capture`, { amount: 300, reference: "c", final: false });
    const tooMuch = await post("/v1/refunds", { charge: charge.id, amount: 301, reference: "r1" });
    assert.equal(tooMuch.status, 400);
    const ok = await post("/v1/refunds", { charge: charge.id, amount: 300, reference: "r2" });
    assert.equal(ok.json.status, "succeeded");
  });

  test("an uncaptured charge has nothing to refund", async () => {
    const charge = await authorized();
    const res = await post("/v1/refunds", { charge: charge.id, amount: 1, reference: "r" });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, "amount_too_large");
  });

  test("a refund reference is idempotent", async () => {
    const charge = await captured(1000);
    const first = await post("/v1/refunds", { charge: charge.id, amount: 1000, reference: "once" });
    const again = await post("/v1/refunds", { charge: charge.id, amount: 1000, reference: "once" });
    assert.equal(again.status, 200);
    assert.deepEqual(again.json, first.json);
    assert.equal((await get(`/v1/charges/${charge.id}`)).json.amount_refunded, 1000);
  });

  test("retrieval by id and by reference", async () => {
    const charge = await captured(1000);
    const refund = await post("/v1/refunds", { charge: charge.id, amount: 10, reference: "find-me" });
    assert.deepEqual((await get(`/v1/refunds/${refund.json.id}`)).json, refund.json);
    assert.deepEqual((await get("/v1/refunds?reference=find-me")).json, {
      object: "list",
      data: [refund.json],
    });
    assert.deepEqual((await get("/v1/refunds?reference=nope")).json, { object: "list", data: [] });
    assert.equal((await get("/v1/refunds/rf_nope")).status, 404);
  });

  test("an unknown charge is 404", async () => {
    const res = await post("/v1/refunds", { charge: "ch_nope", amount: 1, reference: "r" });
    assert.equal(res.status, 404);
  });

  test("an amount ending in 77 refunds pending, then succeeded", async () => {
    const charge = await captured(1077);
    const res = await post("/v1/refunds", { charge: charge.id, amount: 1077, reference: "late" });
    assert.equal(res.json.status, "pending");
    assert.equal((await get(`/v1/charges/${charge.id}`)).json.amount_refunded, 1077);
    await waitUntil(async () => (await get(`/v1/refunds/${res.json.id}`)).json.status !== "pending");
    const later = await get(`/v1/refunds/${res.json.id}`);
    assert.equal(later.json.status, "succeeded");
    assert.equal(later.json.failure_reason, null);
  });

  test("an amount ending in 78 refunds pending, then failed, and the amount is refundable again", async () => {
    const charge = await captured(1078);
    const res = await post("/v1/refunds", { charge: charge.id, amount: 500, reference: "fails" });
    assert.equal(res.json.status, "pending");
    await waitUntil(async () => (await get(`/v1/refunds/${res.json.id}`)).json.status !== "pending");
    const later = await get(`/v1/refunds/${res.json.id}`);
    assert.equal(later.json.status, "failed");
    assert.equal(later.json.failure_reason, "expired_or_canceled_card");
    assert.equal((await get(`/v1/charges/${charge.id}`)).json.amount_refunded, 0);
  });
});
