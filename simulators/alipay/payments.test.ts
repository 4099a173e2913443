import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  APP_ID,
  eventually,
  type Harness,
  manualClock,
  paidTrade,
  shopperActs,
  startHarness,
  startReceiver,
  uniqueRef,
} from "./test-support.ts";

const clock = manualClock();
let h: Harness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

before(async () => {
  h = await startHarness({ now: clock.now, notificationRetryDelaysMs: [20, 20, 20], resolveAfterMs: 50 });
  receiver = await startReceiver();
});
after(async () => {
  await h.sim.close();
  await receiver.close();
});

const notificationsFor = (outTradeNo: string) =>
  receiver.received.filter((n) => n.params.out_trade_no === outTradeNo).map((n) => n.params);

test("precreate: scanning creates the trade (WAIT_BUYER_PAY), paying notifies TRADE_SUCCESS", async () => {
  const outTradeNo = uniqueRef();
  const created = await h.sdk.exec("alipay.trade.precreate", {
    bizContent: { out_trade_no: outTradeNo, total_amount: "9.90", subject: "扫码" },
    notifyUrl: receiver.url,
  });
  const scanned = await fetch(created.qr_code);
  assert.match(await scanned.text(), /9\.90/);
  const waiting = await h.sdk.exec("alipay.trade.query", { bizContent: { out_trade_no: outTradeNo } });
  assert.equal(waiting.trade_status, "WAIT_BUYER_PAY");
  assert.equal(waiting.receipt_amount, "0.00");
  assert.equal(waiting.send_pay_date, undefined);

  const again = await h.sdk.exec("alipay.trade.precreate", {
    bizContent: { out_trade_no: outTradeNo, total_amount: "9.90", subject: "扫码" },
  });
  assert.equal(again.qr_code, created.qr_code, "an unchanged repeat returns the same QR code");
  const changed = await h.sdk.exec("alipay.trade.precreate", {
    bizContent: { out_trade_no: outTradeNo, total_amount: "10.00", subject: "扫码" },
  });
  assert.equal(changed.sub_code, "ACQ.CONTEXT_INCONSISTENT");

  const failed = await shopperActs(created.qr_code.replace("/qr/", "/cashier/"), "fail");
  assert.match(failed.text, /data-result="fail"/);
  assert.equal(h.sim.trade(APP_ID, outTradeNo)!.status, "WAIT_BUYER_PAY", "Alipay has no declined state");

  await shopperActs(created.qr_code.replace("/qr/", "/cashier/"), "pay");
  const [paid] = await eventually(() => {
    const found = notificationsFor(outTradeNo);
    return found.length > 0 && found;
  });
  assert.equal(paid!.trade_status, "TRADE_SUCCESS");
  assert.equal(paid!.gmt_payment, "2024-03-01 10:00:00");
  assert.equal(h.sdk.checkNotifySign(paid), true);

  const repeat = await h.sdk.exec("alipay.trade.precreate", {
    bizContent: { out_trade_no: outTradeNo, total_amount: "9.90", subject: "扫码" },
  });
  assert.equal(repeat.sub_code, "ACQ.TRADE_HAS_SUCCESS");
  const close = await h.sdk.exec("alipay.trade.close", { bizContent: { out_trade_no: outTradeNo } });
  assert.equal(close.sub_code, "ACQ.TRADE_STATUS_ERROR");
});

