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
    notificationRetryDelaysMs: [20, 20, 20],
    resolveAfterMs: 20,
  });
  sim.registerMerchant(registration(keys));
});
after(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(() => {
  receiver.received.length = 0;
  receiver.script([]);
  sim.clearFaults();
  sim.setPlatformSigning(MCHID, "certificate");
});

async function paidNativeOrder(total = 100) {
  const body = orderBody({ notify_url: `${receiver.url}/notify/pay`, amount: { total }, attach: "a,b" });
  const placed = await call(sim, keys, "POST", "/v3/pay/transactions/native", { body });
  const paid = await submitCashier(sim, placed.json.code_url, "approve");
  assert.equal(paid.status, 200);
  return body;
}

describe("payment notifications", () => {
  it("posts TRANSACTION.SUCCESS, signed and encrypted as WeChat Pay does", async () => {
    const body = await paidNativeOrder();
    const [notification] = await receiver.waitFor(1);
    assert.ok(notification);
    assert.equal(notification.path, "/notify/pay");
    assert.equal(notification.headers["wechatpay-signature-type"], "WECHATPAY2-SHA256-RSA2048");
    assert.equal(notification.headers["wechatpay-serial"], sim.platformCertificate.serialNo);
    assert.equal(officiallyVerified(sim, notification.headers, notification.raw), true);
    const envelope = notification.body;
    assert.deepEqual(Object.keys(envelope), [
      "id",
      "create_time",
      "resource_type",
      "event_type",
      "summary",
      "resource",
    ]);
    assert.equal(envelope.resource_type, "encrypt-resource");
    assert.equal(envelope.event_type, "TRANSACTION.SUCCESS");
    assert.equal(envelope.summary, "支付成功");
    assert.equal(envelope.resource.algorithm, "AEAD_AES_256_GCM");
    assert.equal(envelope.resource.original_type, "transaction");
    assert.equal(envelope.resource.associated_data, "transaction");
    assert.equal(envelope.resource.nonce.length, 12);
    const transaction = officiallyDecrypted(envelope.resource);
    assert.equal(transaction.out_trade_no, body.out_trade_no);
    assert.equal(transaction.trade_state, "SUCCESS");
    assert.equal(transaction.attach, "a,b");
    assert.equal(transaction.amount.total, 100);
    const query = await call(
      sim,
      keys,
      "GET",
      `/v3/pay/transactions/out-trade-no/${body.out_trade_no}?mchid=${MCHID}`,
    );
    assert.deepEqual(transaction, query.json);
  });

  it("signs with the WeChat Pay public key when the merchant is switched to it", async () => {
    sim.setPlatformSigning(MCHID, "public_key");
    await paidNativeOrder();
    const [notification] = await receiver.waitFor(1);
    assert.equal(notification?.headers["wechatpay-serial"], sim.wechatpayPublicKey.keyId);
    assert.match(sim.wechatpayPublicKey.keyId, /^PUB_KEY_ID_\d{28}$/);
    assert.equal(officiallyVerified(sim, notification?.headers ?? {}, notification?.raw ?? ""), true);
  });

  it("alternates between both during the migration ('mixed'), each verifying with its own key", async () => {
    sim.setPlatformSigning(MCHID, "mixed");
    const serials = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const res = await call(
        sim,
        keys,
        "GET",
        `/v3/pay/transactions/out-trade-no/NONE12345${i}?mchid=${MCHID}`,
      );
      serials.add(res.headers.get("wechatpay-serial") ?? "");
      assert.equal(officiallyVerified(sim, res.headers, res.text), true);
    }
    assert.deepEqual(serials, new Set([sim.platformCertificate.serialNo, sim.wechatpayPublicKey.keyId]));
  });

  it("retries until the merchant answers 200 or 204, re-signing each attempt", async () => {
    receiver.script([500, "destroy", 204]);
    await paidNativeOrder();
    const attempts = await receiver.waitFor(3);
    assert.equal(new Set(attempts.map((a) => a.raw)).size, 1);
    for (const attempt of attempts) assert.equal(officiallyVerified(sim, attempt.headers, attempt.raw), true);
    await waitUntil(() => sim.deliveries().some((d) => d.delivered && d.attempts === 3));
  });

  it("gives up after the configured retries", async () => {
    receiver.script([500, 500, 500, 500, 500]);
    await paidNativeOrder();
    await receiver.waitFor(4);
    await waitUntil(() => sim.deliveries().some((d) => !d.delivered && d.attempts === 4));
  });

  it("sends nothing for a declined payment (WeChat notifies successes only)", async () => {
    const body = orderBody({ notify_url: `${receiver.url}/notify/pay` });
    const placed = await call(sim, keys, "POST", "/v3/pay/transactions/native", { body });
    await submitCashier(sim, placed.json.code_url, "decline");
    await paidNativeOrder();
    const [only] = await receiver.waitFor(1);
    assert.notEqual(officiallyDecrypted(only?.body.resource).out_trade_no, body.out_trade_no);
  });
});

