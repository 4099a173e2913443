/** The connector end to end against the WeChat Pay simulator: every channel, paying, failing, expiring, closing. */
import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { after, afterEach, before, describe, test } from "node:test";
import { Formatter, Rsa } from "wechatpay-axios-plugin";
import type { CallContext, LocalPaymentRequest, ShopperAction, ShopperChannel } from "../contract.ts";
import { createWechatPayConnector } from "./index.ts";
import { type Harness, paymentRequest, shopperActs, startHarness } from "./test-support.ts";

let h: Harness;

before(async () => {
  h = await startHarness();
});
after(() => h.close());
afterEach(() => h.sim.clearFaults());

const request = (overrides: Partial<LocalPaymentRequest> = {}) => paymentRequest(h.clock, overrides);

async function started(call: CallContext, req: LocalPaymentRequest): Promise<ShopperAction> {
  const result = await h.connector.startPayment(call, req);
  assert.equal(result.outcome, "requires_action", JSON.stringify(result));
  assert.ok(result.outcome === "requires_action" && "action" in result);
  assert.equal(result.connectorReference, req.reference);
  return result.action;
}

function merchantPublicKey(call: CallContext) {
  return createPublicKey(String(call.account.config.merchant_private_key));
}

const TRANSACTION_ID = /^4200000\d{21}$/;

