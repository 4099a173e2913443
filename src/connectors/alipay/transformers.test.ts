import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import type { LocalPaymentRequest, PaymentStatus } from "../contract.ts";
import { beijingDateTime, fromYuan, toYuan } from "./amounts.ts";
import { alipayConfigSchema, gatewayUrl } from "./config.ts";
import { decodeForm, encodeForm } from "./form.ts";
import { createAlipayConnector } from "./index.ts";
import { alipayAppLink, CHANNEL_METHODS, orderBiz, subjectOf, tradeSelector } from "./requests.ts";
import { classify } from "./response.ts";
import {
  orderRefusalToDecline,
  paymentStatusToAuthorizeResult,
  refundQueryToRefundStatus,
  refundRefusalReason,
  tradeFactsToPaymentStatus,
  tradeQueryToPaymentStatus,
} from "./transformers.ts";
import { notificationToEvent } from "./webhooks.ts";

describe("amounts and times", () => {
  test("fen to yuan and back, exactly", () => {
    const table: Array<[bigint, string]> = [
      [0n, "0.00"],
      [1n, "0.01"],
      [10n, "0.10"],
      [1234n, "12.34"],
      [100_000_000_00n, "100000000.00"],
      [9_007_199_254_740_993n, "90071992547409.93"],
    ];
    for (const [fen, yuan] of table) {
      assert.equal(toYuan(fen), yuan);
      assert.equal(fromYuan(yuan), fen);
    }
    assert.equal(toYuan(1234n, "jpy"), "1234");
    assert.throws(() => toYuan(-1n), RangeError);
  });

  test("yuan texts Alipay may send, and ones that are not amounts", () => {
    const table: Array<[unknown, bigint | null]> = [
      ["88", 8800n],
      ["88.8", 8880n],
      ["0.01", 1n],
      ["88.888", null],
      ["-1.00", null],
      ["01.00", null],
      ["1e3", null],
      [" 1.00", null],
      ["", null],
      [88.88, null],
      [undefined, null],
    ];
    for (const [text, fen] of table) assert.equal(fromYuan(text), fen, String(text));
  });

  test("Beijing wall-clock time, UTC+8 without daylight saving", () => {
    assert.equal(beijingDateTime(new Date("2024-03-01T02:00:00Z")), "2024-03-01 10:00:00");
    assert.equal(beijingDateTime(new Date("2024-12-31T16:30:59.999Z")), "2025-01-01 00:30:59");
    assert.equal(beijingDateTime(new Date("2024-07-01T00:00:00Z")), "2024-07-01 08:00:00");
  });
});

describe("requests", () => {
  const request: LocalPaymentRequest = {
    reference: "pi_abc_a1",
    paymentIntentId: "pi_abc",
    amount: 8888n,
    currency: "cny",
    method: "alipay",
    channel: "web",
    capture: true,
    returnUrl: "https://payrail.example/pay/return/pi_abc",
    description: "Tea & cups / 2 = set",
    expiresAt: new Date("2024-03-01T02:30:00.900Z"),
    shopper: {},
  };

  test("the order per channel: method, product code, amount, subject, time_expire, quit_url", () => {
    const expected = {
      out_trade_no: "pi_abc_a1",
      total_amount: "88.88",
      subject: "Tea cups 2 set",
      time_expire: "2024-03-01 10:30:00",
    };
    assert.deepEqual(orderBiz(request, CHANNEL_METHODS.web!), {
      ...expected,
      product_code: "FAST_INSTANT_TRADE_PAY",
    });
    assert.deepEqual(orderBiz(request, CHANNEL_METHODS.mobile_web!), {
      ...expected,
      product_code: "QUICK_WAP_WAY",
      quit_url: request.returnUrl,
    });
    assert.deepEqual(orderBiz(request, CHANNEL_METHODS.app!), {
      ...expected,
      product_code: "QUICK_MSECURITY_PAY",
    });
    assert.deepEqual(orderBiz(request, CHANNEL_METHODS.qr!), expected);
    assert.equal(CHANNEL_METHODS.in_app, undefined);
  });

  test("subjects are cleaned and cut at 256 characters", () => {
    assert.equal(subjectOf("  a\n\tb  "), "a b");
    assert.equal(subjectOf("&&&"), "Payment");
    assert.equal([...subjectOf("商".repeat(300))].length, 256);
  });

  test("a connector reference names a trade_no (digits) or our out_trade_no", () => {
    assert.deepEqual(tradeSelector("2024030122001400000000000001"), {
      trade_no: "2024030122001400000000000001",
    });
    assert.deepEqual(tradeSelector("pi_abc_a1"), { out_trade_no: "pi_abc_a1" });
  });

  test("the QR deep link carries the QR text URL-encoded", () => {
    assert.equal(
      alipayAppLink("https://qr.alipay.com/bax0?x=1&y=2"),
      "alipays://platformapi/startapp?saId=10000007&qrcode=https%3A%2F%2Fqr.alipay.com%2Fbax0%3Fx%3D1%26y%3D2",
    );
  });

  test("the gateway URL from a base URL", () => {
    assert.equal(gatewayUrl("https://openapi.alipay.com"), "https://openapi.alipay.com/gateway.do");
    assert.equal(gatewayUrl("http://127.0.0.1:4000/"), "http://127.0.0.1:4000/gateway.do");
    assert.equal(
      gatewayUrl("https://openapi-sandbox.dl.alipaydev.com/gateway.do"),
      "https://openapi-sandbox.dl.alipaydev.com/gateway.do",
    );
  });
});

