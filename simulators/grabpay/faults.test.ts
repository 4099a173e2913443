import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type GrabPaySimulator, startGrabPaySimulator } from "./index.ts";
import {
  clickConsent,
  initBody,
  newPartner,
  notificationSigned,
  partnerCall,
  type Receiver,
  startCharge,
  startReceiver,
  waitUntil,
} from "./test-support.ts";

const INIT = "/grabpay/partner/v2/charge/init";
const clock = () => new Date("2024-05-01T02:00:00Z");
let sim: GrabPaySimulator;
let receiver: Receiver;

before(async () => {
  receiver = await startReceiver();
  sim = await startGrabPaySimulator({ now: clock, notificationRetryDelaysMs: [10, 10, 10] });
});
after(async () => {
  await sim.close();
  await receiver.close();
});

function register(path = "/notify") {
  const partner = newPartner(`${receiver.url}${path}`);
  sim.registerPartner(partner);
  return partner;
}

describe("request faults", () => {
  it("answers 500, 503 and 429 (with Retry-After) in GrabPay's error shape, without acting", async () => {
    const partner = register();
    for (const status of [500, 503, 429] as const) {
      sim.injectFault({ kind: "status", status, match: INIT });
      const answer = await partnerCall(sim, partner, clock, "POST", INIT, initBody(partner));
      assert.equal(answer.status, status);
      assert.equal(typeof answer.json.code, "string");
      if (status === 429) assert.equal(answer.headers.get("retry-after"), "1");
    }
    assert.equal(sim.chargeCount(partner.partnerId), 0);
    assert.equal((await partnerCall(sim, partner, clock, "POST", INIT, initBody(partner))).status, 200);
  });

  it("resets the connection before acting, or after acting", async () => {
    const partner = register();
    sim.injectFault({ kind: "reset", match: INIT });
    await assert.rejects(partnerCall(sim, partner, clock, "POST", INIT, initBody(partner)));
    assert.equal(sim.chargeCount(partner.partnerId), 0);
    sim.injectFault({ kind: "reset", after: true, match: INIT });
    const body = initBody(partner);
    await assert.rejects(partnerCall(sim, partner, clock, "POST", INIT, body));
    assert.equal(sim.chargeCount(partner.partnerId), 1);
    const retried = await partnerCall(sim, partner, clock, "POST", INIT, body);
    assert.equal(retried.status, 200);
    assert.equal(sim.chargeCount(partner.partnerId), 1);
  });

  it("sends a malformed body, adds latency, and applies a fault only `times` times to matching paths", async () => {
    const partner = register();
    sim.injectFault({ kind: "malformed", match: INIT });
    const broken = await partnerCall(sim, partner, clock, "POST", INIT, initBody(partner));
    assert.equal(broken.status, 200);
    assert.equal(broken.json, null);
    sim.injectFault({ kind: "latency", ms: 50, match: INIT });
    const started = Date.now();
    assert.equal((await partnerCall(sim, partner, clock, "POST", INIT, initBody(partner))).status, 200);
    assert.ok(Date.now() - started >= 40);
    sim.injectFault({ kind: "status", status: 503, times: 2, match: "/grabid/" });
    assert.equal((await partnerCall(sim, partner, clock, "POST", INIT, initBody(partner))).status, 200);
    sim.clearFaults();
    assert.equal((await partnerCall(sim, partner, clock, "POST", INIT, initBody(partner))).status, 200);
  });
});

describe("notification faults", () => {
  it("retries until the receiver answers 2xx, signing every attempt", async () => {
    const partner = register("/retry");
    const before = receiver.received.length;
    receiver.script([500, "destroy", 404]);
    const started = await startCharge(sim, partner, clock);
    await clickConsent(sim, started, "approve");
    const attempts = (await receiver.waitFor(before + 4)).slice(before);
    assert.ok(attempts.every((attempt) => attempt.body.partnerTxID === started.partnerTxID));
    assert.ok(attempts.every((attempt) => notificationSigned(attempt, partner)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(receiver.received.length, before + 4);
  });

  it("duplicates and delays notifications on demand", async () => {
    const partner = register("/dup");
    const before = receiver.received.length;
    sim.injectFault({ kind: "duplicate_notifications", match: "/dup" });
    sim.injectFault({ kind: "delay_notifications", ms: 100, match: "/dup" });
    const started = await startCharge(sim, partner, clock);
    await clickConsent(sim, started, "approve");
    const copies = (await receiver.waitFor(before + 2)).slice(before);
    assert.equal(copies[0]?.raw, copies[1]?.raw);
  });

  it("sends held notifications newest first", async () => {
    const partner = register("/order");
    sim.injectFault({ kind: "reorder_notifications", count: 2, flushAfterMs: 5000, match: "/order" });
    const first = await startCharge(sim, partner, clock);
    const second = await startCharge(sim, partner, clock);
    await clickConsent(sim, first, "approve");
    await clickConsent(sim, second, "decline");
    const mine = () => receiver.received.filter((r) => r.path === "/order");
    await waitUntil(() => mine().length >= 2, 5000, "two reordered notifications");
    assert.deepEqual(
      mine().map((r) => r.body.partnerTxID),
      [second.partnerTxID, first.partnerTxID],
    );
  });
});
