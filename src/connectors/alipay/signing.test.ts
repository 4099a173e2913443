import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { AlipaySdk } from "alipay-sdk";
import { type AlipayConnection, orderString, pageUrl, signedParams } from "./client.ts";
import { rawMembers } from "./envelope.ts";
import { readGatewayAnswer } from "./response.ts";
import { canonicalString, REQUEST_UNSIGNED_KEYS } from "./signing.ts";
import { type Harness, startHarness } from "./test-support.ts";

const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const alipayKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pkcs1 = keys.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const APP_ID = "2021000000000042";

function connection(privatePem = pkcs1): AlipayConnection {
  return {
    gateway: "https://openapi.alipay.com/gateway.do",
    appId: APP_ID,
    keys: { appPrivateKey: createPrivateKey(privatePem), alipayPublicKey: alipayKeys.publicKey },
    timeoutMs: 1000,
  };
}

const sdk = new AlipaySdk({
  appId: APP_ID,
  privateKey: pkcs1,
  alipayPublicKey: alipayKeys.publicKey.export({ type: "spki", format: "pem" }).toString(),
});

/** alipay-sdk's own signed parameters for the same call (its timestamp pinned to ours). */
function sdkParams(
  method: string,
  biz: object,
  ours: Record<string, string>,
  extras: Record<string, string>,
) {
  const orderText = sdk.sdkExecute(
    method,
    { format: "JSON", timestamp: ours.timestamp, ...extras, bizContent: biz },
    { bizContentAutoSnakeCase: false },
  );
  return Object.fromEntries(new URLSearchParams(orderText));
}

describe("request signatures equal alipay-sdk's", () => {
  const biz = {
    out_trade_no: "pi_0123456789_a1",
    total_amount: "88.88",
    subject: "Payrail 测试 100% ok",
    time_expire: "2024-03-01 10:30:00",
    product_code: "FAST_INSTANT_TRADE_PAY",
  };
  const extras = {
    notify_url: "https://payrail.example/hooks/alipay?x=1&y=2",
    return_url: "https://payrail.example/r",
  };

  for (const [name, privatePem] of [
    ["PKCS#1 key", pkcs1],
    ["PKCS#8 key", keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString()],
  ] as const) {
    test(`page.pay parameters and sign (${name})`, () => {
      const ours = signedParams(connection(privatePem), "alipay.trade.page.pay", biz, extras);
      const theirs = sdkParams("alipay.trade.page.pay", biz, ours, extras);
      assert.deepEqual(ours, theirs);
      assert.equal(
        canonicalString(ours, REQUEST_UNSIGNED_KEYS),
        Object.keys(theirs)
          .filter((key) => key !== "sign")
          .sort()
          .map((key) => `${key}=${theirs[key]}`)
          .join("&"),
      );
    });
  }

  test("the page URL and the app order string carry exactly the SDK-signed parameters", () => {
    const url = new URL(pageUrl(connection(), "alipay.trade.page.pay", biz, extras));
    assert.equal(`${url.origin}${url.pathname}`, "https://openapi.alipay.com/gateway.do");
    const fromUrl = Object.fromEntries(url.searchParams);
    assert.deepEqual(fromUrl, sdkParams("alipay.trade.page.pay", biz, fromUrl, extras));

    const appBiz = { ...biz, product_code: "QUICK_MSECURITY_PAY" };
    const order = Object.fromEntries(
      new URLSearchParams(orderString(connection(), "alipay.trade.app.pay", appBiz)),
    );
    assert.deepEqual(order, sdkParams("alipay.trade.app.pay", appBiz, order, {}));
  });

  test("empty extras are left out, and the timestamp is Beijing time", () => {
    const ours = signedParams(
      connection(),
      "alipay.trade.query",
      { out_trade_no: "x" },
      { notify_url: "" },
      new Date("2024-03-01T02:03:04Z"),
    );
    assert.equal(ours.notify_url, undefined);
    assert.equal(ours.timestamp, "2024-03-01 10:03:04");
  });
});

