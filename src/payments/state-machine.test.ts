import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ACTIONS,
  assertAction,
  isAllowedTransition,
  isReachable,
  STATUSES,
  TRANSITIONS,
} from "./state-machine.ts";

test("the transition table only names known statuses and has no way out of final states", () => {
  for (const [from, to] of TRANSITIONS) {
    assert.ok(STATUSES.includes(from) && STATUSES.includes(to), `${from} -> ${to}`);
    assert.notEqual(from, "succeeded");
    assert.notEqual(from, "canceled");
  }
});

test("every status an action starts from can leave through the table", () => {
  for (const [action, from] of Object.entries(ACTIONS)) {
    for (const status of from)
      assert.ok(
        TRANSITIONS.some(([f]) => f === status),
        `${action} from ${status}`,
      );
  }
});

test("transitions not in the table are refused, staying put is allowed", () => {
  assert.equal(isAllowedTransition("succeeded", "canceled"), false);
  assert.equal(isAllowedTransition("canceled", "processing"), false);
  assert.equal(isAllowedTransition("requires_capture", "processing"), false);
  assert.equal(isAllowedTransition("processing", "processing"), true);
});

test("a refused action names the current status", () => {
  assert.throws(
    () => assertAction("capture", "succeeded"),
    (error: Error & { status?: number }) => error.status === 400 && /status of succeeded/.test(error.message),
  );
  assert.doesNotThrow(() => assertAction("cancel", "requires_capture"));
});

test("reachability follows the table over several steps, and final states lead nowhere", () => {
  assert.equal(isReachable("requires_payment_method", "succeeded"), true);
  assert.equal(isReachable("requires_capture", "requires_action"), false);
  assert.equal(isReachable("succeeded", "canceled"), false);
  assert.equal(isReachable("canceled", "requires_payment_method"), false);
});
