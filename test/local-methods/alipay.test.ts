import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { beijingDateTime } from "../../simulators/alipay/clock.ts";
import { type AlipaySimulator, startAlipaySimulator } from "../../simulators/alipay/index.ts";
import { signOutgoing } from "../../simulators/alipay/signing.ts";
import { ManualClock } from "../../src/core/clock.ts";
import {
  eventTypesOf,
  follow,
  intentOf,
  notificationsOf,
  payWith,
  untilStatus,
} from "../support/local-methods.ts";
import { CARD, eventually, startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let alipay: AlipaySimulator;

before(async () => {
  server = await startTestServer();
  alipay = server.payrail.localSimulators.alipay as AlipaySimulator;
});
after(() => server.close());

const SHOP = "https://shop.example/";

/** The shopper opens Alipay's cashier (reaching the order), then pays, fails or abandons. */
async function shopperActs(cashierUrl: string, action: "pay" | "fail" | "abandon") {
  await (await fetch(cashierUrl)).text();
  const response = await fetch(cashierUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `action=${action}`,
    redirect: "manual",
  });
  await response.text();
  return { status: response.status, location: response.headers.get("location") };
}

const cashierOfQr = (qr: string) => qr.replace("/qr/", "/cashier/");

async function alipayAccount(target: TestServer = server) {
  const accounts = await target.request("GET", "/v1/connector_accounts?limit=100");
  const found = (accounts.body.data as Array<{ id: string; connector: string }>).find(
    (a) => a.connector === "alipay",
  );
  assert.ok(found, "a fresh merchant has an Alipay test account");
  return found.id;
}

