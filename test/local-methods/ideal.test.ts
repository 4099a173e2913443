import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventTypesOf, follow, intentOf, payWith, postForm, untilStatus } from "../support/local-methods.ts";
import { eventually, startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const SHOP = "https://shop.example/";

/** The shopper picks a bank on the iDEAL page and answers there. */
async function atTheBank(
  checkoutUrl: string,
  status: "paid" | "pending" | "failed" | "canceled" | "expired",
) {
  const page = await fetch(checkoutUrl);
  assert.equal(page.status, 200);
  const answer = await postForm(checkoutUrl, { status, issuer: "ideal_INGBNL2A" });
  assert.equal(answer.status, 303, answer.text);
  return follow(answer.location as string, SHOP);
}

describe("iDEAL (Mollie) through Payrail", () => {
  it("pay at the bank: the return syncs, the intent succeeds", async () => {
    const created = await payWith(server, {
      amount: 2495,
      currency: "eur",
      payment_method_data: { type: "ideal" },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.status, "requires_action");
    assert.equal(created.body.connector, "mollie");
    const back = await atTheBank(created.body.next_action.redirect_to_url.url, "paid");
    assert.equal(new URL(back.url).searchParams.get("redirect_status"), "succeeded");
    assert.equal((await intentOf(server, created.body.id)).amount_received, 2495);
  });

  it("a bank that confirms later: pending on return, then succeeded from the id-only webhook", async () => {
    const created = await payWith(server, {
      amount: 1000,
      currency: "eur",
      payment_method_data: { type: "ideal" },
    });
    const back = await atTheBank(created.body.next_action.redirect_to_url.url, "pending");
    assert.equal(new URL(back.url).searchParams.get("redirect_status"), "pending");
    await untilStatus(server, created.body.id, "succeeded");
  });

  it("failed and canceled at the bank leave the intent payable another way", async () => {
    for (const answer of ["failed", "canceled"] as const) {
      const created = await payWith(server, {
        amount: 500,
        currency: "eur",
        payment_method_data: { type: "ideal" },
      });
      const back = await atTheBank(created.body.next_action.redirect_to_url.url, answer);
      assert.equal(new URL(back.url).searchParams.get("redirect_status"), "failed");
      assert.equal((await intentOf(server, created.body.id)).status, "requires_payment_method");
    }
  });

  it("expired at the bank cancels the intent as expired, with an event", async () => {
    const created = await payWith(server, {
      amount: 600,
      currency: "eur",
      payment_method_data: { type: "ideal" },
    });
    await atTheBank(created.body.next_action.redirect_to_url.url, "expired");
    const canceled = await intentOf(server, created.body.id);
    assert.equal(canceled.status, "canceled");
    assert.equal(canceled.cancellation_reason, "expired");
    assert.ok((await eventTypesOf(server, created.body.id)).includes("payment_intent.canceled"));
  });

  it("a webhook that is not a bare payment id is refused; a forged id for another payment changes nothing", async () => {
    const accounts = await server.request("GET", "/v1/connector_accounts?limit=100");
    const mollie = (accounts.body.data as Array<{ id: string; connector: string }>).find(
      (a) => a.connector === "mollie",
    );
    assert.ok(mollie);
    const hook = (body: string) =>
      fetch(`${server.url}/v1/hooks/mollie/${mollie.id}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      });
    assert.equal((await hook("id=tr_1&status=paid")).status, 400);
    assert.equal((await hook('{"id":"tr_x"}')).status, 400);
    const created = await payWith(server, {
      amount: 300,
      currency: "eur",
      payment_method_data: { type: "ideal" },
    });
    // The body is never trusted: Payrail asks Mollie, which says the payment is still open.
    assert.equal((await hook("id=tr_doesnotexist1")).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await intentOf(server, created.body.id)).status, "requires_action");
  });

  it("full and partial refunds settle from Mollie's answers", async () => {
    const created = await payWith(server, {
      amount: 5000,
      currency: "eur",
      payment_method_data: { type: "ideal" },
    });
    await atTheBank(created.body.next_action.redirect_to_url.url, "paid");
    const part = await server.request("POST", "/v1/refunds", {
      body: { payment_intent: created.body.id, amount: 1250 },
    });
    assert.equal(part.status, 200, part.text);
    const rest = await server.request("POST", "/v1/refunds", { body: { payment_intent: created.body.id } });
    assert.equal(rest.status, 200, rest.text);
    assert.equal(rest.body.amount, 3750);
    await eventually(
      async () => {
        const refunds = await server.request("GET", `/v1/refunds?payment_intent=${created.body.id}`);
        const all = refunds.body.data as Array<{ status: string }>;
        return all.length === 2 && all.every((r) => r.status === "succeeded") ? true : undefined;
      },
      15_000,
      "both refunds to succeed",
    );
    assert.equal((await intentOf(server, created.body.id)).amount_refunded, 5000);
  });

  it("iDEAL takes euros only: another currency names the problem", async () => {
    const created = await payWith(server, {
      amount: 500,
      currency: "usd",
      payment_method_data: { type: "ideal" },
    });
    assert.equal(created.status, 400);
    assert.equal(created.body.error.code, "no_connector_available");
  });
});