describe("startPayment gives each channel its shopper action", () => {
  for (const channel of ["qr", "web"] as const) {
    test(`${channel}: a Native order shown as a QR code`, async () => {
      const action = await started(h.newCall(), request({ channel }));
      assert.equal(action.type, "display_qr_code");
      assert.ok(action.type === "display_qr_code");
      assert.match(action.data, /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
      assert.equal(action.mobile_url, undefined);
    });
  }

  test("mobile_web: an H5 order whose page sends the shopper back to the return URL", async () => {
    const req = request({ channel: "mobile_web" });
    const action = await started(h.newCall(), req);
    assert.ok(action.type === "redirect_to_url");
    const url = new URL(action.url);
    assert.equal(url.pathname, "/cgi-bin/mmpayweb-bin/checkmweb");
    assert.equal(url.searchParams.get("redirect_url"), req.returnUrl);
    assert.ok(action.url.endsWith(`&redirect_url=${encodeURIComponent(req.returnUrl)}`));
    const page = await (await fetch(action.url)).text();
    assert.match(page, /name="redirect_url"/);
    const prepayId = url.searchParams.get("prepay_id") ?? "";
    const paid = await fetch(`${h.sim.url}/simulator/cashier/${prepayId}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ action: "approve", redirect_url: req.returnUrl }).toString(),
      redirect: "manual",
    });
    assert.equal(paid.status, 303);
    assert.equal(paid.headers.get("location"), req.returnUrl);
  });

  test("in_app: JSAPI parameters signed with the merchant key, as the official SDK verifies them", async () => {
    const call = h.newCall();
    const action = await started(call, request({ channel: "in_app" }));
    assert.ok(action.type === "wechat_pay_jsapi");
    const { params } = action;
    assert.equal(params.appId, call.account.config.appid);
    assert.match(params.package, /^prepay_id=wx\d{14}/);
    assert.equal(params.signType, "RSA");
    assert.match(params.timeStamp, /^\d{10}$/);
    const message = Formatter.joinedByLineFeed(
      params.appId,
      params.timeStamp,
      params.nonceStr,
      params.package,
    );
    assert.equal(Rsa.verify(message, params.paySign, merchantPublicKey(call)), true);
  });

  test("in_app without the shopper's openid is declined before any order is placed", async () => {
    const result = await h.connector.startPayment(h.newCall(), request({ channel: "in_app", shopper: {} }));
    assert.equal(result.outcome, "declined");
    assert.ok(result.outcome === "declined");
    assert.match(result.providerMessage ?? "", /openid is required/);
  });

  test("app: App SDK parameters signed over appid, timestamp, noncestr and prepayid", async () => {
    const call = h.newCall();
    const action = await started(call, request({ channel: "app" }));
    assert.ok(action.type === "wechat_pay_app");
    const { params } = action;
    assert.equal(params.partnerid, call.account.config.mchid);
    assert.equal(params.package, "Sign=WXPay");
    const message = Formatter.joinedByLineFeed(
      params.appid,
      params.timestamp,
      params.noncestr,
      params.prepayid,
    );
    assert.equal(Rsa.verify(message, params.sign, merchantPublicKey(call)), true);
  });

  test("a currency other than CNY and a card authorization are declined as values", async () => {
    const call = h.newCall();
    const usd = await h.connector.startPayment(call, request({ currency: "usd" }));
    assert.deepEqual(usd, {
      outcome: "declined",
      declineCode: "currency_not_supported",
      providerMessage: "WeChat Pay takes CNY only",
    });
    const card = await h.connector.authorize(call, {} as never);
    assert.equal(card.outcome === "declined" && card.declineCode, "card_not_supported");
    assert.deepEqual(await h.connector.capture(call, {} as never), {
      outcome: "failed",
      reason: "not_supported",
    });
    assert.deepEqual(await h.connector.void(call, {} as never), {
      outcome: "failed",
      reason: "not_supported",
    });
  });
});

describe("the shopper pays", () => {
  const channels: ShopperChannel[] = ["qr", "web", "mobile_web", "in_app", "app"];
  for (const channel of channels) {
    test(`${channel}: sync answers authorized, captured, with the exact amount`, async () => {
      const call = h.newCall();
      const req = request({ channel, amount: 98_765n });
      const action = await started(call, req);
      assert.equal((await h.connector.sync(call, { reference: req.reference })).status, "pending");
      const paid = await shopperActs(h.sim, action, "approve");
      assert.ok(paid.status < 400, `shopper could not pay: ${paid.status}`);
      const status = await h.connector.sync(call, { reference: req.reference });
      assert.equal(status.status, "authorized");
      assert.ok(status.status === "authorized");
      assert.match(status.connectorReference, TRANSACTION_ID);
      assert.deepEqual(
        {
          amount: status.amount,
          currency: status.currency,
          captured: status.captured,
          capturedAmount: status.capturedAmount,
        },
        { amount: 98_765n, currency: "cny", captured: true, capturedAmount: 98_765n },
      );
    });
  }

  test("the same reference twice places one order: the same code, then the payment itself", async () => {
    const call = h.newCall();
    const req = request();
    const first = await started(call, req);
    const second = await started(call, req);
    assert.deepEqual(second, first);
    await shopperActs(h.sim, first, "approve");
    const again = await h.connector.startPayment(call, req);
    assert.equal(again.outcome, "authorized");
    const synced = await h.connector.sync(call, { reference: req.reference });
    assert.equal(
      again.outcome === "authorized" && again.connectorReference,
      synced.status === "authorized" && synced.connectorReference,
    );
    assert.equal((await shopperActs(h.sim, first, "approve")).status, 409);
  });

  test("the same reference on another channel does not place a second order", async () => {
    const call = h.newCall();
    const req = request();
    await started(call, req);
    const other = await h.connector.startPayment(call, { ...req, channel: "app" });
    assert.deepEqual(other, {
      outcome: "pending",
      connectorReference: req.reference,
      reason: "out_trade_no_used",
    });
  });
});

describe("the shopper does not pay", () => {
  test("a failed payment is declined", async () => {
    const call = h.newCall();
    const req = request();
    await shopperActs(h.sim, await started(call, req), "decline");
    const status = await h.connector.sync(call, { reference: req.reference });
    assert.equal(status.status, "declined");
    assert.ok(status.status === "declined");
    assert.equal(status.declineCode, "generic_decline");
  });

  test("an abandoned or cancelled payment is still pending", async () => {
    for (const channel of ["qr", "in_app"] as const) {
      const call = h.newCall();
      const req = request({ channel });
      await shopperActs(h.sim, await started(call, req), "abandon");
      assert.deepEqual(await h.connector.sync(call, { reference: req.reference }), {
        status: "pending",
        connectorReference: req.reference,
      });
    }
  });

  test("an order past expiresAt (sent as time_expire) is expired and can no longer be paid", async () => {
    const call = h.newCall();
    const req = request({ expiresAt: new Date(h.clock.now().getTime() + 10 * 60 * 1000) });
    const action = await started(call, req);
    h.clock.advance(9 * 60 * 1000);
    assert.equal((await h.connector.sync(call, { reference: req.reference })).status, "pending");
    h.clock.advance(60 * 1000);
    assert.deepEqual(await h.connector.sync(call, { reference: req.reference }), {
      status: "expired",
      connectorReference: req.reference,
    });
    assert.equal((await shopperActs(h.sim, action, "approve")).status, 409);
  });

  test("a reference WeChat never saw is not_found", async () => {
    assert.deepEqual(await h.connector.sync(h.newCall(), { reference: "pi_never_placed_a1" }), {
      status: "not_found",
    });
  });
});

describe("closePayment", () => {
  test("closes an unpaid order, which then cannot be paid; closing again still succeeds", async () => {
    const call = h.newCall();
    const req = request({ amount: 500n });
    const action = await started(call, req);
    const closed = await h.connector.closePayment(call, { reference: req.reference });
    assert.deepEqual(closed, {
      outcome: "succeeded",
      connectorReference: req.reference,
      amount: 500n,
      currency: "cny",
    });
    assert.equal((await h.connector.sync(call, { reference: req.reference })).status, "expired");
    assert.equal((await shopperActs(h.sim, action, "approve")).status, 409);
    assert.deepEqual(await h.connector.closePayment(call, { reference: req.reference }), closed);
  });

  test("an order that never existed counts as closed; a paid one is not closed", async () => {
    const call = h.newCall();
    assert.deepEqual(await h.connector.closePayment(call, { reference: "pi_never_placed_a1" }), {
      outcome: "succeeded",
      connectorReference: "pi_never_placed_a1",
      amount: 0n,
      currency: "cny",
    });
    const req = request();
    await shopperActs(h.sim, await started(call, req), "approve");
    assert.deepEqual(await h.connector.closePayment(call, { reference: req.reference }), {
      outcome: "failed",
      reason: "order_paid",
    });
  });
});

describe("answers signed with the WeChat Pay public key", () => {
  test("public_key and mixed signing both verify, since the account trusts both anchors", async () => {
    const call = h.newCall();
    const mchid = String(call.account.config.mchid);
    h.sim.setPlatformSigning(mchid, "public_key");
    const req = request();
    await shopperActs(h.sim, await started(call, req), "approve");
    assert.equal((await h.connector.sync(call, { reference: req.reference })).status, "authorized");
    h.sim.setPlatformSigning(mchid, "mixed");
    for (let i = 0; i < 4; i++) {
      assert.equal((await h.connector.sync(call, { reference: req.reference })).status, "authorized");
    }
  });

  test("an answer from an anchor the account does not trust is unknown, never success", async () => {
    const call = h.newCall();
    const {
      wechatpay_public_key: _key,
      wechatpay_public_key_id: _id,
      ...certificateOnly
    } = call.account.config;
    const trusting = { ...call, account: { ...call.account, config: certificateOnly } };
    h.sim.setPlatformSigning(String(call.account.config.mchid), "public_key");
    const req = request();
    const result = await h.connector.startPayment(trusting, req);
    assert.deepEqual(result, {
      outcome: "pending",
      connectorReference: req.reference,
      reason: "unverified_answer: unknown_serial",
    });
    assert.deepEqual(await h.connector.sync(trusting, { reference: req.reference }), {
      status: "pending",
      connectorReference: undefined,
    });
  });

  test("an answer whose Wechatpay-Timestamp is more than 300 s off our clock is unknown", async () => {
    const call = h.newCall();
    const req = request();
    await started(call, req);
    const ahead = new Date(h.clock.now().getTime() + 6 * 60 * 1000);
    const skewed = createWechatPayConnector({ baseUrl: () => h.sim.url, now: () => ahead });
    assert.deepEqual(await skewed.sync(call, { reference: req.reference }), {
      status: "pending",
      connectorReference: undefined,
    });
  });
});
