import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventTypesOf, follow, intentOf, payWith, postForm, untilStatus } from "../support/local-methods.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const SHOP = "https://shop.example/";

/** The buyer opens the approve link, then approves (with a funding source) or cancels at PayPal. */
async function buyer(approveUrl: string, choice: "approve" | "cancel", funding = "balance") {
  const url = new URL(approveUrl);
  const token = url.searchParams.get("token") as string;
  assert.equal((await fetch(approveUrl)).status, 200);
  const answer = await postForm(new URL(`/checkoutnow/${choice}`, url).toString(), { token, funding });
  assert.equal(answer.status, 302, answer.text);
  // PayPal sends the buyer to Payrail's return route, which answers the shop's page.
  return follow(answer.location as string, SHOP);
}

describe("PayPal through Payrail", () => {
  it("approve at PayPal: the return completes the order, the intent succeeds, events in order", async () => {
    const created = await payWith(server, {
      amount: 4599,
      currency: "eur",
      payment_method_data: { type: "paypal" },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.status, "requires_action");
    assert.equal(created.body.next_action.type, "redirect_to_url");
    const back = await buyer(created.body.next_action.redirect_to_url.url, "approve");
    assert.equal(new URL(back.url).searchParams.get("redirect_status"), "succeeded");
    const paid = await intentOf(server, created.body.id);
    assert.equal(paid.status, "succeeded");
    assert.equal(paid.amount_received, 4599);
    assert.deepEqual(paid.payment_method_types, ["paypal"]);
    const types = await eventTypesOf(server, created.body.id);
    assert.deepEqual(types.slice(0, 3), [
      "payment_intent.created",
      "payment_intent.requires_action",
      "payment_intent.succeeded",
    ]);
  });

  it("a buyer who approves but never comes back is still paid once (webhook, then sync)", async () => {
    const created = await payWith(server, {
      amount: 1000,
      currency: "usd",
      payment_method_data: { type: "paypal" },
    });
    const approveUrl = new URL(created.body.next_action.redirect_to_url.url);
    const token = approveUrl.searchParams.get("token") as string;
    await fetch(approveUrl);
    // Approve but drop the redirect: the browser was closed.
    await postForm(new URL("/checkoutnow/approve", approveUrl).toString(), { token, funding: "balance" });
    const paid = await untilStatus(server, created.body.id, "succeeded");
    assert.equal(paid.amount_received, 1000);
  });

  it("authorize now, capture part later, refund part: amounts stay exact", async () => {
    const created = await payWith(server, {
      amount: 8000,
      currency: "usd",
      capture_method: "manual",
      payment_method_data: { type: "paypal" },
    });
    await buyer(created.body.next_action.redirect_to_url.url, "approve");
    const authorized = await intentOf(server, created.body.id);
    assert.equal(authorized.status, "requires_capture");
    const captured = await server.request("POST", `/v1/payment_intents/${created.body.id}/capture`, {
      body: { amount_to_capture: 5000 },
    });
    assert.equal(captured.status, 200, captured.text);
    assert.equal(captured.body.amount_received, 5000);
    const refund = await server.request("POST", "/v1/refunds", {
      body: { payment_intent: created.body.id, amount: 1500 },
    });
    assert.equal(refund.status, 200, refund.text);
    assert.ok(["succeeded", "pending"].includes(refund.body.status));
  });

  it("cancel at PayPal: the shop hears failed and the shopper may choose another way", async () => {
    const created = await payWith(server, {
      amount: 700,
      currency: "eur",
      payment_method_data: { type: "paypal" },
    });
    const back = await buyer(created.body.next_action.redirect_to_url.url, "cancel");
    assert.equal(new URL(back.url).searchParams.get("redirect_status"), "failed");
    const intent = await intentOf(server, created.body.id);
    assert.equal(intent.status, "requires_payment_method");
  });

  it("a refused funding source is a decline with the specific reason", async () => {
    const created = await payWith(server, {
      amount: 900,
      currency: "eur",
      payment_method_data: { type: "paypal" },
    });
    await buyer(created.body.next_action.redirect_to_url.url, "approve", "declined");
    const intent = await intentOf(server, created.body.id);
    assert.equal(intent.status, "requires_payment_method");
    assert.ok(intent.last_payment_error);
  });
});
