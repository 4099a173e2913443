import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { after, afterEach, before, describe, test } from "node:test";
import { pino } from "pino";
import { type SandboxSimulator, startSandboxSimulator } from "./index.ts";
import {
  api,
  chargeBody,
  newApiKey,
  type Received,
  type Receiver,
  sleep,
  startReceiver,
} from "./test-support.ts";

let sim: SandboxSimulator;
let receiver: Receiver;
const key = newApiKey();

before(async () => {
  sim = await startSandboxSimulator({ resolveAfterMs: 40, notificationRetryDelaysMs: [30, 30, 30] });
  receiver = await startReceiver();
});
after(async () => {
  await sim.close();
  await receiver.close();
});
afterEach(() => {
  receiver.received.length = 0;
  receiver.script([]);
});

/** Verified here from first principles, independently of the simulator's signing code. */
function verify(received: Received, apiKey: string): boolean {
  const header = String(received.headers["sandbox-signature"] ?? "");
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const [, t, v1] = match as unknown as [string, string, string];
  const expected = createHmac("sha256", apiKey)
    .update(Buffer.concat([Buffer.from(`${t}.`), received.raw]))
    .digest();
  const age = Math.abs(Date.now() / 1000 - Number(t));
  return age < 60 && timingSafeEqual(expected, Buffer.from(v1, "hex"));
}

const notify = (overrides: Record<string, unknown> = {}, card: Record<string, unknown> = {}) =>
  chargeBody({ notification_url: `${receiver.url}/hooks/sandbox`, ...overrides }, card);

const post = (path: string, body: unknown) => api(sim.url, "POST", path, { key, body });

function types(received: Received[]): string[] {
  return received.map((r) => r.body.type);
}

describe("notifications", () => {
  test("an authorization sends a signed charge.authorized event", async () => {
    const created = await post("/v1/charges", notify());
    const [event] = await receiver.waitFor(1);
    assert.ok(event);
    assert.equal(event.path, "/hooks/sandbox");
    assert.match(String(event.headers["content-type"]), /^application\/json/);
    assert.equal(verify(event, key), true);
    assert.equal(verify(event, newApiKey()), false, "signed with the account's own key");
    assert.match(event.body.id, /^evt_[0-9A-Za-z]{24}$/);
    assert.equal(event.body.object, "event");
    assert.equal(event.body.type, "charge.authorized");
    assert.equal(typeof event.body.created, "number");
    assert.deepEqual(event.body.data.object, created.json);
  });

  test("every state change has its event, each with a unique id", async () => {
    const auth = await post("/v1/charges", notify());
    await receiver.waitFor(1);
    await post(`/v1/charges/${auth.json.id}/capture`, { amount: 1000, reference: "c" });
    await receiver.waitFor(2);
    await post("/v1/refunds", { charge: auth.json.id, amount: 100, reference: "r" });
    await receiver.waitFor(3);
    const toVoid = await post("/v1/charges", notify());
    await receiver.waitFor(4);
    await post(`/v1/charges/${toVoid.json.id}/void`, { reference: "v" });
    await receiver.waitFor(5);
    await post("/v1/charges", notify({}, { number: "4000000000009995" }));
    const all = await receiver.waitFor(6);
    assert.deepEqual(types(all), [
      "charge.authorized",
      "charge.captured",
      "refund.succeeded",
      "charge.authorized",
      "charge.voided",
      "charge.declined",
    ]);
    assert.equal(new Set(all.map((r) => r.body.id)).size, 6);
    assert.ok(all.every((r) => verify(r, key)));
    assert.equal(all[2]?.body.data.object.object, "refund");
    assert.equal(all[5]?.body.data.object.decline_code, "insufficient_funds");
  });

  test("capture=true sends charge.captured", async () => {
    await post("/v1/charges", notify({ capture: true }));
    assert.deepEqual(types(await receiver.waitFor(1)), ["charge.captured"]);
  });

  test("3-D Secure sends charge.requires_action, then the outcome", async () => {
    const charge = await post("/v1/charges", notify({}, { number: "4000002760003184" }));
    await receiver.waitFor(1);
    await fetch(`${sim.url}/3ds/${charge.json.id}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "result=fail",
      redirect: "manual",
    });
    const all = await receiver.waitFor(2);
    assert.deepEqual(types(all), ["charge.requires_action", "charge.declined"]);
    assert.equal(all[1]?.body.data.object.decline_code, "authentication_failed");
  });

  test("late refunds send refund.pending, then refund.succeeded or refund.failed", async () => {
    const good = await post("/v1/charges", notify({ capture: true, amount: 1077 }));
    const bad = await post("/v1/charges", notify({ capture: true, amount: 2078 }));
    await receiver.waitFor(2);
    await post("/v1/refunds", { charge: good.json.id, amount: 1077, reference: "late-ok" });
    await post("/v1/refunds", { charge: bad.json.id, amount: 78, reference: "late-fail" });
    const all = (await receiver.waitFor(6)).slice(2);
    const byRef = (reference: string) =>
      all.filter((r) => r.body.data.object.reference === reference).map((r) => r.body.type);
    assert.deepEqual(byRef("late-ok"), ["refund.pending", "refund.succeeded"]);
    assert.deepEqual(byRef("late-fail"), ["refund.pending", "refund.failed"]);
    const failed = all.find((r) => r.body.type === "refund.failed");
    assert.equal(failed?.body.data.object.failure_reason, "expired_or_canceled_card");
  });

  test("timeout cards send nothing, ever", async () => {
    await assert.rejects(post("/v1/charges", notify({}, { number: "4000000000000408" })));
    await assert.rejects(post("/v1/charges", notify({}, { number: "4000000000000416" })));
    await sleep(200);
    assert.equal(receiver.received.length, 0);
  });

  test("a charge without notification_url sends nothing", async () => {
    await post("/v1/charges", chargeBody());
    await sleep(100);
    assert.equal(receiver.received.length, 0);
  });

  test("non-2xx answers and dropped connections are retried with the same event", async () => {
    receiver.script([500, "destroy", 503, 200]);
    await post("/v1/charges", notify());
    const all = await receiver.waitFor(4);
    assert.equal(new Set(all.map((r) => r.body.id)).size, 1);
    assert.ok(all.every((r) => verify(r, key)));
    await sleep(150);
    assert.equal(receiver.received.length, 4, "no attempt after the 2xx");
  });

  test("delivery stops after the configured retries", async () => {
    receiver.script([500, 500, 500, 500, 500, 500]);
    await post("/v1/charges", notify());
    await receiver.waitFor(4);
    await sleep(200);
    assert.equal(receiver.received.length, 4);
  });

  test("an abandoned delivery is logged through a pino logger", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(line) });
    const local = await startSandboxSimulator({ logger, notificationRetryDelaysMs: [10] });
    try {
      receiver.script([500, 500]);
      await api(local.url, "POST", "/v1/charges", { key, body: notify() });
      await receiver.waitFor(2);
      await sleep(50);
      const abandoned = lines
        .map((line) => JSON.parse(line))
        .find((entry) => entry.msg === "notification abandoned");
      assert.ok(abandoned, lines.join(""));
      assert.equal(abandoned.tries, 2);
      assert.ok(!lines.join("").includes(key), "the API key is not logged");
    } finally {
      await local.close();
    }
  });
});
