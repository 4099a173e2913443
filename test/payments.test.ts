import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CARD, eventually, startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

async function pay(
  number: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return server.request("POST", "/v1/payment_intents", {
    body: { amount: 2000, currency: "usd", confirm: true, payment_method_data: CARD(number), ...extra },
    headers,
  });
}

async function intent(id: string) {
  return (await server.request("GET", `/v1/payment_intents/${id}`)).body;
}

describe("sandbox test cards", () => {
  for (const number of ["4242424242424242", "5555555555554444", "4000056655665556", "378282246310005"]) {
    test(`${number} succeeds`, async () => {
      const res = await pay(number);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, "succeeded");
      assert.equal(res.body.amount_received, 2000);
      assert.equal(res.body.payment_method_details.card.last4, number.slice(-4));
      assert.ok(!res.text.includes(number), "the card number never comes back");
    });
  }

  const declines: Array<[string, string, string]> = [
    ["4000000000000002", "card_declined", "generic_decline"],
    ["4000000000009995", "card_declined", "insufficient_funds"],
    ["4000000000009987", "card_declined", "lost_card"],
    ["4000000000009979", "card_declined", "stolen_card"],
    ["4000000000000069", "expired_card", "expired_card"],
    ["4000000000000127", "incorrect_cvc", "incorrect_cvc"],
    ["4000000000000119", "processing_error", "processing_error"],
  ];
  for (const [number, code, declineCode] of declines) {
    test(`${number} is declined with ${declineCode}`, async () => {
      const res = await pay(number);
      assert.equal(res.status, 402, res.text);
      assert.equal(res.body.error.type, "card_error");
      assert.equal(res.body.error.code, code);
      assert.equal(res.body.error.decline_code, declineCode);
      assert.ok(res.body.error.message.length > 10);
      assert.ok(res.body.error.request_id.startsWith("req_"));
      const pi = res.body.error.payment_intent;
      assert.equal(pi.status, "requires_payment_method");
      assert.equal(pi.last_payment_error.decline_code, declineCode);
      const stored = await intent(pi.id);
      assert.equal(stored.status, "requires_payment_method");
      assert.equal(stored.last_payment_error.code, code);
    });
  }

  test("decline messages follow Accept-Language", async () => {
    const zh = await pay("4000000000009995", {}, { "accept-language": "zh-CN,zh;q=0.9,en;q=0.5" });
    assert.equal(zh.status, 402);
    assert.match(zh.body.error.message, /余额不足/);
    const expired = await pay("4000000000000069", {}, { "accept-language": "en-GB" });
    assert.match(expired.body.error.message, /expired/i);
    assert.match(expired.body.error.message, /another card/i);
  });

  test("a card failing Luhn is a 400 incorrect_number before any provider call", async () => {
    const res = await pay("4242424242424241");
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "incorrect_number");
    assert.equal(res.body.error.param, "payment_method_data[card][number]");
    const list = await server.request("GET", "/v1/payment_intents?limit=100");
    assert.ok(
      list.body.data.every(
        (pi: { payment_method_details: { card: { last4: string } } | null }) =>
          pi.payment_method_details?.card.last4 !== "4241",
      ),
    );
  });

  test("a timeout leaves the intent processing and the sync finds it succeeded", async () => {
    const res = await pay("4000000000000408");
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, "processing");
    const done = await eventually(
      async () => {
        const pi = await intent(res.body.id);
        return pi.status === "processing" ? undefined : pi;
      },
      15_000,
      "sync to resolve",
    );
    assert.equal(done.status, "succeeded");
    const events = await server.request("GET", `/v1/events?limit=100&type=payment_intent.*`);
    const types = events.body.data
      .filter((e: any) => e.data.object.id === res.body.id)
      .map((e: any) => e.type);
    assert.ok(types.includes("payment_intent.processing"));
    assert.ok(types.includes("payment_intent.succeeded"));
  });

  test("a timeout whose sync finds a decline fails the intent", async () => {
    const res = await pay("4000000000000416");
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, "processing");
    const done = await eventually(
      async () => {
        const pi = await intent(res.body.id);
        return pi.status === "processing" ? undefined : pi;
      },
      15_000,
      "sync to resolve",
    );
    assert.equal(done.status, "requires_payment_method");
    assert.equal(done.last_payment_error.decline_code, "generic_decline");
  });
});

