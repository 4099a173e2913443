import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type MollieSimulator, startMollieSimulator } from "./index.ts";
import {
  answerCheckout,
  api,
  manualClock,
  newKey,
  paymentBody,
  type Receiver,
  startReceiver,
  waitUntil,
} from "./test-support.ts";

const clock = manualClock("2024-04-03T10:00:00Z");
let sim: MollieSimulator;
let receiver: Receiver;

before(async () => {
  sim = await startMollieSimulator({ now: clock.now, resolveAfterMs: 20, notificationRetryDelaysMs: [20] });
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
  await sim.close();
});

const create = (key: string, overrides: Record<string, unknown> = {}, idempotencyKey?: string) =>
  api(sim.url, "POST", "/v2/payments", {
    key,
    body: paymentBody({ webhookUrl: `${receiver.url}/hook`, ...overrides }),
    idempotencyKey,
  });
const get = (key: string, id: string) => api(sim.url, "GET", `/v2/payments/${id}`, { key });
const webhooksFor = (id: string) => receiver.received.filter((r) => r.id === id);

describe("create and read", () => {
  test("an open iDEAL payment in Mollie's shape, expiring 15 minutes later", async () => {
    const key = newKey();
    const res = await create(key);
    assert.equal(res.status, 201);
    assert.equal(res.headers.get("content-type"), "application/hal+json");
    const p = res.json;
    assert.match(p.id, /^tr_[A-Za-z0-9]{10}$/);
    assert.equal(p.resource, "payment");
    assert.equal(p.mode, "test");
    assert.equal(p.status, "open");
    assert.deepEqual(p.amount, { currency: "EUR", value: "10.00" });
    assert.equal(p.method, "ideal");
    assert.deepEqual(p.metadata, { order_id: "1234" });
    assert.equal(p.isCancelable, false);
    assert.equal(p.createdAt, "2024-04-03T10:00:00+00:00");
    assert.equal(p.expiresAt, "2024-04-03T10:15:00+00:00");
    assert.equal(p.details, null);
    assert.equal(p.sequenceType, "oneoff");
    assert.match(p.profileId, /^pfl_/);
    assert.equal(p._links.self.type, "application/hal+json");
    assert.equal(p._links.checkout.type, "text/html");
    assert.ok(p._links.checkout.href.startsWith(`${sim.url}/checkout/`));
    assert.equal(p._links.documentation.type, "text/html");
    assert.equal(p.amountRefunded, undefined, "only paid payments carry refund amounts");

    const read = await get(key, p.id);
    assert.equal(read.status, 200);
    assert.equal(read.json.id, p.id);
  });

  test("another account cannot see the payment", async () => {
    const res = await create(newKey());
    const other = await get(newKey(), res.json.id);
    assert.equal(other.status, 404);
    assert.equal(other.json.title, "Not Found");
    assert.equal(other.json.detail, `No payment exists with token ${res.json.id}.`);
    assert.equal(other.json._links.documentation.type, "text/html");
  });

  test("401 without a valid test key", async () => {
    const before = sim.paymentCount();
    for (const key of [
      null,
      "live_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM",
      "test_short",
      "test_dHar4XY7Lx-sDOtmnkVtjNVWXLSlXsM",
    ]) {
      const res = await api(sim.url, "POST", "/v2/payments", { key, body: paymentBody() });
      assert.equal(res.status, 401, String(key));
      assert.equal(res.json.status, 401);
      assert.equal(res.json.title, "Unauthorized Request");
      assert.equal(res.json.detail, "Missing authentication, or failed to authenticate");
    }
    assert.equal(sim.paymentCount(), before);
  });

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ["missing amount", { amount: undefined }, "amount"],
    ["not EUR", { amount: { currency: "USD", value: "10.00" } }, "amount.currency"],
    ["one decimal", { amount: { currency: "EUR", value: "10.0" } }, "amount.value"],
    ["a number", { amount: { currency: "EUR", value: 10 } }, "amount.value"],
    ["zero", { amount: { currency: "EUR", value: "0.00" } }, "amount"],
    ["above maximum", { amount: { currency: "EUR", value: "50000.01" } }, "amount"],
    ["missing description", { description: undefined }, "description"],
    ["missing redirectUrl", { redirectUrl: undefined }, "redirectUrl"],
    ["bad webhookUrl", { webhookUrl: "not a url" }, "webhookUrl"],
    ["another method", { method: "creditcard" }, "method"],
    ["unknown issuer", { issuer: "ideal_NOPE" }, "issuer"],
    ["unknown parameter", { recurringType: "first" }, "recurringType"],
  ];
  for (const [name, overrides, field] of invalid) {
    test(`422 ${name}`, async () => {
      const key = newKey();
      const res = await create(key, overrides);
      assert.equal(res.status, 422);
      assert.equal(res.json.status, 422);
      assert.equal(res.json.title, "Unprocessable Entity");
      assert.equal(res.json.field, field);
      assert.equal(typeof res.json.detail, "string");
      assert.equal(sim.paymentCount(key), 0);
    });
  }

  test("an unknown parameter is named as Mollie names it", async () => {
    const res = await create(newKey(), { recurringType: "first" });
    assert.equal(res.json.detail, 'Non-existent parameter "recurringType" for this API call.');
  });

  test("the payments list pages newest first", async () => {
    const key = newKey();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await create(key)).json.id);
    const page1 = await api(sim.url, "GET", "/v2/payments?limit=2", { key });
    assert.equal(page1.json.count, 2);
    assert.deepEqual(
      page1.json._embedded.payments.map((p: { id: string }) => p.id),
      [ids[2], ids[1]],
    );
    assert.equal(page1.json._links.previous, null);
    const page2 = await fetch(page1.json._links.next.href, { headers: { authorization: `Bearer ${key}` } });
    const body = await page2.json();
    assert.deepEqual(
      body._embedded.payments.map((p: { id: string }) => p.id),
      [ids[0]],
    );
    assert.equal((await api(sim.url, "GET", "/v2/payments?limit=251", { key })).status, 400);
  });

  test("400 for a body that is not JSON", async () => {
    const res = await api(sim.url, "POST", "/v2/payments", { key: newKey(), rawBody: "{nope" });
    assert.equal(res.status, 400);
    assert.equal(res.json.title, "Bad Request");
  });
});

