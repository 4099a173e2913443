import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { AuthorizeResult, ShopperAction } from "../contract.ts";
import { beijingDateTime } from "./amounts.ts";
import {
  appIdOf,
  appPays,
  cashierOfQr,
  eventually,
  type Harness,
  nextRef,
  openGatewayUrl,
  paymentRequest,
  shopperActs,
  startHarness,
  startReceiver,
} from "./test-support.ts";

let h: Harness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

before(async () => {
  h = await startHarness();
  receiver = await startReceiver();
});
after(async () => {
  await h.close();
  await receiver.close();
});

function actionOf(result: AuthorizeResult): ShopperAction {
  assert.equal(
    result.outcome,
    "requires_action",
    JSON.stringify(result, (_k, v) => (typeof v === "bigint" ? `${v}` : v)),
  );
  return (result as { action: ShopperAction }).action;
}

function gatewayParams(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

const notificationsFor = (reference: string) =>
  receiver.received.filter((n) => n.params.get("out_trade_no") === reference);

describe("startPayment per channel", () => {
  test("web: page.pay as a signed gateway URL; the shopper pays and comes back; sync and completeRedirect agree", async () => {
    const call = h.newCall({ notificationUrl: receiver.url });
    const request = paymentRequest(h.clock, { channel: "web", amount: 1234n });
    const result = await h.connector.startPayment!(call, request);
    const action = actionOf(result);
    assert.equal(action.type, "redirect_to_url");
    assert.equal((result as { connectorReference: string }).connectorReference, request.reference);
    const url = (action as { url: string }).url;
    assert.ok(url.startsWith(`${h.sim.gateway}?`));
    const params = gatewayParams(url);
    assert.equal(params.method, "alipay.trade.page.pay");
    assert.equal(params.notify_url, receiver.url);
    assert.equal(params.return_url, request.returnUrl);
    assert.deepEqual(JSON.parse(params.biz_content!), {
      out_trade_no: request.reference,
      total_amount: "12.34",
      subject: "Payrail 测试订单",
      time_expire: beijingDateTime(request.expiresAt),
      product_code: "FAST_INSTANT_TRADE_PAY",
    });

    const opened = await openGatewayUrl(url);
    assert.equal(opened.status, 302, opened.text);
    const paid = await shopperActs(opened.location!, "pay");
    assert.equal(paid.status, 302);
    const back = new URL(paid.location!);
    assert.equal(`${back.origin}${back.pathname}`, request.returnUrl);

    const completed = await h.connector.completeRedirect!(call, {
      connectorReference: request.reference,
      reference: request.reference,
      params: Object.fromEntries(back.searchParams),
      amount: request.amount,
      currency: request.currency,
      capture: true,
    });
    assert.equal(completed.outcome, "authorized");
    const status = await h.connector.sync(call, { reference: request.reference });
    assert.equal(status.status, "authorized");
    if (status.status !== "authorized") return;
    assert.equal(status.amount, 1234n);
    assert.equal(status.currency, "cny");
    assert.equal(status.captured, true);
    assert.equal(status.capturedAmount, 1234n);
    assert.equal(status.connectorReference, h.sim.trade(appIdOf(call), request.reference)!.tradeNo);
    assert.deepEqual(completed, {
      outcome: "authorized",
      connectorReference: status.connectorReference,
      amount: 1234n,
      currency: "cny",
      captured: true,
    });

    const notification = await eventually(() => notificationsFor(request.reference)[0]);
    const verified = await h.connector.verifyWebhook(call.account, notification, new Date());
    assert.deepEqual(verified, {
      ok: true,
      event: {
        kind: "payment",
        providerEventId: notification.params.get("notify_id"),
        reference: request.reference,
        connectorReference: status.connectorReference,
        status,
      },
    });
  });

  test("mobile_web: wap.pay with quit_url; abandoning leaves it pending, paying later authorizes", async () => {
    const call = h.newCall();
    const request = paymentRequest(h.clock, { channel: "mobile_web", amount: 500n });
    const action = actionOf(await h.connector.startPayment!(call, request));
    assert.equal(action.type, "redirect_to_url");
    const params = gatewayParams((action as { url: string }).url);
    assert.equal(params.method, "alipay.trade.wap.pay");
    const biz = JSON.parse(params.biz_content!);
    assert.equal(biz.product_code, "QUICK_WAP_WAY");
    assert.equal(biz.quit_url, request.returnUrl);

    const opened = await openGatewayUrl((action as { url: string }).url);
    const abandoned = await shopperActs(opened.location!, "abandon");
    assert.equal(abandoned.location, request.returnUrl);
    const waiting = await h.connector.sync(call, { reference: request.reference });
    assert.equal(waiting.status, "pending");
    assert.match((waiting as { connectorReference?: string }).connectorReference ?? "", /^\d{28}$/);

    const failed = await shopperActs(opened.location!, "fail");
    assert.match(failed.text, /data-result="fail"/);
    assert.equal((await h.connector.sync(call, { reference: request.reference })).status, "pending");

    await shopperActs(opened.location!, "pay");
    const paid = await h.connector.sync(call, { reference: request.reference });
    assert.equal(paid.status, "authorized");
    assert.equal((paid as { amount: bigint }).amount, 500n);
  });

  test("app: app.pay as the signed order string the Alipay app accepts", async () => {
    const call = h.newCall();
    const request = paymentRequest(h.clock, { channel: "app", amount: 1n });
    const action = actionOf(await h.connector.startPayment!(call, request));
    assert.equal(action.type, "alipay_app");
    const orderString = (action as { order_string: string }).order_string;
    const params = Object.fromEntries(new URLSearchParams(orderString));
    assert.equal(params.method, "alipay.trade.app.pay");
    assert.equal(JSON.parse(params.biz_content!).total_amount, "0.01");

    const cancelled = await appPays(h.sim, orderString, "cancel");
    assert.equal(cancelled.resultStatus, "6001");
    assert.equal((await h.connector.sync(call, { reference: request.reference })).status, "pending");

    const paid = await appPays(h.sim, orderString, "pay");
    assert.equal(paid.resultStatus, "9000", paid.memo);
    const status = await h.connector.sync(call, { reference: request.reference });
    assert.equal(status.status, "authorized");
    assert.equal((status as { amount: bigint }).amount, 1n);
  });

  test("qr: precreate as display_qr_code with an alipays:// deep link; scanning makes the trade", async () => {
    const call = h.newCall();
    const request = paymentRequest(h.clock, { channel: "qr", amount: 99_999n });
    const action = actionOf(await h.connector.startPayment!(call, request));
    assert.equal(action.type, "display_qr_code");
    const { data, mobile_url } = action as { data: string; mobile_url: string };
    assert.match(data, /\/qr\//);
    const link = new URL(mobile_url);
    assert.equal(link.protocol, "alipays:");
    assert.equal(link.searchParams.get("saId"), "10000007");
    assert.equal(link.searchParams.get("qrcode"), data);

    assert.deepEqual(await h.connector.sync(call, { reference: request.reference }), { status: "not_found" });
    await (await fetch(data)).text();
    const scanned = await h.connector.sync(call, { reference: request.reference });
    assert.equal(scanned.status, "pending");
    await shopperActs(cashierOfQr(data), "pay");
    const paid = await h.connector.sync(call, { reference: request.reference });
    assert.equal(paid.status, "authorized");
    assert.equal((paid as { amount: bigint }).amount, 99_999n);
  });

  test("in_app, other methods, other currencies and cards are refused as values", async () => {
    const call = h.newCall();
    const inApp = await h.connector.startPayment!(call, paymentRequest(h.clock, { channel: "in_app" }));
    assert.equal(inApp.outcome, "declined");
    assert.match((inApp as { providerMessage: string }).providerMessage, /in_app/);
    const usd = await h.connector.startPayment!(call, paymentRequest(h.clock, { currency: "usd" }));
    assert.equal((usd as { declineCode: string }).declineCode, "currency_not_supported");
    const wechat = await h.connector.startPayment!(call, paymentRequest(h.clock, { method: "wechat_pay" }));
    assert.equal(wechat.outcome, "declined");
    const card = await h.connector.authorize(call, {
      reference: nextRef(),
      paymentIntentId: "pi_x",
      amount: 100n,
      currency: "cny",
      capture: true,
      card: { number: "4242424242424242", exp_month: 1, exp_year: 2040 },
      returnUrl: "https://payrail.example/r",
    });
    assert.deepEqual(card, {
      outcome: "declined",
      declineCode: "card_not_supported",
      providerMessage: "Alipay does not take cards",
    });
    const modify = { reference: nextRef("cap"), connectorReference: "1", amount: 1n, currency: "cny" };
    assert.deepEqual(await h.connector.capture(call, { ...modify, final: true }), {
      outcome: "failed",
      reason: "not_supported",
    });
    assert.deepEqual(await h.connector.void(call, modify), { outcome: "failed", reason: "not_supported" });
  });

  test("a refusal to create the order comes back declined (time_expire already past)", async () => {
    const call = h.newCall();
    const request = paymentRequest(h.clock, { expiresAt: new Date(h.clock.now().getTime() - 60_000) });
    const result = await h.connector.startPayment!(call, request);
    assert.equal(result.outcome, "declined");
    assert.equal((result as { declineCode: string }).declineCode, "processing_error");
    assert.match((result as { providerMessage: string }).providerMessage, /ACQ\.INVALID_PARAMETER/);
  });
});

describe("one reference, one charge", () => {
  test("qr: the same reference answers the same QR code, and once paid, the payment", async () => {
    const call = h.newCall();
    const request = paymentRequest(h.clock, { channel: "qr", amount: 700n });
    const first = actionOf(await h.connector.startPayment!(call, request));
    const second = actionOf(await h.connector.startPayment!(call, request));
    assert.deepEqual(second, first);
    await shopperActs(cashierOfQr((first as { data: string }).data), "pay");
    const third = await h.connector.startPayment!(call, request);
    assert.equal(third.outcome, "authorized");
    assert.equal((third as { amount: bigint }).amount, 700n);
    assert.equal(h.sim.trade(appIdOf(call), request.reference)!.status, "TRADE_SUCCESS");
  });

  test("web: two URLs for one reference reach one order; once paid, the other cannot pay again", async () => {
    const call = h.newCall();
    const request = paymentRequest(h.clock, { channel: "web" });
    const urlOf = async () =>
      (actionOf(await h.connector.startPayment!(call, request)) as { url: string }).url;
    const [first, second] = [await urlOf(), await urlOf()];
    const cashierA = (await openGatewayUrl(first)).location!;
    const cashierB = (await openGatewayUrl(second)).location!;
    assert.equal(cashierA, cashierB);
    await shopperActs(cashierA, "pay");
    const again = await openGatewayUrl(await urlOf());
    assert.match(again.text, /ACQ\.TRADE_HAS_SUCCESS/);
    assert.equal(h.sim.trade(appIdOf(call), request.reference)!.totalAmount, "12.34");
  });
});

describe("expiry and close", () => {
  test("time_expire in Beijing time closes the unpaid trade on Alipay's clock: sync says expired", async () => {
    const call = h.newCall({ notificationUrl: receiver.url });
    const expiresAt = new Date(h.clock.now().getTime() + 15 * 60_000);
    const request = paymentRequest(h.clock, { channel: "qr", expiresAt });
    const action = actionOf(await h.connector.startPayment!(call, request));
    await (await fetch((action as { data: string }).data)).text();
    h.clock.advance(14 * 60_000);
    assert.equal((await h.connector.sync(call, { reference: request.reference })).status, "pending");
    h.clock.advance(2 * 60_000);
    const expired = await h.connector.sync(call, { reference: request.reference });
    assert.equal(expired.status, "expired");
    const closedNote = await eventually(() =>
      notificationsFor(request.reference).find((n) => n.params.get("trade_status") === "TRADE_CLOSED"),
    );
    const verified = await h.connector.verifyWebhook(call.account, closedNote, new Date());
    assert.ok(verified.ok);
    assert.equal(verified.ok && verified.event.kind === "payment" && verified.event.status.status, "expired");
  });

  test("closePayment: a waiting trade closes; closing again, or an order never reached, also succeeds", async () => {
    const call = h.newCall();
    const request = paymentRequest(h.clock, { channel: "qr" });
    const action = actionOf(await h.connector.startPayment!(call, request));
    await (await fetch((action as { data: string }).data)).text();
    const closed = await h.connector.closePayment!(call, { reference: request.reference });
    assert.equal(closed.outcome, "succeeded");
    assert.equal(h.sim.trade(appIdOf(call), request.reference)!.status, "TRADE_CLOSED");
    assert.equal((await h.connector.sync(call, { reference: request.reference })).status, "expired");
    const again = await h.connector.closePayment!(call, { reference: request.reference });
    assert.equal(again.outcome, "succeeded");
    const paying = await shopperActs(cashierOfQr((action as { data: string }).data), "pay");
    assert.match(paying.text, /TRADE_CLOSED/);

    const unreached = await h.connector.closePayment!(call, { reference: nextRef() });
    assert.equal(unreached.outcome, "succeeded");
  });

  test("closePayment of a paid order fails: sync tells it was paid", async () => {
    const call = h.newCall();
    const request = paymentRequest(h.clock, { channel: "qr" });
    const action = actionOf(await h.connector.startPayment!(call, request));
    await shopperActs(cashierOfQr((action as { data: string }).data), "pay");
    const closed = await h.connector.closePayment!(call, { reference: request.reference });
    assert.equal(closed.outcome, "failed");
    assert.equal((closed as { reason: string }).reason, "already_paid");
    assert.equal((await h.connector.sync(call, { reference: request.reference })).status, "authorized");
  });
});

describe("refunds", () => {
  async function paid(amount: bigint, notificationUrl?: string) {
    const call = h.newCall(notificationUrl ? { notificationUrl } : {});
    const request = paymentRequest(h.clock, { channel: "qr", amount });
    const action = actionOf(await h.connector.startPayment!(call, request));
    await shopperActs(cashierOfQr((action as { data: string }).data), "pay");
    const status = await h.connector.sync(call, { reference: request.reference });
    assert.equal(status.status, "authorized");
    return { call, request, tradeNo: (status as { connectorReference: string }).connectorReference };
  }

  test("partial, repeated, too much, then the rest: out_request_no keeps each refund single", async () => {
    const { call, request, tradeNo } = await paid(10_000n, receiver.url);
    const firstRef = nextRef("re");
    const first = await h.connector.refund(call, {
      reference: firstRef,
      connectorReference: tradeNo,
      amount: 3_000n,
      currency: "cny",
    });
    assert.deepEqual(first, {
      outcome: "succeeded",
      connectorReference: tradeNo,
      amount: 3_000n,
      currency: "cny",
    });
    const repeat = await h.connector.refund(call, {
      reference: firstRef,
      connectorReference: tradeNo,
      amount: 3_000n,
      currency: "cny",
    });
    assert.deepEqual(repeat, first);
    assert.equal(h.sim.trade(appIdOf(call), request.reference)!.refundedAmount, "30.00");

    const tooMuch = await h.connector.refund(call, {
      reference: nextRef("re"),
      connectorReference: tradeNo,
      amount: 7_001n,
      currency: "cny",
    });
    assert.equal(tooMuch.outcome, "failed");
    assert.equal((tooMuch as { reason: string }).reason, "amount_exceeds_refundable");

    const restRef = nextRef("re");
    const rest = await h.connector.refund(call, {
      reference: restRef,
      connectorReference: tradeNo,
      amount: 7_000n,
      currency: "cny",
    });
    assert.equal(rest.outcome, "succeeded");
    assert.equal((rest as { amount: bigint }).amount, 7_000n);
    assert.equal(h.sim.trade(appIdOf(call), request.reference)!.refundedAmount, "100.00");

    assert.deepEqual(
      await h.connector.syncRefund(call, { reference: firstRef, connectorReference: tradeNo }),
      {
        status: "succeeded",
        connectorReference: tradeNo,
        amount: 3_000n,
        currency: "cny",
      },
    );
    assert.deepEqual(
      await h.connector.syncRefund(call, { reference: nextRef("re"), connectorReference: tradeNo }),
      { status: "not_found" },
    );
    // The payment was fully refunded and Alipay closed the trade: that is not an unpaid expiry.
    const closed = await h.connector.sync(call, { reference: request.reference });
    assert.equal(closed.status, "requires_review");

    const notes = await eventually(() => {
      const found = notificationsFor(request.reference).filter((n) => n.params.get("out_biz_no"));
      return found.length >= 2 && found;
    });
    for (const note of notes) {
      const verified = await h.connector.verifyWebhook(call.account, note, new Date());
      assert.ok(verified.ok);
      if (!verified.ok) continue;
      assert.equal(verified.event.kind, "refund");
      assert.ok([firstRef, restRef].includes((verified.event as { reference: string }).reference));
      assert.deepEqual((verified.event as { status: unknown }).status, {
        status: "pending",
        connectorReference: tradeNo,
      });
    }
  });

  test("a full refund by our out_trade_no works too; refunds of unpaid orders fail", async () => {
    const { call, request } = await paid(250n);
    const full = await h.connector.refund(call, {
      reference: nextRef("re"),
      connectorReference: request.reference,
      amount: 250n,
      currency: "cny",
    });
    assert.equal(full.outcome, "succeeded");
    assert.equal((full as { amount: bigint }).amount, 250n);

    const waiting = paymentRequest(h.clock, { channel: "qr" });
    const action = actionOf(await h.connector.startPayment!(call, waiting));
    await (await fetch((action as { data: string }).data)).text();
    const unpaid = await h.connector.refund(call, {
      reference: nextRef("re"),
      connectorReference: waiting.reference,
      amount: 100n,
      currency: "cny",
    });
    assert.deepEqual(
      { outcome: unpaid.outcome, reason: (unpaid as { reason: string }).reason },
      { outcome: "failed", reason: "payment_not_refundable" },
    );
    const unknown = await h.connector.refund(call, {
      reference: nextRef("re"),
      connectorReference: nextRef(),
      amount: 100n,
      currency: "cny",
    });
    assert.equal((unknown as { reason: string }).reason, "not_found");
    assert.deepEqual(await h.connector.syncRefund(call, { reference: nextRef("re") }), { status: "pending" });
  });
});
