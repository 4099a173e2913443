/**
 * The trade bill file exactly as WeChat Pay serves it: UTF-8 with a byte-order mark, CRLF line ends, a plain
 * header row, detail rows whose every field starts with a backtick (so spreadsheets keep long digit strings),
 * then the summary header and the backtick-prefixed summary row. Amounts are yuan; fees have five decimals.
 */
import type { Merchant } from "./merchants.ts";
import type { Order, Refund, Store } from "./store.ts";
import { billTime } from "./time.ts";

export const DETAIL_HEADER = [
  "交易时间",
  "公众账号ID",
  "商户号",
  "特约商户号",
  "设备号",
  "微信订单号",
  "商户订单号",
  "用户标识",
  "交易类型",
  "交易状态",
  "付款银行",
  "货币种类",
  "应结订单金额",
  "代金券金额",
  "微信退款单号",
  "商户退款单号",
  "退款金额",
  "充值券退款金额",
  "退款类型",
  "退款状态",
  "商品名称",
  "商户数据包",
  "手续费",
  "费率",
  "订单金额",
  "申请退款金额",
  "费率备注",
] as const;

export const SUMMARY_HEADER = [
  "总交易单数",
  "应结订单总金额",
  "退款总金额",
  "充值券退款总金额",
  "手续费总金额",
  "订单总金额",
  "申请退款总金额",
] as const;

export type BillType = "ALL" | "SUCCESS" | "REFUND";

/** One detail line; amounts in fen, the fee in fen too (negative on refund lines). */
export interface BillRow {
  time: Date;
  appid: string;
  mchid: string;
  transactionId: string;
  outTradeNo: string;
  openid: string;
  tradeType: string;
  tradeState: "SUCCESS" | "REFUND";
  bankType: string;
  settlementAmount: bigint;
  refundId: string;
  outRefundNo: string;
  refundAmount: bigint;
  refundType: string;
  refundStatus: string;
  description: string;
  attach: string;
  fee: bigint;
  feeRateBasisPoints: number;
  orderAmount: bigint;
  requestedRefund: bigint;
}

function yuan(fen: bigint, decimals = 2): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const whole = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, "0").padEnd(decimals, "0");
  return `${negative ? "-" : ""}${whole}.${cents}`;
}

function rate(basisPoints: number): string {
  return `${yuan(BigInt(basisPoints))}%`;
}

/** Bill cells cannot hold line breaks. */
const cell = (text: string) => text.replace(/[\r\n]+/g, " ");

/** Round half up, per transaction, to the fen; WeChat prints it with five decimals. */
export function feeFor(amount: bigint, basisPoints: number): bigint {
  return (amount * BigInt(basisPoints) * 2n + 10_000n) / 20_000n;
}

function detailLine(row: BillRow): string {
  const fields = [
    billTime(row.time),
    row.appid,
    row.mchid,
    "0",
    "",
    row.transactionId,
    row.outTradeNo,
    row.openid,
    row.tradeType,
    row.tradeState,
    row.bankType,
    "CNY",
    yuan(row.settlementAmount),
    "0.00",
    row.refundId,
    row.outRefundNo,
    yuan(row.refundAmount),
    "0.00",
    row.refundType,
    row.refundStatus,
    cell(row.description),
    cell(row.attach),
    yuan(row.fee, 5),
    rate(row.feeRateBasisPoints),
    yuan(row.orderAmount),
    yuan(row.requestedRefund),
    "",
  ];
  return fields.map((field) => `\`${field}`).join(",");
}

export function formatTradeBill(rows: readonly BillRow[]): Buffer {
  const sum = (pick: (row: BillRow) => bigint) => rows.reduce((total, row) => total + pick(row), 0n);
  const summary = [
    String(rows.length),
    yuan(sum((row) => row.settlementAmount)),
    yuan(sum((row) => row.refundAmount)),
    "0.00",
    yuan(
      sum((row) => row.fee),
      5,
    ),
    yuan(sum((row) => row.orderAmount)),
    yuan(sum((row) => row.requestedRefund)),
  ];
  const lines = [
    DETAIL_HEADER.join(","),
    ...rows.map(detailLine),
    SUMMARY_HEADER.join(","),
    summary.map((field) => `\`${field}`).join(","),
  ];
  return Buffer.from(`\uFEFF${lines.map((line) => `${line}\r\n`).join("")}`, "utf8");
}

function paymentRow(order: Order, merchant: Merchant): BillRow {
  return {
    time: order.successTime as Date,
    appid: order.appid,
    mchid: order.mchid,
    transactionId: order.transactionId ?? "",
    outTradeNo: order.outTradeNo,
    openid: order.payerOpenid ?? "",
    tradeType: order.tradeType,
    tradeState: "SUCCESS",
    bankType: order.bankType ?? "OTHERS",
    settlementAmount: order.total,
    refundId: "0",
    outRefundNo: "0",
    refundAmount: 0n,
    refundType: "",
    refundStatus: "",
    description: order.description,
    attach: order.attach ?? "",
    fee: feeFor(order.total, merchant.feeRateBasisPoints),
    feeRateBasisPoints: merchant.feeRateBasisPoints,
    orderAmount: order.total,
    requestedRefund: 0n,
  };
}

function refundRow(refund: Refund, merchant: Merchant): BillRow {
  const order = refund.order;
  return {
    ...paymentRow(order, merchant),
    time: refund.successTime as Date,
    tradeState: "REFUND",
    settlementAmount: 0n,
    refundId: refund.refundId,
    outRefundNo: refund.outRefundNo,
    refundAmount: refund.amount,
    refundType: "ORIGINAL",
    refundStatus: "SUCCESS",
    fee: -feeFor(refund.amount, merchant.feeRateBasisPoints),
    orderAmount: 0n,
    requestedRefund: refund.amount,
  };
}

const within = (at: Date | undefined, day: { start: Date; end: Date }) =>
  at !== undefined && at.getTime() >= day.start.getTime() && at.getTime() < day.end.getTime();

/** Payments that succeeded and refunds that succeeded within the Beijing day, in time order. */
export function tradeBillRows(
  store: Store,
  merchant: Merchant,
  day: { start: Date; end: Date },
  billType: BillType,
): BillRow[] {
  const rows: BillRow[] = [];
  if (billType !== "REFUND") {
    for (const order of store.orders(merchant.mchid)) {
      if (within(order.successTime, day)) rows.push(paymentRow(order, merchant));
    }
  }
  if (billType !== "SUCCESS") {
    for (const refund of store.refunds(merchant.mchid)) {
      if (refund.status === "SUCCESS" && within(refund.successTime, day))
        rows.push(refundRow(refund, merchant));
    }
  }
  return rows.sort((a, b) => a.time.getTime() - b.time.getTime());
}
