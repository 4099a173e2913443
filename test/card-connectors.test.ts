/**
 * One card suite, run against every card connector through Payrail's API: card → vault → connector →
 * that provider's simulator → its webhook → the intent's status → the merchant's webhook.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { verifyPayrailSignature } from "../src/webhooks/outbound/signature.ts";
import { CARD, eventually, startTestServer, type TestServer } from "./support/server.ts";

const CONNECTORS = ["sandbox", "stripe", "adyen"] as const;

const DECLINES: Array<[string, string, string | undefined]> = [
  ["4000000000000002", "card_declined", "generic_decline"],
  ["4000000000009995", "card_declined", "insufficient_funds"],
  ["4000000000009987", "card_declined", "lost_card"],
  ["4000000000009979", "card_declined", "stolen_card"],
  ["4000000000000069", "expired_card", undefined],
  ["4000000000000127", "incorrect_cvc", undefined],
  ["4000000000000119", "processing_error", undefined],
];

let server: TestServer;
let receiver: Server;
let webhookSecret = "";
const received: Array<{ body: string; signature: string }> = [];

before(async () => {
  server = await startTestServer();
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push({ body, signature: String(req.headers["payrail-signature"]) });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const endpoint = await server.request("POST", "/v1/webhook_endpoints", {
    body: {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/shop-hooks`,
      enabled_events: ["payment_intent.succeeded"],
    },
  });
  webhookSecret = endpoint.body.secret;
});
after(async () => {
  await server.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function accountOf(connector: string): Promise<string> {
  const list = await server.request("GET", "/v1/connector_accounts?limit=100");
  const found = list.body.data.find((a: any) => a.connector === connector);
  assert.ok(found, `no ${connector} test account`);
  return found.id;
}

/** Plays the shopper's browser on a simulator's challenge page, then follows the redirects home. */
async function answerChallenge(url: string, result: "approve" | "fail"): Promise<URL> {
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const action = /<form method="post" action="([^"]+)"/.exec(await page.text())?.[1];
  assert.ok(action, "the challenge page has a form");
  let response = await fetch(new URL(action.replaceAll("&amp;", "&"), url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `result=${result}`,
    redirect: "manual",
  });
  for (let hop = 0; hop < 5; hop++) {
    const location = response.headers.get("location");
    assert.ok(
      location && response.status >= 300 && response.status < 400,
      `redirect expected, got ${response.status}`,
    );
    const next = new URL(location, response.url || url);
    if (next.hostname === "shop.example") return next;
    response = await fetch(next, { redirect: "manual" });
  }
  throw new Error("too many redirects");
}