describe("trade statuses", () => {
  const tradeNo = "2024030122001400000000000001";
  const table: Array<[string, boolean, unknown, PaymentStatus]> = [
    [
      "TRADE_SUCCESS",
      true,
      "12.34",
      {
        status: "authorized",
        connectorReference: tradeNo,
        amount: 1234n,
        currency: "cny",
        captured: true,
        capturedAmount: 1234n,
      },
    ],
    [
      "TRADE_FINISHED",
      true,
      "0.01",
      {
        status: "authorized",
        connectorReference: tradeNo,
        amount: 1n,
        currency: "cny",
        captured: true,
        capturedAmount: 1n,
      },
    ],
    ["TRADE_SUCCESS", true, "12.345", { status: "pending", connectorReference: tradeNo }],
    ["TRADE_SUCCESS", true, "0.00", { status: "pending", connectorReference: tradeNo }],
    ["WAIT_BUYER_PAY", false, "12.34", { status: "pending", connectorReference: tradeNo }],
    ["TRADE_CLOSED", false, "12.34", { status: "expired", connectorReference: tradeNo }],
    [
      "TRADE_CLOSED",
      true,
      "12.34",
      {
        status: "requires_review",
        connectorReference: tradeNo,
        reason: "alipay_trade_closed_after_payment",
        amount: 1234n,
        currency: "cny",
      },
    ],
    ["TRADE_PENDING_SOMETHING", true, "12.34", { status: "pending", connectorReference: tradeNo }],
  ];
  for (const [tradeStatus, paid, totalAmount, expected] of table) {
    test(`${tradeStatus} (${paid ? "paid" : "unpaid"}, ${String(totalAmount)})`, () => {
      assert.deepEqual(tradeFactsToPaymentStatus({ tradeNo, tradeStatus, totalAmount, paid }), expected);
    });
  }

  test("trade.query: paid is told by send_pay_date or a received amount; another out_trade_no is pending", () => {
    const body = {
      trade_no: tradeNo,
      out_trade_no: "pi_x_a1",
      trade_status: "TRADE_CLOSED",
      total_amount: "5.00",
    };
    assert.equal(tradeQueryToPaymentStatus("pi_x_a1", { ...body, receipt_amount: "0.00" }).status, "expired");
    assert.equal(
      tradeQueryToPaymentStatus("pi_x_a1", { ...body, receipt_amount: "5.00" }).status,
      "requires_review",
    );
    assert.equal(
      tradeQueryToPaymentStatus("pi_x_a1", { ...body, send_pay_date: "2024-03-01 10:00:00" }).status,
      "requires_review",
    );
    assert.deepEqual(tradeQueryToPaymentStatus("pi_other_a1", { ...body, trade_status: "TRADE_SUCCESS" }), {
      status: "pending",
      connectorReference: tradeNo,
    });
    assert.deepEqual(tradeQueryToPaymentStatus("pi_x_a1", { out_trade_no: "pi_x_a1" }), {
      status: "pending",
      connectorReference: undefined,
    });
  });
});

