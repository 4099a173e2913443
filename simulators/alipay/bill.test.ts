import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import iconv from "iconv-lite";
import { type Harness, manualClock, paidTrade, readZip, SELLER_ID, startHarness } from "./test-support.ts";

// 2024-03-01 10:00 Beijing.
const clock = manualClock("2024-03-01T02:00:00Z");
let h: Harness;

before(async () => {
  h = await startHarness({ now: clock.now });
});
after(async () => {
  await h.sim.close();
});

const billUrl = (billDate: string) =>
  h.sdk.exec(
    "alipay.data.dataservice.bill.downloadurl.query",
    { bizContent: { bill_type: "trade", bill_date: billDate } },
    { validateSign: true },
  );

test("the daily trade bill: a ZIP of GBK CSVs with Alipay's headers, rows and totals", async () => {
  const first = await paidTrade(h, "100.00");
  const second = await paidTrade(h, "20.00");
  clock.advance(3_600_000);
  await h.sdk.exec("alipay.trade.refund", {
    bizContent: { out_trade_no: first.outTradeNo, refund_amount: "40.00", out_request_no: "rf-1" },
  });

  const today = await billUrl("2024-03-01");
  assert.equal(today.sub_code, "isp.bill_not_exist", "a day's bill exists from the next day");

  clock.advance(24 * 3_600_000);
  const answer = await billUrl("2024-03-01");
  assert.equal(answer.code, "10000");
  const link = new URL(answer.bill_download_url);
  assert.equal(link.searchParams.get("fileType"), "csv.zip");
  assert.equal(link.searchParams.get("userId"), `${SELLER_ID}0156`);
  assert.equal(link.searchParams.get("bizDates"), "20240301");

  const response = await fetch(link);
  const entries = readZip(Buffer.from(await response.arrayBuffer()));
  const names = entries.map((e) => e.name).sort();
  assert.deepEqual(names, [
    `${SELLER_ID}0156_20240301_业务明细(汇总).csv`,
    `${SELLER_ID}0156_20240301_业务明细.csv`,
  ]);

  const detail = iconv.decode(entries.find((e) => e.name.endsWith("_业务明细.csv"))!.data, "gbk");
  const lines = detail.split("\r\n");
  assert.equal(lines[0], "#支付宝业务明细查询");
  assert.equal(lines[1], `#账号：[${SELLER_ID}0156]`);
  assert.equal(lines[2], "#起始日期：[2024年03月01日 00:00:00]   终止日期：[2024年03月02日 00:00:00]");
  const header = lines[4]!.split(",");
  assert.equal(header.length, 25);
  assert.equal(header[0], "支付宝交易号");
  const rows = lines.filter((line) => /^\d{28}\t,/.test(line)).map((line) => line.split(","));
  assert.equal(rows.length, 3);
  const payment = rows.find((r) => r[1] === `${first.outTradeNo}\t` && r[2] === "交易\t")!;
  assert.equal(payment[0], `${first.tradeNo}\t`);
  assert.equal(payment[11], "100.00");
  assert.equal(payment[12], "100.00");
  assert.equal(payment[22], "-0.60");
  const refundRow = rows.find((r) => r[2] === "退款\t")!;
  assert.equal(refundRow[12], "-40.00");
  assert.equal(refundRow[21], "rf-1\t");
  assert.equal(refundRow[22], "0.24");
  assert.ok(rows.some((r) => r[1] === `${second.outTradeNo}\t`));
  assert.ok(lines.includes("#交易合计：2笔，商家实收共120.00元，商家优惠共0.00元"));
  assert.ok(lines.includes("#退款合计：1笔，商家实收退款共-40.00元，商家优惠退款共0.00元"));

  const summary = iconv.decode(entries.find((e) => e.name.includes("汇总"))!.data, "gbk").split("\r\n");
  const total = summary.find((line) => line.startsWith("合计"))!.split(",");
  assert.deepEqual(total.slice(2, 6), ["2", "1", "120.00", "80.00"]);
  assert.equal(total[9], "-0.48");
  assert.equal(total[11], "79.52");
});

test("a bill download link stops working after 30 seconds; bad dates and types are refused", async () => {
  const answer = await billUrl("2024-02-28");
  assert.equal(answer.code, "10000");
  clock.advance(31_000);
  const expired = await fetch(answer.bill_download_url);
  assert.match(await expired.text(), /下载超时/);
  assert.equal((await billUrl("2024-02-30")).sub_code, "isv.invalid-parameter");
  assert.equal((await billUrl("20240228")).sub_code, "isv.invalid-parameter");
  const month = await billUrl("2024-02");
  assert.equal(month.code, "10000");
  const thisMonth = await billUrl("2024-03");
  assert.equal(thisMonth.sub_code, "isp.bill_not_exist");
});