describe("3-D Secure", () => {
  async function challenge(result: "approve" | "fail") {
    const res = await pay("4000002760003184", { return_url: "https://shop.example/return?order=42" });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, "requires_action");
    const action = res.body.next_action;
    assert.equal(action.type, "redirect_to_url");
    assert.equal(action.redirect_to_url.return_url, "https://shop.example/return?order=42");
    const page = await fetch(action.redirect_to_url.url);
    assert.equal(page.status, 200);
    const submitted = await fetch(action.redirect_to_url.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `result=${result}`,
      redirect: "manual",
    });
    assert.equal(submitted.status, 303);
    // The shopper's browser follows to Payrail's return route, which asks the provider and redirects on.
    const back = await fetch(submitted.headers.get("location") as string, { redirect: "manual" });
    assert.equal(back.status, 303);
    const shop = new URL(back.headers.get("location") as string);
    assert.equal(shop.origin + shop.pathname, "https://shop.example/return");
    assert.equal(shop.searchParams.get("order"), "42");
    assert.equal(shop.searchParams.get("payment_intent"), res.body.id);
    return { id: res.body.id as string, redirectStatus: shop.searchParams.get("redirect_status") };
  }

  test("approved challenge succeeds", async () => {
    const { id, redirectStatus } = await challenge("approve");
    assert.equal(redirectStatus, "succeeded");
    assert.equal((await intent(id)).status, "succeeded");
  });

  test("failed challenge returns the intent to requires_payment_method", async () => {
    const { id, redirectStatus } = await challenge("fail");
    assert.equal(redirectStatus, "failed");
    const pi = await intent(id);
    assert.equal(pi.status, "requires_payment_method");
    assert.equal(pi.last_payment_error.code, "payment_intent_authentication_failure");
  });
});

describe("manual capture and cancel", () => {
  async function authorize(amount = 5000) {
    const res = await pay("4242424242424242", { amount, capture_method: "manual" });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, "requires_capture");
    assert.equal(res.body.amount_capturable, amount);
    assert.ok(res.body.capture_before > res.body.created);
    return res.body.id as string;
  }

  test("full capture", async () => {
    const id = await authorize();
    const res = await server.request("POST", `/v1/payment_intents/${id}/capture`, { body: {} });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, "succeeded");
    assert.equal(res.body.amount_received, 5000);
    assert.equal(res.body.amount_capturable, 0);
  });

  test("several partial captures, then a final one", async () => {
    const id = await authorize(5000);
    const first = await server.request("POST", `/v1/payment_intents/${id}/capture`, {
      body: { amount_to_capture: 1000, final_capture: false },
    });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.status, "requires_capture");
    assert.equal(first.body.amount_received, 1000);
    assert.equal(first.body.amount_capturable, 4000);
    const second = await server.request("POST", `/v1/payment_intents/${id}/capture`, {
      body: { amount_to_capture: 1500, final_capture: false },
    });
    assert.equal(second.body.amount_received, 2500);
    const tooMuch = await server.request("POST", `/v1/payment_intents/${id}/capture`, {
      body: { amount_to_capture: 2501 },
    });
    assert.equal(tooMuch.status, 400);
    assert.equal(tooMuch.body.error.param, "amount_to_capture");
    const final = await server.request("POST", `/v1/payment_intents/${id}/capture`, {
      body: { amount_to_capture: 500 },
    });
    assert.equal(final.status, 200, final.text);
    assert.equal(final.body.status, "succeeded");
    assert.equal(final.body.amount_received, 3000);
    assert.equal(final.body.amount_capturable, 0);
  });

  test("cancel voids an authorization, and a canceled intent refuses capture", async () => {
    const id = await authorize();
    const res = await server.request("POST", `/v1/payment_intents/${id}/cancel`, {
      body: { cancellation_reason: "requested_by_customer" },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, "canceled");
    assert.equal(res.body.cancellation_reason, "requested_by_customer");
    const capture = await server.request("POST", `/v1/payment_intents/${id}/capture`, { body: {} });
    assert.equal(capture.status, 400);
    assert.equal(capture.body.error.code, "payment_intent_unexpected_state");
    assert.match(capture.body.error.message, /status of canceled/);
  });

  test("a succeeded intent cannot be canceled or confirmed again", async () => {
    const res = await pay("4242424242424242");
    const cancel = await server.request("POST", `/v1/payment_intents/${res.body.id}/cancel`, { body: {} });
    assert.equal(cancel.status, 400);
    assert.match(cancel.body.error.message, /status of succeeded/);
    const confirm = await server.request("POST", `/v1/payment_intents/${res.body.id}/confirm`, {
      body: { payment_method_data: CARD("4242424242424242") },
    });
    assert.equal(confirm.status, 400);
  });
});