describe("refund statuses and refusals", () => {
  const tradeNo = "2024030122001400000000000001";
  test("fastpay.refund.query answers", () => {
    const found = {
      trade_no: tradeNo,
      out_request_no: "re_1",
      refund_amount: "2.50",
      refund_status: "REFUND_SUCCESS",
    };
    assert.deepEqual(refundQueryToRefundStatus("re_1", "pi_x_a1", found), {
      status: "succeeded",
      connectorReference: tradeNo,
      amount: 250n,
      currency: "cny",
    });
    const { refund_status: _, ...withoutStatus } = found;
    assert.equal(refundQueryToRefundStatus("re_1", "pi_x_a1", withoutStatus).status, "succeeded");
    assert.deepEqual(refundQueryToRefundStatus("re_1", "pi_x_a1", { trade_no: tradeNo }), {
      status: "not_found",
    });
    assert.deepEqual(
      refundQueryToRefundStatus("re_1", "pi_x_a1", { ...found, refund_status: "REFUND_PROCESSING" }),
      {
        status: "pending",
        connectorReference: tradeNo,
      },
    );
    assert.equal(refundQueryToRefundStatus("re_2", "pi_x_a1", found).status, "pending");
    assert.equal(
      refundQueryToRefundStatus("re_1", "pi_x_a1", { ...found, refund_amount: "2.555" }).status,
      "pending",
    );
    const { trade_no: __, ...withoutTrade } = found;
    assert.equal(
      (refundQueryToRefundStatus("re_1", "pi_x_a1", withoutTrade) as { connectorReference: string })
        .connectorReference,
      "pi_x_a1",
    );
  });

  test("refund refusal reasons", () => {
    const table: Array<[string, string, string]> = [
      ["ACQ.TRADE_NOT_EXIST", "40004", "not_found"],
      ["ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "40004", "amount_exceeds_refundable"],
      ["ACQ.TRADE_HAS_FINISHED", "40004", "refund_period_over"],
      ["ACQ.TRADE_STATUS_ERROR", "40004", "payment_not_refundable"],
      ["ACQ.SELLER_BALANCE_NOT_ENOUGH", "40004", "insufficient_merchant_balance"],
      ["ACQ.SOMETHING_NEW", "40004", "ACQ.SOMETHING_NEW"],
      ["", "40002", "alipay_40002"],
    ];
    for (const [subCode, code, reason] of table) assert.equal(refundRefusalReason(subCode, code), reason);
  });

  test("order refusals are declines with the provider's words, never the signed canonical string", () => {
    assert.deepEqual(
      orderRefusalToDecline({ code: "40004", subCode: "ACQ.TRADE_HAS_CLOSE", subMsg: "交易已经关闭" }),
      {
        outcome: "declined",
        declineCode: "generic_decline",
        providerMessage: "ACQ.TRADE_HAS_CLOSE: 交易已经关闭",
      },
    );
    assert.equal(
      orderRefusalToDecline({ code: "40004", subCode: "ACQ.INVALID_PARAMETER", subMsg: "x" }).declineCode,
      "processing_error",
    );
    const signature = orderRefusalToDecline({
      code: "40002",
      subCode: "isv.invalid-signature",
      subMsg: "验签出错，网关生成的验签字符串为：app_id=1&biz_content={...}",
    });
    assert.doesNotMatch(signature.providerMessage!, /biz_content/);
  });

  test("gateway codes: success, definite refusals and the ones that mean 'unknown'", () => {
    const table: Array<[Record<string, unknown>, string]> = [
      [{ code: "10000", msg: "Success" }, "success"],
      [{ code: "40004", sub_code: "ACQ.TRADE_NOT_EXIST" }, "refused"],
      [{ code: "40002", sub_code: "isv.invalid-signature" }, "refused"],
      [{ code: "40004", sub_code: "isp.bill_not_exist" }, "refused"],
      [{ code: "40004", sub_code: "ACQ.SYSTEM_ERROR" }, "unknown"],
      [{ code: "40004", sub_code: "aop.ACQ.SYSTEM_ERROR" }, "unknown"],
      [{ code: "20000", sub_code: "isp.unknow-error" }, "unknown"],
      [{ code: "20000" }, "unknown"],
      [{ msg: "no code" }, "unknown"],
    ];
    for (const [body, kind] of table) assert.equal(classify(body).kind, kind, JSON.stringify(body));
  });
});

describe("statuses as authorize results", () => {
  test("while starting or finishing a payment", () => {
    const table: Array<[PaymentStatus, string]> = [
      [
        {
          status: "authorized",
          connectorReference: "1",
          amount: 1n,
          currency: "cny",
          captured: true,
          capturedAmount: 1n,
        },
        "authorized",
      ],
      [{ status: "pending", connectorReference: "1" }, "pending"],
      [{ status: "expired", connectorReference: "1" }, "pending"],
      [{ status: "not_found" }, "pending"],
      [{ status: "requires_review", connectorReference: "1", reason: "x" }, "pending"],
      [{ status: "declined", declineCode: "generic_decline" }, "declined"],
      [
        {
          status: "requires_action",
          connectorReference: "1",
          action: { type: "deep_link", url: "alipays://x" },
        },
        "requires_action",
      ],
    ];
    for (const [status, outcome] of table) {
      assert.equal(paymentStatusToAuthorizeResult(status).outcome, outcome, status.status);
    }
    assert.deepEqual(
      paymentStatusToAuthorizeResult({
        status: "authorized",
        connectorReference: "1",
        amount: 5n,
        currency: "cny",
        captured: true,
        capturedAmount: 5n,
      }),
      { outcome: "authorized", connectorReference: "1", amount: 5n, currency: "cny", captured: true },
    );
  });
});

describe("notification mapping", () => {
  const base = { notify_id: "n1", notify_type: "trade_status_sync", trade_no: "t1", out_trade_no: "pi_a1" };
  test("payments, refunds, other notification types, and what a trade notification must carry", () => {
    assert.deepEqual(
      notificationToEvent({ ...base, trade_status: "TRADE_SUCCESS", total_amount: "1.00", gmt_payment: "x" }),
      {
        kind: "payment",
        providerEventId: "n1",
        reference: "pi_a1",
        connectorReference: "t1",
        status: {
          status: "authorized",
          connectorReference: "t1",
          amount: 100n,
          currency: "cny",
          captured: true,
          capturedAmount: 100n,
        },
      },
    );
    assert.equal(
      (
        notificationToEvent({
          ...base,
          trade_status: "TRADE_CLOSED",
          out_biz_no: "re_1",
          refund_fee: "1.00",
        }) as { kind: string }
      ).kind,
      "refund",
    );
    assert.deepEqual(notificationToEvent({ notify_id: "n2", notify_type: "open_app_auth_notify" }), {
      kind: "unknown",
      providerEventId: "n2",
      providerType: "open_app_auth_notify",
    });
    assert.equal(notificationToEvent({ ...base, notify_id: "" }), null);
    assert.equal(notificationToEvent({ ...base, trade_no: "" }), null);
  });
});

describe("forms", () => {
  test("encode and decode round trip, with + and UTF-8", () => {
    const params = { subject: "茶 & 100% + more", empty: "", "k=y": "a=b" };
    assert.deepEqual(decodeForm(Buffer.from(encodeForm(params))), params);
    assert.deepEqual(decodeForm(Buffer.from("a=1+2&b")), { a: "1 2", b: "" });
    assert.deepEqual(decodeForm(Buffer.from("")), {});
  });

  test("ambiguous or broken forms are refused", () => {
    for (const raw of ["a=1&a=2", "a=%zz", "a=%4", "charset=koi8-r&a=b"])
      assert.equal(decodeForm(Buffer.from(raw)), null, raw);
    assert.equal(decodeForm(Buffer.from([0x61, 0x3d, 0xe8])), null);
    assert.deepEqual(Object.keys(decodeForm(Buffer.from("__proto__=x&constructor=y"))!), [
      "__proto__",
      "constructor",
    ]);
  });
});

describe("configuration", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const valid = {
    app_id: "2021000000000001",
    app_private_key: rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    alipay_public_key: rsa.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };

  test("accepts PKCS#8 and PKCS#1 private keys, an optional seller id and base URL", () => {
    assert.ok(alipayConfigSchema.safeParse(valid).success);
    const pkcs1 = rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    assert.ok(alipayConfigSchema.safeParse({ ...valid, app_private_key: pkcs1 }).success);
    assert.ok(
      alipayConfigSchema.safeParse({
        ...valid,
        seller_id: "2088000000000001",
        base_url: "https://openapi.alipay.com",
      }).success,
    );
  });

  test("refuses what is not an Alipay configuration", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const bad: Array<Record<string, unknown>> = [
      { ...valid, app_id: "12345" },
      { ...valid, app_private_key: "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" },
      { ...valid, app_private_key: ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString() },
      { ...valid, alipay_public_key: valid.app_private_key },
      { ...valid, alipay_public_key: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" },
      { ...valid, seller_id: "1234" },
      { ...valid, base_url: "ftp://x" },
      { app_id: valid.app_id },
    ];
    for (const config of bad) assert.equal(alipayConfigSchema.safeParse(config).success, false);
  });

  test("the connector's definition: secrets, capabilities and Alipay's acknowledgement", () => {
    const connector = createAlipayConnector({ baseUrl: () => "http://127.0.0.1:9" });
    assert.equal(connector.id, "alipay");
    assert.equal(connector.displayName, "Alipay");
    assert.deepEqual(connector.secretFields, ["app_private_key"]);
    assert.deepEqual(connector.capabilities.paymentMethods, ["alipay"]);
    assert.deepEqual(connector.capabilities.currencies, ["cny"]);
    assert.equal(connector.capabilities.manualCapture, false);
    assert.equal(connector.capabilities.refunds, true);
    assert.equal(connector.capabilities.webhooks, true);
    assert.deepEqual(connector.webhookAcknowledgement, {
      contentType: "text/plain; charset=utf-8",
      body: "success",
    });
    assert.equal(connector.defaultTestAccountConfig?.(randomBytes), undefined);
    const meta = alipayConfigSchema.shape.app_private_key.meta();
    assert.equal(meta?.secret, true);
  });
});
