import assert from "node:assert/strict";
import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { AlipaySdk } from "alipay-sdk";
import iconv from "iconv-lite";
import type { ConnectorAccount, InboundWebhook } from "../contract.ts";
import { encodeForm } from "./form.ts";
import { createAlipayConnector } from "./index.ts";
import { canonicalString, NOTIFY_UNSIGNED_KEYS } from "./signing.ts";
import {
  cashierOfQr,
  eventually,
  type Harness,
  paymentRequest,
  SPECS,
  shopperActs,
  startHarness,
  startReceiver,
} from "./test-support.ts";

interface Vector {
  name: string;
  publicKeyFile: string;
  expectedValid: boolean;
  params: Record<string, string>;
}

const { vectors } = JSON.parse(readFileSync(new URL("alipay-notify-vectors.json", SPECS), "utf8")) as {
  vectors: Vector[];
};
const tradeVector = vectors.find((v) => v.params.notify_type === "trade_status_sync")!;
const openPlatformVector = vectors.find(
  (v) => v.params.notify_type !== "trade_status_sync" && v.expectedValid,
)!;

const connector = createAlipayConnector({ baseUrl: () => "http://127.0.0.1:9" });
const anyAppKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();

function accountFor(vector: Vector, overrides: Record<string, unknown> = {}): ConnectorAccount {
  return {
    id: "mca_vector",
    merchantId: "acct_vector",
    livemode: true,
    connector: "alipay",
    config: {
      app_id: vector.params.app_id,
      app_private_key: anyAppKey,
      alipay_public_key: readFileSync(new URL(vector.publicKeyFile, SPECS), "utf8"),
      ...overrides,
    },
  };
}

const formPost = (params: Record<string, string>): InboundWebhook => ({
  rawBody: Buffer.from(encodeForm(params)),
  headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
});

const verify = (account: ConnectorAccount, webhook: InboundWebhook) =>
  connector.verifyWebhook(account, webhook, new Date());

describe("real Alipay-signed notifications (shared/specs/alipay)", () => {
  test("the trade_status_sync vector verifies and maps to an authorized, captured payment", async () => {
    const verified = await verify(accountFor(tradeVector), formPost(tradeVector.params));
    assert.deepEqual(verified, {
      ok: true,
      event: {
        kind: "payment",
        providerEventId: "2019081500222155624068450559358070",
        reference: "20190815155618536-564-57",
        connectorReference: "2019081522001468450512505578",
        status: {
          status: "authorized",
          connectorReference: "2019081522001468450512505578",
          amount: 10n,
          currency: "cny",
          captured: true,
          capturedAmount: 10n,
        },
      },
    });
  });

  test("the open-platform vector (sign_type signed too) verifies and maps to unknown", async () => {
    const verified = await verify(accountFor(openPlatformVector), formPost(openPlatformVector.params));
    assert.deepEqual(verified, {
      ok: true,
      event: {
        kind: "unknown",
        providerEventId: openPlatformVector.params.notify_id,
        providerType: "servicemarket_order_notify",
      },
    });
  });

  for (const vector of vectors.filter((v) => !v.expectedValid)) {
    test(`the published tampered copy is refused: ${vector.name}`, async () => {
      assert.deepEqual(await verify(accountFor(vector), formPost(vector.params)), {
        ok: false,
        reason: "signature_mismatch",
      });
    });
  }

  const tamperings: Array<[string, (p: Record<string, string>) => Record<string, string>]> = [
    ["the amount", (p) => ({ ...p, total_amount: "1000.10" })],
    ["the status", (p) => ({ ...p, trade_status: "TRADE_FINISHED" })],
    ["the reference", (p) => ({ ...p, out_trade_no: "someone-else" })],
    ["an added field", (p) => ({ ...p, passback_params: "x" })],
    ["a removed field", ({ buyer_id: _, ...p }) => p],
    ["the signature", (p) => ({ ...p, sign: `${p.sign!.slice(0, 20)}A${p.sign!.slice(21)}` })],
    ["a URL-encoded value", (p) => ({ ...p, subject: encodeURIComponent(p.subject!) })],
  ];
  for (const [name, tamper] of tamperings) {
    test(`the trade vector with ${name} changed is refused`, async () => {
      const verified = await verify(accountFor(tradeVector), formPost(tamper(tradeVector.params)));
      assert.equal(verified.ok, false);
    });
  }

  test("the right signature under the wrong key, app or seller is refused", async () => {
    const otherKey = readFileSync(new URL(openPlatformVector.publicKeyFile, SPECS), "utf8");
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ alipay_public_key: otherKey }, "signature_mismatch"],
      [{ app_id: "2021000000000001" }, "app_id_mismatch"],
      [{ seller_id: "2088000000000001" }, "seller_id_mismatch"],
    ];
    for (const [overrides, reason] of cases) {
      assert.deepEqual(await verify(accountFor(tradeVector, overrides), formPost(tradeVector.params)), {
        ok: false,
        reason,
      });
    }
    const sameSeller = accountFor(tradeVector, { seller_id: tradeVector.params.seller_id });
    assert.equal((await verify(sameSeller, formPost(tradeVector.params))).ok, true);
  });

  test("malformed bodies, missing or unsupported signatures and a bad account never throw", async () => {
    const account = accountFor(tradeVector);
    const raw = (text: string | Buffer): InboundWebhook => ({ rawBody: Buffer.from(text), headers: {} });
    const cases: Array<[InboundWebhook, string]> = [
      [raw(""), "missing_signature"],
      [raw("not a form at all %zz"), "malformed_body"],
      [raw(`${encodeForm(tradeVector.params)}&total_amount=0.01`), "malformed_body"],
      [raw(Buffer.from([0x61, 0x3d, 0xff, 0xfe])), "malformed_body"],
      [raw("charset=latin9&a=b"), "malformed_body"],
      [raw('{"notify_id":"1"}'), "missing_signature"],
      [formPost({ ...tradeVector.params, sign_type: "RSA" }), "unsupported_sign_type"],
      [formPost({ ...tradeVector.params, sign: "not base64 !!" }), "signature_mismatch"],
      [raw(Buffer.alloc(70_000, 0x61)), "body_too_large"],
    ];
    for (const [webhook, reason] of cases)
      assert.deepEqual(await verify(account, webhook), { ok: false, reason });
    const broken = { ...account, config: { app_id: "x" } };
    assert.deepEqual(await verify(broken, formPost(tradeVector.params)), {
      ok: false,
      reason: "account_config_invalid",
    });
  });
});

