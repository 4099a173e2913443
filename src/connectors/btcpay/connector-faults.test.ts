import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { BtcpayFault } from "../../../simulators/btcpay/index.ts";
import type { AuthorizeResult, CallContext, LocalPaymentRequest } from "../contract.ts";
import { createBtcpayConnector } from "./index.ts";
import {
  localRequest,
  newCall,
  type SimulatorHarness,
  startSimulator,
  storeIdOf,
  waitUntil,
} from "./test-support.ts";

let h: SimulatorHarness;
const connector = createBtcpayConnector({ baseUrl: () => h.sim.url });

before(async () => {
  h = await startSimulator();
});
after(() => h.sim.close());

const invoicesPath = (call: CallContext) => `/api/v1/stores/${storeIdOf(call)}/invoices`;

/** Faults the create (POST) only, not the lookup (GET) on the same path before it. */
function startWithCreateFault(
  call: CallContext,
  request: LocalPaymentRequest,
  fault: BtcpayFault,
): Promise<AuthorizeResult> {
  h.sim.injectFault({ ...fault, match: `POST ${invoicesPath(call)}` });
  return connector.startPayment!(call, request);
}

function assertOneInvoiceReused(call: CallContext, first: AuthorizeResult, retry: AuthorizeResult) {
  assert.equal(first.outcome, "pending");
  assert.equal(retry.outcome, "requires_action");
  assert.equal(h.sim.invoiceCount(storeIdOf(call)), 1);
}

describe("simulator faults: unknown is pending, and a retry never makes a second invoice", () => {
  test("5xx on the lookup: pending, nothing created; the retry creates the invoice", async () => {
    const call = newCall(h.sim);
    const request = localRequest();
    h.sim.injectFault({ kind: "status", status: 503, match: invoicesPath(call) });
    const first = await connector.startPayment!(call, request);
    assert.deepEqual(first, { outcome: "pending", reason: "http_503" });
    assert.equal(h.sim.invoiceCount(storeIdOf(call)), 0);
    assertOneInvoiceReused(call, first, await connector.startPayment!(call, request));
  });

  test("429 on the create: pending; the retry creates one", async () => {
    const call = newCall(h.sim);
    const request = localRequest();
    const first = await startWithCreateFault(call, request, { kind: "status", status: 429 });
    assert.deepEqual(first, { outcome: "pending", reason: "rate_limited" });
    assertOneInvoiceReused(call, first, await connector.startPayment!(call, request));
  });

  test("the connection drops after BTCPay made the invoice: the retry finds it", async () => {
    const call = newCall(h.sim);
    const request = localRequest();
    const first = await startWithCreateFault(call, request, { kind: "reset", after: true });
    assert.deepEqual(first, { outcome: "pending", reason: "network_error" });
    assert.equal(h.sim.invoiceCount(storeIdOf(call)), 1);
    assertOneInvoiceReused(call, first, await connector.startPayment!(call, request));
  });

  test("a timeout on the create (BTCPay answers too late): pending, and the retry reuses the invoice", async () => {
    const call = newCall(h.sim, { timeoutMs: 900 });
    const request = localRequest();
    const first = await startWithCreateFault(call, request, { kind: "latency", ms: 1500 });
    assert.deepEqual(first, { outcome: "pending", reason: "timeout" });
    await waitUntil(() => h.sim.invoiceCount(storeIdOf(call)) === 1, 5000, "the late invoice");
    const retry = await connector.startPayment!(call, request);
    assertOneInvoiceReused(call, first, retry);
    assert.equal((await connector.sync(call, { reference: request.reference })).status, "pending");
  });

  test("a truncated 200 on the create: pending; the retry reuses the invoice", async () => {
    const call = newCall(h.sim);
    const request = localRequest();
    const first = await startWithCreateFault(call, request, { kind: "malformed" });
    assert.deepEqual(first, { outcome: "pending", reason: "malformed_response" });
    assertOneInvoiceReused(call, first, await connector.startPayment!(call, request));
  });

  test("sync through 500, 503, a reset and a truncated answer is pending, never a failure", async () => {
    const call = newCall(h.sim);
    const started = await connector.startPayment!(call, localRequest());
    assert.ok(started.outcome === "requires_action");
    const sync = { reference: "r", connectorReference: started.connectorReference };
    const faults: BtcpayFault[] = [
      { kind: "status", status: 500 },
      { kind: "status", status: 503 },
      { kind: "reset" },
      { kind: "malformed" },
    ];
    for (const fault of faults) {
      h.sim.injectFault({ ...fault, match: invoicesPath(call) });
      assert.deepEqual(await connector.sync(call, sync), {
        status: "pending",
        connectorReference: started.connectorReference,
      });
    }
  });

  test("closePayment through a 503 is pending; the retry closes", async () => {
    const call = newCall(h.sim);
    const request = localRequest();
    const started = await connector.startPayment!(call, request);
    assert.ok(started.outcome === "requires_action");
    h.sim.injectFault({
      kind: "status",
      status: 503,
      match: `${invoicesPath(call)}/${started.connectorReference}/status`,
    });
    const close = { reference: request.reference, connectorReference: started.connectorReference };
    assert.equal((await connector.closePayment!(call, close)).outcome, "pending");
    assert.equal((await connector.closePayment!(call, close)).outcome, "succeeded");
  });
});