test("app.pay: the SDK's order string is accepted by the app stand-in and paid", async () => {
  const outTradeNo = uniqueRef();
  const orderString = h.sdk.sdkExec("alipay.trade.app.pay", {
    bizContent: { out_trade_no: outTradeNo, total_amount: "0.01", subject: "App 支付" },
    notifyUrl: receiver.url,
  });
  const response = await fetch(`${h.sim.url}/sandbox/app-pay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ orderString, action: "pay" }),
  });
  const result = await response.json();
  assert.equal(result.resultStatus, "9000");
  const inner = JSON.parse(result.result);
  assert.equal(inner.alipay_trade_app_pay_response.out_trade_no, outTradeNo);
  assert.equal(inner.sign_type, "RSA2");
  // The app result is signed like a gateway answer: the SDK's response check accepts it.
  h.sdk.checkResponseSign(result.result, "alipay_trade_app_pay_response", inner.sign, "");
  const notified = await eventually(() => notificationsFor(outTradeNo)[0]);
  assert.equal(notified.trade_status, "TRADE_SUCCESS");
  assert.equal(h.sdk.checkNotifySign(notified), true);
});

test("app.pay: cancel leaves the trade waiting, processing (8000) completes later, bad signature fails", async () => {
  const cancelled = uniqueRef();
  const cancel = await fetch(`${h.sim.url}/sandbox/app-pay`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      order_string: h.sdk.sdkExec("alipay.trade.app.pay", {
        bizContent: { out_trade_no: cancelled, total_amount: "3.00", subject: "x" },
      }),
      action: "cancel",
    }).toString(),
  });
  assert.equal((await cancel.json()).resultStatus, "6001");
  assert.equal(h.sim.trade(APP_ID, cancelled)!.status, "WAIT_BUYER_PAY");

  const slow = uniqueRef();
  const processing = await fetch(`${h.sim.url}/sandbox/app-pay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      orderString: h.sdk.sdkExec("alipay.trade.app.pay", {
        bizContent: { out_trade_no: slow, total_amount: "3.00", subject: "x" },
      }),
      action: "processing",
    }),
  });
  assert.equal((await processing.json()).resultStatus, "8000");
  await eventually(() => h.sim.trade(APP_ID, slow)!.status === "TRADE_SUCCESS");

  const tampered = h.sdk
    .sdkExec("alipay.trade.app.pay", {
      bizContent: { out_trade_no: uniqueRef(), total_amount: "3.00", subject: "x" },
    })
    .replace("3.00", "0.01");
  const refused = await fetch(`${h.sim.url}/sandbox/app-pay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ orderString: tampered, action: "pay" }),
  });
  const refusal = await refused.json();
  assert.equal(refusal.resultStatus, "4000");
  assert.match(refusal.memo, /isv\.invalid-signature/);
});

test("close: a waiting trade closes with a TRADE_CLOSED notification; an unreached one does not exist", async () => {
  const outTradeNo = uniqueRef();
  const created = await h.sdk.exec("alipay.trade.precreate", {
    bizContent: { out_trade_no: outTradeNo, total_amount: "5.00", subject: "x" },
    notifyUrl: receiver.url,
  });
  const unreached = await h.sdk.exec("alipay.trade.close", { bizContent: { out_trade_no: outTradeNo } });
  assert.equal(unreached.sub_code, "ACQ.TRADE_NOT_EXIST");
  await (await fetch(created.qr_code)).text();
  const closed = await h.sdk.exec("alipay.trade.close", { bizContent: { out_trade_no: outTradeNo } });
  assert.equal(closed.code, "10000");
  const notification = await eventually(() => notificationsFor(outTradeNo)[0]);
  assert.equal(notification.trade_status, "TRADE_CLOSED");
  assert.equal(notification.gmt_payment, undefined);
  assert.ok(notification.gmt_close);
  const reopened = await h.sdk.exec("alipay.trade.precreate", {
    bizContent: { out_trade_no: outTradeNo, total_amount: "5.00", subject: "x" },
  });
  assert.equal(reopened.sub_code, "ACQ.TRADE_HAS_CLOSE");
  const paying = await shopperActs(created.qr_code.replace("/qr/", "/cashier/"), "pay");
  assert.match(paying.text, /TRADE_CLOSED/);
});

test("timeout_express closes an unpaid trade on the injected clock and notifies TRADE_CLOSED", async () => {
  const outTradeNo = uniqueRef();
  const created = await h.sdk.exec("alipay.trade.precreate", {
    bizContent: { out_trade_no: outTradeNo, total_amount: "5.00", subject: "x", timeout_express: "15m" },
    notifyUrl: receiver.url,
  });
  await (await fetch(created.qr_code)).text();
  clock.advance(14 * 60_000);
  assert.equal(h.sim.trade(APP_ID, outTradeNo)!.status, "WAIT_BUYER_PAY");
  clock.advance(60_000);
  const notification = await eventually(() => notificationsFor(outTradeNo)[0]);
  assert.equal(notification.trade_status, "TRADE_CLOSED");
  const query = await h.sdk.exec("alipay.trade.query", { bizContent: { out_trade_no: outTradeNo } });
  assert.equal(query.trade_status, "TRADE_CLOSED");
  const bad = await h.sdk.exec("alipay.trade.precreate", {
    bizContent: { out_trade_no: uniqueRef(), total_amount: "5.00", subject: "x", timeout_express: "16d" },
  });
  assert.equal(bad.sub_code, "ACQ.INVALID_PARAMETER");
});

test("notifications are retried until the receiver answers the plain body success", async () => {
  const picky = await startReceiver((n) =>
    n < 3 ? { status: 200, body: "ok" } : { status: 200, body: "success" },
  );
  try {
    const { outTradeNo } = await paidTrade(h, "1.00", picky.url);
    await eventually(() => picky.received.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(picky.received.length, 3);
    const ids = new Set(picky.received.map((n) => n.params.notify_id));
    assert.equal(ids.size, 1, "a retry resends the same notification");
    assert.equal(picky.received[0]!.params.out_trade_no, outTradeNo);
  } finally {
    await picky.close();
  }
});

test("finishTrade ends the refund period with a TRADE_FINISHED notification", async () => {
  const { outTradeNo } = await paidTrade(h, "2.00", receiver.url);
  assert.equal(h.sim.finishTrade(APP_ID, outTradeNo), true);
  const finished = await eventually(() =>
    notificationsFor(outTradeNo).find((n) => n.trade_status === "TRADE_FINISHED"),
  );
  assert.equal(h.sdk.checkNotifySign(finished), true);
  const refund = await h.sdk.exec("alipay.trade.refund", {
    bizContent: { out_trade_no: outTradeNo, refund_amount: "1.00", out_request_no: "r1" },
  });
  assert.equal(refund.sub_code, "ACQ.TRADE_HAS_FINISHED");
});

const refund = (bizContent: Record<string, unknown>) =>
  h.sdk.exec("alipay.trade.refund", { bizContent }, { validateSign: true });

test("partial refunds with out_request_no, replay without moving money, then full refund closes", async () => {
  const { outTradeNo, tradeNo } = await paidTrade(h, "100.00", receiver.url);
  const first = await refund({ out_trade_no: outTradeNo, refund_amount: "30.00", out_request_no: "r1" });
  assert.equal(first.code, "10000");
  assert.equal(first.fund_change, "Y");
  assert.equal(first.refund_fee, "30.00");
  assert.equal(first.send_back_fee, "30.00");
  assert.equal(first.trade_no, tradeNo);

  const replay = await refund({ out_trade_no: outTradeNo, refund_amount: "30.00", out_request_no: "r1" });
  assert.equal(replay.fund_change, "N");
  assert.equal(replay.refund_fee, "30.00");

  const tooMuch = await refund({ trade_no: tradeNo, refund_amount: "70.01", out_request_no: "r2" });
  assert.equal(tooMuch.sub_code, "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL");

  const rest = await refund({ trade_no: tradeNo, refund_amount: 70, out_request_no: "r2" });
  assert.equal(rest.fund_change, "Y");
  assert.equal(rest.refund_fee, "100.00");
  assert.equal(h.sim.trade(APP_ID, outTradeNo)!.status, "TRADE_CLOSED");

  const notes = await eventually(() => {
    const found = receiver.received.filter(
      (n) => n.params.out_trade_no === outTradeNo && n.params.out_biz_no,
    );
    return found.length >= 2 && found;
  });
  const byRequest = Object.fromEntries(notes.map((n) => [n.params.out_biz_no, n.params]));
  assert.equal(byRequest.r1!.trade_status, "TRADE_SUCCESS");
  assert.equal(byRequest.r1!.refund_fee, "30.00");
  assert.match(byRequest.r1!.gmt_refund!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
  assert.equal(byRequest.r2!.trade_status, "TRADE_CLOSED");
  assert.equal(byRequest.r2!.refund_fee, "100.00");
  for (const note of notes) assert.equal(h.sdk.checkNotifySign(note.params), true);
});

test("fastpay.refund.query finds a refund by out_request_no, answers 10000 without fields otherwise", async () => {
  const { outTradeNo } = await paidTrade(h, "8.00");
  await refund({ out_trade_no: outTradeNo, refund_amount: "2.50", out_request_no: "part-1" });
  const found = await h.sdk.exec(
    "alipay.trade.fastpay.refund.query",
    { bizContent: { out_trade_no: outTradeNo, out_request_no: "part-1", query_options: ["gmt_refund_pay"] } },
    { validateSign: true },
  );
  assert.equal(found.refund_amount, "2.50");
  assert.equal(found.total_amount, "8.00");
  assert.equal(found.refund_status, "REFUND_SUCCESS");
  assert.match(found.gmt_refund_pay, /^\d{4}-\d{2}-\d{2} /);
  const none = await h.sdk.exec("alipay.trade.fastpay.refund.query", {
    bizContent: { out_trade_no: outTradeNo, out_request_no: "nope" },
  });
  assert.equal(none.code, "10000");
  assert.equal(none.refund_amount, undefined);
  const missing = await h.sdk.exec("alipay.trade.fastpay.refund.query", {
    bizContent: { out_trade_no: uniqueRef(), out_request_no: "x" },
  });
  assert.equal(missing.sub_code, "ACQ.TRADE_NOT_EXIST");
});

test("without out_request_no the request number is out_trade_no: one refund, then replays", async () => {
  const { outTradeNo } = await paidTrade(h, "10.00");
  const first = await refund({ out_trade_no: outTradeNo, refund_amount: "4.00" });
  assert.equal(first.fund_change, "Y");
  const second = await refund({ out_trade_no: outTradeNo, refund_amount: "4.00" });
  assert.equal(second.fund_change, "N");
  assert.equal(second.refund_fee, "4.00");
  const query = await h.sdk.exec("alipay.trade.fastpay.refund.query", {
    bizContent: { out_trade_no: outTradeNo, out_request_no: outTradeNo },
  });
  assert.equal(query.refund_amount, "4.00");
});

test("refunds of unpaid or unknown trades and invalid amounts are refused", async () => {
  const waiting = uniqueRef();
  const created = await h.sdk.exec("alipay.trade.precreate", {
    bizContent: { out_trade_no: waiting, total_amount: "5.00", subject: "x" },
  });
  await (await fetch(created.qr_code)).text();
  assert.equal(
    (await refund({ out_trade_no: waiting, refund_amount: "1.00", out_request_no: "a" })).sub_code,
    "ACQ.TRADE_STATUS_ERROR",
  );
  assert.equal(
    (await refund({ out_trade_no: uniqueRef(), refund_amount: "1.00" })).sub_code,
    "ACQ.TRADE_NOT_EXIST",
  );
  assert.equal(
    (await refund({ out_trade_no: waiting, refund_amount: "1.001" })).sub_code,
    "ACQ.INVALID_PARAMETER",
  );
});
