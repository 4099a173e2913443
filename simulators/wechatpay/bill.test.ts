import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { type BillRow, feeFor, formatTradeBill } from "./bill.ts";
import { castCsvBill } from "./test-support.ts";

/** Three 0.01 yuan Native payments from a bill WeChat Pay served, with its published SHA-1 hash_value. */
const PUBLISHED_SAMPLE = {
  hashValue: "dcd7ceb3d382a1181798368bb15d8437de46c00f",
  payments: [
    ["2021-01-28T17:07:11+08:00", "4200000925202101284997714292", "S20210128170702357723"],
    ["2021-01-28T15:35:18+08:00", "4200000910202101282955148400", "S20210128153505214586"],
    ["2021-01-28T16:59:46+08:00", "4200000926202101281412639609", "S20210128165824499930"],
  ],
};

function samplePayment([time, transactionId, outTradeNo]: string[]): BillRow {
  return {
    time: new Date(time ?? ""),
    appid: "wx81be3101902f7cb2",
    mchid: "1601959334",
    transactionId: transactionId ?? "",
    outTradeNo: outTradeNo ?? "",
    openid: "ofyak5qR_1wYsC99CsWA6R9MJazA",
    tradeType: "NATIVE",
    tradeState: "SUCCESS",
    bankType: "OTHERS",
    settlementAmount: 1n,
    refundId: "0",
    outRefundNo: "0",
    refundAmount: 0n,
    refundType: "",
    refundStatus: "",
    description: "for testing",
    attach: "cipher code",
    fee: feeFor(1n, 100),
    feeRateBasisPoints: 100,
    orderAmount: 1n,
    requestedRefund: 0n,
  };
}

describe("trade bill format", () => {
  it("reproduces a bill WeChat Pay served, byte for byte (its published SHA-1 matches)", () => {
    const file = formatTradeBill(PUBLISHED_SAMPLE.payments.map(samplePayment));
    assert.equal(createHash("sha1").update(file).digest("hex"), PUBLISHED_SAMPLE.hashValue);
    assert.deepEqual([...file.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  });

  it("is read by the official package's castCsvBill", () => {
    const refund: BillRow = {
      ...samplePayment(PUBLISHED_SAMPLE.payments[0] as string[]),
      tradeState: "REFUND",
      settlementAmount: 0n,
      refundId: "50300807092021020105990201735",
      outRefundNo: "R1",
      refundAmount: 1n,
      refundType: "ORIGINAL",
      refundStatus: "SUCCESS",
      orderAmount: 0n,
      requestedRefund: 1n,
      description: "商品, with a comma",
    };
    const file = formatTradeBill([samplePayment(PUBLISHED_SAMPLE.payments[1] as string[]), refund]);
    const { rows, summary } = castCsvBill(file);
    assert.equal(rows.length, 2);
    assert.equal(rows[0]?.微信订单号, "4200000910202101282955148400");
    assert.equal(rows[0]?.交易时间, "2021-01-28 15:35:18");
    assert.equal(rows[1]?.交易状态, "REFUND");
    assert.equal(rows[1]?.商品名称, "商品, with a comma");
    assert.equal(rows[1]?.微信退款单号, "50300807092021020105990201735");
    assert.deepEqual(summary, {
      总交易单数: "2",
      应结订单总金额: "0.01",
      退款总金额: "0.01",
      充值券退款总金额: "0.00",
      手续费总金额: "0.00000",
      订单总金额: "0.01",
      申请退款总金额: "0.01",
    });
  });

  it("rounds each fee half up to the fen and prints five decimals", () => {
    assert.equal(feeFor(129902n, 60), 779n);
    assert.equal(feeFor(1n, 100), 0n);
    assert.equal(feeFor(50n, 100), 1n);
    const file = formatTradeBill([
      { ...samplePayment(PUBLISHED_SAMPLE.payments[0] as string[]), fee: -779n },
    ]);
    assert.match(file.toString("utf8"), /`-7\.79000,`1\.00%,/);
  });
});
