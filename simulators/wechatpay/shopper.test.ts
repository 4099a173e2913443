import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Formatter, Rsa } from "wechatpay-axios-plugin";
import { startWechatPaySimulator, type WechatPaySimulator } from "./index.ts";
import {
  APPID,
  call,
  MCHID,
  type MerchantKeys,
  newMerchantKeys,
  officiallyDecrypted,
  orderBody,
  platformKeys,
  type Receiver,
  registration,
  startReceiver,
  submitCashier,
} from "./test-support.ts";
import { rfc3339 } from "./time.ts";

let sim: WechatPaySimulator;
let keys: MerchantKeys;
let receiver: Receiver;
let clock = new Date("2024-06-01T10:00:00+08:00");
const at = () => Math.floor(clock.getTime() / 1000);

before(async () => {
  keys = newMerchantKeys();
  receiver = await startReceiver();
  sim = await startWechatPaySimulator({
    platformKeys: await platformKeys(),
    now: () => clock,
    notificationRetryDelaysMs: [],
  });
  sim.registerMerchant({ ...registration(keys), appIds: [APPID] });
});
after(async () => {
  await sim.close();
  await receiver.close();
});

async function place(kind: "jsapi" | "app", overrides: Record<string, unknown> = {}) {
  const body = orderBody({
    notify_url: `${receiver.url}/notify`,
    ...(kind === "jsapi" ? { payer: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" } } : {}),
    ...overrides,
  });
  const res = await call(sim, keys, "POST", `/v3/pay/transactions/${kind}`, { body, timestamp: at() });
  assert.equal(res.status, 200, res.text);
  return { body, prepayId: res.json.prepay_id as string };
}

/** What the merchant's server hands the mini program / official account page, signed with the official Rsa. */
function jsapiParams(prepayId: string, signWith = keys.privateKey) {
  const params = {
    appId: APPID,
    timeStamp: String(at()),
    nonceStr: Formatter.nonce(),
    package: `prepay_id=${prepayId}`,
    signType: "RSA",
  };
  const paySign = Rsa.sign(
    Formatter.joinedByLineFeed(params.appId, params.timeStamp, params.nonceStr, params.package),
    signWith,
  );
  return { ...params, paySign };
}

function appParams(prepayId: string) {
  const params = {
    appid: APPID,
    partnerid: MCHID,
    prepayid: prepayId,
    package: "Sign=WXPay",
    noncestr: Formatter.nonce(),
    timestamp: String(at()),
  };
  const sign = Rsa.sign(
    Formatter.joinedByLineFeed(params.appid, params.timestamp, params.noncestr, params.prepayid),
    keys.privateKey,
  );
  return { ...params, sign };
}

async function client(kind: "jsapi" | "app", body: unknown) {
  const res = await fetch(`${sim.url}/simulator/client/${kind}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe("the WeChat client pays JSAPI and App orders", () => {
  it("checks a JSAPI paySign, pays, and notifies with the order's openid", async () => {
    const { body, prepayId } = await place("jsapi");
    const paid = await client("jsapi", jsapiParams(prepayId));
    assert.deepEqual(paid, { status: 200, json: { errMsg: "requestPayment:ok" } });
    const [notification] = await receiver.waitFor(1);
    const transaction = officiallyDecrypted(notification?.body.resource);
    assert.equal(transaction.out_trade_no, body.out_trade_no);
    assert.equal(transaction.trade_type, "JSAPI");
    assert.equal(transaction.payer.openid, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
    assert.equal(transaction.success_time, rfc3339(clock));
    const again = await client("jsapi", jsapiParams(prepayId));
    assert.equal(again.status, 409);
  });

  it("refuses a paySign from another key or over other parameters, and leaves the order unpaid", async () => {
    const { body, prepayId } = await place("jsapi");
    const forged = await client(
      "jsapi",
      jsapiParams(prepayId, newMerchantKeys(MCHID, "stranger").privateKey),
    );
    assert.equal(forged.status, 400);
    assert.match(forged.json.errMsg, /^requestPayment:fail paySign/);
    const changed = { ...jsapiParams(prepayId), nonceStr: "another" };
    assert.equal((await client("jsapi", changed)).status, 400);
    const cancelled = await client("jsapi", { ...jsapiParams(prepayId), outcome: "cancel" });
    assert.equal(cancelled.json.errMsg, "requestPayment:fail cancel");
    const query = await call(
      sim,
      keys,
      "GET",
      `/v3/pay/transactions/out-trade-no/${body.out_trade_no}?mchid=${MCHID}`,
      {
        timestamp: at(),
      },
    );
    assert.equal(query.json.trade_state, "NOTPAY");
  });

  it("pays an App order from a signed PayReq; a declined one is PAYERROR", async () => {
    const { prepayId } = await place("app");
    assert.deepEqual((await client("app", appParams(prepayId))).json, { errCode: 0, errStr: "" });
    const second = await place("app");
    const declined = await client("app", { ...appParams(second.prepayId), outcome: "decline" });
    assert.equal(declined.json.errCode, -1);
    const query = await call(
      sim,
      keys,
      "GET",
      `/v3/pay/transactions/out-trade-no/${second.body.out_trade_no}?mchid=${MCHID}`,
      {
        timestamp: at(),
      },
    );
    assert.equal(query.json.trade_state, "PAYERROR");
  });

  it("answers APPID_MCHID_NOT_MATCH for an appid not bound to the merchant", async () => {
    const res = await call(sim, keys, "POST", "/v3/pay/transactions/app", {
      body: orderBody({ appid: "wx0000000000000000" }),
      timestamp: at(),
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.code, "APPID_MCHID_NOT_MATCH");
  });
});

describe("time_expire", () => {
  it("closes an unpaid order once the injected clock passes time_expire", async () => {
    const expire = new Date(clock.getTime() + 15 * 60 * 1000);
    const body = orderBody({ time_expire: rfc3339(expire) });
    const placed = await call(sim, keys, "POST", "/v3/pay/transactions/native", { body, timestamp: at() });
    const path = `/v3/pay/transactions/out-trade-no/${body.out_trade_no}?mchid=${MCHID}`;
    assert.equal((await call(sim, keys, "GET", path, { timestamp: at() })).json.trade_state, "NOTPAY");
    clock = new Date(expire.getTime() + 1000);
    assert.equal((await call(sim, keys, "GET", path, { timestamp: at() })).json.trade_state, "CLOSED");
    const pay = await submitCashier(sim, placed.json.code_url, "approve");
    assert.equal(pay.status, 409);
    assert.match(await pay.text(), /已过期/);
  });
});
