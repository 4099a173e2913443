/** Pure tables: statuses, errors, wire readers, order bodies, times and amounts. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { LocalPaymentRequest, ShopperChannel } from "../contract.ts";
import { parseTradeBill, yuanToFen } from "./bill-csv.ts";
import { orderPlan, refundBody, truncateUtf8 } from "./requests.ts";
import { h5RedirectUrl } from "./shopper-actions.ts";
import { beijingDay, beijingRfc3339, isBillDate } from "./time.ts";
import {
  isConfigurationError,
  isOrderAlreadyPlaced,
  isOrderNotFound,
  isRetryLater,
  placedOrderToAuthorizeResult,
  refundToModifyResult,
  refundToRefundStatus,
  transactionToPaymentStatus,
} from "./transformers.ts";
import {
  parseError,
  parseNotification,
  parseRefund,
  parseTransaction,
  type WechatTransaction,
} from "./wire.ts";

const TRANSACTION_ID = "4200000985202406011234567890";

function transaction(overrides: Partial<WechatTransaction> = {}): WechatTransaction {
  return {
    mchid: "1900000109",
    appid: "wxd678efh567hg6787",
    outTradeNo: "pi_1_a1",
    transactionId: TRANSACTION_ID,
    tradeState: "SUCCESS",
    tradeStateDesc: "支付成功",
    total: 12_345n,
    currency: "CNY",
    ...overrides,
  };
}

describe("trade_state → PaymentStatus", () => {
  const authorized = {
    status: "authorized",
    connectorReference: TRANSACTION_ID,
    amount: 12_345n,
    currency: "cny",
    captured: true,
    capturedAmount: 12_345n,
  };
  const table: Array<[string, Partial<WechatTransaction>, unknown]> = [
    ["SUCCESS", {}, authorized],
    ["REFUND (paid, then refunded)", { tradeState: "REFUND" }, authorized],
    [
      "NOTPAY",
      { tradeState: "NOTPAY", transactionId: undefined },
      { status: "pending", connectorReference: "pi_1_a1" },
    ],
    [
      "USERPAYING",
      { tradeState: "USERPAYING", transactionId: undefined },
      { status: "pending", connectorReference: "pi_1_a1" },
    ],
    [
      "CLOSED",
      { tradeState: "CLOSED", transactionId: undefined },
      { status: "expired", connectorReference: "pi_1_a1" },
    ],
    [
      "REVOKED",
      { tradeState: "REVOKED", transactionId: undefined },
      { status: "expired", connectorReference: "pi_1_a1" },
    ],
    [
      "PAYERROR",
      { tradeState: "PAYERROR", transactionId: undefined, tradeStateDesc: "支付失败" },
      {
        status: "declined",
        declineCode: "generic_decline",
        connectorReference: "pi_1_a1",
        providerMessage: "支付失败",
      },
    ],
    ["an unknown state", { tradeState: "ACCEPT" }, { status: "pending", connectorReference: "pi_1_a1" }],
    [
      "SUCCESS without a transaction_id",
      { transactionId: undefined },
      { status: "pending", connectorReference: "pi_1_a1" },
    ],
  ];
  for (const [name, overrides, expected] of table) {
    test(name, () => assert.deepEqual(transactionToPaymentStatus(transaction(overrides)), expected));
  }
});

describe("refund status → RefundStatus and ModifyResult", () => {
  const refund = (status: string) => ({
    outRefundNo: "re_1",
    refundId: "50000000382019052709732678859",
    outTradeNo: "pi_1_a1",
    transactionId: TRANSACTION_ID,
    status,
    refund: 500n,
    currency: "CNY",
  });
  const table: Array<[string, unknown, unknown]> = [
    [
      "SUCCESS",
      {
        status: "succeeded",
        connectorReference: "50000000382019052709732678859",
        amount: 500n,
        currency: "cny",
      },
      {
        outcome: "succeeded",
        connectorReference: "50000000382019052709732678859",
        amount: 500n,
        currency: "cny",
      },
    ],
    [
      "PROCESSING",
      { status: "pending", connectorReference: "50000000382019052709732678859" },
      {
        outcome: "pending",
        connectorReference: "50000000382019052709732678859",
        reason: "refund_processing",
      },
    ],
    [
      "ABNORMAL",
      { status: "failed", reason: "refund_abnormal" },
      { outcome: "failed", reason: "refund_abnormal" },
    ],
    ["CLOSED", { status: "failed", reason: "refund_closed" }, { outcome: "failed", reason: "refund_closed" }],
    [
      "SOMETHING_NEW",
      { status: "pending", connectorReference: "50000000382019052709732678859" },
      {
        outcome: "pending",
        connectorReference: "50000000382019052709732678859",
        reason: "refund_something_new",
      },
    ],
  ];
  for (const [status, asStatus, asResult] of table) {
    test(status, () => {
      assert.deepEqual(refundToRefundStatus(refund(status)), asStatus);
      assert.deepEqual(refundToModifyResult(refund(status)), asResult);
    });
  }
});

describe("an order placed before, as the answer to placing it again", () => {
  test("paid, failed, closed, waiting", () => {
    assert.deepEqual(placedOrderToAuthorizeResult(transactionToPaymentStatus(transaction()), "orderpaid"), {
      outcome: "authorized",
      connectorReference: TRANSACTION_ID,
      amount: 12_345n,
      currency: "cny",
      captured: true,
    });
    const failed = transactionToPaymentStatus(transaction({ tradeState: "PAYERROR", tradeStateDesc: "x" }));
    assert.equal(placedOrderToAuthorizeResult(failed, "r").outcome, "declined");
    const closed = transactionToPaymentStatus(transaction({ tradeState: "CLOSED" }));
    assert.deepEqual(placedOrderToAuthorizeResult(closed, "order_closed"), {
      outcome: "declined",
      declineCode: "processing_error",
      connectorReference: "pi_1_a1",
      providerMessage: "the order with this out_trade_no is closed",
    });
    const waiting = transactionToPaymentStatus(transaction({ tradeState: "NOTPAY" }));
    assert.deepEqual(placedOrderToAuthorizeResult(waiting, "out_trade_no_used"), {
      outcome: "pending",
      connectorReference: "pi_1_a1",
      reason: "out_trade_no_used",
    });
  });
});

describe("error classes", () => {
  const error = (code: string) => ({ code, message: "m" });
  test("not found, retry later, already placed, configuration", () => {
    assert.equal(isOrderNotFound(404, error("ORDER_NOT_EXIST")), true);
    assert.equal(isOrderNotFound(404, error("ORDERNOTEXIST")), true);
    assert.equal(isOrderNotFound(404, error("RESOURCE_NOT_EXISTS")), true);
    assert.equal(isOrderNotFound(400, error("PARAM_ERROR")), false);
    assert.equal(isOrderNotFound(404, error("NO_AUTH")), false);
    for (const code of ["SYSTEM_ERROR", "FREQUENCY_LIMITED", "BANK_ERROR"])
      assert.equal(isRetryLater(error(code)), true);
    assert.equal(isRetryLater(error("INVALID_REQUEST")), false);
    for (const code of ["ORDERPAID", "ORDER_CLOSED", "OUT_TRADE_NO_USED"]) {
      assert.equal(isOrderAlreadyPlaced(error(code)), true);
    }
    assert.equal(isConfigurationError(error("SIGN_ERROR")), true);
    assert.equal(isConfigurationError(error("MCH_NOT_EXISTS")), true);
    assert.equal(isConfigurationError(null), false);
  });
});

describe("wire readers refuse what is not definite", () => {
  const order = {
    mchid: "1900000109",
    out_trade_no: "pi_1_a1",
    transaction_id: TRANSACTION_ID,
    trade_state: "SUCCESS",
    amount: { total: 100, currency: "CNY" },
  };
  test("orders", () => {
    assert.equal(parseTransaction(order)?.total, 100n);
    assert.equal(parseTransaction({ ...order, amount: { total: 1.5, currency: "CNY" } }), null);
    assert.equal(parseTransaction({ ...order, amount: { total: -1, currency: "CNY" } }), null);
    assert.equal(parseTransaction({ ...order, amount: { total: "100", currency: "CNY" } }), null);
    assert.equal(parseTransaction({ ...order, trade_state: undefined }), null);
    assert.equal(parseTransaction([order]), null);
    assert.equal(parseTransaction(null), null);
  });

  test("refunds, as an answer and as a notification resource", () => {
    const answer = parseRefund({
      out_refund_no: "re_1",
      refund_id: "5000",
      status: "SUCCESS",
      amount: { refund: 60, total: 100, currency: "CNY" },
    });
    assert.deepEqual([answer?.status, answer?.refund, answer?.currency], ["SUCCESS", 60n, "CNY"]);
    const resource = parseRefund({
      out_refund_no: "re_1",
      refund_id: "5000",
      refund_status: "CLOSED",
      amount: { refund: 60 },
    });
    assert.deepEqual([resource?.status, resource?.currency], ["CLOSED", "CNY"]);
    assert.equal(
      parseRefund({ out_refund_no: "re_1", refund_id: "5000", status: "SUCCESS", amount: {} }),
      null,
    );
  });

  test("errors and notifications", () => {
    assert.deepEqual(parseError({ code: "PARAM_ERROR", message: "bad" }), {
      code: "PARAM_ERROR",
      message: "bad",
    });
    assert.equal(parseError({ message: "no code" }), null);
    assert.equal(parseNotification({ id: "EV-1" }), null);
    assert.equal(
      parseNotification({ id: "EV-1", event_type: "X", resource: { algorithm: "A" } })?.resource,
      undefined,
    );
  });
});

function localRequest(overrides: Partial<LocalPaymentRequest> = {}): LocalPaymentRequest {
  return {
    reference: "pi_2x8Kq0_a1",
    paymentIntentId: "pi_2x8Kq0",
    amount: 12_345n,
    currency: "cny",
    method: "wechat_pay",
    channel: "qr",
    capture: true,
    returnUrl: "https://payrail.example/return",
    description: "Tea",
    expiresAt: new Date("2024-06-01T10:15:30.900Z"),
    shopper: {},
    ...overrides,
  };
}

describe("order bodies", () => {
  const merchant = { mchid: "1900000109", appid: "wxd678efh567hg6787" };
  const notify = "https://payrail.example/v1/hooks/wechat_pay/mca_1";

  test("every channel goes to its order kind with the common fields", () => {
    const kinds: Record<ShopperChannel, string> = {
      qr: "native",
      web: "native",
      mobile_web: "h5",
      in_app: "jsapi",
      app: "app",
    };
    for (const [channel, kind] of Object.entries(kinds) as Array<[ShopperChannel, string]>) {
      const plan = orderPlan(localRequest({ channel, shopper: { openId: "o1" } }), merchant, notify);
      assert.ok(plan.ok);
      assert.equal(plan.kind, kind);
      assert.deepEqual(
        { ...plan.body, payer: undefined, scene_info: undefined },
        {
          appid: merchant.appid,
          mchid: merchant.mchid,
          description: "Tea",
          out_trade_no: "pi_2x8Kq0_a1",
          time_expire: "2024-06-01T18:15:30+08:00",
          notify_url: notify,
          amount: { total: 12_345, currency: "CNY" },
          payer: undefined,
          scene_info: undefined,
        },
      );
    }
  });

  test("JSAPI names the payer; H5 gives the scene", () => {
    const jsapi = orderPlan(
      localRequest({ channel: "in_app", shopper: { openId: "oUpF8u" } }),
      merchant,
      notify,
    );
    assert.ok(jsapi.ok);
    assert.deepEqual(jsapi.body.payer, { openid: "oUpF8u" });
    const h5 = orderPlan(
      localRequest({ channel: "mobile_web", shopper: { ip: "203.0.113.9" } }),
      merchant,
      notify,
    );
    assert.ok(h5.ok);
    assert.deepEqual(h5.body.scene_info, { payer_client_ip: "203.0.113.9", h5_info: { type: "Wap" } });
    const ios = orderPlan(
      localRequest({ channel: "mobile_web", shopper: { device: "ios" } }),
      merchant,
      notify,
    );
    assert.ok(ios.ok);
    assert.deepEqual(ios.body.scene_info, { payer_client_ip: "127.0.0.1", h5_info: { type: "iOS" } });
  });

  test("refusals before any call", () => {
    const refused = (overrides: Partial<LocalPaymentRequest>) => {
      const plan = orderPlan(localRequest(overrides), merchant, notify);
      return plan.ok ? null : [plan.declineCode, plan.message];
    };
    assert.deepEqual(refused({ currency: "usd" }), ["currency_not_supported", "WeChat Pay takes CNY only"]);
    assert.deepEqual(refused({ channel: "in_app" }), [
      "processing_error",
      "openid is required: WeChat Pay in_app (JSAPI) needs the shopper's openid",
    ]);
    assert.equal(refused({ amount: 0n })?.[1], "amount out of range");
    assert.equal(refused({ amount: 2n ** 60n })?.[1], "amount out of range");
    assert.equal(refused({ reference: "short" })?.[1], "reference is not a valid out_trade_no");
    assert.equal(refused({ method: "alipay" })?.[1], "WeChat Pay does not take alipay");
  });

  test("descriptions are cut to 127 bytes without splitting a character", () => {
    const long = "商".repeat(50);
    const plan = orderPlan(localRequest({ description: long }), merchant, notify);
    assert.ok(plan.ok);
    assert.equal(plan.body.description, "商".repeat(42));
    assert.equal(truncateUtf8("abc", 2), "ab");
    assert.equal(truncateUtf8("a😀", 4), "a");
  });

  test("refund bodies name the order by transaction_id when known", () => {
    assert.deepEqual(
      refundBody(
        { transactionId: TRANSACTION_ID, outTradeNo: "pi_1_a1", total: 100n },
        { reference: "re_1", amount: 40n },
        notify,
      ),
      {
        transaction_id: TRANSACTION_ID,
        out_refund_no: "re_1",
        notify_url: notify,
        amount: { refund: 40, total: 100, currency: "CNY" },
      },
    );
    assert.deepEqual(
      refundBody({ outTradeNo: "pi_1_a1", total: 100n }, { reference: "re_1", amount: 40n }, notify)
        .out_trade_no,
      "pi_1_a1",
    );
  });

  test("the H5 return address is appended URL-encoded", () => {
    assert.equal(
      h5RedirectUrl(
        "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1&package=2",
        "https://p.example/r?a=1&b=2",
      ),
      "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1&package=2&redirect_url=https%3A%2F%2Fp.example%2Fr%3Fa%3D1%26b%3D2",
    );
    assert.equal(
      h5RedirectUrl("https://h5.example/pay", "https://r"),
      "https://h5.example/pay?redirect_url=https%3A%2F%2Fr",
    );
  });
});

describe("Beijing time", () => {
  test("RFC 3339 at +08:00, Beijing days, bill dates", () => {
    assert.equal(beijingRfc3339(new Date("2024-12-31T16:00:00.999Z")), "2025-01-01T00:00:00+08:00");
    assert.equal(beijingRfc3339(new Date("2024-06-01T02:03:04Z")), "2024-06-01T10:03:04+08:00");
    assert.equal(beijingDay(new Date("2024-03-10T15:59:59Z")), "2024-03-10");
    assert.equal(beijingDay(new Date("2024-03-10T16:00:00Z")), "2024-03-11");
    assert.equal(isBillDate("2024-02-29"), true);
    assert.equal(isBillDate("2023-02-29"), false);
    assert.equal(isBillDate("2024-3-1"), false);
  });
});

describe("bill amounts and files", () => {
  test("yuan to fen, exactly", () => {
    const table: Array<[string, bigint | null]> = [
      ["1299.02", 129_902n],
      ["0.01", 1n],
      ["7.79000", 779n],
      ["-0.12000", -12n],
      ["12", 1_200n],
      ["0.5", 50n],
      ["0.00100", null],
      ["abc", null],
      ["", null],
    ];
    for (const [text, fen] of table) assert.equal(yuanToFen(text), fen, text);
  });

  test("a bill with a comma inside a field, and files that are not bills", () => {
    const header = "交易时间,商户订单号,商品名称,应结订单金额,手续费";
    const file = Buffer.from(
      `\uFEFF${header}\r\n\`2024-03-10 23:30:00,\`pi_1_a1,\`tea, green,\`1.00,\`0.01000\r\n总交易单数,手续费总金额\r\n\`1,\`0.01000\r\n`,
    );
    const bill = parseTradeBill(file);
    assert.equal(bill.rows[0]?.description, "tea, green");
    assert.equal(bill.rows[0]?.settlementAmount, 100n);
    assert.deepEqual([bill.summary.count, bill.summary.feeTotal], [1, 1n]);
    assert.throws(() => parseTradeBill(Buffer.from("")));
    assert.throws(() => parseTradeBill(Buffer.from(`${header}\r\n\`a,\`b\r\n`)));
  });
});
