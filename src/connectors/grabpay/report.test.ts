import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type GrabPaySimulator, startGrabPaySimulator } from "../../../simulators/grabpay/index.ts";
import { createGrabPayConnector, downloadGrabPayTransactionReport } from "./index.ts";
import { parseChargeHandle } from "./references.ts";
import { parseCsv, parseReport } from "./report.ts";
import { localRequest, newCall, payAndReturn } from "./test-support.ts";

describe("CSV", () => {
  it("reads quoted cells with commas, quotes and line breaks, CRLF or LF", () => {
    assert.deepEqual(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n"two\r\nlines",\n'), [
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["two\r\nlines", ""],
    ]);
    assert.deepEqual(parseCsv("a,b"), [["a", "b"]]);
  });

  it("refuses a report without its columns or with an inexact amount", () => {
    assert.equal(parseReport("Transaction Date,Amount\r\n"), undefined);
    assert.equal(parseReport(""), undefined);
  });
});

describe("the daily transaction report", () => {
  let sim: GrabPaySimulator;
  const connector = createGrabPayConnector({ baseUrl: () => sim.url });
  before(async () => {
    sim = await startGrabPaySimulator();
  });
  after(async () => {
    await sim.close();
  });

  it("downloads the business day's payments and refunds in Payrail minor units", async () => {
    const call = newCall(sim);
    const request = localRequest({ amount: 10_000n, description: 'Order "7", two items' });
    const { returned } = await payAndReturn(connector, call, request, "approve");
    assert.ok(returned?.outcome === "authorized");
    const refund = await connector.refund(call, {
      reference: "re_report_1",
      connectorReference: returned.connectorReference,
      amount: 2_500n,
      currency: "sgd",
    });
    assert.equal(refund.outcome, "succeeded");
    // Singapore's business day (UTC+8), as GrabPay cuts its reports.
    const date = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const report = await downloadGrabPayTransactionReport(call.account.config, { date, baseUrl: sim.url });
    assert.ok(report.ok, report.ok ? "" : report.reason);
    const merchant = String(call.account.config.merchant_id);
    assert.equal(report.fileName, `GrabPay_Transaction_Report_${merchant}_${date.replace(/-/g, "")}.csv`);
    const [payment, refunded] = report.rows;
    assert.equal(report.rows.length, 2);
    assert.ok(payment && refunded);
    assert.equal(payment.type, "Payment");
    assert.equal(payment.txID, parseChargeHandle(returned.connectorReference)?.txID);
    assert.equal(payment.partnerTxID, request.reference);
    assert.equal(payment.amount, 10_000n);
    assert.equal(payment.mdr, 150n);
    assert.equal(payment.netAmount, 9_850n);
    assert.equal(payment.currency, "sgd");
    assert.equal(payment.description, 'Order "7", two items');
    assert.equal(refunded.type, "Refund");
    assert.equal(refunded.partnerTxID, "re_report_1");
    assert.equal(refunded.originTxID, payment.txID);
    assert.equal(refunded.amount, -2_500n);
  });

  it("says why when it cannot", async () => {
    const call = newCall(sim);
    assert.deepEqual(
      await downloadGrabPayTransactionReport(call.account.config, { date: "May 2", baseUrl: sim.url }),
      {
        ok: false,
        reason: "invalid_date",
      },
    );
    assert.deepEqual(await downloadGrabPayTransactionReport({}, { date: "2024-05-02", baseUrl: sim.url }), {
      ok: false,
      reason: "account_config_invalid",
    });
    const unknown = { ...call.account.config, partner_id: "nobody" };
    assert.deepEqual(
      await downloadGrabPayTransactionReport(unknown, { date: "2024-05-02", baseUrl: sim.url }),
      {
        ok: false,
        reason: "http_401",
      },
    );
  });
});
