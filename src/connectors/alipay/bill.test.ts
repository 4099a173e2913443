import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import iconv from "iconv-lite";
import { readZip } from "../../../simulators/alipay/test-support.ts";
import { beijingDateTime } from "./amounts.ts";
import { billDownloadUrl, downloadBill } from "./bill.ts";
import {
  cashierOfQr,
  type Harness,
  nextRef,
  paymentRequest,
  shopperActs,
  startHarness,
} from "./test-support.ts";

let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

test("the day's trade bill: URL from the gateway, ZIP from the URL, a GBK CSV line with our payment and refund", async () => {
  const call = h.newCall();
  const request = paymentRequest(h.clock, { channel: "qr", amount: 10_000n, description: "账单测试" });
  const started = await h.connector.startPayment!(call, request);
  await shopperActs(cashierOfQr((started as { action: { data: string } }).action.data), "pay");
  const paid = await h.connector.sync(call, { reference: request.reference });
  const tradeNo = (paid as { connectorReference: string }).connectorReference;
  const refundRef = nextRef("re");
  const refund = await h.connector.refund(call, {
    reference: refundRef,
    connectorReference: tradeNo,
    amount: 4_000n,
    currency: "cny",
  });
  assert.equal(refund.outcome, "succeeded");
  const day = beijingDateTime(h.clock.now()).slice(0, 10);

  const notYet = await billDownloadUrl(call, day, h.sim.url);
  assert.equal(notYet.outcome, "unavailable");
  assert.equal((notYet as { reason: string }).reason, "isp.bill_not_exist");

  h.clock.advance(24 * 3_600_000);
  const ready = await billDownloadUrl(call, day, h.sim.url);
  assert.equal(ready.outcome, "ready");
  const zip = await downloadBill((ready as { url: string }).url);
  assert.deepEqual([...zip.subarray(0, 2)], [0x50, 0x4b]);

  const entries = readZip(zip);
  const detail = entries.find((entry) => entry.name.endsWith("_业务明细.csv"));
  assert.ok(detail, entries.map((e) => e.name).join(", "));
  const lines = iconv.decode(detail.data, "gbk").split("\r\n");
  assert.equal(lines[0], "#支付宝业务明细查询");
  const columns = lines[4]!.split(",");
  const rows = lines.filter((line) => line.includes(request.reference)).map((line) => line.split(","));
  const payment = rows.find((row) => row[2] === "交易\t")!;
  assert.equal(payment[columns.indexOf("支付宝交易号")], `${tradeNo}\t`);
  assert.equal(payment[columns.indexOf("商户订单号")], `${request.reference}\t`);
  assert.equal(payment[columns.indexOf("商品名称")], "账单测试");
  assert.equal(payment[columns.indexOf("订单金额（元）")], "100.00");
  const refunded = rows.find((row) => row[2] === "退款\t")!;
  assert.equal(refunded[columns.indexOf("商家实收（元）")], "-40.00");
  assert.equal(refunded[columns.indexOf("退款批次号/请求号")], `${refundRef}\t`);

  h.clock.advance(31_000);
  await assert.rejects(downloadBill((ready as { url: string }).url), /not answer a ZIP/);
});

test("a month bill, a malformed date and an unreachable gateway", async () => {
  const call = h.newCall({ timeoutMs: 500 });
  const month = beijingDateTime(new Date(h.clock.now().getTime() - 40 * 86_400_000)).slice(0, 7);
  assert.equal((await billDownloadUrl(call, month, h.sim.url)).outcome, "ready");
  await assert.rejects(billDownloadUrl(call, "20240301", h.sim.url), RangeError);
  assert.deepEqual(await billDownloadUrl(call, month, "http://127.0.0.1:9"), {
    outcome: "pending",
    reason: "network_error",
  });
});
