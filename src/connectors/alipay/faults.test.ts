import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, test } from "node:test";
import type { AuthorizeResult, CallContext } from "../contract.ts";
import {
  appIdOf,
  cashierOfQr,
  type Harness,
  nextRef,
  paymentRequest,
  shopperActs,
  startHarness,
} from "./test-support.ts";

let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

const PRECREATE = "/gateway.do/alipay.trade.precreate";
const REFUND = "/gateway.do/alipay.trade.refund";

const qrOf = (result: AuthorizeResult) => {
  assert.equal(result.outcome, "requires_action");
  return (result as { action: { data: string } }).action.data;
};

async function paidTrade(call: CallContext, amount: bigint) {
  const request = paymentRequest(h.clock, { channel: "qr", amount });
  await shopperActs(cashierOfQr(qrOf(await h.connector.startPayment!(call, request))), "pay");
  const status = await h.connector.sync(call, { reference: request.reference });
  return { request, tradeNo: (status as { connectorReference: string }).connectorReference };
}

const faults = [
  { name: "a timeout (the call outlives call.timeoutMs)", fault: { kind: "latency", ms: 600 } as const },
  { name: "HTTP 503", fault: { kind: "status", status: 503 } as const },
  { name: "HTTP 500", fault: { kind: "status", status: 500 } as const },
  { name: "20000 isp.unknow-error", fault: { kind: "service_unavailable" } as const },
  { name: "40004 ACQ.SYSTEM_ERROR after creating", fault: { kind: "system_error", after: true } as const },
  { name: "a connection reset after creating", fault: { kind: "reset", after: true } as const },
  { name: "a malformed body", fault: { kind: "malformed" } as const },
];

for (const { name, fault } of faults) {
  test(`precreate: ${name} is pending; the retry with the same reference makes no second order`, async () => {
    const call = h.newCall({ timeoutMs: 300 });
    const request = paymentRequest(h.clock, { channel: "qr", amount: 4_200n });
    h.sim.injectFault({ ...fault, match: PRECREATE });
    const unknown = await h.connector.startPayment!(call, request);
    assert.equal(unknown.outcome, "pending");
    await new Promise((resolve) => setTimeout(resolve, fault.kind === "latency" ? 400 : 0));
    const qr = qrOf(await h.connector.startPayment!(call, request));
    assert.equal(qrOf(await h.connector.startPayment!(call, request)), qr);
    await shopperActs(cashierOfQr(qr), "pay");
    const trades = h.sim.trade(appIdOf(call), request.reference)!;
    assert.equal(trades.status, "TRADE_SUCCESS");
    const status = await h.connector.sync(call, { reference: request.reference });
    assert.equal((status as { amount: bigint }).amount, 4_200n);
  });
}

test("refund: ACQ.SYSTEM_ERROR after refunding is pending; the retry refunds nothing twice", async () => {
  const call = h.newCall();
  const { request, tradeNo } = await paidTrade(call, 1_000n);
  const refund = { reference: nextRef("re"), connectorReference: tradeNo, amount: 300n, currency: "cny" };
  h.sim.injectFault({ kind: "system_error", after: true, match: REFUND });
  const unknown = await h.connector.refund(call, refund);
  assert.deepEqual(unknown, { outcome: "pending", connectorReference: tradeNo, reason: "ACQ.SYSTEM_ERROR" });
  assert.equal(h.sim.trade(appIdOf(call), request.reference)!.refundedAmount, "3.00");
  const retried = await h.connector.refund(call, refund);
  assert.deepEqual(retried, {
    outcome: "succeeded",
    connectorReference: tradeNo,
    amount: 300n,
    currency: "cny",
  });
  assert.equal(h.sim.trade(appIdOf(call), request.reference)!.refundedAmount, "3.00");
});

test("refund: a timeout is pending and the retry refunds once", async () => {
  const call = h.newCall({ timeoutMs: 300 });
  const { request, tradeNo } = await paidTrade(call, 1_000n);
  const refund = { reference: nextRef("re"), connectorReference: tradeNo, amount: 1_000n, currency: "cny" };
  h.sim.injectFault({ kind: "latency", ms: 600, match: REFUND });
  const unknown = await h.connector.refund(call, refund);
  assert.equal(unknown.outcome, "pending");
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal((await h.connector.refund(call, refund)).outcome, "succeeded");
  assert.equal(h.sim.trade(appIdOf(call), request.reference)!.refundedAmount, "10.00");
});

test("sync, syncRefund and closePayment under 5xx and timeouts are pending, never a verdict", async () => {
  const call = h.newCall({ timeoutMs: 300 });
  const { request, tradeNo } = await paidTrade(call, 800n);
  h.sim.injectFault({ kind: "status", status: 503, match: "/gateway.do/alipay.trade.query" });
  assert.deepEqual(
    await h.connector.sync(call, { reference: request.reference, connectorReference: tradeNo }),
    {
      status: "pending",
      connectorReference: tradeNo,
    },
  );
  h.sim.injectFault({ kind: "latency", ms: 600, match: "/gateway.do/alipay.trade.fastpay.refund.query" });
  assert.equal(
    (await h.connector.syncRefund(call, { reference: nextRef("re"), connectorReference: tradeNo })).status,
    "pending",
  );
  h.sim.injectFault({ kind: "service_unavailable", match: "/gateway.do/alipay.trade.close" });
  assert.equal((await h.connector.closePayment!(call, { reference: request.reference })).outcome, "pending");
});

test("an answer whose signature does not verify (wrong alipay_public_key) is never believed", async () => {
  const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .publicKey.export({ type: "spki", format: "pem" })
    .toString();
  const good = h.newCall();
  const { request } = await paidTrade(good, 600n);
  const call = {
    ...good,
    account: { ...good.account, config: { ...good.account.config, alipay_public_key: stranger } },
  };
  assert.deepEqual(await h.connector.sync(call, { reference: request.reference }), { status: "pending" });
  const start = await h.connector.startPayment!(call, paymentRequest(h.clock, { channel: "qr" }));
  assert.deepEqual(start, { outcome: "pending", reason: "signature_invalid" });
});

test("a request signed with a key Alipay does not know is refused as a value, not thrown", async () => {
  const good = h.newCall();
  const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();
  const call = {
    ...good,
    account: { ...good.account, config: { ...good.account.config, app_private_key: otherKey } },
  };
  const start = await h.connector.startPayment!(call, paymentRequest(h.clock, { channel: "qr" }));
  assert.equal(start.outcome, "declined");
  assert.match((start as { providerMessage: string }).providerMessage, /^isv\.invalid-signature: /);
  assert.doesNotMatch((start as { providerMessage: string }).providerMessage, /biz_content/);
  await assert.rejects(h.connector.sync(call, { reference: nextRef() }), /isv\.invalid-signature/);
});

test("the connection refused (nothing listening) is pending", async () => {
  const good = h.newCall({ timeoutMs: 500 });
  const call = {
    ...good,
    account: { ...good.account, config: { ...good.account.config, base_url: "http://127.0.0.1:9" } },
  };
  assert.deepEqual(await h.connector.startPayment!(call, paymentRequest(h.clock, { channel: "qr" })), {
    outcome: "pending",
    reason: "network_error",
  });
  assert.deepEqual(await h.connector.sync(call, { reference: nextRef() }), { status: "pending" });
});
