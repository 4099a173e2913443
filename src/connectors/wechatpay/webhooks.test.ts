/**
 * Notifications: the simulator's real ones, captured on a local notify_url, verified and mapped; then
 * tampered, wrongly keyed, stale and malformed ones refused. Synthetic notifications are signed and
 * encrypted with the official wechatpay-axios-plugin, not with our own code.
 */
import assert from "node:assert/strict";
import { createPublicKey, type KeyObject, randomBytes } from "node:crypto";
import { after, before, beforeEach, describe, test } from "node:test";
import { Aes, Formatter, Rsa } from "wechatpay-axios-plugin";
import type { PlatformKeys } from "../../../simulators/wechatpay/index.ts";
import { STRANGER_KEY } from "../../../simulators/wechatpay/test-keys.ts";
import { platformKeys } from "../../../simulators/wechatpay/test-support.ts";
import type { CallContext, ConnectorAccount, InboundWebhook } from "../contract.ts";
import { type Harness, paymentRequest, shopperActs, startHarness } from "./test-support.ts";

let h: Harness;
let keys: PlatformKeys;

before(async () => {
  h = await startHarness({ resolveAfterMs: 10 });
  keys = await platformKeys();
});
after(() => h.close());
beforeEach(() => h.receiver.reset());

const verify = (account: ConnectorAccount, webhook: InboundWebhook, at = h.clock.now()) =>
  h.connector.verifyWebhook(account, webhook, at);

async function paid(call: CallContext, amount = 4_321n) {
  const req = paymentRequest(h.clock, { amount });
  const started = await h.connector.startPayment(call, req);
  assert.ok(started.outcome === "requires_action" && "action" in started);
  await shopperActs(h.sim, started.action, "approve");
  return req.reference;
}

/** A notification signed by the platform certificate's key with the official Rsa and Formatter. */
function signedNotification(
  body: string,
  options: { timestamp?: number; serial?: string; signWith?: KeyObject } = {},
): InboundWebhook {
  const timestamp = String(options.timestamp ?? Math.floor(h.clock.now().getTime() / 1000));
  const nonce = Formatter.nonce();
  const signature = Rsa.sign(
    Formatter.response(timestamp, nonce, body),
    options.signWith ?? keys.certificate.privateKey,
  );
  return {
    rawBody: Buffer.from(body, "utf8"),
    headers: {
      "content-type": "application/json",
      "Wechatpay-Timestamp": timestamp,
      "Wechatpay-Nonce": nonce,
      "Wechatpay-Signature": signature,
      "Wechatpay-Serial": options.serial ?? keys.certificate.serialNo,
      "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
    },
  };
}

/** An envelope whose resource is encrypted with the official Aes.AesGcm under the account's API v3 key. */
function envelope(call: CallContext, eventType: string, resource: object, originalType = "refund") {
  const nonce = Formatter.nonce(12);
  return JSON.stringify({
    id: `EV-${randomBytes(6).toString("hex")}`,
    create_time: "2024-06-01T10:00:00+08:00",
    resource_type: "encrypt-resource",
    event_type: eventType,
    summary: "退款异常",
    resource: {
      original_type: originalType,
      algorithm: "AEAD_AES_256_GCM",
      ciphertext: Aes.AesGcm.encrypt(
        JSON.stringify(resource),
        String(call.account.config.api_v3_key),
        nonce,
        originalType,
      ),
      associated_data: originalType,
      nonce,
    },
  });
}

function withConfig(account: ConnectorAccount, patch: Record<string, unknown>): ConnectorAccount {
  return { ...account, config: { ...account.config, ...patch } };
}

