/**
 * alipay.data.dataservice.bill.downloadurl.query (bill_type "trade") and the file its URL serves: a ZIP
 * (fileType csv.zip) holding the GBK-encoded, CRLF-separated CSVs "<account>_<yyyyMMdd>_业务明细.csv" and
 * "<account>_<yyyyMMdd>_业务明细(汇总).csv", where the account is the PID followed by "0156". Detail values
 * that Excel would mangle carry a trailing tab, as Alipay writes them. A download URL works for 30 s.
 */
import iconv from "iconv-lite";
import { beijingDate, beijingDateTime, beijingDayStart } from "./clock.ts";
import type { Context } from "./context.ts";
import { type AlipayError, errors } from "./errors.ts";
import { type Biz, bizString } from "./gateway.ts";
import { formatYuan } from "./money.ts";
import type { App, Trade } from "./store.ts";
import { SUCCESS } from "./wire.ts";
import { writeZip } from "./zip.ts";

export const BILL_LINK_TTL_MS = 30_000;
export const BILL_PATH = "/downloadBillFile.resource";

const DETAIL_COLUMNS = [
  "支付宝交易号",
  "商户订单号",
  "业务类型",
  "商品名称",
  "创建时间",
  "完成时间",
  "门店编号",
  "门店名称",
  "操作员",
  "终端号",
  "对方账户",
  "订单金额（元）",
  "商家实收（元）",
  "支付宝红包（元）",
  "集分宝（元）",
  "支付宝优惠（元）",
  "商家优惠（元）",
  "券核销金额（元）",
  "券名称",
  "商家红包消费金额（元）",
  "卡消费金额（元）",
  "退款批次号/请求号",
  "服务费（元）",
  "分润（元）",
  "备注",
];

const SUMMARY_COLUMNS = [
  "门店编号",
  "门店名称",
  "交易订单总笔数",
  "退款订单总笔数",
  "订单金额（元）",
  "商家实收（元）",
  "支付宝优惠（元）",
  "商家优惠（元）",
  "卡消费金额（元）",
  "服务费（元）",
  "分润（元）",
  "实收净额（元）",
];

interface Period {
  start: Date;
  end: Date;
  /** yyyyMMdd or yyyyMM, as in the file names. */
  compact: string;
}

function periodOf(billDate: string): Period | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(billDate)) {
    const start = beijingDayStart(billDate);
    if (!start) return null;
    return { start, end: new Date(start.getTime() + 86_400_000), compact: billDate.replaceAll("-", "") };
  }
  if (/^\d{4}-\d{2}$/.test(billDate)) {
    const start = beijingDayStart(`${billDate}-01`);
    if (!start) return null;
    const [year, month] = billDate.split("-").map(Number) as [number, number];
    const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
    return { start, end: beijingDayStart(next)!, compact: billDate.replaceAll("-", "") };
  }
  return null;
}

const account = (app: App) => `${app.sellerId}0156`;

export function billDownloadUrlQuery(
  ctx: Context,
  app: App,
  biz: Biz,
): Record<string, unknown> | AlipayError {
  const billType = bizString(biz, "bill_type");
  if (billType !== "trade" && billType !== "signcustomer") return errors.invalidParameter("bill_type");
  const billDate = bizString(biz, "bill_date") ?? "";
  const period = periodOf(billDate);
  if (!period) return errors.invalidParameter("bill_date");
  // Day bills exist from the next day (T+1), month bills from the next month; funds bills are not simulated.
  if (
    billType === "signcustomer" ||
    period.end.getTime() > beijingDayStart(beijingDate(ctx.now()))!.getTime()
  ) {
    return errors.billNotExist();
  }
  const token = ctx.ids.token();
  const issuedAt = ctx.now();
  ctx.store.billLinks.set(token, { appId: app.appId, billDate, issuedAt });
  const fileName = `${account(app)}_${period.compact}.csv.zip`;
  const query = new URLSearchParams({
    bizType: "trade",
    userId: account(app),
    fileType: "csv.zip",
    bizDates: period.compact,
    downloadFileName: fileName,
    timestamp: String(issuedAt.getTime()),
    token,
  });
  return { ...SUCCESS, bill_download_url: `${ctx.baseUrl()}${BILL_PATH}?${query}` };
}

export type BillDownload = { ok: true; fileName: string; zip: Buffer } | { ok: false; message: string };

export function downloadBill(ctx: Context, token: string): BillDownload {
  const link = ctx.store.billLinks.get(token);
  if (!link) return { ok: false, message: "账单不存在" };
  if (ctx.now().getTime() - link.issuedAt.getTime() > BILL_LINK_TTL_MS) {
    return { ok: false, message: "下载超时，请重新下载" };
  }
  const app = ctx.store.apps.get(link.appId)!;
  const period = periodOf(link.billDate)!;
  const base = `${account(app)}_${period.compact}`;
  const detail = detailCsv(ctx, app, period);
  const summary = summaryCsv(ctx, app, period, detail.totals);
  const modified = ctx.now();
  const zip = writeZip([
    { name: `${base}_业务明细.csv`, data: iconv.encode(detail.text, "gbk"), modified },
    { name: `${base}_业务明细(汇总).csv`, data: iconv.encode(summary, "gbk"), modified },
  ]);
  return { ok: true, fileName: `${base}.csv.zip`, zip };
}

