import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Wechatpay } from "wechatpay-axios-plugin";
import { startWechatPaySimulator, type WechatPaySimulator } from "./index.ts";
import {
  call,
  MCHID,
  type MerchantKeys,
  newMerchantKeys,
  officiallyVerified,
  orderBody,
  platformKeys,
  registration,
  submitCashier,
  uniqueNo,
} from "./test-support.ts";

let sim: WechatPaySimulator;
let keys: MerchantKeys;

before(async () => {
  keys = newMerchantKeys();
  sim = await startWechatPaySimulator({ platformKeys: await platformKeys(), notificationRetryDelaysMs: [] });
  sim.registerMerchant(registration(keys));
});
after(() => sim.close());

describe("placing orders", () => {
  it("answers Native with a weixin:// code_url, signed with the platform certificate", async () => {
    const res = await call(sim, keys, "POST", "/v3/pay/transactions/native", { body: orderBody() });
    assert.equal(res.status, 200);
    assert.match(res.json.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=[0-9A-Za-z]{7}$/);
    assert.equal(res.headers.get("wechatpay-serial"), sim.platformCertificate.serialNo);
    assert.match(sim.platformCertificate.serialNo, /^[0-9A-F]{40}$/);
    assert.equal(officiallyVerified(sim, res.headers, res.text), true);
  });

  it("answers H5 with an h5_url that opens the cashier page", async () => {
    const body = orderBody({ scene_info: { payer_client_ip: "14.23.150.211", h5_info: { type: "Wap" } } });
    const res = await call(sim, keys, "POST", "/v3/pay/transactions/h5", { body });
    assert.equal(res.status, 200);
    assert.match(
      res.json.h5_url,
      /\/cgi-bin\/mmpayweb-bin\/checkmweb\?prepay_id=wx\d{14}[0-9a-f]{20}&package=\d{10}$/,
    );
    const page = await fetch(res.json.h5_url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /¥1\.00/);
  });

  it("answers JSAPI and App with a prepay_id", async () => {
    const jsapi = await call(sim, keys, "POST", "/v3/pay/transactions/jsapi", {
      body: orderBody({ payer: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" } }),
    });
    assert.equal(jsapi.status, 200);
    assert.match(jsapi.json.prepay_id, /^wx\d{14}[0-9a-f]{20}$/);
    const app = await call(sim, keys, "POST", "/v3/pay/transactions/app", { body: orderBody() });
    assert.equal(app.status, 200);
    assert.ok(app.json.prepay_id);
    assert.deepEqual(Object.keys(app.json), ["prepay_id"]);
  });

  it("replays the same order for the same out_trade_no and body, refuses a different body", async () => {
    const body = orderBody();
    const first = await call(sim, keys, "POST", "/v3/pay/transactions/native", { body });
    const again = await call(sim, keys, "POST", "/v3/pay/transactions/native", { body });
    assert.equal(again.json.code_url, first.json.code_url);
    const changed = await call(sim, keys, "POST", "/v3/pay/transactions/native", {
      body: { ...body, amount: { total: 101 } },
    });
    assert.equal(changed.status, 403);
    assert.equal(changed.json.code, "OUT_TRADE_NO_USED");
  });

  it("names the missing or malformed parameter in a PARAM_ERROR", async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ out_trade_no: undefined }, "/v3/pay/transactions/native", "/body/out_trade_no"],
      [{ out_trade_no: "abc" }, "/v3/pay/transactions/native", "/body/out_trade_no"],
      [{ amount: { total: 1.5 } }, "/v3/pay/transactions/native", "/body/amount/total"],
      [{ amount: { total: 0 } }, "/v3/pay/transactions/native", "/body/amount/total"],
      [{ amount: { total: 1, currency: "USD" } }, "/v3/pay/transactions/native", "/body/amount/currency"],
      [{ description: "长".repeat(43) }, "/v3/pay/transactions/native", "/body/description"],
      [
        { notify_url: "https://shop.example/notify?order=1" },
        "/v3/pay/transactions/native",
        "/body/notify_url",
      ],
      [{ time_expire: "tomorrow" }, "/v3/pay/transactions/native", "/body/time_expire"],
      [{}, "/v3/pay/transactions/jsapi", "/body/payer"],
      [{}, "/v3/pay/transactions/h5", "/body/scene_info"],
    ];
    for (const [overrides, path, field] of cases) {
      const res = await call(sim, keys, "POST", path, { body: orderBody(overrides) });
      assert.equal(res.status, 400, `${field}: ${res.text}`);
      assert.equal(res.json.code, "PARAM_ERROR");
      assert.ok(res.json.message.includes(field), `${field} in ${res.json.message}`);
      assert.equal(res.json.detail.location, "body");
      assert.equal(officiallyVerified(sim, res.headers, res.text), true);
    }
  });

  it("refuses a body that is not JSON and a mchid that is not the caller's", async () => {
    const bad = await call(sim, keys, "POST", "/v3/pay/transactions/native", { rawBody: "{not json" });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.code, "PARAM_ERROR");
    const other = await call(sim, keys, "POST", "/v3/pay/transactions/native", {
      body: orderBody({ mchid: "1230000109" }),
    });
    assert.equal(other.status, 400);
    assert.match(other.json.message, /mchid/);
  });
});