describe("Alipay through Payrail", () => {
  it("QR: next_action with the image and expiry, scan and pay, the signed notification settles it", async () => {
    const created = await payWith(server, {
      amount: 1288,
      currency: "cny",
      payment_method_data: { type: "alipay", channel: "qr" },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.status, "requires_action");
    const qr = created.body.next_action.display_qr_code;
    assert.match(qr.image_data_url, /^data:image\/png;base64,/);
    assert.match(qr.mobile_url, /^alipays:\/\/platformapi\/startapp\?/);
    assert.ok(qr.expires_at > Date.now() / 1000 + 60);
    await shopperActs(cashierOfQr(qr.data), "pay");
    const paid = await untilStatus(server, created.body.id, "succeeded");
    assert.equal(paid.amount_received, 1288);
    // Answered with the plain body `success`: Alipay stops sending.
    const seen = await notificationsOf(server, "alipay");
    assert.ok(seen.some((n) => n.status === "processed"));
    assert.deepEqual(
      (await eventTypesOf(server, created.body.id)).filter(
        (t) => t !== "payment_intent.amount_capturable_updated",
      ),
      ["payment_intent.created", "payment_intent.requires_action", "payment_intent.succeeded"],
    );
  });

  it("web: the page.pay redirect leads to the cashier; paying returns the shopper through Payrail to the shop", async () => {
    const created = await payWith(server, {
      amount: 5000,
      currency: "cny",
      payment_method_data: { type: "alipay" },
    });
    assert.equal(created.body.next_action.type, "redirect_to_url");
    const gateway = await fetch(created.body.next_action.redirect_to_url.url, { redirect: "manual" });
    assert.equal(gateway.status, 302);
    const paid = await shopperActs(gateway.headers.get("location") as string, "pay");
    const back = await follow(paid.location as string, SHOP);
    assert.equal(new URL(back.url).searchParams.get("redirect_status"), "succeeded");
    assert.equal((await intentOf(server, created.body.id)).status, "succeeded");
  });

  it("mobile web (wap.pay) and the app (signed order string) both pay", async () => {
    const wap = await payWith(server, {
      amount: 300,
      currency: "cny",
      payment_method_data: { type: "alipay", channel: "mobile_web" },
    });
    const gateway = await fetch(wap.body.next_action.redirect_to_url.url, { redirect: "manual" });
    await shopperActs(gateway.headers.get("location") as string, "pay");
    await untilStatus(server, wap.body.id, "succeeded");

    const app = await payWith(server, {
      amount: 400,
      currency: "cny",
      payment_method_data: { type: "alipay", channel: "app" },
    });
    assert.equal(app.body.next_action.type, "alipay_app");
    const orderString = app.body.next_action.alipay_app.order_string as string;
    assert.match(orderString, /method=alipay\.trade\.app\.pay/);
    assert.match(orderString, /sign=/);
    const answer = await fetch(`${alipay.url}/sandbox/app-pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ orderString, action: "pay" }),
    });
    assert.equal(((await answer.json()) as { resultStatus: string }).resultStatus, "9000");
    await untilStatus(server, app.body.id, "succeeded");
  });

  it("a failed attempt at the cashier leaves the order payable; the shopper pays on the second try", async () => {
    const created = await payWith(server, {
      amount: 700,
      currency: "cny",
      payment_method_data: { type: "alipay", channel: "qr" },
    });
    const cashier = cashierOfQr(created.body.next_action.display_qr_code.data);
    await shopperActs(cashier, "fail");
    assert.equal((await intentOf(server, created.body.id)).status, "requires_action");
    await shopperActs(cashier, "pay");
    await untilStatus(server, created.body.id, "succeeded");
  });

  it("notifications: a tampered copy is refused, a replay of a real one changes nothing", async () => {
    const created = await payWith(server, {
      amount: 1999,
      currency: "cny",
      payment_method_data: { type: "alipay", channel: "qr" },
    });
    await shopperActs(cashierOfQr(created.body.next_action.display_qr_code.data), "pay");
    await untilStatus(server, created.body.id, "succeeded");
    const account = await alipayAccount();
    const stored = await server.payrail.ctx.db
      .selectFrom("inbound_webhooks")
      .select(["raw_body", "headers"])
      .where("connector_account_id", "=", account)
      .where("status", "=", "processed")
      .orderBy("received_at", "desc")
      .executeTakeFirstOrThrow();
    const raw = Buffer.from(stored.raw_body).toString("utf8");
    assert.match(raw, /total_amount=19\.99/);
    const post = (body: string) =>
      fetch(`${server.url}/v1/hooks/alipay/${account}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body,
      });
    const tampered = await post(raw.replace("total_amount=19.99", "total_amount=1999.00"));
    assert.equal(tampered.status, 400);
    assert.equal(((await tampered.json()) as { error: { code: string } }).error.code, "signature_invalid");
    const replay = await post(raw);
    assert.equal(replay.status, 200);
    assert.equal(await replay.text(), "success");
    const after = await intentOf(server, created.body.id);
    assert.equal(after.amount_received, 1999);
    const duplicates = await server.payrail.ctx.db
      .selectFrom("inbound_webhooks")
      .select("status")
      .where("connector_account_id", "=", account)
      .where("status", "=", "duplicate")
      .execute();
    assert.ok(duplicates.length >= 1);
  });

  it("duplicated and reordered notifications from Alipay settle the payment once", async () => {
    alipay.injectFault({ kind: "duplicate_notifications", times: 3 });
    const created = await payWith(server, {
      amount: 880,
      currency: "cny",
      payment_method_data: { type: "alipay", channel: "qr" },
    });
    await shopperActs(cashierOfQr(created.body.next_action.display_qr_code.data), "pay");
    const paid = await untilStatus(server, created.body.id, "succeeded");
    assert.equal(paid.amount_received, 880);
    const succeededEvents = (await eventTypesOf(server, created.body.id)).filter(
      (t) => t === "payment_intent.succeeded",
    );
    assert.equal(succeededEvents.length, 1);
    alipay.clearFaults();

    // Two payments whose notifications arrive newest first.
    alipay.injectFault({ kind: "reorder_notifications", count: 2, flushAfterMs: 2_000 });
    const first = await payWith(server, {
      amount: 101,
      currency: "cny",
      payment_method_data: { type: "alipay", channel: "qr" },
    });
    const second = await payWith(server, {
      amount: 202,
      currency: "cny",
      payment_method_data: { type: "alipay", channel: "qr" },
    });
    await shopperActs(cashierOfQr(first.body.next_action.display_qr_code.data), "pay");
    await shopperActs(cashierOfQr(second.body.next_action.display_qr_code.data), "pay");
    assert.equal((await untilStatus(server, first.body.id, "succeeded")).amount_received, 101);
    assert.equal((await untilStatus(server, second.body.id, "succeeded")).amount_received, 202);
    alipay.clearFaults();
  });

  it("refunds: part, then the rest; a third is refused with the amount left", async () => {
    const created = await payWith(server, {
      amount: 10_000,
      currency: "cny",
      payment_method_data: { type: "alipay", channel: "qr" },
    });
    await shopperActs(cashierOfQr(created.body.next_action.display_qr_code.data), "pay");
    await untilStatus(server, created.body.id, "succeeded");
    const part = await server.request("POST", "/v1/refunds", {
      body: { payment_intent: created.body.id, amount: 2_500 },
    });
    assert.equal(part.status, 200, part.text);
    const rest = await server.request("POST", "/v1/refunds", { body: { payment_intent: created.body.id } });
    assert.equal(rest.status, 200, rest.text);
    await eventually(
      async () => {
        const intent = await intentOf(server, created.body.id);
        return intent.amount_refunded === 10_000 ? intent : undefined;
      },
      15_000,
      "both refunds to settle",
    );
    const more = await server.request("POST", "/v1/refunds", {
      body: { payment_intent: created.body.id, amount: 1 },
    });
    assert.equal(more.status, 400);
  });

  it("the merchant cancels: the Alipay order is closed, the shopper can no longer pay it", async () => {
    const created = await payWith(server, {
      amount: 650,
      currency: "cny",
      payment_method_data: { type: "alipay", channel: "qr" },
    });
    const cashier = cashierOfQr(created.body.next_action.display_qr_code.data);
    await (await fetch(cashier)).text();
    const canceled = await server.request("POST", `/v1/payment_intents/${created.body.id}/cancel`, {
      body: { cancellation_reason: "abandoned" },
    });
    assert.equal(canceled.status, 200, canceled.text);
    assert.equal(canceled.body.status, "canceled");
    const attempt = await shopperActs(cashier, "pay");
    assert.notEqual(attempt.status, 302);
    assert.equal((await intentOf(server, created.body.id)).status, "canceled");
  });

  it("a 5xx on the order's creation is unknown, not failed: nothing is charged and nothing is lost", async () => {
    alipay.injectFault({ kind: "status", status: 503, match: "/gateway.do/alipay.trade.precreate" });
    const created = await payWith(server, {
      amount: 1234,
      currency: "cny",
      payment_method_data: { type: "alipay", channel: "qr" },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.status, "processing");
    // The worker sends the same order again (same out_trade_no): the shopper gets the QR code, pays once.
    const waiting = await untilStatus(server, created.body.id, "requires_action");
    await shopperActs(cashierOfQr(waiting.next_action.display_qr_code.data), "pay");
    const paid = await untilStatus(server, created.body.id, "succeeded");
    assert.equal(paid.amount_received, 1234);
  });

  it("a declined card, then Alipay on the same intent: the second attempt chooses the Alipay account", async () => {
    const declined = await payWith(server, {
      amount: 2100,
      currency: "cny",
      payment_method_data: CARD("4000000000000002"),
    });
    assert.equal(declined.status, 402, declined.text);
    const id = declined.body.error.payment_intent.id as string;
    const retried = await server.request("POST", `/v1/payment_intents/${id}/confirm`, {
      body: { payment_method_data: { type: "alipay", channel: "qr" } },
    });
    assert.equal(retried.status, 200, retried.text);
    assert.equal(retried.body.status, "requires_action");
    assert.equal(retried.body.connector, "alipay");
    await shopperActs(cashierOfQr(retried.body.next_action.display_qr_code.data), "pay");
    assert.equal((await untilStatus(server, id, "succeeded")).amount_received, 2100);
  });

  it("payment_method_data alone names the method: a card-only intent refuses it, a card payment refuses saving", async () => {
    const cardsOnly = await payWith(server, {
      amount: 100,
      currency: "cny",
      payment_method_types: ["card"],
      payment_method_data: { type: "alipay" },
    });
    assert.equal(cardsOnly.status, 400);
    assert.equal(cardsOnly.body.error.code, "payment_method_type_not_allowed");
    const manual = await payWith(server, {
      amount: 100,
      currency: "cny",
      capture_method: "manual",
      payment_method_data: { type: "alipay" },
    });
    assert.equal(manual.status, 400);
    assert.equal(manual.body.error.param, "capture_method");
    const usd = await payWith(server, {
      amount: 100,
      currency: "usd",
      payment_method_data: { type: "alipay" },
    });
    assert.equal(usd.status, 400);
    assert.equal(usd.body.error.code, "no_connector_available");
  });
});

describe("Alipay order expiry", () => {
  let timed: TestServer;
  const clock = new ManualClock(new Date());
  before(async () => {
    timed = await startTestServer({ clock, manualWorker: true });
  });
  after(() => timed.close());

  it("an unpaid QR order past its expiry is closed at Alipay and the intent canceled as expired", async () => {
    const created = await payWith(timed, {
      amount: 999,
      currency: "cny",
      payment_method_data: { type: "alipay", channel: "qr" },
    });
    assert.equal(created.body.status, "requires_action");
    const cashier = cashierOfQr(created.body.next_action.display_qr_code.data);
    await (await fetch(cashier)).text();
    clock.advance(31 * 60_000);
    await timed.payrail.worker?.drain(2000);
    const expired = await intentOf(timed, created.body.id);
    assert.equal(expired.status, "canceled");
    assert.equal(expired.cancellation_reason, "expired");
    assert.ok((await eventTypesOf(timed, created.body.id)).includes("payment_intent.canceled"));
    const late = await shopperActs(cashier, "pay");
    assert.notEqual(late.status, 302);
  });
});

describe("the non-card test accounts of a new merchant", () => {
  it("exist for every method, and their credentials are sealed: never returned, never in a table in clear, never logged", async () => {
    const accounts = await server.request("GET", "/v1/connector_accounts?limit=100");
    const byConnector = new Map(
      (accounts.body.data as Array<{ id: string; connector: string; config: Record<string, unknown> }>).map(
        (a) => [a.connector, a],
      ),
    );
    for (const connector of ["alipay", "wechat_pay", "paypal", "mollie", "grabpay", "btcpay"]) {
      const account = byConnector.get(connector);
      assert.ok(account, `${connector} test account`);
      const secrets = server.payrail.connectors.require(connector).secretFields ?? [];
      assert.ok(secrets.length > 0, `${connector} marks its secrets`);
      for (const field of secrets)
        assert.equal(account.config[field], undefined, `${connector}.${field} returned`);
      const row = await server.payrail.ctx.db
        .selectFrom("connector_accounts")
        .select(["config", "sealed_secrets"])
        .where("id", "=", account.id)
        .executeTakeFirstOrThrow();
      for (const field of secrets) assert.equal((row.config as Record<string, unknown>)[field], undefined);
      assert.ok(row.sealed_secrets);
    }
    const logs = server.logLines.join("\n");
    assert.doesNotMatch(logs, /BEGIN (RSA )?PRIVATE KEY/);
  });
});

describe("a notification confirming another amount than asked", () => {
  let own: AlipaySimulator;
  const alipayKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const appKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
  before(async () => {
    own = await startAlipaySimulator({
      logger: false,
      alipayPrivateKeyPem: alipayKey.export({ type: "pkcs8", format: "pem" }).toString(),
    });
  });
  after(() => own.close());

  it("is never a success: the intent asks for review and the attempt records why", async () => {
    // An account of the merchant's own, on a simulator whose signing key this test holds.
    const config = {
      app_id: "2021000000004242",
      app_private_key: appKey.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      alipay_public_key: own.alipayPublicKeyPem,
      base_url: own.url,
    };
    own.registerApp({
      appId: config.app_id,
      appPublicKeyPem: appKey.publicKey.export({ type: "spki", format: "pem" }).toString(),
    });
    const account = await server.request("POST", "/v1/connector_accounts", {
      body: { connector: "alipay", config },
    });
    assert.equal(account.status, 200, account.text);
    const created = await payWith(server, {
      amount: 5000,
      currency: "cny",
      connector_account: account.body.id,
      payment_method_data: { type: "alipay", channel: "qr" },
    });
    assert.equal(created.body.status, "requires_action", created.text);
    const now = new Date();
    const params = signOutgoing(
      {
        notify_time: beijingDateTime(now),
        notify_type: "trade_status_sync",
        notify_id: `amountmismatch${Date.now()}`,
        charset: "utf-8",
        version: "1.0",
        sign_type: "RSA2",
        app_id: config.app_id,
        trade_no: "2026112622001400000000000001",
        out_trade_no: `${created.body.id}_a1`,
        trade_status: "TRADE_SUCCESS",
        total_amount: "0.50",
        gmt_payment: beijingDateTime(now),
      },
      alipayKey,
    );
    const posted = await fetch(`${server.url}/v1/hooks/alipay/${account.body.id}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: new URLSearchParams(params).toString(),
    });
    assert.equal(posted.status, 200);
    const flagged = await eventually(async () => {
      const intent = await intentOf(server, created.body.id);
      return intent.review_requested ? intent : undefined;
    });
    assert.notEqual(flagged.status, "succeeded");
    assert.equal(flagged.amount_received, 0);
    const attempt = await server.payrail.ctx.db
      .selectFrom("payment_attempts")
      .select("error")
      .where("reference", "=", `${created.body.id}_a1`)
      .executeTakeFirstOrThrow();
    assert.equal(attempt.error, "amount_mismatch");
  });
});