describe("response verification over the raw _response text", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  async function gatewayText(c: AlipayConnection, method: string, biz: object) {
    const response = await fetch(h.sim.gateway, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(signedParams(c, method, biz)).toString(),
    });
    return response.text();
  }

  test("accepts what the SDK accepts, and refuses what it refuses", async () => {
    const call = h.newCall();
    const config = call.account.config as Record<string, string>;
    const c: AlipayConnection = {
      gateway: h.sim.gateway,
      appId: config.app_id!,
      keys: {
        appPrivateKey: createPrivateKey(config.app_private_key!),
        alipayPublicKey: createPublicKey(h.sim.alipayPublicKeyPem),
      },
      timeoutMs: 1000,
    };
    const checker = new AlipaySdk({
      appId: config.app_id!,
      privateKey: config.app_private_key!,
      alipayPublicKey: h.sim.alipayPublicKeyPem,
    });
    const method = "alipay.trade.precreate";
    const text = await gatewayText(c, method, {
      out_trade_no: "pi_resp_a1",
      total_amount: "1.00",
      subject: "s",
    });
    assert.match(text, /\\\//, "Alipay escapes / in its JSON");
    const sign = JSON.parse(text).sign as string;
    const key = "alipay_trade_precreate_response";

    const answer = readGatewayAnswer(text, method, c.keys.alipayPublicKey);
    assert.equal(answer.kind, "success");
    assert.doesNotThrow(() => checker.checkResponseSign(text, key, sign, ""));

    const reserialised = JSON.stringify(JSON.parse(text));
    assert.deepEqual(readGatewayAnswer(reserialised, method, c.keys.alipayPublicKey), {
      kind: "unknown",
      reason: "signature_invalid",
    });
    assert.throws(() => checker.checkResponseSign(reserialised, key, sign, ""));

    const tampered = text.replace('"1.00"', '"0.01"').replace("pi_resp_a1", "pi_resp_a2");
    assert.deepEqual(readGatewayAnswer(tampered, method, c.keys.alipayPublicKey), {
      kind: "unknown",
      reason: "signature_invalid",
    });
    assert.throws(() => checker.checkResponseSign(tampered, key, sign, ""));

    const refused = await gatewayText(c, "alipay.trade.query", { out_trade_no: "pi_none_a1" });
    assert.deepEqual(readGatewayAnswer(refused, "alipay.trade.query", c.keys.alipayPublicKey), {
      kind: "refused",
      code: "40004",
      subCode: "ACQ.TRADE_NOT_EXIST",
      subMsg: "交易不存在",
    });
  });
});

describe("reading answers", () => {
  const key = alipayKeys.publicKey;
  test("rawMembers keeps each top-level value's exact text", () => {
    const text =
      ' { "a_response" : {"q":"http:\\/\\/x\\/y","n":[1,{"b":"}"}]} , "sign":"c2ln", "n": -1.5e3 } ';
    const members = rawMembers(text)!;
    assert.equal(members.get("a_response"), '{"q":"http:\\/\\/x\\/y","n":[1,{"b":"}"}]}');
    assert.equal(members.get("sign"), '"c2ln"');
    assert.equal(members.get("n"), "-1.5e3");
    assert.equal(rawMembers('{"a":1,"a":2}'), null, "a repeated key is ambiguous");
    assert.equal(rawMembers("[1]"), null);
    assert.equal(rawMembers('{"a_response":'), null);
    assert.deepEqual([...rawMembers("{}")!], []);
  });

  test("unsigned answers: a refusal is believed, a success never is; error_response is a refusal", () => {
    assert.deepEqual(readGatewayAnswer('{"m_response":{"code":"10000","msg":"Success"}}', "m", key), {
      kind: "unknown",
      reason: "response_unsigned",
    });
    assert.deepEqual(
      readGatewayAnswer(
        '{"error_response":{"code":"40002","sub_code":"isv.invalid-method","sub_msg":"x"}}',
        "m",
        key,
      ),
      { kind: "refused", code: "40002", subCode: "isv.invalid-method", subMsg: "x" },
    );
    assert.deepEqual(
      readGatewayAnswer('{"m_response":{"code":"20000","sub_code":"isp.unknow-error"}}', "m", key),
      {
        kind: "unknown",
        reason: "isp.unknow-error",
      },
    );
    assert.deepEqual(readGatewayAnswer('{"other_response":{"code":"10000"},"sign":"x"}', "m", key), {
      kind: "unknown",
      reason: "malformed_response",
    });
    assert.deepEqual(readGatewayAnswer('{"m_response":{"code":"10000"},"sign":"AAAA"}', "m", key), {
      kind: "unknown",
      reason: "signature_invalid",
    });
    assert.equal(readGatewayAnswer("<html>Service Error</html>", "m", key).kind, "unknown");
  });
});