describe("two-step flow and updates", () => {
  test("create, update, confirm", async () => {
    const created = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 1500, currency: "eur", metadata: { order: "A1" } },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.status, "requires_payment_method");
    const updated = await server.request("POST", `/v1/payment_intents/${created.body.id}`, {
      body: { amount: 1750, metadata: { note: "gift" } },
    });
    assert.equal(updated.body.amount, 1750);
    assert.deepEqual(updated.body.metadata, { order: "A1", note: "gift" });
    const confirmed = await server.request("POST", `/v1/payment_intents/${created.body.id}/confirm`, {
      body: { payment_method_data: CARD("5555555555554444") },
    });
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal(confirmed.body.status, "succeeded");
    assert.equal(confirmed.body.amount_received, 1750);
    const late = await server.request("POST", `/v1/payment_intents/${created.body.id}`, {
      body: { amount: 10 },
    });
    assert.equal(late.status, 400);
    assert.match(late.body.error.message, /status of succeeded/);
  });

  test("a declined intent can be confirmed again with another card", async () => {
    const declined = await pay("4000000000000002");
    const id = declined.body.error.payment_intent.id;
    const retry = await server.request("POST", `/v1/payment_intents/${id}/confirm`, {
      body: { payment_method_data: CARD("4242424242424242") },
    });
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.body.status, "succeeded");
    assert.equal(retry.body.last_payment_error, null);
  });

  test("zero-decimal and three-decimal currencies", async () => {
    const jpy = await pay("4242424242424242", { amount: 1200, currency: "jpy" });
    assert.equal(jpy.status, 200, jpy.text);
    assert.equal(jpy.body.amount, 1200);
    const kwd = await pay("4242424242424242", { amount: 1250, currency: "kwd" });
    assert.equal(kwd.status, 200);
    const tooLarge = await pay("4242424242424242", { amount: 1_000_000, currency: "jpy" });
    assert.equal(tooLarge.status, 400);
    assert.equal(tooLarge.body.error.param, "amount");
  });
});

describe("merchant_reference", () => {
  test("a second active intent for the same order is refused with the first one's id", async () => {
    const ref = `order-${Date.now()}`;
    const first = await pay("4242424242424242", { merchant_reference: ref });
    assert.equal(first.status, 200);
    const second = await pay("4242424242424242", { merchant_reference: ref });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, "duplicate_merchant_reference");
    assert.equal(second.body.error.payment_intent.id, first.body.id);
    assert.match(second.body.error.message, new RegExp(first.body.id));
    const listed = await server.request("GET", `/v1/payment_intents?merchant_reference=${ref}`);
    assert.equal(listed.body.data.length, 1);
  });

  test("a canceled intent frees its reference", async () => {
    const ref = `order-c-${Date.now()}`;
    const first = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 100, currency: "usd", merchant_reference: ref },
    });
    await server.request("POST", `/v1/payment_intents/${first.body.id}/cancel`, { body: {} });
    const second = await pay("4242424242424242", { merchant_reference: ref });
    assert.equal(second.status, 200, second.text);
  });
});

