import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import Stripe from "stripe";
import type { ConnectorAccount, InboundWebhook } from "../contract.ts";
import { parseSignatureHeader } from "../timestamped-signature.ts";
import { createStripeConnector } from "./index.ts";
import { sampleEvent, samplePaymentIntent } from "./test-support.ts";

const SECRET = "whsec_0123456789abcdefghijABCDEFGHIJ";
const account: ConnectorAccount = {
  id: "mca_1",
  merchantId: "acct_1",
  livemode: false,
  connector: "stripe",
  config: { secret_key: `sk_test_${"x".repeat(32)}`, webhook_secret: SECRET },
};
const connector = createStripeConnector({ baseUrl: () => "http://127.0.0.1:1" });
const now = new Date(Date.UTC(2030, 0, 1, 12));
const t = Math.floor(now.getTime() / 1000);
const event = sampleEvent(
  "payment_intent.succeeded",
  samplePaymentIntent({ status: "succeeded", amount_received: 1000 }),
);

function v1(body: Buffer | string, timestamp = t, secret = SECRET): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
}

function webhook(body: unknown, header?: string | null, name = "Stripe-Signature"): InboundWebhook {
  const rawBody = Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  if (header !== null) headers[name] = header ?? `t=${t},v1=${v1(rawBody)}`;
  return { rawBody, headers };
}

const verify = (w: InboundWebhook, at = now, acc = account) => connector.verifyWebhook(acc, w, at);

describe("Stripe-Signature verification", () => {
  test("a good signature yields the mapped event", async () => {
    const result = await verify(webhook(event));
    assert.equal(result.ok, true);
    assert.equal(result.ok && result.event.kind, "payment");
    assert.equal(result.ok && result.event.kind === "payment" && result.event.reference, "pa_1");
  });

  test("a header made by the official SDK verifies", async () => {
    const payload = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: t });
    assert.equal((await verify(webhook(payload, header))).ok, true);
  });

  test("the header name is matched case-insensitively", async () => {
    const body = JSON.stringify(event);
    assert.equal((await verify(webhook(body, `t=${t},v1=${v1(body)}`, "stripe-signature"))).ok, true);
  });

  test("a tampered body fails", async () => {
    const body = JSON.stringify(event);
    const tampered = body.replace('"amount":1000', '"amount":1');
    assert.notEqual(tampered, body);
    assert.deepEqual(await verify(webhook(tampered, `t=${t},v1=${v1(body)}`)), {
      ok: false,
      reason: "signature_mismatch",
    });
  });

  test("a signature made with another secret fails", async () => {
    const body = JSON.stringify(event);
    const header = `t=${t},v1=${v1(body, t, "whsec_another_secret_0123456789")}`;
    assert.deepEqual(await verify(webhook(body, header)), { ok: false, reason: "signature_mismatch" });
  });

  test("the signature covers the timestamp", async () => {
    const body = JSON.stringify(event);
    assert.deepEqual(await verify(webhook(body, `t=${t + 1},v1=${v1(body)}`)), {
      ok: false,
      reason: "signature_mismatch",
    });
  });

  test("timestamps beyond 300 s of the injected now fail, both ways", async () => {
    const body = JSON.stringify(event);
    const at = (timestamp: number) => webhook(body, `t=${timestamp},v1=${v1(body, timestamp)}`);
    assert.equal((await verify(at(t - 300))).ok, true);
    assert.equal((await verify(at(t + 300))).ok, true);
    assert.deepEqual(await verify(at(t - 301)), { ok: false, reason: "timestamp_too_old" });
    assert.deepEqual(await verify(at(t + 301)), { ok: false, reason: "timestamp_in_future" });
  });

  test("any matching v1 among several is enough (secret rotation)", async () => {
    const body = JSON.stringify(event);
    const other = v1(body, t, "whsec_the_old_secret_0123456789");
    assert.equal((await verify(webhook(body, `t=${t},v1=${other},v1=${v1(body)},v0=abc`))).ok, true);
    assert.deepEqual(await verify(webhook(body, `t=${t},v1=${other},v0=${v1(body)}`)), {
      ok: false,
      reason: "signature_mismatch",
    });
  });

  test("malformed headers fail without throwing", async () => {
    const body = JSON.stringify(event);
    const good = v1(body);
    for (const header of [
      "",
      "garbage",
      `v1=${good}`,
      `t=${t}`,
      `t=abc,v1=${good}`,
      `t=${t},v1=zz`,
      `t=${t},v1=${good.slice(2)}`,
      `t=${t},t=${t},v1=${good}`,
      `t=-5,v1=${good}`,
    ]) {
      assert.deepEqual(
        await verify(webhook(body, header)),
        { ok: false, reason: "malformed_signature_header" },
        header,
      );
    }
    assert.deepEqual(await verify(webhook(body, null)), { ok: false, reason: "missing_signature_header" });
  });

  test("a signed body that is not JSON, or not an event, fails", async () => {
    assert.deepEqual(await verify(webhook("not json")), { ok: false, reason: "malformed_json" });
    assert.deepEqual(await verify(webhook({ hello: "world" })), { ok: false, reason: "malformed_event" });
  });

  test("a signed event of an unknown type is kept as unknown", async () => {
    const result = await verify(webhook({ ...event, type: "customer.created", data: { object: {} } }));
    assert.deepEqual(result, {
      ok: true,
      event: { kind: "unknown", providerEventId: "evt_3Test", providerType: "customer.created" },
    });
  });

  test("an account without a webhook secret, or with a broken config, cannot verify", async () => {
    const noSecret = { ...account, config: { secret_key: account.config.secret_key } };
    assert.deepEqual(await verify(webhook(event), now, noSecret), {
      ok: false,
      reason: "webhook_secret_missing",
    });
    assert.deepEqual(await verify(webhook(event), now, { ...account, config: {} }), {
      ok: false,
      reason: "account_config_invalid",
    });
  });

  test("parseSignatureHeader keeps every v1", () => {
    const a = "a".repeat(64);
    const b = "b".repeat(64);
    const parsed = parseSignatureHeader(`t=12, v1=${a} ,v1=${b}`);
    assert.equal(parsed?.timestamp, 12);
    assert.equal(parsed?.signatures.length, 2);
  });
});
