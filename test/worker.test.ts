import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../src/core/clock.ts";
import { CARD, startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
const clock = new ManualClock(new Date());

before(async () => {
  // The worker never runs in the background here: the test drives it (drain) while time jumps, so no
  // background run races the assertions. The API still answers over real HTTP.
  server = await startTestServer({ clock, manualWorker: true, env: { PAYRAIL_SYNC_SCHEDULE: "10s,30s,1m" } });
});
after(async () => {
  await server.close();
});

async function eventTypes(objectId: string): Promise<string[]> {
  const rows = await server.payrail.ctx.db
    .selectFrom("events")
    .select("type")
    .where("object_id", "=", objectId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => r.type);
}

/**
 * Runs the worker until it has nothing left. On a PostgreSQL database shared with earlier test files
 * there are many other merchants' due rows (their simulators are gone), so allow many rounds.
 */
async function drain() {
  await server.payrail.worker?.drain(2000);
}

describe("worker", () => {
  test("authorizations left uncaptured past the capture window are voided, with an event", async () => {
    const res = await server.request("POST", "/v1/payment_intents", {
      body: {
        amount: 700,
        currency: "usd",
        capture_method: "manual",
        confirm: true,
        payment_method_data: CARD("4242424242424242"),
      },
    });
    assert.equal(res.body.status, "requires_capture");
    clock.advance(6 * 86_400_000);
    await drain();
    assert.equal(
      (await server.request("GET", `/v1/payment_intents/${res.body.id}`)).body.status,
      "requires_capture",
    );
    clock.advance(86_400_000 + 60_000);
    await drain();
    const pi = (await server.request("GET", `/v1/payment_intents/${res.body.id}`)).body;
    assert.equal(pi.status, "canceled");
    assert.equal(pi.cancellation_reason, "automatic");
    assert.ok((await eventTypes(res.body.id)).includes("payment_intent.canceled"));
  });

  test("a payment whose outcome stays unknown is synced with backoff and flagged for review once", async () => {
    const simulator = server.payrail.simulator;
    assert.ok(simulator);
    // The authorization times out, then every status query fails for a while: the outcome stays unknown.
    const res = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 900, currency: "usd", confirm: true, payment_method_data: CARD("4000000000000408") },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, "processing");
    simulator.injectFault({ kind: "status", status: 503, times: 100, match: "/v1/charges" });
    for (let i = 0; i < 12; i++) {
      clock.advance(61_000);
      await drain();
    }
    const stuck = (await server.request("GET", `/v1/payment_intents/${res.body.id}`)).body;
    assert.equal(stuck.status, "processing");
    assert.equal(stuck.review_requested, true);
    const types = await eventTypes(res.body.id);
    assert.equal(types.filter((t) => t === "payment_intent.requires_review").length, 1);
    assert.equal(types.filter((t) => t === "payment_intent.processing").length, 1);
    simulator.clearFaults();
    await new Promise((resolve) => setTimeout(resolve, 400)); // the processor settles the timed-out charge
    clock.advance(61_000);
    await drain();
    const known = (await server.request("GET", `/v1/payment_intents/${res.body.id}`)).body;
    assert.equal(known.status, "succeeded");
    assert.ok((await eventTypes(res.body.id)).includes("payment_intent.succeeded"));
  });

  test("a provider 500 on authorize is unknown, not failed, and never a second charge", async () => {
    const simulator = server.payrail.simulator;
    assert.ok(simulator);
    simulator.injectFault({ kind: "reset", after: true, times: 1, match: "/v1/charges" });
    const res = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 1100, currency: "usd", confirm: true, payment_method_data: CARD("4242424242424242") },
    });
    assert.equal(res.body.status, "processing");
    clock.advance(11_000);
    await drain();
    const pi = (await server.request("GET", `/v1/payment_intents/${res.body.id}`)).body;
    assert.equal(pi.status, "succeeded");
    assert.equal(pi.amount_received, 1100);
  });
});

test("a request the provider never received is failed after repeated not-found answers, not left hanging", async () => {
  const simulator = server.payrail.simulator;
  assert.ok(simulator);
  simulator.injectFault({ kind: "status", status: 503, times: 1, match: "/v1/charges" });
  const res = await server.request("POST", "/v1/payment_intents", {
    body: { amount: 1200, currency: "usd", confirm: true, payment_method_data: CARD("4242424242424242") },
  });
  assert.equal(res.body.status, "processing");
  for (let i = 0; i < 4; i++) {
    clock.advance(61_000);
    await drain();
  }
  const pi = (await server.request("GET", `/v1/payment_intents/${res.body.id}`)).body;
  assert.equal(pi.status, "requires_payment_method");
  assert.equal(pi.last_payment_error.code, "processing_error");
});