describe("request signatures", () => {
  it("refuses a missing or malformed Authorization", async () => {
    const missing = await call(sim, keys, "GET", `/v3/pay/transactions/out-trade-no/X123456?mchid=${MCHID}`, {
      authorization: null,
    });
    assert.equal(missing.status, 401);
    assert.equal(missing.json.code, "SIGN_ERROR");
    const bearer = await call(sim, keys, "GET", `/v3/pay/transactions/out-trade-no/X123456?mchid=${MCHID}`, {
      authorization: "Bearer abc",
    });
    assert.equal(bearer.status, 401);
  });

  it("refuses a signature from another key, a wrong serial_no, an unknown merchant", async () => {
    const stranger = newMerchantKeys(MCHID, "stranger");
    const path = `/v3/pay/transactions/out-trade-no/X123456?mchid=${MCHID}`;
    const forged = await call(sim, keys, "GET", path, { signWith: stranger.privateKey });
    assert.equal(forged.status, 401);
    assert.equal(forged.json.code, "SIGN_ERROR");
    const serial = await call(sim, keys, "GET", path, { serialNo: stranger.serialNo });
    assert.equal(serial.status, 401);
    const unknown = await call(sim, { ...stranger, mchid: "1900009999" }, "GET", path);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.code, "MCH_NOT_EXISTS");
  });

  it("covers the query string and the body: changing either breaks the signature", async () => {
    const body = JSON.stringify(orderBody());
    const honest = await call(sim, keys, "POST", "/v3/pay/transactions/native", { rawBody: body });
    assert.equal(honest.status, 200);
    const changedBody = await call(sim, keys, "POST", "/v3/pay/transactions/native", {
      rawBody: body.replace('"total":100', '"total":1'),
      signedBody: body,
    });
    assert.equal(changedBody.status, 401);
    assert.equal(changedBody.json.code, "SIGN_ERROR");
    const changedQuery = await call(
      sim,
      keys,
      "GET",
      "/v3/pay/transactions/out-trade-no/X123456?mchid=1900000109",
      {
        signedPathAndQuery: "/v3/pay/transactions/out-trade-no/X123456?mchid=1900000108",
      },
    );
    assert.equal(changedQuery.status, 401);
  });

  it("refuses a timestamp more than 300 s from the server clock", async () => {
    const path = `/v3/pay/transactions/out-trade-no/X123456?mchid=${MCHID}`;
    const now = Math.floor(Date.now() / 1000);
    const stale = await call(sim, keys, "GET", path, { timestamp: now - 400 });
    assert.equal(stale.status, 401);
    assert.equal(stale.json.code, "SIGN_ERROR");
    const early = await call(sim, keys, "GET", path, { timestamp: now + 400 });
    assert.equal(early.status, 401);
    const withinWindow = await call(sim, keys, "GET", path, { timestamp: now - 200 });
    assert.equal(withinWindow.status, 404);
  });
});

