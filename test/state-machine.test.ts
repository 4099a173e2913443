import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import type { PaymentIntentStatus } from "../src/db/schema.ts";
import { isReachable, STATUSES } from "../src/payments/state-machine.ts";
import { CARD, startTestServer, type TestServer } from "./support/server.ts";

const RUNS = Number(process.env.PAYRAIL_STATE_RUNS ?? 60);

let server: TestServer;
before(async () => {
  server = await startTestServer({ env: { LOG_LEVEL: "warn" } });
});
after(async () => {
  await server.close();
});

const CARDS = [
  "4242424242424242",
  "4000000000000002",
  "4000000000009995",
  "4000002760003184",
  "4000000000000069",
];

const operation = fc.oneof(
  fc.record({ op: fc.constant("confirm" as const), card: fc.constantFrom(...CARDS) }),
  fc.record({
    op: fc.constant("capture" as const),
    amount: fc.option(fc.integer({ min: 1, max: 1200 }), { nil: undefined }),
    final: fc.boolean(),
  }),
  fc.record({ op: fc.constant("cancel" as const) }),
  fc.record({
    op: fc.constant("refund" as const),
    amount: fc.option(fc.integer({ min: 1, max: 1200 }), { nil: undefined }),
  }),
  fc.record({ op: fc.constant("update" as const), amount: fc.integer({ min: 1, max: 1200 }) }),
  fc.record({ op: fc.constant("worker" as const) }),
);

test("random operation sequences stay inside the transition table and never over-capture or over-refund", {
  timeout: 600_000,
}, async () => {
  const app = server.payrail.app;
  assert.ok(app);
  const call = async (method: "GET" | "POST", url: string, body?: unknown) => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${server.merchant.secret_key}`, "content-type": "application/json" },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    assert.ok(res.statusCode < 500, `${method} ${url} → ${res.statusCode} ${res.body}`);
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };

  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("automatic", "manual"),
      fc.integer({ min: 100, max: 1000 }),
      fc.array(operation, { minLength: 1, maxLength: 10 }),
      async (captureMethod, amount, ops) => {
        const created = await call("POST", "/v1/payment_intents", {
          amount,
          currency: "usd",
          capture_method: captureMethod,
        });
        const id = created.body.id as string;
        let previous: PaymentIntentStatus = created.body.status;
        for (const step of ops) {
          switch (step.op) {
            case "confirm":
              await call("POST", `/v1/payment_intents/${id}/confirm`, {
                payment_method_data: CARD(step.card),
              });
              break;
            case "capture":
              await call("POST", `/v1/payment_intents/${id}/capture`, {
                ...(step.amount ? { amount_to_capture: step.amount } : {}),
                final_capture: step.final,
              });
              break;
            case "cancel":
              await call("POST", `/v1/payment_intents/${id}/cancel`, {});
              break;
            case "refund":
              await call("POST", "/v1/refunds", {
                payment_intent: id,
                ...(step.amount ? { amount: step.amount } : {}),
              });
              break;
            case "update":
              await call("POST", `/v1/payment_intents/${id}`, { amount: step.amount });
              break;
            case "worker":
              await server.payrail.worker?.drain();
              break;
          }
          const pi = (await call("GET", `/v1/payment_intents/${id}`)).body;
          assert.ok(STATUSES.includes(pi.status), pi.status);
          // One request may pass through several statuses (confirm: processing, then succeeded).
          assert.ok(isReachable(previous, pi.status), `${previous} -> ${pi.status} after ${step.op}`);
          assert.ok(pi.amount_received <= pi.amount, "never capture more than authorized");
          assert.ok(pi.amount_received + pi.amount_capturable <= pi.amount);
          assert.ok(pi.amount_refunded <= pi.amount_received, "never refund more than captured");
          const refunds = (await call("GET", `/v1/refunds?payment_intent=${id}&limit=100`)).body
            .data as Array<{ amount: number; status: string }>;
          const committed = refunds
            .filter((r) => r.status !== "failed" && r.status !== "canceled")
            .reduce((s, r) => s + r.amount, 0);
          assert.ok(
            committed <= pi.amount_received,
            "refunds, pending included, stay within the captured amount",
          );
          previous = pi.status;
        }
      },
    ),
    { numRuns: RUNS, seed: Number(process.env.PAYRAIL_FUZZ_SEED ?? 7) },
  );
});