describe("notifications from the simulator", () => {
  test("TRANSACTION.SUCCESS is a verified payment event with the paid amount", async () => {
    const call = h.newCall();
    const reference = await paid(call);
    const [webhook] = await h.receiver.waitFor(1);
    assert.ok(webhook);
    const result = await verify(call.account, webhook);
    assert.equal(result.ok, true);
    assert.ok(result.ok && result.event.kind === "payment");
    const body = JSON.parse(webhook.rawBody.toString("utf8"));
    assert.equal(result.event.providerEventId, body.id);
    assert.equal(result.event.reference, reference);
    const synced = await h.connector.sync(call, { reference });
    assert.deepEqual(result.event.status, synced);
    assert.deepEqual(
      result.event.status.status === "authorized" && [
        result.event.status.amount,
        result.event.status.currency,
      ],
      [4_321n, "cny"],
    );
    assert.equal(
      result.event.connectorReference,
      synced.status === "authorized" && synced.connectorReference,
    );
  });

  test("REFUND.SUCCESS is a refund event named by out_refund_no", async () => {
    const call = h.newCall();
    const reference = await paid(call, 1_000n);
    await h.receiver.waitFor(1);
    const refundReference = `re_${randomBytes(6).toString("hex")}`;
    const refunded = await h.connector.refund(call, {
      reference: refundReference,
      connectorReference: reference,
      amount: 400n,
      currency: "cny",
    });
    const [, webhook] = await h.receiver.waitFor(2);
    assert.ok(webhook);
    const result = await verify(call.account, webhook);
    assert.ok(result.ok && result.event.kind === "refund");
    assert.equal(result.event.reference, refundReference);
    assert.equal(
      result.event.connectorReference,
      refunded.outcome === "pending" && refunded.connectorReference,
    );
    assert.deepEqual(result.event.status, {
      status: "succeeded",
      connectorReference: result.event.connectorReference,
      amount: 400n,
      currency: "cny",
    });
  });

  test("signed with the WeChat Pay public key, a notification verifies too", async () => {
    const call = h.newCall();
    h.sim.setPlatformSigning(String(call.account.config.mchid), "public_key");
    await paid(call);
    const [webhook] = await h.receiver.waitFor(1);
    assert.ok(webhook);
    assert.match(webhook.headers["wechatpay-serial"] ?? "", /^PUB_KEY_ID_/);
    assert.equal((await verify(call.account, webhook)).ok, true);
  });

  test("a first attempt with a bad signature is refused; WeChat's retry is accepted", async () => {
    const call = h.newCall();
    h.sim.injectFault({ kind: "bad_notification_signature" });
    // Answer as Payrail does: 200 only for a verified notification, so WeChat tries again.
    h.receiver.answerWith(async (webhook) => ((await verify(call.account, webhook)).ok ? 200 : 400));
    await paid(call);
    const [first, second] = await h.receiver.waitFor(2);
    assert.ok(first && second);
    assert.deepEqual(await verify(call.account, first), { ok: false, reason: "signature_mismatch" });
    const retried = await verify(call.account, second);
    assert.ok(retried.ok && retried.event.kind === "payment");
    assert.equal(retried.event.providerEventId, JSON.parse(first.rawBody.toString("utf8")).id);
    assert.equal(h.connector.webhookAcknowledgement?.body, '{"code":"SUCCESS","message":"成功"}');
  });
});