describe("notifications signed by a test Alipay key", () => {
  const alipayKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const alipayPublicPem = alipayKeys.publicKey.export({ type: "spki", format: "pem" }).toString();
  const account: ConnectorAccount = {
    id: "mca_test",
    merchantId: "acct_test",
    livemode: false,
    connector: "alipay",
    config: { app_id: "2021000000000009", app_private_key: anyAppKey, alipay_public_key: alipayPublicPem },
  };
  const base = {
    notify_id: "2024030100222100000000000000000001",
    notify_type: "trade_status_sync",
    notify_time: "2024-03-01 10:00:00",
    charset: "utf-8",
    version: "1.0",
    sign_type: "RSA2",
    app_id: "2021000000000009",
    trade_no: "2024030122001400000000000001",
    out_trade_no: "pi_abc_a1",
    total_amount: "88.88",
    subject: "测试 & 100%",
  };

  function signNotify(
    params: Record<string, string>,
    key: KeyObject = alipayKeys.privateKey,
    charset = "utf8",
  ) {
    const content = canonicalString(params, NOTIFY_UNSIGNED_KEYS);
    const bytes = charset === "utf8" ? Buffer.from(content, "utf8") : iconv.encode(content, charset);
    return { ...params, sign: createSign("RSA-SHA256").update(bytes).sign(key, "base64") };
  }

  const statusOf = async (params: Record<string, string>) => {
    const verified = await verify(account, formPost(signNotify(params)));
    if (!verified.ok) assert.fail(verified.reason);
    return verified.event;
  };

  test("trade statuses map: closed unpaid is expired, waiting is pending, unknown is pending", async () => {
    const closed = await statusOf({
      ...base,
      trade_status: "TRADE_CLOSED",
      gmt_close: "2024-03-01 10:15:00",
    });
    assert.deepEqual((closed as { status: unknown }).status, {
      status: "expired",
      connectorReference: base.trade_no,
    });
    const waiting = await statusOf({ ...base, trade_status: "WAIT_BUYER_PAY" });
    assert.deepEqual((waiting as { status: unknown }).status, {
      status: "pending",
      connectorReference: base.trade_no,
    });
    const odd = await statusOf({ ...base, trade_status: "TRADE_SOMETHING_NEW" });
    assert.equal((odd as { status: { status: string } }).status.status, "pending");
    const finished = await statusOf({
      ...base,
      trade_status: "TRADE_FINISHED",
      gmt_payment: "2024-03-01 10:01:00",
    });
    assert.equal((finished as { status: { amount: bigint } }).status.amount, 8888n);
    const badAmount = await statusOf({ ...base, trade_status: "TRADE_SUCCESS", total_amount: "88.888" });
    assert.equal((badAmount as { status: { status: string } }).status.status, "pending");
  });

  test("a refund notification is a refund event on out_biz_no, pending until its own amount is known", async () => {
    const event = await statusOf({
      ...base,
      trade_status: "TRADE_SUCCESS",
      gmt_payment: "2024-03-01 10:01:00",
      out_biz_no: "re_123",
      refund_fee: "10.00",
      gmt_refund: "2024-03-01 11:00:00.123",
    });
    assert.deepEqual(event, {
      kind: "refund",
      providerEventId: base.notify_id,
      reference: "re_123",
      connectorReference: base.trade_no,
      status: { status: "pending", connectorReference: base.trade_no },
    });
  });

  test("a trade notification without notify_id, trade_no or out_trade_no is refused", async () => {
    for (const missing of ["notify_id", "trade_no", "out_trade_no"]) {
      const params: Record<string, string> = { ...base, trade_status: "TRADE_SUCCESS" };
      delete params[missing];
      assert.deepEqual(await verify(account, formPost(signNotify(params))), {
        ok: false,
        reason: "malformed_notification",
      });
    }
  });

  test("a GBK notification is decoded and verified in GBK", async () => {
    const params = signNotify(
      { ...base, charset: "gbk", trade_status: "TRADE_SUCCESS" },
      alipayKeys.privateKey,
      "gbk",
    );
    const encode = (text: string) =>
      [...iconv.encode(text, "gbk")].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");
    const body = Object.entries(params)
      .map(([key, value]) => `${key}=${encode(value)}`)
      .join("&");
    const verified = await verify(account, { rawBody: Buffer.from(body, "latin1"), headers: {} });
    if (!verified.ok) assert.fail(verified.reason);
    assert.equal(verified.event.kind === "payment" && verified.event.status.status, "authorized");
  });

  test("what alipay-sdk signs (its request rule, sign_type included) verifies too", async () => {
    const sdk = new AlipaySdk({
      appId: "2021000000000009",
      privateKey: alipayKeys.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      alipayPublicKey: alipayPublicPem,
    });
    const signed = Object.fromEntries(
      new URLSearchParams(
        sdk.sdkExecute(
          "alipay.trade.query",
          { ...base, bizContent: { out_trade_no: "x" } },
          { bizContentAutoSnakeCase: false },
        ),
      ),
    );
    const verified = await verify(account, formPost({ ...signed, notify_type: "x_probe" }));
    assert.equal(verified.ok, false, "a field added after signing is refused");
    const accepted = await verify(account, formPost(signed));
    if (!accepted.ok) assert.fail(accepted.reason);
  });
});

