import assert from "node:assert/strict";
import http from "node:http";
import { after, afterEach, before, describe, test } from "node:test";
import { type SandboxSimulator, startSandboxSimulator } from "./index.ts";
import { api, chargeBody, newApiKey, type Receiver, sleep, startReceiver } from "./test-support.ts";

let sim: SandboxSimulator;
let receiver: Receiver;

before(async () => {
  sim = await startSandboxSimulator({ notificationRetryDelaysMs: [20] });
  receiver = await startReceiver();
});
after(async () => {
  await sim.close();
  await receiver.close();
});
afterEach(() => {
  sim.clearFaults();
  receiver.received.length = 0;
});

const charge = (key: string, body = chargeBody(), idempotencyKey = "fault-key") =>
  api(sim.url, "POST", "/v1/charges", { key, body, idempotencyKey });

describe("request faults", () => {
  test("latency delays the answer", async () => {
    sim.injectFault({ kind: "latency", ms: 150 });
    const started = Date.now();
    const res = await charge(newApiKey());
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 140);
    const quick = Date.now();
    await charge(newApiKey());
    assert.ok(Date.now() - quick < 140, "times defaults to 1");
  });

  for (const status of [500, 503, 429] as const) {
    test(`status ${status} answers without acting`, async () => {
      const key = newApiKey();
      sim.injectFault({ kind: "status", status });
      const res = await charge(key);
      assert.equal(res.status, status);
      assert.equal(typeof res.json.error.code, "string");
      if (status === 429) assert.equal(res.headers.get("retry-after"), "1");
      assert.equal(sim.chargeCount(key), 0);
      const retry = await charge(key);
      assert.equal(retry.status, 200);
      assert.equal(sim.chargeCount(key), 1);
    });
  }

  test("times counts requests", async () => {
    sim.injectFault({ kind: "status", status: 503, times: 2 });
    const key = newApiKey();
    assert.equal((await charge(key)).status, 503);
    assert.equal((await charge(key)).status, 503);
    assert.equal((await charge(key)).status, 200);
  });

  test("match targets one endpoint", async () => {
    sim.injectFault({ kind: "status", status: 500, match: "/v1/refunds" });
    const key = newApiKey();
    const created = await charge(key, chargeBody({ capture: true }));
    assert.equal(created.status, 200);
    const refund = await api(sim.url, "POST", "/v1/refunds", {
      key,
      body: { charge: created.json.id, amount: 100, reference: "r" },
    });
    assert.equal(refund.status, 500);
  });

  test("reset before acting: the connection drops and nothing happened", async () => {
    const key = newApiKey();
    sim.injectFault({ kind: "reset", after: false });
    await assert.rejects(charge(key));
    assert.equal(sim.chargeCount(key), 0);
    const retry = await charge(key);
    assert.equal(retry.status, 200);
    assert.equal(sim.chargeCount(key), 1);
  });

  test("reset defaults to before acting", async () => {
    const key = newApiKey();
    sim.injectFault({ kind: "reset" });
    await assert.rejects(charge(key));
    assert.equal(sim.chargeCount(key), 0);
  });

  test("reset after acting: the charge exists and the retry replays it", async () => {
    const key = newApiKey();
    const body = chargeBody();
    sim.injectFault({ kind: "reset", after: true });
    await assert.rejects(charge(key, body));
    assert.equal(sim.chargeCount(key), 1);
    const retry = await charge(key, body);
    assert.equal(retry.status, 200);
    assert.equal(retry.headers.get("idempotent-replayed"), "true");
    assert.equal(retry.json.reference, body.reference);
    assert.equal(sim.chargeCount(key), 1);
  });

  test("malformed acts, then answers 200 with a truncated body", async () => {
    const key = newApiKey();
    const body = chargeBody({ amount: 1234 });
    sim.injectFault({ kind: "malformed" });
    const res = await charge(key, body);
    assert.equal(res.status, 200);
    assert.equal(res.json, null, "the body does not parse");
    assert.ok(res.text.startsWith('{"id":"ch_'));
    assert.equal(sim.chargeCount(key), 1);
    const retry = await charge(key, body);
    assert.ok(retry.text.startsWith(res.text));
    assert.equal(retry.json.amount, 1234);
  });

  test("faults apply to reads too", async () => {
    sim.injectFault({ kind: "status", status: 500, match: "/v1/charges" });
    const res = await api(sim.url, "GET", "/v1/charges?reference=x", { key: newApiKey() });
    assert.equal(res.status, 500);
  });
});

describe("notification faults", () => {
  const notified = () => chargeBody({ notification_url: `${receiver.url}/hook` });

  test("duplicate_notifications sends the same event twice", async () => {
    sim.injectFault({ kind: "duplicate_notifications" });
    await charge(newApiKey(), notified());
    const [a, b] = await receiver.waitFor(2);
    assert.equal(a?.body.id, b?.body.id);
    assert.equal(a?.raw.toString(), b?.raw.toString());
  });

  test("delay_notifications makes a notification late and out of order", async () => {
    const key = newApiKey();
    sim.injectFault({ kind: "delay_notifications", ms: 200 });
    const first = await api(sim.url, "POST", "/v1/charges", { key, body: notified() });
    const second = await api(sim.url, "POST", "/v1/charges", { key, body: notified() });
    const [early, late] = await receiver.waitFor(2);
    assert.equal(early?.body.data.object.id, second.json.id);
    assert.equal(late?.body.data.object.id, first.json.id);
  });

  test("match on the notification path", async () => {
    sim.injectFault({ kind: "duplicate_notifications", match: "/elsewhere" });
    await charge(newApiKey(), notified());
    await receiver.waitFor(1);
    await sleep(100);
    assert.equal(receiver.received.length, 1);
  });
});

describe("admin endpoint", () => {
  test("POST /_admin/faults injects without auth; DELETE clears", async () => {
    const injected = await fetch(`${sim.url}/_admin/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "status", status: 503, times: 5 }),
    });
    assert.equal(injected.status, 200);
    assert.equal((await charge(newApiKey())).status, 503);
    assert.equal((await fetch(`${sim.url}/_admin/faults`, { method: "DELETE" })).status, 200);
    assert.equal((await charge(newApiKey())).status, 200);
  });

  test("an invalid fault is 422 and injectFault throws", async () => {
    const res = await fetch(`${sim.url}/_admin/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "status", status: 418 }),
    });
    assert.equal(res.status, 422);
    assert.throws(() => sim.injectFault({ kind: "explode" } as never));
  });
});

describe("connections", () => {
  test("keep-alive connections are reused", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const url = new URL(`${sim.url}/v1/charges?reference=none`);
    const reused: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = http.get(url, { agent, headers: { authorization: `Bearer ${newApiKey()}` } }, (res) => {
          reused.push(req.reusedSocket);
          res.resume();
          res.on("end", resolve);
        });
        req.on("error", reject);
      });
    }
    agent.destroy();
    assert.deepEqual(reused, [false, true, true]);
  });

  test("close() ends open connections and pending timers promptly", async () => {
    const local = await startSandboxSimulator({ resolveAfterMs: 60_000 });
    const key = newApiKey();
    await assert.rejects(
      api(local.url, "POST", "/v1/charges", { key, body: chargeBody({}, { number: "4000000000000408" }) }),
    );
    local.injectFault({ kind: "latency", ms: 60_000 });
    const hanging = api(local.url, "GET", "/v1/charges?reference=x", { key }).catch(() => "dropped");
    await sleep(20);
    const started = Date.now();
    await local.close();
    assert.equal(await hanging, "dropped");
    assert.ok(Date.now() - started < 1000);
  });
});