describe("refunds", () => {
  async function refund(outTradeNo: string, amount: number, extra: Record<string, unknown> = {}) {
    return call(sim, keys, "POST", "/v3/refund/domestic/refunds", {
      body: {
        out_trade_no: outTradeNo,
        out_refund_no: `R${outTradeNo}${amount}`,
        notify_url: `${receiver.url}/notify/refund`,
        amount: { refund: amount, total: 100, currency: "CNY" },
        ...extra,
      },
    });
  }

  it("accepts partial refunds as PROCESSING, settles them, notifies REFUND.SUCCESS", async () => {
    const order = await paidNativeOrder();
    await receiver.waitFor(1);
    const first = await refund(order.out_trade_no, 30);
    assert.equal(first.status, 200);
    assert.equal(first.json.status, "PROCESSING");
    assert.equal(first.json.channel, "ORIGINAL");
    assert.equal(first.json.amount.refund, 30);
    assert.equal(first.json.amount.total, 100);
    assert.match(first.json.refund_id, /^50\d{27}$/);
    assert.equal(officiallyVerified(sim, first.headers, first.text), true);
    const second = await refund(order.out_trade_no, 70);
    assert.equal(second.status, 200);
    const tooMuch = await refund(order.out_trade_no, 1);
    assert.equal(tooMuch.status, 400);
    assert.equal(tooMuch.json.code, "INVALID_REQUEST");

    const notifications = await receiver.waitFor(3);
    const refunds = notifications.slice(1);
    for (const notification of refunds) {
      assert.equal(notification.path, "/notify/refund");
      assert.equal(notification.body.event_type, "REFUND.SUCCESS");
      assert.equal(notification.body.resource.original_type, "refund");
      assert.equal(officiallyVerified(sim, notification.headers, notification.raw), true);
    }
    const decrypted = refunds.map((n) => officiallyDecrypted(n.body.resource));
    assert.deepEqual(decrypted.map((r) => r.amount.refund).sort(), [30, 70]);
    assert.ok(decrypted.every((r) => r.refund_status === "SUCCESS" && r.out_trade_no === order.out_trade_no));

    const queried = await call(sim, keys, "GET", `/v3/refund/domestic/refunds/${first.json.out_refund_no}`);
    assert.equal(queried.json.status, "SUCCESS");
    assert.match(queried.json.success_time, /\+08:00$/);
    const orderNow = await call(
      sim,
      keys,
      "GET",
      `/v3/pay/transactions/out-trade-no/${order.out_trade_no}?mchid=${MCHID}`,
    );
    assert.equal(orderNow.json.trade_state, "REFUND");
  });

  it("replays the same out_refund_no and refuses it with a different amount", async () => {
    const order = await paidNativeOrder();
    const first = await refund(order.out_trade_no, 10, { out_refund_no: `RR${order.out_trade_no}` });
    const again = await refund(order.out_trade_no, 10, { out_refund_no: `RR${order.out_trade_no}` });
    assert.equal(again.json.refund_id, first.json.refund_id);
    const changed = await refund(order.out_trade_no, 20, { out_refund_no: `RR${order.out_trade_no}` });
    assert.equal(changed.status, 400);
    assert.equal(changed.json.code, "INVALID_REQUEST");
  });

  it("refuses unpaid or unknown orders, a wrong total and a missing amount", async () => {
    const unpaid = orderBody();
    await call(sim, keys, "POST", "/v3/pay/transactions/native", { body: unpaid });
    const res = await refund(unpaid.out_trade_no, 10);
    assert.equal(res.status, 404);
    assert.equal(res.json.code, "RESOURCE_NOT_EXISTS");
    const order = await paidNativeOrder();
    const wrongTotal = await refund(order.out_trade_no, 10, {
      amount: { refund: 10, total: 99, currency: "CNY" },
    });
    assert.equal(wrongTotal.status, 400);
    const noAmount = await refund(order.out_trade_no, 10, { amount: undefined });
    assert.equal(noAmount.status, 400);
    assert.equal(noAmount.json.code, "PARAM_ERROR");
    assert.match(noAmount.json.message, /\/body\/amount/);
    const missingRefund = await call(sim, keys, "GET", "/v3/refund/domestic/refunds/NOPE");
    assert.equal(missingRefund.status, 404);
    assert.equal(missingRefund.json.code, "RESOURCE_NOT_EXISTS");
  });

  it("ends in ABNORMAL with REFUND.ABNORMAL when the reason asks for it", async () => {
    const order = await paidNativeOrder();
    const res = await refund(order.out_trade_no, 100, { reason: "SIMULATE_ABNORMAL" });
    assert.equal(res.status, 200);
    // Only this refund's notification: earlier tests' payment and refund notifications may still be arriving.
    const ours = (r: (typeof receiver.received)[number]) =>
      r.path === "/notify/refund" && officiallyDecrypted(r.body.resource).out_trade_no === order.out_trade_no;
    const deadline = Date.now() + 5_000;
    let notification = receiver.received.find(ours);
    while (!notification && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      notification = receiver.received.find(ours);
    }
    assert.equal(notification?.body.event_type, "REFUND.ABNORMAL");
    assert.equal(officiallyDecrypted(notification?.body.resource).refund_status, "ABNORMAL");
  });
});