describe("notifications that must be refused", () => {
  let call: CallContext;
  let webhook: InboundWebhook;

  before(async () => {
    h.receiver.reset();
    call = h.newCall();
    await paid(call);
    const [received] = await h.receiver.waitFor(1);
    assert.ok(received);
    webhook = received;
  });

  test("a body changed by one byte, or a changed signature", async () => {
    const body = Buffer.from(webhook.rawBody);
    body[body.length - 2] = (body[body.length - 2] ?? 0) ^ 0x01;
    assert.deepEqual(await verify(call.account, { ...webhook, rawBody: body }), {
      ok: false,
      reason: "signature_mismatch",
    });
    const signature = Buffer.from(webhook.headers["wechatpay-signature"] ?? "", "base64");
    signature[0] = (signature[0] ?? 0) ^ 0x80;
    const headers = { ...webhook.headers, "wechatpay-signature": signature.toString("base64") };
    assert.deepEqual(await verify(call.account, { ...webhook, headers }), {
      ok: false,
      reason: "signature_mismatch",
    });
  });

  test("a key the account does not trust: an unknown serial, or another key under the same id", async () => {
    const stranger = createPublicKey(STRANGER_KEY).export({ type: "spki", format: "pem" }).toString();
    const trustsStrangerOnly = withConfig(call.account, {
      platform_certificates: [],
      wechatpay_public_key: stranger,
    });
    assert.deepEqual(await verify(trustsStrangerOnly, webhook), { ok: false, reason: "unknown_serial" });
    const byPublicKey = signedNotification(webhook.rawBody.toString("utf8"), {
      serial: h.sim.wechatpayPublicKey.keyId,
      signWith: keys.publicKey.privateKey,
    });
    assert.equal((await verify(call.account, byPublicKey)).ok, true);
    assert.deepEqual(await verify(trustsStrangerOnly, byPublicKey), {
      ok: false,
      reason: "signature_mismatch",
    });
  });

  test("a Wechatpay-Timestamp more than 300 s from now, either way", async () => {
    const sent = Number(webhook.headers["wechatpay-timestamp"]) * 1000;
    assert.equal((await verify(call.account, webhook, new Date(sent + 300_000))).ok, true);
    assert.deepEqual(await verify(call.account, webhook, new Date(sent + 301_000)), {
      ok: false,
      reason: "timestamp_too_old",
    });
    assert.deepEqual(await verify(call.account, webhook, new Date(sent - 301_000)), {
      ok: false,
      reason: "timestamp_in_future",
    });
  });

  test("missing headers, a malformed body, an envelope without a resource", async () => {
    const { "wechatpay-signature": _dropped, ...headers } = webhook.headers;
    assert.deepEqual(await verify(call.account, { ...webhook, headers }), {
      ok: false,
      reason: "missing_signature_headers",
    });
    assert.deepEqual(await verify(call.account, signedNotification("{not json")), {
      ok: false,
      reason: "malformed_json",
    });
    assert.deepEqual(await verify(call.account, signedNotification('{"id":"EV-1"}')), {
      ok: false,
      reason: "malformed_notification",
    });
    const bare = JSON.stringify({ id: "EV-2", event_type: "TRANSACTION.SUCCESS", resource: {} });
    assert.deepEqual(await verify(call.account, signedNotification(bare)), {
      ok: false,
      reason: "missing_resource",
    });
  });

  test("a resource sealed under another API v3 key, or for another merchant", async () => {
    const otherKey = withConfig(call.account, { api_v3_key: "A".repeat(32) });
    assert.deepEqual(await verify(otherKey, webhook), { ok: false, reason: "resource_decryption_failed" });
    const foreign = envelope(call, "REFUND.SUCCESS", {
      mchid: "1234567890",
      out_refund_no: "re_1",
      refund_id: "50000000000000000000000000001",
      refund_status: "SUCCESS",
      amount: { total: 100, refund: 100, payer_total: 100, payer_refund: 100 },
    });
    assert.deepEqual(await verify(call.account, signedNotification(foreign)), {
      ok: false,
      reason: "mchid_mismatch",
    });
  });

  test("an unverifiable account configuration refuses everything", async () => {
    assert.deepEqual(await verify({ ...call.account, config: {} }, webhook), {
      ok: false,
      reason: "account_config_invalid",
    });
  });
});

describe("mapping of other notifications", () => {
  const refundResource = (call: CallContext, status: string) => ({
    mchid: call.account.config.mchid,
    out_trade_no: "pi_x_a1",
    transaction_id: "4200000000202406010000000001",
    out_refund_no: "re_mapped",
    refund_id: "50000000000000000000000000002",
    refund_status: status,
    amount: { total: 100, refund: 60, payer_total: 100, payer_refund: 60 },
  });

  test("REFUND.ABNORMAL and REFUND.CLOSED are failed refunds", async () => {
    const call = h.newCall();
    for (const [status, reason] of [
      ["ABNORMAL", "refund_abnormal"],
      ["CLOSED", "refund_closed"],
    ] as const) {
      const result = await verify(
        call.account,
        signedNotification(envelope(call, `REFUND.${status}`, refundResource(call, status))),
      );
      assert.ok(result.ok && result.event.kind === "refund");
      assert.equal(result.event.reference, "re_mapped");
      assert.deepEqual(result.event.status, { status: "failed", reason });
    }
  });

  test("an event type this connector does not map is unknown, named by its id", async () => {
    const call = h.newCall();
    const body = envelope(call, "TRANSACTION.CLOSED", { hello: "world" }, "transaction");
    const result = await verify(call.account, signedNotification(body));
    assert.deepEqual(result, {
      ok: true,
      event: { kind: "unknown", providerEventId: JSON.parse(body).id, providerType: "TRANSACTION.CLOSED" },
    });
  });
});
