import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BtcpaySimulator } from "../../simulators/btcpay/index.ts";
import { ManualClock } from "../../src/core/clock.ts";
import { eventTypesOf, follow, intentOf, payWith, postForm, untilStatus } from "../support/local-methods.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let btcpay: BtcpaySimulator;
let accountId: string;

before(async () => {
  server = await startTestServer();
  btcpay = server.payrail.localSimulators.btcpay as BtcpaySimulator;
  const accounts = await server.request("GET", "/v1/connector_accounts?limit=100");
  const found = (accounts.body.data as Array<{ id: string; connector: string }>).find(
    (a) => a.connector === "btcpay",
  );
  assert.ok(found, "a fresh merchant has a BTCPay test account");
  accountId = found.id;
});
after(() => server.close());

const SHOP = "https://shop.example/";
const german = { address: { country: "DE" } };

/** The shopper opens the BTCPay checkout and pays (all, half, or too late) or leaves. */
async function shopper(checkoutLink: string, action: "pay" | "underpay" | "overpay" | "abandon") {
  const page = await fetch(checkoutLink);
  assert.equal(page.status, 200, await page.text());
  return postForm(checkoutLink, { action });
}

describe("crypto (BTCPay) through Payrail", () => {
  it("is off by default: the refusal says how to turn it on and that it is restricted by country", async () => {
    const refused = await payWith(server, {
      amount: 5000,
      currency: "eur",
      payment_method_data: { type: "crypto", billing_details: german },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, "payment_method_unavailable");
    assert.match(refused.body.error.message, /allowed_countries/);
    assert.equal(btcpay.invoiceCount(), 0);
  });

  it("enabled for some countries: a shopper elsewhere, or of unknown country, is refused", async () => {
    const enabled = await server.request("POST", `/v1/connector_accounts/${accountId}`, {
      body: { config: { allowed_countries: ["DE", "NL"], speed_policy: "HighSpeed" } },
    });
    assert.equal(enabled.status, 200, enabled.text);
    for (const billing of [{ address: { country: "CN" } }, undefined]) {
      const refused = await payWith(server, {
        amount: 5000,
        currency: "eur",
        payment_method_data: { type: "crypto", ...(billing ? { billing_details: billing } : {}) },
      });
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.body.error.code, "payment_method_unavailable");
    }
  });

  it("paid in full: the invoice settles and the intent succeeds with the fiat amount asked", async () => {
    const created = await payWith(server, {
      amount: 4200,
      currency: "eur",
      payment_method_data: { type: "crypto", billing_details: german },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.next_action.type, "redirect_to_url");
    const paid = await shopper(created.body.next_action.redirect_to_url.url, "pay");
    if (paid.location) await follow(paid.location, SHOP);
    const done = await untilStatus(server, created.body.id, "succeeded");
    assert.equal(done.amount_received, 4200);
  });
});

describe("crypto: underpaid and late invoices", () => {
  let timed: TestServer;
  const clock = new ManualClock(new Date());
  before(async () => {
    timed = await startTestServer({ clock, manualWorker: true });
    const accounts = await timed.request("GET", "/v1/connector_accounts?limit=100");
    const account = (accounts.body.data as Array<{ id: string; connector: string }>).find(
      (a) => a.connector === "btcpay",
    );
    await timed.request("POST", `/v1/connector_accounts/${account?.id}`, {
      body: { config: { allowed_countries: ["DE"], speed_policy: "HighSpeed" } },
    });
  });
  after(() => timed.close());

  const drain = () => timed.payrail.worker?.drain(2000);

  it("underpaid, then expired: the intent asks for review, it never succeeds on its own", async () => {
    const created = await payWith(timed, {
      amount: 3000,
      currency: "eur",
      payment_method_data: { type: "crypto", billing_details: german },
    });
    assert.equal(created.body.status, "requires_action", created.text);
    await shopper(created.body.next_action.redirect_to_url.url, "underpay");
    clock.advance(31 * 60_000);
    await drain();
    const intent = await intentOf(timed, created.body.id);
    assert.equal(intent.status, "processing");
    assert.equal(intent.review_requested, true);
    assert.equal(intent.amount_received, 0);
    assert.ok((await eventTypesOf(timed, created.body.id)).includes("payment_intent.requires_review"));
  });

  it("nothing paid by expiry: canceled as expired; a payment after that is flagged for review", async () => {
    const created = await payWith(timed, {
      amount: 2000,
      currency: "eur",
      payment_method_data: { type: "crypto", billing_details: german },
    });
    const link = created.body.next_action.redirect_to_url.url;
    clock.advance(31 * 60_000);
    await drain();
    const expired = await intentOf(timed, created.body.id);
    assert.equal(expired.status, "canceled");
    assert.equal(expired.cancellation_reason, "expired");
    // Payrail marked the unpaid invoice invalid when it expired: BTCPay refuses the late payment.
    const late = await postForm(link, { action: "pay" });
    assert.notEqual(late.status, 303);
    assert.equal((await intentOf(timed, created.body.id)).amount_received, 0);
  });
});