const cn = (date: Date) => {
  const [day, time] = beijingDateTime(date).split(" ") as [string, string];
  const [y, m, d] = day.split("-");
  return `${y}年${m}月${d}日 ${time}`;
};
const tab = (value: string) => `${value}\t`;
const within = (at: Date | null, period: Period) =>
  at !== null && at.getTime() >= period.start.getTime() && at.getTime() < period.end.getTime();

interface Totals {
  payments: number;
  refunds: number;
  orderFen: bigint;
  receivedFen: bigint;
  feeFen: bigint;
}

function fee(ctx: Context, amountFen: bigint): bigint {
  // Half-up rounding to the fen.
  return (amountFen * ctx.serviceFeeBp + 5_000n) / 10_000n;
}

function counterparty(trade: Trade): string {
  return trade.buyer ? `**买(${trade.buyer.logonId})` : "";
}

function detailRow(
  trade: Trade,
  kind: "交易" | "退款",
  finished: Date,
  receivedFen: bigint,
  feeFen: bigint,
  requestNo: string,
) {
  return [
    tab(trade.tradeNo ?? ""),
    tab(trade.outTradeNo),
    tab(kind),
    trade.subject.replaceAll(",", "，"),
    beijingDateTime(trade.gmtCreate ?? trade.placedAt),
    beijingDateTime(finished),
    tab(""),
    tab(""),
    tab(""),
    tab(""),
    tab(counterparty(trade)),
    formatYuan(trade.totalFen),
    formatYuan(receivedFen),
    "0.00",
    "0.00",
    "0.00",
    "0.00",
    "0.00",
    "",
    tab("0.00"),
    "0.00",
    tab(requestNo),
    formatYuan(feeFen),
    "0.00",
    "",
  ].join(",");
}

function detailCsv(ctx: Context, app: App, period: Period): { text: string; totals: Totals } {
  const totals: Totals = { payments: 0, refunds: 0, orderFen: 0n, receivedFen: 0n, feeFen: 0n };
  const rows: Array<{ at: number; line: string }> = [];
  let refundReceivedFen = 0n;
  for (const trade of ctx.store.forApp(app.appId)) {
    if (within(trade.gmtPayment, period)) {
      const charged = -fee(ctx, trade.totalFen);
      rows.push({
        at: trade.gmtPayment!.getTime(),
        line: detailRow(trade, "交易", trade.gmtPayment!, trade.totalFen, charged, ""),
      });
      totals.payments += 1;
      totals.orderFen += trade.totalFen;
      totals.receivedFen += trade.totalFen;
      totals.feeFen += charged;
    }
    for (const refund of trade.refunds) {
      if (!within(refund.at, period)) continue;
      const returned = fee(ctx, refund.amountFen);
      rows.push({
        at: refund.at.getTime(),
        line: detailRow(trade, "退款", refund.at, -refund.amountFen, returned, refund.outRequestNo),
      });
      totals.refunds += 1;
      totals.receivedFen -= refund.amountFen;
      totals.feeFen += returned;
      refundReceivedFen -= refund.amountFen;
    }
  }
  rows.sort((a, b) => a.at - b.at);
  const lines = [
    "#支付宝业务明细查询",
    `#账号：[${account(app)}]`,
    `#起始日期：[${cn(period.start)}]   终止日期：[${cn(period.end)}]`,
    "#-----------------------------------------业务明细列表----------------------------------------",
    DETAIL_COLUMNS.join(","),
    ...rows.map((row) => row.line),
    "#-----------------------------------------业务明细列表结束------------------------------------",
    `#交易合计：${totals.payments}笔，商家实收共${formatYuan(totals.receivedFen - refundReceivedFen)}元，商家优惠共0.00元`,
    `#退款合计：${totals.refunds}笔，商家实收退款共${formatYuan(refundReceivedFen)}元，商家优惠退款共0.00元`,
    `#导出时间：[${cn(ctx.now())}]`,
  ];
  return { text: `${lines.join("\r\n")}\r\n`, totals };
}

function summaryCsv(ctx: Context, app: App, period: Period, totals: Totals): string {
  const net = totals.receivedFen + totals.feeFen;
  const lines = [
    "#支付宝业务汇总查询",
    `#账号：[${account(app)}]`,
    `#起始日期：[${cn(period.start)}]   终止日期：[${cn(period.end)}]`,
    "#-----------------------------------------业务汇总列表----------------------------------------",
    SUMMARY_COLUMNS.join(","),
    [
      "合计",
      "",
      totals.payments,
      totals.refunds,
      formatYuan(totals.orderFen),
      formatYuan(totals.receivedFen),
      "0.00",
      "0.00",
      "0.00",
      formatYuan(totals.feeFen),
      "0.00",
      formatYuan(net),
    ].join(","),
    "#-----------------------------------------业务汇总列表结束-----------------------------------",
    `#导出时间：[${cn(ctx.now())}]`,
  ];
  return `${lines.join("\r\n")}\r\n`;
}
