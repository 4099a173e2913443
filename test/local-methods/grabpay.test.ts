import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { follow, intentOf, notificationsOf, payWith, untilStatus } from "../support/local-methods.ts";
import { eventually, startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const SHOP = "https://shop.example/";

/** The shopper opens GrabPay's consent page and presses a button; GrabID then redirects (or not). */
async function shopper(authorizeUrl: string, choice: "approve" | "fail" | "decline" | "abandon") {
  const page = await fetch(authorizeUrl, { redirect: "manual" });
  const html = await page.text();
  assert.equal(page.status, 200, html);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, "the consent page has a form");
  const answer = await fetch(new URL(action.replaceAll("&amp;", "&"), authorizeUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ action: choice, paymentMethod: "GPWALLET" }).toString(),
    redirect: "manual",
  });
  await answer.text();
  const location = answer.headers.get("location");
  return location ? follow(location, SHOP) : undefined;
}

describe("GrabPay through Payrail", () => {
  it("approve: GrabID sends the shopper to the account's registered return URL, the charge completes", async () => {
    const created = await payWith(server, {
      amount: 1550,
      currency: "sgd",
      payment_method_data: { type: "grabpay" },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.status, "requires_action");
    const authorizeUrl = new URL(created.body.next_action.redirect_to_url.url);
    assert.equal(authorizeUrl.searchParams.get("code_challenge_method"), "S256");
    const redirectUri = authorizeUrl.searchParams.get("redirect_uri") as string;
    assert.match(redirectUri, /\/pay\/return\/grabpay\/mca_/);
    const back = await shopper(authorizeUrl.toString(), "approve");
    assert.equal(new URL(back?.url as string).searchParams.get("redirect_status"), "succeeded");
    const paid = await intentOf(server, created.body.id);
    assert.equal(paid.status, "succeeded");
    assert.equal(paid.amount_received, 1550);
    // GrabPay's own notification of the payment arrives too, signed in its Authorization header.
    const verified = await eventually(async () => {
      const seen = await notificationsOf(server, "grabpay");
      return seen.some((n) => n.status === "processed") ? seen : undefined;
    });
    assert.ok(
      verified.every((n) => n.status !== "rejected"),
      JSON.stringify(verified),
    );
  });

  it("insufficient balance and a declined consent are specific declines", async () => {
    for (const [choice, code] of [
      ["fail", "insufficient_funds"],
      ["decline", "generic_decline"],
    ] as const) {
      const created = await payWith(server, {
        amount: 990,
        currency: "sgd",
        payment_method_data: { type: "grabpay" },
      });
      const back = await shopper(created.body.next_action.redirect_to_url.url, choice);
      assert.equal(new URL(back?.url as string).searchParams.get("redirect_status"), "failed");
      const intent = await intentOf(server, created.body.id);
      assert.equal(intent.status, "requires_payment_method");
      assert.equal(intent.last_payment_error.decline_code ?? intent.last_payment_error.code, code);
    }
  });

  it("a forged state on the return URL finds no payment", async () => {
    const created = await payWith(server, {
      amount: 100,
      currency: "sgd",
      payment_method_data: { type: "grabpay" },
    });
    const redirectUri = new URL(created.body.next_action.redirect_to_url.url).searchParams.get(
      "redirect_uri",
    ) as string;
    const forged = await fetch(
      `${redirectUri}?code=abc&state=${Buffer.from("pi_x_a1\nhttp://evil").toString("base64url")}.${"A".repeat(43)}`,
      {
        redirect: "manual",
      },
    );
    assert.equal(forged.status, 404);
    assert.equal((await intentOf(server, created.body.id)).status, "requires_action");
  });

  it("refunds: part, then the rest", async () => {
    const created = await payWith(server, {
      amount: 3000,
      currency: "sgd",
      payment_method_data: { type: "grabpay" },
    });
    await shopper(created.body.next_action.redirect_to_url.url, "approve");
    const part = await server.request("POST", "/v1/refunds", {
      body: { payment_intent: created.body.id, amount: 1000 },
    });
    assert.equal(part.status, 200, part.text);
    const rest = await server.request("POST", "/v1/refunds", { body: { payment_intent: created.body.id } });
    assert.equal(rest.status, 200, rest.text);
    assert.equal(rest.body.amount, 2000);
    const paid = await untilStatus(server, created.body.id, "succeeded");
    assert.equal(paid.amount_refunded, 3000);
  });
});
