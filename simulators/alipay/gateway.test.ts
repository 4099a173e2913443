import assert from "node:assert/strict";
import { createSign, generateKeyPairSync } from "node:crypto";
import { after, before, test } from "node:test";
import iconv from "iconv-lite";
import {
  APP_ID,
  commonParams,
  eventually,
  type Harness,
  postGateway,
  shopperActs,
  signByHand,
  startHarness,
  startReceiver,
  uniqueRef,
} from "./test-support.ts";

let h: Harness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

before(async () => {
  h = await startHarness();
  receiver = await startReceiver();
});
after(async () => {
  await h.sim.close();
  await receiver.close();
});

test("the official SDK's signed precreate is accepted and the SDK verifies the signed answer", async () => {
  const outTradeNo = uniqueRef();
  const result = await h.sdk.exec(
    "alipay.trade.precreate",
    { bizContent: { out_trade_no: outTradeNo, total_amount: "88.88", subject: "Payrail 测试" } },
    { validateSign: true },
  );
  assert.equal(result.code, "10000");
  assert.equal(result.msg, "Success");
  assert.equal(result.out_trade_no, outTradeNo);
  assert.match(result.qr_code, /\/qr\//);
});

test("business errors are signed too, and a trade the buyer never reached does not exist yet", async () => {
  const outTradeNo = uniqueRef();
  await h.sdk.exec("alipay.trade.precreate", {
    bizContent: { out_trade_no: outTradeNo, total_amount: "1.00", subject: "x" },
  });
  const result = await h.sdk.exec(
    "alipay.trade.query",
    { bizContent: { out_trade_no: outTradeNo } },
    { validateSign: true },
  );
  assert.equal(result.code, "40004");
  assert.equal(result.msg, "Business Failed");
  assert.equal(result.sub_code, "ACQ.TRADE_NOT_EXIST");
});

test("a request signed with another key fails with isv.invalid-signature naming the canonical string", async () => {
  const other = generateKeyPairSync("rsa", { modulusLength: 1024 });
  const params = signByHand(
    commonParams("alipay.trade.query", { out_trade_no: "abc" }),
    other.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  );
  const response = await postGateway(h.sim, params);
  const body = JSON.parse(response.text);
  const answer = body.alipay_trade_query_response;
  assert.equal(answer.code, "40002");
  assert.equal(answer.sub_code, "isv.invalid-signature");
  // sign_type is part of a request's signed content; sign is not.
  assert.match(answer.sub_msg, /app_id=2021000000000001&biz_content=.*&sign_type=RSA2&timestamp=/);
  assert.doesNotMatch(answer.sub_msg, /&sign=/);
  assert.equal(typeof body.sign, "string");
});

test("requests signed by hand without sign_type in the content are refused (sign_type is signed)", async () => {
  const params = commonParams("alipay.trade.query", { out_trade_no: "abc" });
  const { sign_type: _omitted, ...rest } = params;
  const signedWithout = signByHand(rest);
  const response = await postGateway(h.sim, { ...signedWithout, sign_type: "RSA2" });
  assert.equal(JSON.parse(response.text).alipay_trade_query_response.sub_code, "isv.invalid-signature");
  const correct = await postGateway(h.sim, signByHand(params));
  assert.equal(JSON.parse(correct.text).alipay_trade_query_response.sub_code, "ACQ.TRADE_NOT_EXIST");
});

test("gateway errors: missing method, unknown method, unknown app, missing fields, bad biz_content", async () => {
  const noMethod = await postGateway(h.sim, { app_id: APP_ID });
  assert.deepEqual(JSON.parse(noMethod.text).error_response, {
    code: "40001",
    msg: "Missing Required Arguments",
    sub_code: "isv.missing-method",
    sub_msg: "缺少方法名参数",
  });
  const badMethod = await postGateway(h.sim, signByHand(commonParams("alipay.trade.nope", {})));
  assert.equal(JSON.parse(badMethod.text).error_response.sub_code, "isv.invalid-method");
  const badApp = await postGateway(
    h.sim,
    signByHand(commonParams("alipay.trade.query", {}, { app_id: "999" })),
  );
  assert.equal(JSON.parse(badApp.text).alipay_trade_query_response.sub_code, "isv.invalid-app-id");
  const unsigned = await postGateway(h.sim, commonParams("alipay.trade.query", {}));
  assert.equal(JSON.parse(unsigned.text).alipay_trade_query_response.sub_code, "isv.missing-signature");
  const badTime = await postGateway(
    h.sim,
    signByHand(commonParams("alipay.trade.query", {}, { timestamp: "2024/03/01" })),
  );
  assert.equal(JSON.parse(badTime.text).alipay_trade_query_response.sub_code, "isv.invalid-timestamp");
  const badBiz = await postGateway(
    h.sim,
    signByHand({ ...commonParams("alipay.trade.query", {}), biz_content: "{not json" }),
  );
  assert.equal(JSON.parse(badBiz.text).alipay_trade_query_response.sub_code, "isv.invalid-parameter");
  const missingIds = await h.sdk.exec("alipay.trade.query", { bizContent: {} }, { validateSign: true });
  assert.equal(missingIds.sub_code, "ACQ.INVALID_PARAMETER");
});

test("responses escape '/' like Alipay's Java writer, and the signature covers that exact text", async () => {
  const params = signByHand(
    commonParams("alipay.trade.precreate", { out_trade_no: uniqueRef(), total_amount: 5, subject: "s" }),
  );
  const response = await postGateway(h.sim, params);
  assert.match(response.text, /"qr_code":"http:\\\/\\\/127\.0\.0\.1:\d+\\\/qr\\\//);
  assert.match(response.headers.get("content-type") ?? "", /charset=utf-8/);
});

test("a GBK request is decoded and verified in GBK, and answered in GBK", async () => {
  const biz = JSON.stringify({ out_trade_no: uniqueRef(), total_amount: "2.00", subject: "中文商品" });
  const params: Record<string, string> = {
    ...commonParams("alipay.trade.precreate", {}),
    charset: "GBK",
    biz_content: biz,
  };
  const content = Object.keys(params)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("&");
  const sign = createSign("RSA-SHA256")
    .update(iconv.encode(content, "gbk"))
    .sign((await import("./test-support.ts")).APP_PRIVATE_KEY_PEM, "base64");
  const encode = (text: string) =>
    [...iconv.encode(text, "gbk")].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");
  const body = Object.entries({ ...params, sign })
    .map(([key, value]) => `${key}=${encode(value)}`)
    .join("&");
  const response = await fetch(h.sim.gateway, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  assert.match(response.headers.get("content-type") ?? "", /charset=GBK/i);
  const text = iconv.decode(Buffer.from(await response.arrayBuffer()), "gbk");
  assert.equal(JSON.parse(text).alipay_trade_precreate_response.code, "10000");
});

test("page.pay from the SDK's pageExec: cashier, payment, signed notification and return_url", async () => {
  const outTradeNo = uniqueRef();
  const link = h.sdk.pageExec("alipay.trade.page.pay", "GET", {
    bizContent: {
      out_trade_no: outTradeNo,
      total_amount: "12.34",
      subject: "页面支付 100% & more",
      product_code: "FAST_INSTANT_TRADE_PAY",
      passback_params: "merchant%3D1",
    },
    notifyUrl: receiver.url,
    returnUrl: "https://shop.example/return",
  });
  const redirect = await fetch(link, { redirect: "manual" });
  assert.equal(redirect.status, 302);
  const cashier = redirect.headers.get("location")!;
  const paid = await shopperActs(cashier, "pay");
  assert.equal(paid.status, 302);
  const back = new URL(paid.location!);
  assert.equal(back.origin, "https://shop.example");
  const returned = Object.fromEntries(back.searchParams);
  assert.equal(returned.method, "alipay.trade.page.pay.return");
  assert.equal(h.sdk.checkNotifySign(returned), true);

  const notification = await eventually(() =>
    receiver.received.find(
      (n) => n.params.out_trade_no === outTradeNo && n.params.trade_status === "TRADE_SUCCESS",
    ),
  );
  const params = notification.params;
  assert.equal(params.notify_type, "trade_status_sync");
  assert.equal(params.total_amount, "12.34");
  assert.equal(params.passback_params, "merchant%3D1");
  assert.equal(params.sign_type, "RSA2");
  assert.match(params.notify_id!, /^\d{34}$/);
  assert.match(params.trade_no!, /^\d{28}$/);
  assert.equal(JSON.parse(params.fund_bill_list!)[0].fundChannel, "ALIPAYACCOUNT");
  assert.equal(h.sdk.checkNotifySignV2(params), true);
  // checkNotifySign URL-decodes values before verifying, which a "%" in a value breaks: use the raw variant.
  assert.equal(h.sdk.checkNotifySignV2({ ...params, total_amount: "1.00" }), false);

  const query = await h.sdk.exec(
    "alipay.trade.query",
    { bizContent: { trade_no: params.trade_no } },
    { validateSign: true },
  );
  assert.equal(query.trade_status, "TRADE_SUCCESS");
  assert.equal(query.out_trade_no, outTradeNo);
  assert.equal(query.receipt_amount, "12.34");
});

test("wap.pay posted as the SDK's form: refused product code shows Alipay's error page", async () => {
  const html = h.sdk.pageExec("alipay.trade.wap.pay", "POST", {
    bizContent: { out_trade_no: uniqueRef(), total_amount: "1.00", subject: "wap", product_code: "WRONG" },
  });
  const action = /action="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
  const fields = Object.fromEntries(
    [...html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [
      m[1]!,
      m[2]!.replaceAll("&quot;", '"'),
    ]),
  );
  const response = await fetch(action, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
  assert.equal(response.status, 200);
  assert.match(await response.text(), /ACQ\.INVALID_PARAMETER/);
});

test("wap.pay: abandoning the cashier goes back to quit_url and leaves the trade waiting", async () => {
  const outTradeNo = uniqueRef();
  const link = h.sdk.pageExec("alipay.trade.wap.pay", "GET", {
    bizContent: {
      out_trade_no: outTradeNo,
      total_amount: "3.00",
      subject: "wap",
      product_code: "QUICK_WAP_WAY",
      quit_url: "https://shop.example/cart",
    },
  });
  const redirect = await fetch(link, { redirect: "manual" });
  const abandoned = await shopperActs(redirect.headers.get("location")!, "abandon");
  assert.equal(abandoned.status, 302);
  assert.equal(abandoned.location, "https://shop.example/cart");
  assert.equal(h.sim.trade(APP_ID, outTradeNo)!.status, "WAIT_BUYER_PAY");
});
