/**
 * WeChat Pay's trade bill file: UTF-8 with a byte-order mark, CRLF, a plain header row, detail rows whose
 * every field starts with a backtick (so spreadsheets keep long digit strings as text), then the summary
 * header and its backtick-prefixed row. Amounts are yuan with two decimals (fees with five), read here as
 * exact fen without floating point.
 */

export interface TradeBillRow {
  /** Beijing time as printed, yyyy-MM-dd HH:mm:ss. */
  tradeTime: string;
  appid: string;
  mchid: string;
  transactionId: string;
  outTradeNo: string;
  tradeType: string;
  /** SUCCESS for a payment line, REFUND for a refund line. */
  tradeState: string;
  currency: string;
  /** 应结订单金额, in fen. */
  settlementAmount: bigint | null;
  refundId: string;
  outRefundNo: string;
  /** 退款金额, in fen. */
  refundAmount: bigint | null;
  refundStatus: string;
  description: string;
  attach: string;
  /** 手续费 in fen (negative on refund lines); null when it is not a whole number of fen. */
  fee: bigint | null;
  /** 订单金额, in fen. */
  orderAmount: bigint | null;
  /** Every column by WeChat's own (Chinese) header, as printed. */
  columns: Record<string, string>;
}

export interface TradeBillSummary {
  count: number;
  settlementTotal: bigint | null;
  refundTotal: bigint | null;
  feeTotal: bigint | null;
  orderTotal: bigint | null;
  columns: Record<string, string>;
}

export interface TradeBill {
  rows: TradeBillRow[];
  summary: TradeBillSummary;
}

/** "1299.02" → 129902n, "-0.12000" → -12n; null when it is not a whole number of fen. */
export function yuanToFen(text: string): bigint | null {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const [, sign, whole, decimals = ""] = match;
  if (/[1-9]/.test(decimals.slice(2))) return null;
  const fen = BigInt(whole ?? "0") * 100n + BigInt(decimals.slice(0, 2).padEnd(2, "0"));
  return sign === "-" ? -fen : fen;
}

/** A data line: fields start with a backtick, so ",`" separates them even when a field holds a comma. */
function dataFields(line: string): string[] {
  if (!line.startsWith("`")) throw new Error("bill data line does not start with a backtick");
  return line.slice(1).split(",`");
}

function zip(header: string[], fields: string[]): Record<string, string> {
  if (header.length !== fields.length) {
    throw new Error(`bill line has ${fields.length} fields, its header ${header.length}`);
  }
  return Object.fromEntries(header.map((name, index) => [name, fields[index] ?? ""]));
}

function detailRow(columns: Record<string, string>): TradeBillRow {
  const at = (name: string) => columns[name] ?? "";
  return {
    tradeTime: at("交易时间"),
    appid: at("公众账号ID"),
    mchid: at("商户号"),
    transactionId: at("微信订单号"),
    outTradeNo: at("商户订单号"),
    tradeType: at("交易类型"),
    tradeState: at("交易状态"),
    currency: at("货币种类"),
    settlementAmount: yuanToFen(at("应结订单金额")),
    refundId: at("微信退款单号"),
    outRefundNo: at("商户退款单号"),
    refundAmount: yuanToFen(at("退款金额")),
    refundStatus: at("退款状态"),
    description: at("商品名称"),
    attach: at("商户数据包"),
    fee: yuanToFen(at("手续费")),
    orderAmount: yuanToFen(at("订单金额")),
    columns,
  };
}

function summaryRow(columns: Record<string, string>): TradeBillSummary {
  const at = (name: string) => columns[name] ?? "";
  return {
    count: Number.parseInt(at("总交易单数"), 10),
    settlementTotal: yuanToFen(at("应结订单总金额")),
    refundTotal: yuanToFen(at("退款总金额")),
    feeTotal: yuanToFen(at("手续费总金额")),
    orderTotal: yuanToFen(at("订单总金额")),
    columns,
  };
}

/** Throws when the file is not shaped like a trade bill. */
export function parseTradeBill(file: Buffer): TradeBill {
  const text = file.toString("utf8").replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/).filter((line) => line !== "");
  const [detailHeaderLine, ...rest] = lines;
  if (detailHeaderLine === undefined) throw new Error("empty bill");
  const detailHeader = detailHeaderLine.split(",");
  const summaryAt = rest.findIndex((line) => !line.startsWith("`"));
  if (summaryAt < 0 || rest.length !== summaryAt + 2) throw new Error("bill has no summary section");
  const summaryHeader = (rest[summaryAt] ?? "").split(",");
  return {
    rows: rest.slice(0, summaryAt).map((line) => detailRow(zip(detailHeader, dataFields(line)))),
    summary: summaryRow(zip(summaryHeader, dataFields(rest[summaryAt + 1] ?? ""))),
  };
}
