import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { type MollieSimulator, startMollieSimulator } from "./index.ts";
import {
  answerCheckout,
  api,
  newKey,
  paymentBody,
  type Receiver,
  startReceiver,
  waitUntil,
} from "./test-support.ts";

let sim: MollieSimulator;
let receiver: Receiver;

before(async () => {
  sim = await startMollieSimulator({ notificationRetryDelaysMs: [20, 20, 20] });
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
  await sim.close();
});
afterEach(() => {
  sim.clearFaults();
  receiver.script([]);
});

const create = (key: string, hookPath = "/hook", idempotencyKey?: string, body = paymentBody()) =>
  api(sim.url, "POST", "/v2/payments", {
    key,
    body: { ...body, webhookUrl: `${receiver.url}${hookPath}` },
    idempotencyKey,
  });

async function paidWith(key: string, hookPath: string): Promise<string> {
  const { json } = await create(key, hookPath);
  await answerCheckout(json._links.checkout.href, "paid");
  return json.id;
}

const hooks = (id: string) => receiver.received.filter((r) => r.id === id);

describe("request faults", () => {
  for (const status of [500, 503, 429] as const) {
    test(`${status} in Mollie's error shape, without acting`, async () => {
      const key = newKey();
      sim.injectFault({ kind: "status", status });
      const res = await create(key);
      assert.equal(res.status, status);
      assert.equal(res.json.status, status);
      assert.equal(typeof res.json.title, "string");
      assert.equal(typeof res.json.detail, "string");
      if (status === 429) assert.equal(res.headers.get("retry-after"), "1");
      assert.equal(sim.paymentCount(key), 0);
      assert.equal((await create(key)).status, 201);
    });
  }

  test("match and times select the requests", async () => {
    const key = newKey();
    sim.injectFault({ kind: "status", status: 503, times: 2, match: "/v2/payments/" });
    const created = await create(key);
    assert.equal(created.status, 201, "/v2/payments is not under /v2/payments/");
    const read = () => api(sim.url, "GET", `/v2/payments/${created.json.id}`, { key });
    assert.equal((await read()).status, 503);
    assert.equal((await read()).status, 503);
    assert.equal((await read()).status, 200);
  });

  test("latency delays the answer", async () => {
    sim.injectFault({ kind: "latency", ms: 120 });
    const started = Date.now();
    assert.equal((await create(newKey())).status, 201);
    assert.ok(Date.now() - started >= 100);
  });

  test("reset before acting: nothing happened", async () => {
    const key = newKey();
    sim.injectFault({ kind: "reset" });
    await assert.rejects(create(key));
    assert.equal(sim.paymentCount(key), 0);
  });

  test("reset after acting: the payment exists; an idempotent retry gets it", async () => {
    const key = newKey();
    const body = paymentBody();
    sim.injectFault({ kind: "reset", after: true });
    await assert.rejects(create(key, "/hook", "after-reset", body));
    assert.equal(sim.paymentCount(key), 1);
    const retry = await create(key, "/hook", "after-reset", body);
    assert.equal(retry.status, 201);
    assert.equal(sim.paymentCount(key), 1);
  });

  test("malformed: status 200 with a truncated body", async () => {
    sim.injectFault({ kind: "malformed" });
    const res = await create(newKey());
    assert.equal(res.status, 200);
    assert.equal(res.json, null);
  });

  test("faults can be injected over HTTP", async () => {
    const injected = await fetch(`${sim.url}/_admin/faults`, {
      method: "POST",
      body: JSON.stringify({ kind: "status", status: 500 }),
    });
    assert.equal(injected.status, 200);
    await injected.text();
    assert.equal((await create(newKey())).status, 500);
    const bad = await fetch(`${sim.url}/_admin/faults`, {
      method: "POST",
      body: JSON.stringify({ kind: "nope" }),
    });
    assert.equal(bad.status, 422);
    await bad.text();
  });
});

describe("webhooks", () => {
  test("retried until a 2xx, including after a dropped connection", async () => {
    receiver.script([500, "destroy", 404]);
    const id = await paidWith(newKey(), "/retry");
    await waitUntil(() => hooks(id).length === 4);
    assert.ok(hooks(id).every((h) => h.raw === `id=${id}` && h.path === "/retry"));
  });

  test("given up after the last retry", async () => {
    receiver.script([500, 500, 500, 500, 500]);
    const id = await paidWith(newKey(), "/give-up");
    await waitUntil(() => hooks(id).length === 4);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(hooks(id).length, 4);
  });

  test("duplicate notifications", async () => {
    sim.injectFault({ kind: "duplicate_notifications", match: "/dup" });
    const id = await paidWith(newKey(), "/dup");
    await waitUntil(() => hooks(id).length === 2);
  });

  test("delayed notifications", async () => {
    sim.injectFault({ kind: "delay_notifications", ms: 150 });
    const started = Date.now();
    const id = await paidWith(newKey(), "/late");
    await waitUntil(() => hooks(id).length === 1);
    assert.ok(Date.now() - started >= 130);
  });

  test("out-of-order notifications: the second arrives first", async () => {
    sim.injectFault({ kind: "reorder_notifications", count: 2, match: "/order" });
    const key = newKey();
    const first = await paidWith(key, "/order");
    const second = await paidWith(key, "/order");
    await waitUntil(() => hooks(first).length === 1 && hooks(second).length === 1);
    const order = receiver.received.filter((r) => r.path === "/order").map((r) => r.id);
    assert.deepEqual(order, [second, first]);
  });
});