describe("provider notifications", () => {
  test("the sandbox's signed notifications are stored raw, verified and processed", async () => {
    const res = await pay("4242424242424242");
    const db = server.payrail.ctx.db;
    const rows = await eventually(
      async () => {
        const found = await db
          .selectFrom("inbound_webhooks")
          .selectAll()
          .where("merchant_id", "=", server.merchant.merchant_id)
          .where("status", "=", "processed")
          .execute();
        const mine = found.filter((row) => Buffer.from(row.raw_body).toString("utf8").includes(res.body.id));
        return mine.length > 0 ? mine : undefined;
      },
      10_000,
      "notification to be processed",
    );
    assert.ok(rows[0]?.provider_event_id);
  });

  test("a tampered notification is refused with 400, stored as rejected, and changes nothing", async () => {
    const account = await server.payrail.ctx.db
      .selectFrom("connector_accounts")
      .selectAll()
      .where("merchant_id", "=", server.merchant.merchant_id)
      .where("connector", "=", "sandbox")
      .executeTakeFirstOrThrow();
    const body = JSON.stringify({
      id: "evt_forged",
      object: "event",
      type: "charge.captured",
      created: Math.floor(Date.now() / 1000),
      data: { object: {} },
    });
    const res = await fetch(`${server.url}/v1/hooks/sandbox/${account.id}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "sandbox-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`,
      },
      body,
    });
    assert.equal(res.status, 400);
    const stored = await server.payrail.ctx.db
      .selectFrom("inbound_webhooks")
      .selectAll()
      .where("connector_account_id", "=", account.id)
      .where("status", "=", "rejected")
      .execute();
    assert.ok(stored.some((row) => Buffer.from(row.raw_body).toString("utf8") === body));
  });
});

describe("ending a partly captured payment", () => {
  test("cancel after a partial capture keeps what was captured and releases the rest", async () => {
    const res = await pay("4242424242424242", { amount: 4000, capture_method: "manual" });
    const id = res.body.id;
    await server.request("POST", `/v1/payment_intents/${id}/capture`, {
      body: { amount_to_capture: 1000, final_capture: false },
    });
    const canceled = await server.request("POST", `/v1/payment_intents/${id}/cancel`, { body: {} });
    assert.equal(canceled.status, 200, canceled.text);
    assert.equal(canceled.body.status, "succeeded");
    assert.equal(canceled.body.amount_received, 1000);
    assert.equal(canceled.body.amount_capturable, 0);
  });
});

describe("duplicate and late notifications", () => {
  test("a notification delivered twice is processed once; a late one changes nothing", async () => {
    const simulator = server.payrail.simulator;
    assert.ok(simulator);
    simulator.injectFault({ kind: "duplicate_notifications", times: 1 });
    const res = await pay("4242424242424242", { amount: 3300, capture_method: "manual" });
    const db = server.payrail.ctx.db;
    const rows = await eventually(
      async () => {
        const found = (
          await db
            .selectFrom("inbound_webhooks")
            .selectAll()
            .where("merchant_id", "=", server.merchant.merchant_id)
            .execute()
        ).filter(
          (row) =>
            Buffer.from(row.raw_body).toString("utf8").includes(res.body.id) && row.status !== "pending",
        );
        return found.length >= 2 ? found : undefined;
      },
      10_000,
      "both copies",
    );
    const statuses = rows.map((r) => r.status).sort();
    assert.ok(statuses.includes("processed"));
    assert.ok(statuses.includes("duplicate"));
    assert.equal(new Set(rows.map((r) => r.provider_event_id)).size, 1);
    // Capture, then replay the original authorization notification: the intent stays succeeded.
    const captured = await server.request("POST", `/v1/payment_intents/${res.body.id}/capture`, { body: {} });
    assert.equal(captured.body.status, "succeeded");
    const original = rows[0] as (typeof rows)[number];
    const replay = await fetch(`${server.url}/v1/hooks/sandbox/${original.connector_account_id}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "sandbox-signature": original.headers["sandbox-signature"] as string,
      },
      body: Buffer.from(original.raw_body),
    });
    assert.equal(replay.status, 200);
    await server.payrail.worker?.drain();
    const after = await intent(res.body.id);
    assert.equal(after.status, "succeeded");
    assert.equal(after.amount_received, 3300);
  });
});
