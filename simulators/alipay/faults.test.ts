import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  APP_ID,
  commonParams,
  eventually,
  type Harness,
  paidTrade,
  postGateway,
  signByHand,
  startHarness,
  startReceiver,
  uniqueRef,
} from "./test-support.ts";

let h: Harness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

before(async () => {
  h = await startHarness({ notificationRetryDelaysMs: [20, 20] });
  receiver = await startReceiver();
});
after(async () => {
  await h.sim.close();
  await receiver.close();
});

const query = (outTradeNo: string) =>
  postGateway(h.sim, signByHand(commonParams("alipay.trade.query", { out_trade_no: outTradeNo })));

test("HTTP 503 and Alipay's 20000 isp.unknow-error, matched by method", async () => {
  h.sim.injectFault({ kind: "status", status: 503, match: "/gateway.do/alipay.trade.query" });
  assert.equal((await query("x")).status, 503);
  assert.equal((await query("x")).status, 200, "a fault applies once by default");

  h.sim.injectFault({ kind: "service_unavailable", match: "/gateway.do/alipay.trade.refund" });
  const untouched = await query("x");
  assert.equal(JSON.parse(untouched.text).alipay_trade_query_response.sub_code, "ACQ.TRADE_NOT_EXIST");
  const unavailable = await h.sdk.exec(
    "alipay.trade.refund",
    { bizContent: { out_trade_no: "x", refund_amount: "1.00" } },
    { validateSign: true },
  );
  assert.equal(unavailable.code, "20000");
  assert.equal(unavailable.sub_code, "isp.unknow-error");
});

test("system_error after acting: the refund happened although the answer says ACQ.SYSTEM_ERROR", async () => {
  const { outTradeNo } = await paidTrade(h, "10.00");
  h.sim.injectFault({ kind: "system_error", after: true, match: "/gateway.do/alipay.trade.refund" });
  const bizContent = { out_trade_no: outTradeNo, refund_amount: "3.00", out_request_no: "once" };
  const unknown = await h.sdk.exec("alipay.trade.refund", { bizContent }, { validateSign: true });
  assert.equal(unknown.sub_code, "ACQ.SYSTEM_ERROR");
  assert.equal(h.sim.trade(APP_ID, outTradeNo)!.refundedAmount, "3.00");
  const retried = await h.sdk.exec("alipay.trade.refund", { bizContent });
  assert.equal(retried.fund_change, "N", "retrying with the same out_request_no refunds nothing twice");
  assert.equal(h.sim.trade(APP_ID, outTradeNo)!.refundedAmount, "3.00");
});

test("connection reset before and after acting, malformed body, latency", async () => {
  // The SDK's HTTP client (urllib) retries once after a socket error, so each reset is injected twice.
  const before = uniqueRef();
  h.sim.injectFault({ kind: "reset", times: 2, match: "/gateway.do/alipay.trade.precreate" });
  await assert.rejects(
    h.sdk.exec("alipay.trade.precreate", {
      bizContent: { out_trade_no: before, total_amount: 1, subject: "x" },
    }),
  );
  assert.equal(h.sim.trade(APP_ID, before), undefined);

  const afterRef = uniqueRef();
  h.sim.injectFault({ kind: "reset", after: true, times: 2, match: "/gateway.do/alipay.trade.precreate" });
  await assert.rejects(
    h.sdk.exec("alipay.trade.precreate", {
      bizContent: { out_trade_no: afterRef, total_amount: 1, subject: "x" },
    }),
  );
  assert.equal(h.sim.trade(APP_ID, afterRef)!.status, "WAIT_BUYER_PAY");

  h.sim.injectFault({ kind: "malformed" });
  const malformed = await query("x");
  assert.throws(() => JSON.parse(malformed.text));

  h.sim.injectFault({ kind: "latency", ms: 50 });
  const started = Date.now();
  await query("x");
  assert.ok(Date.now() - started >= 40);
});

test("duplicate, delayed and reordered notifications", async () => {
  h.sim.injectFault({ kind: "duplicate_notifications", match: "/alipay/notify" });
  const dup = await paidTrade(h, "1.00", receiver.url);
  const copies = await eventually(() => {
    const found = receiver.received.filter((n) => n.params.out_trade_no === dup.outTradeNo);
    return found.length >= 2 && found;
  });
  assert.equal(copies[0]!.params.notify_id, copies[1]!.params.notify_id);

  h.sim.injectFault({ kind: "reorder_notifications", count: 2, flushAfterMs: 5000 });
  const { outTradeNo } = await paidTrade(h, "5.00", receiver.url);
  await h.sdk.exec("alipay.trade.refund", {
    bizContent: { out_trade_no: outTradeNo, refund_amount: "1.00", out_request_no: "late" },
  });
  const [first, second] = await eventually(() => {
    const found = receiver.received.filter((n) => n.params.out_trade_no === outTradeNo);
    return found.length >= 2 && found;
  });
  assert.equal(first!.params.out_biz_no, "late", "the refund notification arrives before the payment's");
  assert.equal(second!.params.out_biz_no, undefined);

  h.sim.injectFault({ kind: "delay_notifications", ms: 100 });
  const delayed = await paidTrade(h, "2.00", receiver.url);
  assert.equal(receiver.received.filter((n) => n.params.out_trade_no === delayed.outTradeNo).length, 0);
  await eventually(() => receiver.received.some((n) => n.params.out_trade_no === delayed.outTradeNo));
});
