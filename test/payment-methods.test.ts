import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CARD, startTestServer, type TestServer } from "./support/server.ts";

describe("card vault: payment methods", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  const customer = async (key = server.merchant.secret_key) =>
    (await server.request("POST", "/v1/customers", { key, body: { email: "ada@example.com" } })).body.id;

  test("tokenizing with the publishable key gives a pm_ with what may be shown, never the number", async () => {
    const res = await server.request("POST", "/v1/payment_methods", {
      key: server.merchant.publishable_key,
      body: CARD("4000056655665556"),
    });
    assert.equal(res.status, 200, res.text);
    assert.match(res.body.id, /^pm_/);
    assert.equal(res.body.card.brand, "visa");
    assert.equal(res.body.card.last4, "5556");
    assert.equal(res.body.card.funding, "debit");
    assert.equal(res.body.card.country, "US");
    assert.match(res.body.card.fingerprint, /^[A-Za-z0-9_-]{16}$/);
    assert.ok(!res.text.includes("4000056655665556"));
    assert.ok(!res.text.includes('"cvc"'));

    const again = await server.request("POST", "/v1/payment_methods", { body: CARD("4000056655665556") });
    assert.equal(again.body.card.fingerprint, res.body.card.fingerprint, "same card, same fingerprint");
    const other = await server.newMerchant();
    const elsewhere = await server.request("POST", "/v1/payment_methods", {
      key: other.secret_key,
      body: CARD("4000056655665556"),
    });
    assert.notEqual(
      elsewhere.body.card.fingerprint,
      res.body.card.fingerprint,
      "another merchant, another one",
    );

    const read = await server.request("GET", `/v1/payment_methods/${res.body.id}`);
    assert.equal(read.body.card.last4, "5556");
    const foreign = await server.request("GET", `/v1/payment_methods/${res.body.id}`, {
      key: other.secret_key,
    });
    assert.equal(foreign.status, 404);
    const publishableRead = await server.request("GET", `/v1/payment_methods/${res.body.id}`, {
      key: server.merchant.publishable_key,
    });
    assert.equal(publishableRead.status, 403, "only a secret key reads payment methods");
  });

  test("Luhn and expiry are checked with specific errors", async () => {
    const luhn = await server.request("POST", "/v1/payment_methods", { body: CARD("4242424242424241") });
    assert.equal(luhn.status, 400);
    assert.equal(luhn.body.error.code, "incorrect_number");
    assert.equal(luhn.body.error.param, "card[number]");
    const expired = await server.request("POST", "/v1/payment_methods", {
      body: CARD("4242424242424242", { exp_year: 2020 }),
    });
    assert.equal(expired.status, 402);
    assert.equal(expired.body.error.code, "invalid_expiry_year");
    const amexCvc = await server.request("POST", "/v1/payment_methods", {
      body: CARD("378282246310005", { cvc: "123" }),
    });
    assert.equal(amexCvc.status, 402);
    assert.equal(amexCvc.body.error.code, "invalid_cvc");
    assert.equal(amexCvc.body.error.param, "card[cvc]");
    assert.match(amexCvc.body.error.message, /4 digits/);
    const shortVisa = await server.request("POST", "/v1/payment_methods", { body: CARD("424242424242424") });
    assert.equal(shortVisa.status, 400);
    assert.equal(shortVisa.body.error.code, "invalid_number");
    assert.match(shortVisa.body.error.message, /Visa card numbers have/);
  });

  test("a tokenized card pays later: the intent waits in requires_confirmation, the CVC waits sealed", async () => {
    const pm = await server.request("POST", "/v1/payment_methods", {
      key: server.merchant.publishable_key,
      body: CARD("4242424242424242"),
    });
    const intent = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 1500, currency: "eur", payment_method: pm.body.id },
    });
    assert.equal(intent.body.status, "requires_confirmation");
    assert.equal(intent.body.payment_method, pm.body.id);
    const confirmed = await server.request("POST", `/v1/payment_intents/${intent.body.id}/confirm`, {
      body: {},
    });
    assert.equal(confirmed.body.status, "succeeded", confirmed.text);
    const cvcs = await server.payrail.ctx.db.selectFrom("vault_cvcs").selectAll().execute();
    assert.ok(!cvcs.some((row) => row.payment_method_id === pm.body.id), "the CVC is destroyed once used");
    const audit = await server.payrail.ctx.db
      .selectFrom("audit_log")
      .selectAll()
      .where("object_id", "=", pm.body.id)
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.action, "vault.card_decrypted");
    assert.equal(audit[0]?.actor, "connector:sandbox");
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    assert.match(metrics, /payrail_vault_decryptions_total\{purpose="authorize",connector="sandbox"\} [1-9]/);
  });

  test("payment_method_data without confirm is vaulted too", async () => {
    const intent = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 700, currency: "usd", payment_method_data: CARD("5555555555554444") },
    });
    assert.equal(intent.status, 200, intent.text);
    assert.equal(intent.body.status, "requires_confirmation");
    assert.match(intent.body.payment_method, /^pm_/);
    const confirmed = await server.request("POST", `/v1/payment_intents/${intent.body.id}/confirm`, {
      body: {},
    });
    assert.equal(confirmed.body.status, "succeeded", confirmed.text);
  });

  test("setup_future_usage saves the card with its network transaction id; off-session reuse works", async () => {
    const cus = await customer();
    const first = await server.request("POST", "/v1/payment_intents", {
      body: {
        amount: 2500,
        currency: "usd",
        customer: cus,
        confirm: true,
        setup_future_usage: "off_session",
        payment_method_data: CARD("4242424242424242"),
      },
    });
    assert.equal(first.body.status, "succeeded", first.text);
    const saved = await server.request("GET", `/v1/customers/${cus}/payment_methods`);
    assert.equal(saved.body.data.length, 1);
    const pm = saved.body.data[0];
    assert.equal(pm.id, first.body.payment_method);
    assert.equal(pm.customer, cus);
    assert.equal(pm.usage, "off_session");
    const row = await server.payrail.ctx.db
      .selectFrom("payment_methods")
      .select("network_transaction_id")
      .where("id", "=", pm.id)
      .executeTakeFirstOrThrow();
    assert.match(row.network_transaction_id ?? "", /^\d{15}$/);

    const renewal = await server.request("POST", "/v1/payment_intents", {
      body: {
        amount: 2500,
        currency: "usd",
        customer: cus,
        payment_method: pm.id,
        off_session: true,
        confirm: true,
      },
    });
    assert.equal(renewal.body.status, "succeeded", renewal.text);
    assert.equal(renewal.body.off_session, true);

    const stranger = await customer();
    const wrongCustomer = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 100, currency: "usd", customer: stranger, payment_method: pm.id, confirm: true },
    });
    assert.equal(wrongCustomer.status, 400);
    assert.equal(wrongCustomer.body.error.param, "payment_method");

    const detached = await server.request("POST", `/v1/payment_methods/${pm.id}/detach`, { body: {} });
    assert.equal(detached.body.customer, null);
    const none = await server.request("GET", `/v1/customers/${cus}/payment_methods`);
    assert.equal(none.body.data.length, 0);
    const events = await server.request("GET", "/v1/events?type=payment_method.detached");
    assert.ok(events.body.data.some((e: any) => e.data.object.id === pm.id));
  });

  test("off-session needs a card saved for it, a secret key and confirm", async () => {
    const cus = await customer();
    const pm = await server.request("POST", "/v1/payment_methods", {
      body: { ...CARD("4242424242424242"), customer: cus },
    });
    assert.equal(pm.body.customer, cus);
    const notForOffSession = await server.request("POST", "/v1/payment_intents", {
      body: {
        amount: 100,
        currency: "usd",
        customer: cus,
        payment_method: pm.body.id,
        off_session: true,
        confirm: true,
      },
    });
    assert.equal(notForOffSession.status, 400);
    assert.equal(notForOffSession.body.error.code, "payment_method_not_available_off_session");
    const oneClick = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 100, currency: "usd", customer: cus, payment_method: pm.body.id, confirm: true },
    });
    assert.equal(oneClick.body.status, "succeeded", "shopper-present reuse of a saved card");
    const noCustomer = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 100, currency: "usd", setup_future_usage: "on_session", payment_method: pm.body.id },
    });
    assert.equal(noCustomer.status, 400);
    assert.equal(noCustomer.body.error.param, "setup_future_usage");
    const attachWithPublishable = await server.request("POST", "/v1/payment_methods", {
      key: server.merchant.publishable_key,
      body: { ...CARD("4242424242424242"), customer: cus },
    });
    assert.equal(attachWithPublishable.status, 403);
  });

  test("an expired waiting CVC is purged by the worker", async () => {
    const pm = await server.request("POST", "/v1/payment_methods", { body: CARD("4242424242424242") });
    await server.payrail.ctx.db
      .updateTable("vault_cvcs")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("payment_method_id", "=", pm.body.id)
      .execute();
    const purged = await server.payrail.services.paymentMethods.purgeExpiredCvcs();
    assert.ok(purged >= 1);
    const left = await server.payrail.ctx.db
      .selectFrom("vault_cvcs")
      .select("payment_method_id")
      .where("payment_method_id", "=", pm.body.id)
      .execute();
    assert.equal(left.length, 0);
  });
});
