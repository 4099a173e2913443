import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type GrabPaySimulator, REPORT_COLUMNS, startGrabPaySimulator } from "./index.ts";
import {
  approvedCharge,
  newPartner,
  notificationSigned,
  partnerCall,
  type Receiver,
  startCharge,
  startReceiver,
  tokenCall,
  uniqueId,
} from "./test-support.ts";

const API = "/grabpay/partner/v2";
// 2024-05-01 23:30 UTC is 2024-05-02 07:30 in Singapore.
const current = new Date("2024-05-01T23:30:00Z");
const clock = () => current;
let sim: GrabPaySimulator;
let receiver: Receiver;

before(async () => {
  receiver = await startReceiver();
  sim = await startGrabPaySimulator({ now: clock, notificationRetryDelaysMs: [20] });
});
after(async () => {
  await sim.close();
  await receiver.close();
});

function register() {
  const partner = newPartner(`${receiver.url}/notify`);
  sim.registerPartner(partner);
  return partner;
}

async function paidCharge(partner: ReturnType<typeof newPartner>, amount = 10_000) {
  const paid = await approvedCharge(sim, partner, clock, { amount });
  const complete = await tokenCall(sim, partner, clock, paid.accessToken, "POST", `${API}/charge/complete`, {
    partnerTxID: paid.partnerTxID,
  });
  return { ...paid, txID: complete.json.txID as string };
}

function refundBody(
  partner: ReturnType<typeof newPartner>,
  charge: { txID: string; partnerGroupTxID: string },
  amount: number,
) {
  return {
    partnerTxID: uniqueId("r"),
    partnerGroupTxID: charge.partnerGroupTxID,
    amount,
    currency: "SGD",
    merchantID: partner.merchantId,
    originTxID: charge.txID,
    description: "returned item",
  };
}

describe("refunds", () => {
  it("refunds partially, up to the charge, and reports each refund's status", async () => {
    const partner = register();
    const charge = await paidCharge(partner);
    const first = refundBody(partner, charge, 4_000);
    const refunded = await partnerCall(sim, partner, clock, "POST", `${API}/refund`, first);
    assert.equal(refunded.status, 200);
    assert.equal(refunded.json.txStatus, "success");
    assert.match(refunded.json.txID, /^[0-9a-f]{32}$/);
    assert.notEqual(refunded.json.txID, charge.txID);

    const replay = await partnerCall(sim, partner, clock, "POST", `${API}/refund`, first);
    assert.deepEqual(replay.json, refunded.json);
    const reused = await partnerCall(sim, partner, clock, "POST", `${API}/refund`, { ...first, amount: 1 });
    assert.equal(reused.status, 409);

    const tooMuch = await partnerCall(
      sim,
      partner,
      clock,
      "POST",
      `${API}/refund`,
      refundBody(partner, charge, 6_001),
    );
    assert.equal(tooMuch.status, 400);
    assert.equal(tooMuch.json.reason, "amount");
    const rest = await tokenCall(
      sim,
      partner,
      clock,
      charge.accessToken,
      "POST",
      `${API}/refund`,
      refundBody(partner, charge, 6_000),
    );
    assert.equal(rest.status, 200);

    const status = await partnerCall(
      sim,
      partner,
      clock,
      "GET",
      `${API}/refund/${first.partnerTxID}/status?currency=SGD`,
    );
    assert.equal(status.status, 200);
    assert.equal(status.json.txID, refunded.json.txID);
    assert.equal(status.json.txStatus, "success");
    const wrongCurrency = await partnerCall(
      sim,
      partner,
      clock,
      "GET",
      `${API}/refund/${first.partnerTxID}/status?currency=MYR`,
    );
    assert.equal(wrongCurrency.status, 400);
    const unknown = await partnerCall(sim, partner, clock, "GET", `${API}/refund/none/status?currency=SGD`);
    assert.equal(unknown.status, 404);
  });

  it("refuses a refund of an unpaid charge, of another group, or in another currency", async () => {
    const partner = register();
    const charge = await paidCharge(partner);
    const wrongGroup = await partnerCall(sim, partner, clock, "POST", `${API}/refund`, {
      ...refundBody(partner, charge, 100),
      partnerGroupTxID: "other-group",
    });
    assert.equal(wrongGroup.json.reason, "partnerGroupTxID");
    const wrongCurrency = await partnerCall(sim, partner, clock, "POST", `${API}/refund`, {
      ...refundBody(partner, charge, 100),
      currency: "MYR",
    });
    assert.equal(wrongCurrency.json.reason, "currency");
    const unknown = await partnerCall(sim, partner, clock, "POST", `${API}/refund`, {
      ...refundBody(partner, charge, 100),
      originTxID: "f".repeat(32),
    });
    assert.equal(unknown.status, 404);

    const pending = await startCharge(sim, partner, clock);
    const status = await partnerCall(
      sim,
      partner,
      clock,
      "GET",
      `${API}/one-time-charge/${pending.partnerTxID}/status?currency=SGD`,
    );
    const unpaid = await partnerCall(sim, partner, clock, "POST", `${API}/refund`, {
      ...refundBody(partner, { txID: status.json.txID, partnerGroupTxID: pending.partnerGroupTxID }, 100),
    });
    assert.equal(unpaid.status, 400);
    assert.equal(unpaid.json.reason, "origin_not_success");
  });

  it("sends a signed Refund notification", async () => {
    const partner = register();
    const charge = await paidCharge(partner, 500);
    const before = receiver.received.length;
    const body = refundBody(partner, charge, 200);
    await partnerCall(sim, partner, clock, "POST", `${API}/refund`, body);
    await receiver.waitFor(before + 1);
    const notification = receiver.received.slice(before).find((r) => r.body?.txType === "Refund");
    assert.ok(notification && notificationSigned(notification, partner));
    assert.equal(notification.body.partnerTxID, body.partnerTxID);
    assert.equal(notification.body.originTxID, charge.txID);
    assert.equal(notification.body.amount, 200);
  });
});