describe("the shopper's checkout", () => {
  test("paid: redirect, paid payment with consumer details, one webhook", async () => {
    const key = newKey();
    const { json: p } = await create(key, { issuer: "ideal_RABONL2U" });
    const page = await fetch(p._links.checkout.href);
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(html, /10\.00/);
    assert.match(html, /value="paid"/);

    const answer = await answerCheckout(p._links.checkout.href, "paid");
    assert.equal(answer.status, 303);
    assert.equal(answer.location, "https://shop.example/return?order=1");
    await waitUntil(() => webhooksFor(p.id).length === 1);
    const hook = webhooksFor(p.id)[0];
    assert.equal(hook?.raw, `id=${p.id}`);
    assert.equal(hook?.headers["content-type"], "application/x-www-form-urlencoded");

    const paid = (await get(key, p.id)).json;
    assert.equal(paid.status, "paid");
    assert.equal(paid.paidAt, "2024-04-03T10:00:00+00:00");
    assert.equal(paid.expiresAt, undefined);
    assert.equal(paid._links.checkout, undefined);
    assert.deepEqual(paid.amountRefunded, { currency: "EUR", value: "0.00" });
    assert.deepEqual(paid.amountRemaining, { currency: "EUR", value: "10.00" });
    assert.deepEqual(paid.settlementAmount, { currency: "EUR", value: "10.00" });
    assert.equal(paid.details.consumerName, "T. TEST");
    assert.equal(paid.details.consumerBic, "RABONL2U");
    assert.match(paid.details.consumerAccount, /^NL\d{2}RABO\d{10}$/);

    const closed = await fetch(p._links.checkout.href);
    assert.equal(closed.status, 410);
    await closed.text();
  });

  for (const status of ["failed", "canceled", "expired"] as const) {
    test(`${status}: the payment ends ${status} and the webhook fires`, async () => {
      const key = newKey();
      const { json: p } = await create(key, { cancelUrl: "https://shop.example/cancel" });
      const answer = await answerCheckout(p._links.checkout.href, status);
      assert.equal(answer.location, status === "canceled" ? "https://shop.example/cancel" : p.redirectUrl);
      const read = (await get(key, p.id)).json;
      assert.equal(read.status, status);
      assert.equal(typeof read[`${status}At`], "string");
      assert.equal(read.details, null);
      await waitUntil(() => webhooksFor(p.id).length === 1);
    });
  }

  test("pending: the bank confirms later, and only the paid change is notified", async () => {
    const key = newKey();
    const { json: p } = await create(key);
    await answerCheckout(p._links.checkout.href, "pending", "ideal_ABNANL2A");
    assert.equal((await get(key, p.id)).json.status, "pending");
    await waitUntil(() => webhooksFor(p.id).length === 1);
    const paid = (await get(key, p.id)).json;
    assert.equal(paid.status, "paid");
    assert.equal(paid.details.consumerBic, "ABNANL2A");
  });

  test("abandoned: expires at expiresAt by the injected clock", async () => {
    const key = newKey();
    const { json: p } = await create(key);
    clock.advance(14 * 60 * 1000);
    assert.equal((await get(key, p.id)).json.status, "open");
    clock.advance(60 * 1000);
    const expired = (await get(key, p.id)).json;
    assert.equal(expired.status, "expired");
    assert.equal(expired.expiredAt, "2024-04-03T10:15:00+00:00");
    await waitUntil(() => webhooksFor(p.id).length === 1);
    const late = await answerCheckout(p._links.checkout.href, "paid");
    assert.equal(late.status, 410);
    clock.set("2024-04-03T10:00:00Z");
  });

  test("the periodic sweep expires without anyone reading", async () => {
    const { json: p } = await create(newKey());
    clock.advance(16 * 60 * 1000);
    assert.ok(sim.expireDue() >= 1);
    await waitUntil(() => webhooksFor(p.id).length === 1);
    clock.set("2024-04-03T10:00:00Z");
  });
});

