import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { startWechatPaySimulator, type WechatPaySimulator } from "./index.ts";
import {
  call,
  MCHID,
  type MerchantKeys,
  newMerchantKeys,
  officiallyDecrypted,
  officiallyVerified,
  orderBody,
  platformKeys,
  type Receiver,
  registration,
  startReceiver,
  submitCashier,
  waitUntil,
} from "./test-support.ts";

let sim: WechatPaySimulator;
let keys: MerchantKeys;
let receiver: Receiver;

before(async () => {
  keys = newMerchantKeys();
  receiver = await startReceiver();
  sim = await startWechatPaySimulator({
    platformKeys: await platformKeys(),
    notificationRetryDelaysMs: [20, 20],
  });
  sim.registerMerchant(registration(keys));
});
after(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(() => {
  sim.clearFaults();
  receiver.received.length = 0;
  receiver.script([]);
});

const NATIVE = "/v3/pay/transactions/native";
const query = (outTradeNo: string) =>
  call(sim, keys, "GET", `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${MCHID}`);

describe("request faults", () => {
  it("answers 500, 503 and 429 in WeChat's error shape, once each", async () => {
    for (const [status, code] of [
      [500, "SYSTEM_ERROR"],
      [503, "SYSTEM_ERROR"],
      [429, "FREQUENCY_LIMITED"],
    ] as const) {
      sim.injectFault({ kind: "status", status, match: NATIVE });
      const failed = await call(sim, keys, "POST", NATIVE, { body: orderBody() });
      assert.equal(failed.status, status);
      assert.equal(failed.json.code, code);
      const next = await call(sim, keys, "POST", NATIVE, { body: orderBody() });
      assert.equal(next.status, 200);
    }
  });

  it("drops the connection before acting (no order) or after acting (the order exists)", async () => {
    const before = orderBody();
    sim.injectFault({ kind: "reset", match: NATIVE });
    await assert.rejects(call(sim, keys, "POST", NATIVE, { body: before }));
    assert.equal((await query(before.out_trade_no)).status, 404);

    const afterwards = orderBody();
    sim.injectFault({ kind: "reset", after: true, match: NATIVE });
    await assert.rejects(call(sim, keys, "POST", NATIVE, { body: afterwards }));
    assert.equal((await query(afterwards.out_trade_no)).json.trade_state, "NOTPAY");
  });

  it("sends a truncated body, and a signature that does not verify, on request", async () => {
    sim.injectFault({ kind: "malformed", match: NATIVE });
    const malformed = await call(sim, keys, "POST", NATIVE, { body: orderBody() });
    assert.equal(malformed.status, 200);
    assert.equal(malformed.json, null);
    sim.injectFault({ kind: "bad_signature", match: NATIVE });
    const forged = await call(sim, keys, "POST", NATIVE, { body: orderBody() });
    assert.equal(forged.status, 200);
    assert.equal(officiallyVerified(sim, forged.headers, forged.text), false);
  });

  it("delays an answer by the injected latency", async () => {
    sim.injectFault({ kind: "latency", ms: 150, match: NATIVE });
    const started = Date.now();
    const res = await call(sim, keys, "POST", NATIVE, { body: orderBody() });
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 100);
  });

  it("takes faults over HTTP at /_admin/faults", async () => {
    const injected = await fetch(`${sim.url}/_admin/faults`, {
      method: "POST",
      body: JSON.stringify({ kind: "status", status: 503, match: NATIVE }),
    });
    assert.equal(injected.status, 200);
    assert.equal((await call(sim, keys, "POST", NATIVE, { body: orderBody() })).status, 503);
    const refused = await fetch(`${sim.url}/_admin/faults`, { method: "POST", body: '{"kind":"fire"}' });
    assert.equal(refused.status, 400);
  });
});

describe("notification faults", () => {
  async function paid() {
    const body = orderBody({ notify_url: `${receiver.url}/notify` });
    const placed = await call(sim, keys, "POST", NATIVE, { body });
    await submitCashier(sim, placed.json.code_url, "approve");
    return body.out_trade_no;
  }

  it("duplicates a notification", async () => {
    sim.injectFault({ kind: "duplicate_notifications", match: "/notify" });
    await paid();
    const [a, b] = await receiver.waitFor(2);
    assert.equal(a?.raw, b?.raw);
  });

  it("sends the first attempt with a bad signature, the retry with a good one", async () => {
    sim.injectFault({ kind: "bad_notification_signature" });
    receiver.script([401]);
    await paid();
    const [bad, good] = await receiver.waitFor(2);
    assert.equal(officiallyVerified(sim, bad?.headers ?? {}, bad?.raw ?? ""), false);
    assert.equal(officiallyVerified(sim, good?.headers ?? {}, good?.raw ?? ""), true);
  });

  it("delivers notifications out of order", async () => {
    sim.injectFault({ kind: "reorder_notifications", count: 2, flushAfterMs: 5000 });
    const first = await paid();
    const second = await paid();
    const [a, b] = await receiver.waitFor(2);
    assert.deepEqual(
      [
        officiallyDecrypted(a?.body.resource).out_trade_no,
        officiallyDecrypted(b?.body.resource).out_trade_no,
      ],
      [second, first],
    );
  });

  it("delays a notification", async () => {
    sim.injectFault({ kind: "delay_notifications", ms: 1000 });
    await paid();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(receiver.received.length, 0);
    await waitUntil(() => receiver.received.length === 1);
  });
});
