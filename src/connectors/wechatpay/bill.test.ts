/**
 * The trade bill end to end: a day of payments and a refund, the bill applied for once the Beijing day is
 * over, downloaded, hash-checked and parsed; the parse cross-checked with the official castCsvBill.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { Formatter } from "wechatpay-axios-plugin";
import type { CallContext } from "../contract.ts";
import { yuanToFen } from "./bill-csv.ts";
import { downloadBill, tradeBillUrl } from "./index.ts";
import { eventually, type Harness, paymentRequest, shopperActs, startHarness } from "./test-support.ts";
import { beijingDay } from "./time.ts";

let h: Harness;
let call: CallContext;
let billDate: string;
const references: string[] = [];
let refundReference: string;

before(async () => {
  h = await startHarness({ resolveAfterMs: 5 });
  call = h.newCall();
  billDate = beijingDay(h.clock.now());
  for (const amount of [129_902n, 1n]) {
    const req = paymentRequest(h.clock, { amount, description: "第一件, with a comma" });
    const started = await h.connector.startPayment(call, req);
    assert.ok(started.outcome === "requires_action" && "action" in started);
    await shopperActs(h.sim, started.action, "approve");
    references.push(req.reference);
  }
  refundReference = `re_${randomBytes(6).toString("hex")}`;
  await h.connector.refund(call, {
    reference: refundReference,
    connectorReference: references[0] ?? "",
    amount: 2_000n,
    currency: "cny",
  });
  await eventually(async () => {
    const status = await h.connector.syncRefund(call, { reference: refundReference });
    return status.status === "succeeded" ? status : undefined;
  });
});
after(() => h.close());

/** The next Beijing day, an hour in. */
function dayAfter(day: string): Date {
  return new Date(new Date(`${day}T01:00:00+08:00`).getTime() + 24 * 3600 * 1000);
}

describe("trade bill", () => {
  test("today's bill is not ready; an idle day has none; a malformed date is refused", async () => {
    assert.deepEqual(await h.connector.tradeBillUrl(call, billDate), { status: "not_ready" });
    const idle = beijingDay(new Date(h.clock.now().getTime() - 3 * 24 * 3600 * 1000));
    h.clock.set(dayAfter(billDate));
    assert.deepEqual(await h.connector.tradeBillUrl(call, idle), { status: "no_bill" });
    await assert.rejects(h.connector.tradeBillUrl(call, "2024-3-1"), RangeError);
  });

  test("the day's bill: two payments and a refund, in fen, its SHA-1 checked", async () => {
    const link = await h.connector.tradeBillUrl(call, billDate);
    assert.equal(link.status, "ready");
    assert.ok(link.status === "ready");
    assert.equal(link.hashType, "SHA1");
    const download = await h.connector.downloadBill(call, link.url, { sha1: link.hashValue });
    assert.equal(download.status, "ok");
    assert.ok(download.status === "ok");
    const { rows, summary } = download.bill;
    assert.deepEqual(
      rows.map((row) => [row.outTradeNo, row.tradeState, row.settlementAmount, row.refundAmount, row.fee]),
      [
        [references[0], "SUCCESS", 129_902n, 0n, 779n],
        [references[1], "SUCCESS", 1n, 0n, 0n],
        [references[0], "REFUND", 0n, 2_000n, -12n],
      ],
    );
    assert.equal(rows[2]?.outRefundNo, refundReference);
    assert.equal(rows[0]?.mchid, call.account.config.mchid);
    assert.equal(rows[0]?.description, "第一件, with a comma");
    assert.deepEqual(
      [summary.count, summary.settlementTotal, summary.refundTotal, summary.feeTotal],
      [3, 129_903n, 2_000n, 767n],
    );

    // The official parser reads the same file the same way.
    const official = Formatter.castCsvBill(download.content) as {
      rows: Array<Record<string, string>>;
      summary: Record<string, string>;
    };
    assert.deepEqual(
      official.rows.map((row) => [
        row.商户订单号,
        yuanToFen(row.应结订单金额 ?? ""),
        yuanToFen(row.手续费 ?? ""),
      ]),
      rows.map((row) => [row.outTradeNo, row.settlementAmount, row.fee]),
    );
    assert.equal(yuanToFen(official.summary.手续费总金额 ?? ""), summary.feeTotal);
  });

  test("a gzipped bill, through the module's exported helpers", async () => {
    const options = { baseUrl: () => h.sim.url, now: h.clock.now };
    const link = await tradeBillUrl(call, billDate, { ...options, gzip: true, billType: "SUCCESS" });
    assert.ok(link.status === "ready");
    assert.match(link.url, /tartype=gzip/);
    const download = await downloadBill(call, link.url, { ...options, sha1: link.hashValue });
    assert.ok(download.status === "ok");
    assert.equal(download.bill.rows.length, 2);
  });

  test("a wrong hash, a foreign host and an expired link are not a bill", async () => {
    const link = await h.connector.tradeBillUrl(call, billDate);
    assert.ok(link.status === "ready");
    assert.deepEqual(await h.connector.downloadBill(call, link.url, { sha1: "0".repeat(40) }), {
      status: "unknown",
      reason: "hash_mismatch",
    });
    const foreign = link.url.replace(new URL(link.url).origin, "https://attacker.example");
    assert.deepEqual(await h.connector.downloadBill(call, foreign), {
      status: "refused",
      code: "download_url_not_on_api_host",
    });
    h.clock.advance(6 * 60 * 1000);
    const expired = await h.connector.downloadBill(call, link.url);
    assert.equal(expired.status === "refused" && expired.code, "INVALID_REQUEST");
  });
});