describe("daily transaction report", () => {
  it("lists the Singapore business day's payments and refunds with MDR, as CSV", async () => {
    const partner = register();
    const charge = await paidCharge(partner, 12_345);
    await partnerCall(sim, partner, clock, "POST", `${API}/refund`, {
      ...refundBody(partner, charge, 345),
      description: 'size "M", wrong',
    });
    const report = await partnerCall(
      sim,
      partner,
      clock,
      "GET",
      `/simulator/reports/transactions?date=2024-05-02&merchantID=${partner.merchantId}`,
    );
    assert.equal(report.status, 200);
    assert.match(report.headers.get("content-type") ?? "", /^text\/csv/);
    assert.match(
      report.headers.get("content-disposition") ?? "",
      /GrabPay_Transaction_Report_.*_20240502\.csv/,
    );
    const lines = report.text.split("\r\n");
    assert.equal(lines[0], REPORT_COLUMNS.join(","));
    assert.equal(lines.at(-1), "");
    const payment = lines[1]?.split(",") ?? [];
    assert.deepEqual(payment.slice(0, 3), ["2024-05-02", "07:30:00", "2024-05-03"]);
    assert.equal(payment[4], charge.txID);
    assert.equal(payment[8], "Payment");
    assert.deepEqual(payment.slice(10, 15), ["SGD", "123.45", "1.85", "121.60", "Success"]);
    assert.match(lines[2] ?? "", /,Refund,GPWALLET,SGD,-3\.45,0\.00,-3\.45,Success,"size ""M"", wrong"$/);
    assert.equal(lines.length, 4);

    const dayBefore = await partnerCall(
      sim,
      partner,
      clock,
      "GET",
      "/simulator/reports/transactions?date=2024-05-01",
    );
    assert.equal(dayBefore.text, `${REPORT_COLUMNS.join(",")}\r\n`);
    const bad = await partnerCall(sim, partner, clock, "GET", "/simulator/reports/transactions?date=May");
    assert.equal(bad.status, 400);
  });
});
