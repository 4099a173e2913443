import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { type AdyenSimulator, startAdyenSimulator } from "./index.ts";
import {
  api,
  assertEveryWebhookOfficiallySigned,
  configureWebhook,
  newApiKey,
  officiallySigned,
  paymentBody,
  type Receiver,
  sleep,
  startReceiver,
  waitUntil,
} from "./test-support.ts";

let sim: AdyenSimulator;
let receiver: Receiver;

before(async () => {
  sim = await startAdyenSimulator({
    strictResponses: true,
    modificationDelayMs: 20,
    notificationRetryDelaysMs: [20],
  });
  receiver = await startReceiver();
});
after(async () => {
  try {
    assertEveryWebhookOfficiallySigned(receiver);
  } finally {
    await receiver.close();
    await sim.close();
  }
});
afterEach(() => sim.clearFaults());

const manual = () => paymentBody({ additionalData: { manualCapture: "true" } });
const pay = (key: string, body: unknown = manual(), idempotencyKey?: string) =>
  api(sim.url, "POST", "/v71/payments", { key, body, idempotencyKey });

describe("request faults", () => {
  test("latency delays the answer once", async () => {
    sim.injectFault({ kind: "latency", ms: 150 });
    const started = Date.now();
    assert.equal((await pay(newApiKey())).status, 200);
    assert.ok(Date.now() - started >= 140);
    const quick = Date.now();
    await pay(newApiKey());
    assert.ok(Date.now() - quick < 140);
  });

  for (const status of [500, 503, 429] as const) {
    test(`${status} in Adyen's error shape, without acting`, async () => {
      const key = newApiKey();
      sim.injectFault({ kind: "status", status });
      const res = await pay(key);
      assert.equal(res.status, status);
      assert.equal(res.json.status, status);
      assert.equal(typeof res.json.errorCode, "string");
      assert.equal(typeof res.json.errorType, "string");
      if (status === 429) assert.equal(res.headers.get("retry-after"), "1");
      assert.equal(sim.paymentCount(key), 0);
      assert.equal((await pay(key)).status, 200);
    });
  }

  test("times and match select the requests", async () => {
    const key = newApiKey();
    sim.injectFault({ kind: "status", status: 503, times: 2, match: "/v71/payments/" });
    const paid = await pay(key);
    assert.equal(paid.status, 200, "/v71/payments does not match the /v71/payments/ prefix");
    const capture = () =>
      api(sim.url, "POST", `/v71/payments/${paid.json.pspReference}/captures`, {
        key,
        body: { merchantAccount: "PayrailECOM", amount: { value: 100, currency: "EUR" } },
      });
    assert.equal((await capture()).status, 503);
    assert.equal((await capture()).status, 503);
    assert.equal((await capture()).status, 201);
  });

  test("the Management API fails in its own error shape", async () => {
    sim.injectFault({ kind: "status", status: 500, match: "/v3/" });
    const res = await api(sim.url, "GET", "/v3/merchants/PayrailECOM/webhooks", { key: newApiKey() });
    assert.equal(res.status, 500);
    assert.equal(res.json.errorCode, "00_500");
    assert.equal(typeof res.json.title, "string");
  });

  test("reset before acting: the connection drops and nothing happened", async () => {
    const key = newApiKey();
    sim.injectFault({ kind: "reset" });
    await assert.rejects(pay(key));
    assert.equal(sim.paymentCount(key), 0);
  });

  test("reset after acting: the payment exists and an idempotent retry gets the stored answer", async () => {
    const key = newApiKey();
    const body = manual();
    sim.injectFault({ kind: "reset", after: true });
    await assert.rejects(pay(key, body, "after-reset"));
    assert.equal(sim.paymentCount(key), 1);
    const retry = await pay(key, body, "after-reset");
    assert.equal(retry.status, 200);
    assert.equal(retry.json.resultCode, "Authorised");
    assert.equal(sim.paymentCount(key), 1);
  });

  test("a malformed answer is truncated JSON with status 200, after acting", async () => {
    const key = newApiKey();
    sim.injectFault({ kind: "malformed" });
    const res = await pay(key);
    assert.equal(res.status, 200);
    assert.equal(res.json, null);
    assert.ok(res.text.startsWith("{"));
    assert.equal(sim.paymentCount(key), 1);
  });

  test("faults can be injected over HTTP", async () => {
    const admin = (method: string, body?: unknown) => api(sim.url, method, "/_admin/faults", { body });
    assert.equal((await admin("POST", { kind: "status", status: 503 })).status, 200);
    assert.equal((await pay(newApiKey())).status, 503);
    assert.equal((await admin("POST", { kind: "status", status: 418 })).status, 422);
    await admin("POST", { kind: "status", status: 500, times: 5 });
    assert.equal((await admin("DELETE")).status, 200);
    assert.equal((await pay(newApiKey())).status, 200);
  });
});

describe("notification faults", () => {
  async function account() {
    const key = newApiKey();
    const { hmacKey } = await configureWebhook(sim.url, key, receiver.url);
    return { key, hmacKey };
  }

  const deliveriesOf = (psp: string) => receiver.received.filter((r) => r.item?.pspReference === psp);

  test("duplicate notifications are delivered twice, identically", async () => {
    const { key, hmacKey } = await account();
    sim.injectFault({ kind: "duplicate_notifications" });
    const res = await pay(key);
    await waitUntil(() => deliveriesOf(res.json.pspReference).length === 2);
    const [first, second] = deliveriesOf(res.json.pspReference);
    assert.ok(first && second);
    assert.equal(first.raw, second.raw);
    assert.ok(officiallySigned(second, hmacKey));
  });

  test("delayed notifications arrive late", async () => {
    const { key } = await account();
    sim.injectFault({ kind: "delay_notifications", ms: 200 });
    const res = await pay(key);
    await sleep(100);
    assert.equal(deliveriesOf(res.json.pspReference).length, 0);
    await waitUntil(() => deliveriesOf(res.json.pspReference).length === 1);
  });

  test("reordered notifications arrive newest first", async () => {
    const { key } = await account();
    sim.injectFault({ kind: "reorder_notifications", count: 2 });
    const paid = await pay(key);
    const cancel = await api(sim.url, "POST", `/v71/payments/${paid.json.pspReference}/cancels`, {
      key,
      body: { merchantAccount: "PayrailECOM" },
    });
    await receiver.waitForEvent("CANCELLATION", cancel.json.pspReference);
    await waitUntil(() => deliveriesOf(paid.json.pspReference).length === 1);
    const order = receiver.received
      .filter(
        (r) =>
          r.item?.pspReference === paid.json.pspReference ||
          r.item?.pspReference === cancel.json.pspReference,
      )
      .map((r) => r.item.eventCode);
    assert.deepEqual(order, ["CANCELLATION", "AUTHORISATION"]);
  });

  test("a reorder group that does not fill up is flushed after flushAfterMs", async () => {
    const { key } = await account();
    sim.injectFault({ kind: "reorder_notifications", count: 5, flushAfterMs: 100 });
    const res = await pay(key);
    await sleep(50);
    assert.equal(deliveriesOf(res.json.pspReference).length, 0);
    await waitUntil(() => deliveriesOf(res.json.pspReference).length === 1);
  });
});
