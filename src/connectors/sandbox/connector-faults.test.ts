import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, test } from "node:test";
import { type SandboxSimulator, startSandboxSimulator } from "../../../simulators/sandbox/index.ts";
import type { AuthorizeRequest, CallContext, ModifyResult } from "../contract.ts";
import { createSandboxConnector, generateSandboxApiKey } from "./index.ts";
import { apiKeyOf, authorized as authorizedWith, authorizeRequest, newCall, sleep } from "./test-support.ts";

let sim: SandboxSimulator;
const connector = createSandboxConnector({ baseUrl: () => sim.url });

before(async () => {
  sim = await startSandboxSimulator({ resolveAfterMs: 50, notificationRetryDelaysMs: [20] });
});
after(() => sim.close());
afterEach(() => sim.clearFaults());

const authorized = (call: CallContext, overrides: Partial<AuthorizeRequest> = {}) =>
  authorizedWith(connector, call, overrides);

describe("faults never decline and never charge twice", () => {
  for (const status of [500, 503, 429] as const) {
    test(`authorize behind a ${status} is pending, and the retry charges once`, async () => {
      const call = newCall();
      const request = authorizeRequest();
      sim.injectFault({ kind: "status", status });
      const result = await connector.authorize(call, request);
      assert.deepEqual(result, {
        outcome: "pending",
        reason: status === 429 ? "rate_limited" : `http_${status}`,
      });
      assert.equal(sim.chargeCount(apiKeyOf(call)), 0);
      assert.equal((await connector.authorize(call, request)).outcome, "authorized");
      assert.equal(sim.chargeCount(apiKeyOf(call)), 1);
    });
  }

  test("reset before acting: pending, nothing charged, the retry charges once", async () => {
    const call = newCall();
    const request = authorizeRequest();
    sim.injectFault({ kind: "reset", after: false });
    assert.deepEqual(await connector.authorize(call, request), {
      outcome: "pending",
      reason: "network_error",
    });
    assert.equal(sim.chargeCount(apiKeyOf(call)), 0);
    assert.equal((await connector.authorize(call, request)).outcome, "authorized");
    assert.equal(sim.chargeCount(apiKeyOf(call)), 1);
  });

  test("reset after acting: pending, and the retry returns the same charge", async () => {
    const call = newCall();
    const request = authorizeRequest();
    sim.injectFault({ kind: "reset", after: true });
    assert.deepEqual(await connector.authorize(call, request), {
      outcome: "pending",
      reason: "network_error",
    });
    assert.equal(sim.chargeCount(apiKeyOf(call)), 1);
    const synced = await connector.sync(call, { reference: request.reference });
    const retry = await connector.authorize(call, request);
    assert.equal(retry.outcome, "authorized");
    assert.equal(
      retry.outcome === "authorized" && retry.connectorReference,
      synced.status === "authorized" && synced.connectorReference,
    );
    assert.equal(sim.chargeCount(apiKeyOf(call)), 1);
  });

  test("a malformed answer is pending; the retry replays the real one", async () => {
    const call = newCall();
    const request = authorizeRequest("4000000000000002");
    sim.injectFault({ kind: "malformed" });
    assert.deepEqual(await connector.authorize(call, request), {
      outcome: "pending",
      reason: "malformed_response",
    });
    const retry = await connector.authorize(call, request);
    assert.equal(retry.outcome === "declined" && retry.declineCode, "generic_decline");
    assert.equal(sim.chargeCount(apiKeyOf(call)), 1);
  });

  test("a slow answer past timeoutMs is pending (timeout); the charge is found by sync", async () => {
    const call = newCall({ timeoutMs: 100 });
    const request = authorizeRequest();
    sim.injectFault({ kind: "latency", ms: 300, match: "/v1/charges" });
    assert.deepEqual(await connector.authorize(call, request), { outcome: "pending", reason: "timeout" });
    await sleep(300);
    assert.equal((await connector.sync(call, { reference: request.reference })).status, "authorized");
    assert.equal(sim.chargeCount(apiKeyOf(call)), 1);
  });

  test("faults on capture, void and refund are pending; retries act once", async () => {
    const call = newCall();
    const auth = await authorized(call, { capture: false });
    if (auth.outcome !== "authorized") return;
    const capture = {
      reference: "cap_f",
      connectorReference: auth.connectorReference,
      amount: 1000n,
      currency: "usd",
      final: true,
    };
    sim.injectFault({ kind: "reset", after: true, match: `/v1/charges/${auth.connectorReference}/capture` });
    assert.equal((await connector.capture(call, capture)).outcome, "pending");
    assert.equal((await connector.capture(call, capture)).outcome, "succeeded");

    const refund = {
      reference: "re_f",
      connectorReference: auth.connectorReference,
      amount: 500n,
      currency: "usd",
    };
    sim.injectFault({ kind: "malformed", match: "/v1/refunds" });
    const first: ModifyResult = await connector.refund(call, refund);
    assert.deepEqual(first, { outcome: "pending", reason: "malformed_response" });
    sim.injectFault({ kind: "status", status: 503, match: "/v1/refunds" });
    assert.deepEqual(await connector.refund(call, refund), { outcome: "pending", reason: "http_503" });
    const done = await connector.refund(call, refund);
    assert.equal(done.outcome, "succeeded");
    const charge = await connector.sync(call, {
      reference: "x",
      connectorReference: auth.connectorReference,
    });
    assert.equal(charge.status, "authorized");
    const remaining = await connector.refund(call, { ...refund, reference: "re_g", amount: 501n });
    assert.equal(
      remaining.outcome === "failed" && remaining.reason,
      "amount_too_large",
      "only 500 was refunded",
    );

    const other = await authorized(call);
    if (other.outcome !== "authorized") return;
    sim.injectFault({ kind: "status", status: 429, match: "/v1/charges/" });
    const voided = await connector.void(call, {
      reference: "v",
      connectorReference: other.connectorReference,
      amount: 1000n,
      currency: "usd",
    });
    assert.deepEqual(voided, {
      outcome: "pending",
      connectorReference: other.connectorReference,
      reason: "rate_limited",
    });
  });

  test("sync behind a fault is pending", async () => {
    const call = newCall();
    sim.injectFault({ kind: "status", status: 500 });
    assert.deepEqual(await connector.sync(call, { reference: "r", connectorReference: "ch_1" }), {
      status: "pending",
      connectorReference: "ch_1",
    });
    sim.injectFault({ kind: "malformed" });
    assert.equal((await connector.sync(call, { reference: "r" })).status, "pending");
  });
});

