/** The settlement report the simulator serves in place of PayPal's SFTP drop. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { PayPalSimulator } from "../../../simulators/paypal/index.ts";
import {
  type ManualClock,
  manualClock,
  startTestSimulator,
} from "../../../simulators/paypal/test-support.ts";
import {
  createPayPalConnector,
  fetchSettlementReport,
  listSettlementReports,
  settlementRows,
} from "./index.ts";
import { newCall, paymentRequest, shopper } from "./test-support.ts";

let sim: PayPalSimulator;
let clock: ManualClock;
const connector = createPayPalConnector({ baseUrl: () => sim.url });

before(async () => {
  clock = manualClock(new Date().toISOString());
  sim = await startTestSimulator({ now: clock.now });
});
after(() => sim.close());

describe("paypal settlement report", () => {
  test("a day's captures and refunds, by our references, once the day is over", async () => {
    const c = newCall(sim);
    const request = paymentRequest({ amount: 10_000n });
    const started = await connector.startPayment!(c, request);
    assert.ok(started.outcome === "requires_action" && started.action.type === "redirect_to_url");
    await shopper(started.action.url, "approve");
    await connector.sync(c, { reference: request.reference, connectorReference: started.connectorReference });
    const refund = await connector.refund(c, {
      reference: "re_report",
      connectorReference: started.connectorReference,
      amount: 2_500n,
      currency: "usd",
    });
    assert.equal(refund.outcome, "succeeded");

    const day = clock.now().toISOString().slice(0, 10);
    assert.deepEqual(await fetchSettlementReport(c.account.config, sim.url, day), {
      ok: false,
      reason: "not_available",
    });
    clock.advance(24 * 3600_000);
    const listed = await listSettlementReports(c.account.config, sim.url);
    assert.deepEqual(listed, { ok: true, value: [`STL-${day.replaceAll("-", "")}.01.009.CSV`] });
    const report = await fetchSettlementReport(c.account.config, sim.url, day);
    assert.ok(report.ok);
    const rows = settlementRows(report.value.content);
    assert.equal(rows.length, 2);
    const [capture, refunded] = rows;
    assert.equal(capture?.["Transaction Event Code"], "T0006");
    assert.equal(capture?.["Invoice ID"], request.reference);
    assert.equal(capture?.["Custom Field"], request.reference);
    assert.equal(capture?.["Gross Transaction Amount"], "10000");
    assert.equal(capture?.["Transaction Debit or Credit"], "CR");
    assert.equal(refunded?.["Transaction Event Code"], "T1107");
    assert.equal(refunded?.["Custom Field"], "re_report");
    assert.equal(refunded?.["Gross Transaction Amount"], "2500");
    assert.equal(refunded?.["Transaction Debit or Credit"], "DR");

    const stranger = { ...c.account.config, client_secret: "E-wrong-secret-of-this-app" };
    assert.deepEqual(await listSettlementReports(stranger, sim.url), { ok: false, reason: "http_401" });
  });
});