describe("cancel", () => {
  test("an open iDEAL payment is not cancelable by default", async () => {
    const key = newKey();
    const { json: p } = await create(key);
    const res = await api(sim.url, "DELETE", `/v2/payments/${p.id}`, { key });
    assert.equal(res.status, 422);
    assert.equal(res.json.title, "Unprocessable Entity");
  });

  test("with idealCancelable, DELETE cancels an open payment once", async () => {
    const cancelable = await startMollieSimulator({ idealCancelable: true, notificationRetryDelaysMs: [] });
    try {
      const key = newKey();
      const created = await api(cancelable.url, "POST", "/v2/payments", {
        key,
        body: paymentBody({ webhookUrl: `${receiver.url}/cancel-hook` }),
      });
      assert.equal(created.json.isCancelable, true);
      const canceled = await api(cancelable.url, "DELETE", `/v2/payments/${created.json.id}`, { key });
      assert.equal(canceled.status, 200);
      assert.equal(canceled.json.status, "canceled");
      assert.equal(canceled.json.isCancelable, false);
      await waitUntil(() => webhooksFor(created.json.id).length === 1);
      const again = await api(cancelable.url, "DELETE", `/v2/payments/${created.json.id}`, { key });
      assert.equal(again.status, 422);
    } finally {
      await cancelable.close();
    }
  });
});

describe("Idempotency-Key", () => {
  test("same key and body: the first answer again, one payment", async () => {
    const key = newKey();
    const body = paymentBody();
    const first = await api(sim.url, "POST", "/v2/payments", { key, body, idempotencyKey: "k-1" });
    const second = await api(sim.url, "POST", "/v2/payments", { key, body, idempotencyKey: "k-1" });
    assert.equal(second.status, 201);
    assert.equal(second.text, first.text);
    assert.equal(sim.paymentCount(key), 1);
    const otherAccount = await api(sim.url, "POST", "/v2/payments", {
      key: newKey(),
      body,
      idempotencyKey: "k-1",
    });
    assert.notEqual(otherAccount.json.id, first.json.id, "keys are scoped to the API key");
  });

  test("same key, another body: 422", async () => {
    const key = newKey();
    await api(sim.url, "POST", "/v2/payments", { key, body: paymentBody(), idempotencyKey: "k-2" });
    const res = await api(sim.url, "POST", "/v2/payments", {
      key,
      body: paymentBody(),
      idempotencyKey: "k-2",
    });
    assert.equal(res.status, 422);
    assert.equal(sim.paymentCount(key), 1);
  });

  test("kept for one hour by the injected clock", async () => {
    const key = newKey();
    const body = paymentBody();
    await api(sim.url, "POST", "/v2/payments", { key, body, idempotencyKey: "k-3" });
    clock.advance(61 * 60 * 1000);
    const res = await api(sim.url, "POST", "/v2/payments", { key, body, idempotencyKey: "k-3" });
    assert.equal(res.status, 201);
    assert.equal(sim.paymentCount(key), 2);
    clock.set("2024-04-03T10:00:00Z");
  });
});
