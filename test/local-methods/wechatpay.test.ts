import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { WechatPaySimulator } from "../../simulators/wechatpay/index.ts";
import { ManualClock } from "../../src/core/clock.ts";
import {
  eventTypesOf,
  follow,
  intentOf,
  notificationsOf,
  payWith,
  postForm,
  untilStatus,
} from "../support/local-methods.ts";
import { eventually, startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let wechat: WechatPaySimulator;

before(async () => {
  server = await startTestServer();
  wechat = server.payrail.localSimulators.wechatPay as WechatPaySimulator;
});
after(() => server.close());

const SHOP = "https://shop.example/";

/** The shopper scans a Native code_url (or opens an h5_url) and answers on WeChat's page. */
async function shopperAnswers(pageUrl: string, action: "approve" | "decline" | "abandon") {
  const opened = await follow(pageUrl, "weixin://");
  const page = await fetch(opened.url);
  const html = await page.text();
  assert.equal(page.status, 200, html);
  const formAction = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
  // The page's hidden fields (H5's redirect_url) go with the answer, as a browser sends them.
  const hidden = Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
      m[1] as string,
      (m[2] as string).replaceAll("&amp;", "&"),
    ]),
  );
  return postForm(new URL(formAction ?? opened.url, opened.url).toString(), { ...hidden, action });
}

const scanUrl = (codeUrl: string) => `${wechat.url}/simulator/scan?code_url=${encodeURIComponent(codeUrl)}`;