describe("query and close", () => {
  it("queries an unpaid order as NOTPAY, then SUCCESS by out_trade_no and by transaction_id", async () => {
    const body = orderBody({ attach: "cipher code" });
    const placed = await call(sim, keys, "POST", "/v3/pay/transactions/native", { body });
    const path = `/v3/pay/transactions/out-trade-no/${body.out_trade_no}?mchid=${MCHID}`;
    const unpaid = await call(sim, keys, "GET", path);
    assert.equal(unpaid.status, 200);
    assert.equal(unpaid.json.trade_state, "NOTPAY");
    assert.equal(unpaid.json.transaction_id, undefined);

    const paid = await submitCashier(sim, placed.json.code_url, "approve");
    assert.equal(paid.status, 200);
    const after = await call(sim, keys, "GET", path);
    assert.equal(after.json.trade_state, "SUCCESS");
    assert.equal(after.json.trade_type, "NATIVE");
    assert.equal(after.json.attach, "cipher code");
    assert.match(after.json.transaction_id, /^4200000\d{21}$/);
    assert.match(after.json.success_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    assert.deepEqual(after.json.amount, {
      total: 100,
      payer_total: 100,
      currency: "CNY",
      payer_currency: "CNY",
    });
    assert.match(after.json.payer.openid, /^o[\w-]{27}$/);

    const byId = await call(
      sim,
      keys,
      "GET",
      `/v3/pay/transactions/id/${after.json.transaction_id}?mchid=${MCHID}`,
    );
    assert.deepEqual(byId.json, after.json);
    assert.equal(officiallyVerified(sim, byId.headers, byId.text), true);
  });

  it("answers ORDERNOTEXIST for an unknown order and PARAM_ERROR without mchid", async () => {
    const missing = await call(
      sim,
      keys,
      "GET",
      `/v3/pay/transactions/out-trade-no/NOPE123456?mchid=${MCHID}`,
    );
    assert.equal(missing.status, 404);
    assert.equal(missing.json.code, "ORDERNOTEXIST");
    const noMchid = await call(sim, keys, "GET", "/v3/pay/transactions/out-trade-no/NOPE123456");
    assert.equal(noMchid.status, 400);
    assert.equal(noMchid.json.code, "PARAM_ERROR");
    assert.equal(noMchid.json.detail.location, "query");
  });

  it("closes an unpaid order with a signed 204; a paid one answers ORDERPAID", async () => {
    const body = orderBody();
    const placed = await call(sim, keys, "POST", "/v3/pay/transactions/native", { body });
    const close = await call(
      sim,
      keys,
      "POST",
      `/v3/pay/transactions/out-trade-no/${body.out_trade_no}/close`,
      {
        body: { mchid: MCHID },
      },
    );
    assert.equal(close.status, 204);
    assert.equal(close.text, "");
    assert.equal(officiallyVerified(sim, close.headers, ""), true);
    const query = await call(
      sim,
      keys,
      "GET",
      `/v3/pay/transactions/out-trade-no/${body.out_trade_no}?mchid=${MCHID}`,
    );
    assert.equal(query.json.trade_state, "CLOSED");
    const pay = await submitCashier(sim, placed.json.code_url, "approve");
    assert.equal(pay.status, 409);
    const again = await call(sim, keys, "POST", "/v3/pay/transactions/native", { body });
    assert.equal(again.json.code, "ORDER_CLOSED");

    const paidBody = orderBody();
    const paidOrder = await call(sim, keys, "POST", "/v3/pay/transactions/native", { body: paidBody });
    await submitCashier(sim, paidOrder.json.code_url, "approve");
    const refused = await call(
      sim,
      keys,
      "POST",
      `/v3/pay/transactions/out-trade-no/${paidBody.out_trade_no}/close`,
      {
        body: { mchid: MCHID },
      },
    );
    assert.equal(refused.status, 400);
    assert.equal(refused.json.code, "ORDERPAID");
  });

  it("marks a declined payment PAYERROR and leaves an abandoned one NOTPAY", async () => {
    for (const [action, state] of [
      ["decline", "PAYERROR"],
      ["abandon", "NOTPAY"],
    ] as const) {
      const body = orderBody();
      const placed = await call(sim, keys, "POST", "/v3/pay/transactions/native", { body });
      const res = await submitCashier(sim, placed.json.code_url, action);
      assert.equal(res.status, 200);
      const query = await call(
        sim,
        keys,
        "GET",
        `/v3/pay/transactions/out-trade-no/${body.out_trade_no}?mchid=${MCHID}`,
      );
      assert.equal(query.json.trade_state, state);
    }
  });

  it("sends an H5 shopper back to redirect_url after paying", async () => {
    const body = orderBody({ scene_info: { payer_client_ip: "127.0.0.1", h5_info: { type: "Wap" } } });
    const placed = await call(sim, keys, "POST", "/v3/pay/transactions/h5", { body });
    const prepayId = new URL(placed.json.h5_url).searchParams.get("prepay_id") ?? "";
    const res = await submitCashier(sim, prepayId, "approve", { redirect_url: "https://shop.example/done" });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "https://shop.example/done");
  });
});

describe("the official wechatpay-axios-plugin client end to end", () => {
  it("signs requests the simulator accepts and verifies every answer it gets back", async () => {
    // The package types its chained client loosely; the calls below are its documented ones.
    const wxpay: any = new Wechatpay({
      mchid: keys.mchid,
      serial: keys.serialNo,
      privateKey: keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      certs: sim.platformPublicKeys,
      baseURL: `${sim.url}/`,
    });
    const outTradeNo = uniqueNo();
    const placed = await wxpay.v3.pay.transactions.native.post(orderBody({ out_trade_no: outTradeNo }));
    assert.match(placed.data.code_url, /^weixin:/);
    const queried = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.get({
      params: { mchid: MCHID },
      out_trade_no: outTradeNo,
    });
    assert.equal(queried.data.trade_state, "NOTPAY");
    sim.setPlatformSigning(MCHID, "public_key");
    try {
      const closed = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post(
        { mchid: MCHID },
        { out_trade_no: outTradeNo },
      );
      assert.equal(closed.status, 204);
      assert.equal(closed.headers["wechatpay-serial"], sim.wechatpayPublicKey.keyId);
    } finally {
      sim.setPlatformSigning(MCHID, "certificate");
    }
    await assert.rejects(
      wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.get({
        params: { mchid: MCHID },
        out_trade_no: "NONE123456",
      }),
      (error: { response?: { status: number; data: { code: string } } }) =>
        error.response?.status === 404 && error.response.data.code === "ORDERNOTEXIST",
    );
  });
});