describe("notifications end to end", () => {
  test("what the simulator sends verifies and maps", async () => {
    const received: Array<{ rawBody: Buffer; headers: Record<string, string> }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) headers[name] = String(value);
        received.push({ rawBody: Buffer.concat(chunks), headers });
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const call = newCall({ notificationUrl: `http://127.0.0.1:${port}/hooks/sandbox` });
      const request = authorizeRequest();
      const auth = await connector.authorize(call, request);
      const deadline = Date.now() + 3000;
      while (received.length < 1 && Date.now() < deadline) await sleep(10);
      const [delivery] = received;
      assert.ok(delivery);
      const verified = await connector.verifyWebhook(call.account, delivery, new Date());
      assert.equal(verified.ok, true);
      if (!verified.ok || verified.event.kind !== "payment") throw new Error("expected a payment event");
      assert.equal(verified.event.reference, request.reference);
      assert.equal(
        verified.event.connectorReference,
        auth.outcome === "authorized" ? auth.connectorReference : "",
      );
      assert.equal(verified.event.status.status, "authorized");
      const wrongAccount = { ...call.account, config: { api_key: generateSandboxApiKey(randomBytes) } };
      assert.deepEqual(await connector.verifyWebhook(wrongAccount, delivery, new Date()), {
        ok: false,
        reason: "signature_mismatch",
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