describe("WeChat Pay through Payrail", () => {
  it("Native QR: scan, approve, the encrypted signed notification settles it", async () => {
    const created = await payWith(server, {
      amount: 8800,
      currency: "cny",
      payment_method_data: { type: "wechat_pay" },
    });
    assert.equal(created.status, 200, created.text);
    const qr = created.body.next_action.display_qr_code;
    assert.match(qr.data, /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    assert.match(qr.image_data_url, /^data:image\/png;base64,/);
    await shopperAnswers(scanUrl(qr.data), "approve");
    const paid = await untilStatus(server, created.body.id, "succeeded");
    assert.equal(paid.amount_received, 8800);
    const seen = await eventually(async () => {
      const all = await notificationsOf(server, "wechat_pay");
      return all.some((n) => n.status === "processed") ? all : undefined;
    });
    assert.ok(seen.every((n) => n.status !== "rejected"));
  });

  it("H5: the mobile page pays and sends the shopper back through Payrail", async () => {
    const created = await payWith(server, {
      amount: 1200,
      currency: "cny",
      payment_method_data: { type: "wechat_pay", channel: "mobile_web", client_ip: "203.0.113.7" },
    });
    assert.equal(created.body.next_action.type, "redirect_to_url");
    const answered = await shopperAnswers(created.body.next_action.redirect_to_url.url, "approve");
    const back = await follow(answered.location as string, SHOP);
    assert.equal(new URL(back.url).searchParams.get("redirect_status"), "succeeded");
  });

  it("JSAPI: the signed paySign parameters pay inside WeChat; without an openid the request names the field", async () => {
    const created = await payWith(server, {
      amount: 990,
      currency: "cny",
      payment_method_data: {
        type: "wechat_pay",
        channel: "in_app",
        wechat_pay: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
      },
    });
    assert.equal(created.body.next_action.type, "wechat_pay_jsapi", created.text);
    const params = created.body.next_action.wechat_pay_jsapi;
    assert.equal(params.signType, "RSA");
    assert.match(params.package, /^prepay_id=/);
    const { expires_at: _expires, ...jsapi } = params;
    const paid = await fetch(`${wechat.url}/simulator/client/jsapi`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...jsapi, outcome: "approve" }),
    });
    assert.equal(((await paid.json()) as { errMsg: string }).errMsg, "requestPayment:ok");
    await untilStatus(server, created.body.id, "succeeded");

    const noOpenid = await payWith(server, {
      amount: 990,
      currency: "cny",
      payment_method_data: { type: "wechat_pay", channel: "in_app" },
    });
    assert.equal(noOpenid.status, 402);
    assert.match(noOpenid.body.error.message, /./);
  });

  it("App: the signed PayReq parameters pay in the merchant's app", async () => {
    const created = await payWith(server, {
      amount: 450,
      currency: "cny",
      payment_method_data: { type: "wechat_pay", channel: "app" },
    });
    assert.equal(created.body.next_action.type, "wechat_pay_app", created.text);
    const { expires_at: _expires, ...payReq } = created.body.next_action.wechat_pay_app;
    const answer = await fetch(`${wechat.url}/simulator/client/app`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...payReq, outcome: "approve" }),
    });
    assert.equal(((await answer.json()) as { errCode: number }).errCode, 0);
    await untilStatus(server, created.body.id, "succeeded");
  });

  it("a declined payment is a decline the shopper can act on", async () => {
    const created = await payWith(server, {
      amount: 300,
      currency: "cny",
      payment_method_data: { type: "wechat_pay" },
    });
    await shopperAnswers(scanUrl(created.body.next_action.display_qr_code.data), "decline");
    const failed = await eventually(async () => {
      // WeChat sends nothing for a failure: the return or the worker's sync finds it.
      await fetch(`${server.url}/pay/return/${created.body.id}`, { redirect: "manual" });
      const intent = await intentOf(server, created.body.id);
      return intent.status === "requires_payment_method" ? intent : undefined;
    });
    assert.ok(failed.last_payment_error);
  });

  it("notifications: duplicated and reordered deliveries settle once; a tampered one is refused", async () => {
    wechat.injectFault({ kind: "duplicate_notifications", times: 2 });
    const created = await payWith(server, {
      amount: 1666,
      currency: "cny",
      payment_method_data: { type: "wechat_pay" },
    });
    await shopperAnswers(scanUrl(created.body.next_action.display_qr_code.data), "approve");
    await untilStatus(server, created.body.id, "succeeded");
    assert.equal(
      (await eventTypesOf(server, created.body.id)).filter((t) => t === "payment_intent.succeeded").length,
      1,
    );
    wechat.clearFaults();
    const stored = await server.payrail.ctx.db
      .selectFrom("inbound_webhooks")
      .select(["raw_body", "headers", "connector_account_id"])
      .where("connector", "=", "wechat_pay")
      .where("status", "=", "processed")
      .orderBy("received_at", "desc")
      .executeTakeFirstOrThrow();
    const raw = Buffer.from(stored.raw_body).toString("utf8");
    const tampered = await fetch(`${server.url}/v1/hooks/wechat_pay/${stored.connector_account_id}`, {
      method: "POST",
      headers: {
        ...Object.fromEntries(
          Object.entries(stored.headers).filter(([name]) => name.startsWith("wechatpay-")),
        ),
        "content-type": "application/json",
      },
      body: raw.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS "'),
    });
    assert.equal(tampered.status, 400);
  });

  it("refunds: part and the rest, settled by WeChat's refund notifications or the sync", async () => {
    const created = await payWith(server, {
      amount: 6000,
      currency: "cny",
      payment_method_data: { type: "wechat_pay" },
    });
    await shopperAnswers(scanUrl(created.body.next_action.display_qr_code.data), "approve");
    await untilStatus(server, created.body.id, "succeeded");
    const part = await server.request("POST", "/v1/refunds", {
      body: { payment_intent: created.body.id, amount: 1000 },
    });
    assert.equal(part.status, 200, part.text);
    const rest = await server.request("POST", "/v1/refunds", { body: { payment_intent: created.body.id } });
    assert.equal(rest.status, 200, rest.text);
    await eventually(
      async () => {
        const refunds = await server.request("GET", `/v1/refunds?payment_intent=${created.body.id}`);
        const all = refunds.body.data as Array<{ status: string }>;
        return all.length === 2 && all.every((r) => r.status === "succeeded") ? true : undefined;
      },
      20_000,
      "both refunds to succeed",
    );
  });

  it("the order's answer lost after WeChat acted: unknown, then the same order comes back and is paid once", async () => {
    wechat.injectFault({ kind: "reset", after: true, match: "/v3/pay/transactions/native" });
    const created = await payWith(server, {
      amount: 777,
      currency: "cny",
      payment_method_data: { type: "wechat_pay" },
    });
    assert.equal(created.body.status, "processing", created.text);
    // The worker asks WeChat, finds the order waiting, and sends the same order again: WeChat answers it
    // as the same order, so the shopper gets its QR code.
    const waiting = await untilStatus(server, created.body.id, "requires_action");
    await shopperAnswers(scanUrl(waiting.next_action.display_qr_code.data), "approve");
    const paid = await untilStatus(server, created.body.id, "succeeded");
    assert.equal(paid.amount_received, 777);
  });

  it("a 500 on the order is unknown, never a failure the shopper sees as final", async () => {
    wechat.injectFault({ kind: "status", status: 500, match: "/v3/pay/transactions/native" });
    const created = await payWith(server, {
      amount: 778,
      currency: "cny",
      payment_method_data: { type: "wechat_pay" },
    });
    assert.equal(created.body.status, "processing", created.text);
    // WeChat never made it: the retry of the same order makes it now, and the QR code follows.
    const waiting = await untilStatus(server, created.body.id, "requires_action");
    assert.match(waiting.next_action.display_qr_code.data, /^weixin:/);
  });
});

describe("WeChat Pay order expiry", () => {
  let timed: TestServer;
  const clock = new ManualClock(new Date());
  before(async () => {
    timed = await startTestServer({ clock, manualWorker: true });
  });
  after(() => timed.close());

  it("past time_expire the order is closed and the intent canceled as expired, with an event", async () => {
    const created = await payWith(timed, {
      amount: 500,
      currency: "cny",
      payment_method_data: { type: "wechat_pay" },
    });
    assert.equal(created.body.status, "requires_action", created.text);
    clock.advance(31 * 60_000);
    await timed.payrail.worker?.drain(2000);
    const expired = await intentOf(timed, created.body.id);
    assert.equal(expired.status, "canceled");
    assert.equal(expired.cancellation_reason, "expired");
    assert.ok((await eventTypesOf(timed, created.body.id)).includes("payment_intent.canceled"));
  });
});