describe("notifications the simulator sends", () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    h = await startHarness();
    receiver = await startReceiver();
  });
  after(async () => {
    await h.close();
    await receiver.close();
  });

  test("are verified on the raw bytes and agree with alipay-sdk's checkNotifySignV2, tampered or not", async () => {
    const call = h.newCall({ notificationUrl: receiver.url });
    const sdk = new AlipaySdk({
      appId: String(call.account.config.app_id),
      privateKey: String(call.account.config.app_private_key),
      alipayPublicKey: h.sim.alipayPublicKeyPem,
      gateway: h.sim.gateway,
    });
    const request = paymentRequest(h.clock, { channel: "qr", amount: 1_888n, description: "a/b=c&d 100%" });
    const result = await h.connector.startPayment!(call, request);
    await shopperActs(cashierOfQr((result as { action: { data: string } }).action.data), "pay");
    const note = await eventually(() =>
      receiver.received.find((n) => n.params.get("out_trade_no") === request.reference),
    );
    assert.equal(note.params.get("subject"), "a b c d 100%");
    const params = Object.fromEntries(note.params);
    assert.equal(sdk.checkNotifySignV2(params), true);
    const verified = await h.connector.verifyWebhook(call.account, note, new Date());
    assert.equal(
      verified.ok && verified.event.kind === "payment" && verified.event.status.status,
      "authorized",
    );

    const tampered = { ...params, total_amount: "0.01" };
    assert.equal(sdk.checkNotifySignV2(tampered), false);
    assert.equal((await verify(call.account, formPost(tampered))).ok, false);
    const otherAccount = h.newCall().account;
    assert.equal((await verify(otherAccount, note)).ok, false, "another merchant's app id");
  });

  test("a notification Alipay delivers twice keeps one providerEventId (notify_id), so Payrail stores it once", async () => {
    const call = h.newCall({ notificationUrl: receiver.url });
    h.sim.injectFault({ kind: "duplicate_notifications", match: new URL(receiver.url).pathname });
    const request = paymentRequest(h.clock, { channel: "qr" });
    const result = await h.connector.startPayment!(call, request);
    await shopperActs(cashierOfQr((result as { action: { data: string } }).action.data), "pay");
    const copies = await eventually(() => {
      const found = receiver.received.filter((n) => n.params.get("out_trade_no") === request.reference);
      return found.length >= 2 && found;
    });
    const ids = new Set<string>();
    for (const copy of copies) {
      const verified = await h.connector.verifyWebhook(call.account, copy, new Date());
      if (!verified.ok) assert.fail(verified.reason);
      ids.add(verified.event.providerEventId);
    }
    assert.equal(ids.size, 1);
  });
});