for (const connector of CONNECTORS) {
  describe(`cards through ${connector}`, () => {
    let account: string;
    const pay = (number: string, extra: Record<string, unknown> = {}) =>
      server.request("POST", "/v1/payment_intents", {
        body: {
          amount: 2000,
          currency: "eur",
          confirm: true,
          connector_account: account,
          payment_method_data: CARD(number),
          ...extra,
        },
      });
    const intent = async (id: string) => (await server.request("GET", `/v1/payment_intents/${id}`)).body;

    before(async () => {
      account = await accountOf(connector);
    });

    test("an approved card succeeds, the provider's webhook is processed and the shop gets its webhook", async () => {
      const res = await pay("4242424242424242");
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, "succeeded");
      assert.equal(res.body.connector, connector);
      await eventually(
        async () => {
          const rows = await server.payrail.ctx.db
            .selectFrom("inbound_webhooks")
            .select(["status", "failure"])
            .where("connector_account_id", "=", account)
            .where("status", "=", "processed")
            .execute();
          return rows.length > 0 ? rows : undefined;
        },
        15_000,
        `a processed ${connector} notification`,
      );
      // …and the shop receives the signed merchant webhook.
      const delivery = await eventually(
        async () => received.find((r) => r.body.includes(res.body.id)),
        15_000,
        "the merchant webhook",
      );
      assert.equal(verifyPayrailSignature(delivery.body, delivery.signature, webhookSecret).ok, true);
      const event = JSON.parse(delivery.body);
      assert.equal(event.type, "payment_intent.succeeded");
      assert.equal(event.data.object.connector, connector);
    });

    for (const [number, code, declineCode] of DECLINES) {
      test(`${number} is declined as ${declineCode ?? code}`, async () => {
        const res = await pay(number);
        assert.equal(res.status, 402, res.text);
        assert.equal(res.body.error.code, code);
        assert.equal(res.body.error.decline_code, declineCode ?? code);
        assert.equal(res.body.error.payment_intent.status, "requires_payment_method");
      });
    }

    test("manual capture in two parts, then a partial refund", async () => {
      const res = await pay("5555555555554444", { capture_method: "manual" });
      assert.equal(res.body.status, "requires_capture", res.text);
      const first = await server.request("POST", `/v1/payment_intents/${res.body.id}/capture`, {
        body: { amount_to_capture: 1200 },
      });
      assert.equal(first.status, 200, first.text);
      const captured = await eventually(
        async () => {
          const now = await intent(res.body.id);
          return now.status === "succeeded" ? now : undefined;
        },
        15_000,
        "the capture to be confirmed",
      );
      assert.equal(captured.amount_received, 1200);
      const refund = await server.request("POST", "/v1/refunds", {
        body: { payment_intent: res.body.id, amount: 500 },
      });
      assert.equal(refund.status, 200, refund.text);
      const done = await eventually(
        async () => {
          const now = (await server.request("GET", `/v1/refunds/${refund.body.id}`)).body;
          return now.status === "succeeded" ? now : undefined;
        },
        15_000,
        "the refund to succeed",
      );
      assert.equal(done.amount, 500);
    });

    test("3-D Secure approved and failed through the provider's page", async () => {
      const approved = await pay("4000002760003184", { return_url: "https://shop.example/done" });
      assert.equal(approved.body.status, "requires_action", approved.text);
      const home = await answerChallenge(approved.body.next_action.redirect_to_url.url, "approve");
      assert.equal(home.searchParams.get("redirect_status"), "succeeded");
      assert.equal((await intent(approved.body.id)).status, "succeeded");

      const failed = await pay("4000002760003184", { return_url: "https://shop.example/done" });
      const back = await answerChallenge(failed.body.next_action.redirect_to_url.url, "fail");
      assert.equal(back.searchParams.get("redirect_status"), "failed");
      const after = await intent(failed.body.id);
      assert.equal(after.status, "requires_payment_method");
      assert.equal(
        after.last_payment_error.decline_code ?? after.last_payment_error.code,
        "authentication_failed",
      );
    });

    test("a provider timeout leaves the payment processing until the outcome is known", async () => {
      const res = await pay("4000000000000408");
      assert.equal(res.status, 200, res.text);
      // Unknown is never failed: processing until known (a client that retries on a dropped
      // connection, like Stripe's SDK, may already learn the outcome with the same idempotency key).
      assert.ok(["processing", "succeeded"].includes(res.body.status), res.body.status);
      const settled = await eventually(
        async () => {
          const now = await intent(res.body.id);
          return now.status === "processing" ? undefined : now;
        },
        20_000,
        "the timed-out payment to settle",
      );
      assert.equal(settled.status, "succeeded");
    });

    test("a tampered notification is stored as rejected and changes nothing", async () => {
      const res = await server.request("POST", `/v1/hooks/${connector}/${account}`, {
        key: "",
        raw: JSON.stringify({ id: "evt_forged", type: "payment_intent.succeeded", live: "false" }),
        headers: { "stripe-signature": "t=1,v1=00", "sandbox-signature": "t=1,v1=00" },
      });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, "signature_invalid");
      const stored = await server.payrail.ctx.db
        .selectFrom("inbound_webhooks")
        .select(["status"])
        .where("connector_account_id", "=", account)
        .where("status", "=", "rejected")
        .execute();
      assert.ok(stored.length >= 1);
    });
  });
}
