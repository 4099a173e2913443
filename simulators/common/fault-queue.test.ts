import assert from "node:assert/strict";
import { test } from "node:test";
import { createFaultQueue, type QueuedFault } from "./fault-queue.ts";

type Fault = QueuedFault & { kind: "status" | "latency" };

test("a fault applies `times` times to paths under its prefix, then is gone", () => {
  const queue = createFaultQueue<Fault>();
  queue.add({ kind: "status", match: "/v1/charges", times: 2 });
  assert.equal(queue.take("/v1/refunds", ["status"], false).length, 0);
  assert.equal(queue.take("/v1/charges/ch_1", ["status"], false).length, 1);
  assert.equal(queue.take("/v1/charges", ["latency"], false).length, 0, "another kind is not taken");
  assert.equal(queue.take("/v1/charges", ["status"], false).length, 1);
  assert.equal(queue.take("/v1/charges", ["status"], false).length, 0);
});

test("a match with a method leaves other methods on the same path alone", () => {
  const queue = createFaultQueue<Fault>();
  queue.add({ kind: "status", match: "POST /v1/payment_intents" });
  assert.equal(queue.take("/v1/payment_intents", ["status"], false, "GET").length, 0);
  assert.equal(queue.take("/v1/payment_intents", ["status"], false).length, 0, "no method given: not taken");
  assert.equal(queue.take("/v1/payment_intents", ["status"], false, "POST").length, 1);
});
