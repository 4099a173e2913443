import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type GrabPaySimulator, startGrabPaySimulator } from "./index.ts";
import {
  approvedCharge,
  clickConsent,
  exchangeCode,
  initBody,
  newPartner,
  notificationSigned,
  partnerCall,
  type Receiver,
  startCharge,
  startReceiver,
  tokenCall,
} from "./test-support.ts";

const API = "/grabpay/partner/v2";
let current = new Date("2024-05-01T02:00:00Z");
const clock = () => current;
let sim: GrabPaySimulator;
let receiver: Receiver;

before(async () => {
  receiver = await startReceiver();
  sim = await startGrabPaySimulator({ now: clock, notificationRetryDelaysMs: [20, 20] });
});
after(async () => {
  await sim.close();
  await receiver.close();
});

function register(webhook = true) {
  const partner = newPartner(webhook ? `${receiver.url}/grab/webhook?shop=1` : undefined);
  sim.registerPartner(partner);
  return partner;
}

describe("one-time charge, approved", () => {
  it("runs init → consent → code → token → complete → status, and notifies", async () => {
    const partner = register();
    const before = receiver.received.length;
    const started = await startCharge(sim, partner, clock, { amount: 2599 });
    assert.equal(started.page.status, 200);
    assert.match(started.page.text, /SGD 25\.99/);
    assert.match(started.formAction, /^\/simulator\/consent\//);

    const status0 = await partnerCall(
      sim,
      partner,
      clock,
      "GET",
      `${API}/charge/${started.partnerTxID}/status?currency=SGD`,
    );
    assert.equal(status0.status, 200);
    assert.equal(status0.json.txStatus, "processing");

    const clicked = await clickConsent(sim, started, "approve");
    assert.equal(clicked.status, 302);
    assert.equal(`${clicked.location?.origin}${clicked.location?.pathname}`, partner.redirectUris[0]);
    assert.equal(clicked.location?.searchParams.get("state"), started.state);
    const code = clicked.location?.searchParams.get("code") ?? "";
    assert.ok(code.length >= 20);

    const token = await exchangeCode(sim, partner, code, started.verifier);
    assert.equal(token.status, 200);
    assert.equal(token.json.token_type, "Bearer");
    assert.equal(token.json.expires_in, 3600);
    assert.equal(typeof token.json.id_token, "string");

    const complete = await tokenCall(
      sim,
      partner,
      clock,
      token.json.access_token,
      "POST",
      `${API}/charge/complete`,
      {
        partnerTxID: started.partnerTxID,
      },
    );
    assert.equal(complete.status, 200);
    assert.equal(complete.json.txStatus, "success");
    assert.equal(complete.json.status, "success");
    assert.equal(complete.json.paymentMethod, "GPWALLET");
    assert.match(complete.json.txID, /^[0-9a-f]{32}$/);

    const viaHmac = await partnerCall(
      sim,
      partner,
      clock,
      "GET",
      `${API}/charge/${started.partnerTxID}/status?currency=SGD`,
    );
    assert.deepEqual(viaHmac.json, complete.json);
    const viaToken = await tokenCall(
      sim,
      partner,
      clock,
      token.json.access_token,
      "GET",
      `${API}/charge/${started.partnerTxID}/status?currency=SGD`,
    );
    assert.deepEqual(viaToken.json, complete.json);
    const otc = await partnerCall(
      sim,
      partner,
      clock,
      "GET",
      `${API}/one-time-charge/${started.partnerTxID}/status?currency=SGD`,
    );
    assert.equal(otc.json.oAuthCode, code);
    assert.equal(otc.json.txStatus, "success");

    const [notification] = (await receiver.waitFor(before + 1)).slice(before);
    assert.ok(notification && notificationSigned(notification, partner));
    assert.equal(notification.path, "/grab/webhook?shop=1");
    assert.equal(notification.body.txType, "Payment");
    assert.equal(notification.body.partnerTxID, started.partnerTxID);
    assert.equal(notification.body.txID, complete.json.txID);
    assert.equal(notification.body.status, "success");
    assert.equal(notification.body.amount, 2599);
    assert.equal(notification.body.currency, "SGD");
  });

  it("uses the payment method the shopper picks, never a hidden one", async () => {
    const partner = register(false);
    const started = await startCharge(sim, partner, clock, { hidePaymentMethods: ["POSTPAID"] });
    assert.doesNotMatch(started.page.text, /value="POSTPAID"/);
    await clickConsent(sim, started, "approve", "INSTALMENT");
    const status = await partnerCall(
      sim,
      partner,
      clock,
      "GET",
      `${API}/charge/${started.partnerTxID}/status?currency=SGD`,
    );
    assert.equal(status.json.paymentMethod, "INSTALMENT");
  });
});

describe("one-time charge, not paid", () => {
  it("declined: redirects with access_denied, fails, notifies", async () => {
    const partner = register();
    const before = receiver.received.length;
    const started = await startCharge(sim, partner, clock);
    const clicked = await clickConsent(sim, started, "decline");
    assert.equal(clicked.location?.searchParams.get("error"), "access_denied");
    assert.equal(clicked.location?.searchParams.get("state"), started.state);
    assert.equal(clicked.location?.searchParams.get("code"), null);
    const status = await partnerCall(
      sim,
      partner,
      clock,
      "GET",
      `${API}/charge/${started.partnerTxID}/status?currency=SGD`,
    );
    assert.equal(status.json.txStatus, "failed");
    const [notification] = (await receiver.waitFor(before + 1)).slice(before);
    assert.equal(notification?.body.status, "failed");
    const again = await clickConsent(sim, started, "approve");
    assert.equal(again.status, 409);
  });

  it("failed after consent: a code is issued and charge/complete answers failed", async () => {
    const partner = register(false);
    const started = await startCharge(sim, partner, clock);
    const clicked = await clickConsent(sim, started, "fail");
    const code = clicked.location?.searchParams.get("code") ?? "";
    const token = await exchangeCode(sim, partner, code, started.verifier);
    const complete = await tokenCall(
      sim,
      partner,
      clock,
      token.json.access_token,
      "POST",
      `${API}/charge/complete`,
      {
        partnerTxID: started.partnerTxID,
      },
    );
    assert.equal(complete.status, 200);
    assert.equal(complete.json.txStatus, "failed");
    assert.equal(complete.json.reason, "insufficient balance");
  });

  it("abandoned: stays processing until the clock passes the expiry, then fails", async () => {
    const partner = register(false);
    const started = await startCharge(sim, partner, clock);
    const left = await clickConsent(sim, started, "abandon");
    assert.equal(left.status, 200);
    assert.equal(left.location, null);
    const path = `${API}/charge/${started.partnerTxID}/status?currency=SGD`;
    assert.equal((await partnerCall(sim, partner, clock, "GET", path)).json.txStatus, "processing");
    const start = current;
    current = new Date(start.getTime() + 15 * 60_000);
    try {
      const expired = await partnerCall(sim, partner, clock, "GET", path);
      assert.equal(expired.json.txStatus, "failed");
      assert.equal(expired.json.reason, "transaction expired");
      const late = await clickConsent(sim, started, "approve");
      assert.equal(late.location?.searchParams.get("error"), "access_denied");
    } finally {
      current = start;
    }
  });
});

describe("charge init", () => {
  it("replays the same init and refuses the same partnerTxID with another body", async () => {
    const partner = register(false);
    const body = initBody(partner);
    const first = await partnerCall(sim, partner, clock, "POST", `${API}/charge/init`, body);
    const second = await partnerCall(sim, partner, clock, "POST", `${API}/charge/init`, body);
    assert.equal(first.status, 200);
    assert.deepEqual(second.json, first.json);
    assert.equal(first.json.partnerTxID, body.partnerTxID);
    const other = await partnerCall(sim, partner, clock, "POST", `${API}/charge/init`, {
      ...body,
      amount: 1,
    });
    assert.equal(other.status, 409);
    assert.equal(other.json.code, "transaction_already_exist");
    assert.equal(sim.chargeCount(partner.partnerId), 1);
  });

  it("names the bad parameter", async () => {
    const partner = register(false);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ amount: 0 }, "amount"],
      [{ amount: 12.5 }, "amount"],
      [{ amount: "100" }, "amount"],
      [{ currency: "EUR" }, "currency"],
      [{ partnerTxID: "" }, "partnerTxID"],
      [{ partnerTxID: "x".repeat(33) }, "partnerTxID"],
      [{ colour: "red" }, "colour"],
      [{ hidePaymentMethods: ["CASH"] }, "hidePaymentMethods"],
    ];
    for (const [overrides, param] of cases) {
      const answer = await partnerCall(
        sim,
        partner,
        clock,
        "POST",
        `${API}/charge/init`,
        initBody(partner, overrides),
      );
      assert.equal(answer.status, 400, JSON.stringify(overrides));
      assert.equal(answer.json.code, "invalid_argument");
      assert.equal(answer.json.reason, param);
      assert.match(answer.json.message, new RegExp(param));
    }
    const missing = initBody(partner) as Record<string, unknown>;
    delete missing.partnerGroupTxID;
    const answer = await partnerCall(sim, partner, clock, "POST", `${API}/charge/init`, missing);
    assert.equal(answer.json.reason, "partnerGroupTxID");
    const notJson = await partnerCall(sim, partner, clock, "POST", `${API}/charge/init`, "{nope");
    assert.equal(notJson.status, 400);
    const otherMerchant = await partnerCall(
      sim,
      partner,
      clock,
      "POST",
      `${API}/charge/init`,
      initBody(partner, { merchantID: "m-x" }),
    );
    assert.equal(otherMerchant.status, 403);
  });

  it("answers 404 in GrabPay's shape for an unknown charge", async () => {
    const partner = register(false);
    const answer = await partnerCall(sim, partner, clock, "GET", `${API}/charge/nope/status?currency=SGD`);
    assert.equal(answer.status, 404);
    assert.deepEqual(Object.keys(answer.json).sort(), ["code", "message", "reason"]);
  });
});

describe("a charge's access token", () => {
  it("cannot complete or read another charge", async () => {
    const partner = register(false);
    const first = await approvedCharge(sim, partner, clock);
    const second = await startCharge(sim, partner, clock);
    const complete = await tokenCall(
      sim,
      partner,
      clock,
      first.accessToken,
      "POST",
      `${API}/charge/complete`,
      {
        partnerTxID: second.partnerTxID,
      },
    );
    assert.equal(complete.status, 403);
    const status = await tokenCall(
      sim,
      partner,
      clock,
      first.accessToken,
      "GET",
      `${API}/charge/${second.partnerTxID}/status?currency=SGD`,
    );
    assert.equal(status.status, 403);
  });
});
