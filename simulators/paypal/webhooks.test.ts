import assert from "node:assert/strict";
import { verify, X509Certificate } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { crc32 } from "node:zlib";
import type { PayPalSimulator } from "./index.ts";
import {
  approvedOrder,
  buyer,
  call,
  createOrder,
  newApp,
  type Received,
  type Receiver,
  startReceiver,
  startTestSimulator,
  subscribe,
  type TestApp,
} from "./test-support.ts";

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), written out here to check the simulator's. */
function referenceCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function header(received: Received, name: string): string {
  const value = received.headers[name];
  assert.equal(typeof value, "string", `${name} header`);
  return value as string;
}

describe("paypal simulator: webhooks", () => {
  let sim: PayPalSimulator;
  let app: TestApp;
  let receiver: Receiver;
  let webhookId: string;
  before(async () => {
    sim = await startTestSimulator();
    app = await newApp(sim);
    receiver = await startReceiver();
    webhookId = await subscribe(sim, app, receiver.url, [
      "CHECKOUT.ORDER.APPROVED",
      "PAYMENT.CAPTURE.COMPLETED",
      "PAYMENT.CAPTURE.REFUNDED",
    ]);
  });
  after(async () => {
    await sim.close();
    await receiver.close();
  });

  it("the reference CRC-32 matches the published check value and node's zlib", () => {
    const check = Buffer.from("123456789");
    assert.equal(referenceCrc32(check), 0xcbf43926);
    assert.equal(crc32(check), 0xcbf43926);
  });

  it("manages subscriptions: create, list, show, duplicate URL, unknown event type, delete", async () => {
    assert.match(webhookId, /^[0-9A-Z]{17}$/);
    const list = await call(sim, app, "GET", "/v1/notifications/webhooks");
    assert.equal(list.json.webhooks.length, 1);
    assert.equal(list.json.webhooks[0].url, receiver.url);
    const shown = await call(sim, app, "GET", `/v1/notifications/webhooks/${webhookId}`);
    assert.deepEqual(
      shown.json.event_types.map((t: { name: string }) => t.name),
      ["CHECKOUT.ORDER.APPROVED", "PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.REFUNDED"],
    );
    const duplicate = await call(sim, app, "POST", "/v1/notifications/webhooks", {
      url: receiver.url,
      event_types: [{ name: "*" }],
    });
    assert.equal(duplicate.status, 400);
    assert.equal(duplicate.json.name, "WEBHOOK_URL_ALREADY_EXISTS");
    const unknown = await call(sim, app, "POST", "/v1/notifications/webhooks", {
      url: "https://shop.example/other",
      event_types: [{ name: "NOT.AN.EVENT" }],
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.name, "VALIDATION_ERROR");
    const missing = await call(sim, app, "POST", "/v1/notifications/webhooks", { url: "https://x.example/" });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.details[0].field, "event_types");

    const other = await subscribe(sim, app, "https://shop.example/another");
    assert.equal((await call(sim, app, "DELETE", `/v1/notifications/webhooks/${other}`)).status, 204);
    assert.equal((await call(sim, app, "GET", `/v1/notifications/webhooks/${other}`)).status, 404);
  });

  it("signs deliveries SHA256withRSA over id|time|webhook id|crc32(raw body), checkable with the served certificate", async () => {
    const orderId = await approvedOrder(sim, app);
    const [delivery] = await receiver
      .waitFor(() => receiver.ofType("CHECKOUT.ORDER.APPROVED").some((r) => r.body.resource.id === orderId))
      .then(() => receiver.ofType("CHECKOUT.ORDER.APPROVED").filter((r) => r.body.resource.id === orderId));
    assert.ok(delivery);
    assert.equal(header(delivery, "paypal-auth-algo"), "SHA256withRSA");
    const transmissionId = header(delivery, "paypal-transmission-id");
    const transmissionTime = header(delivery, "paypal-transmission-time");
    assert.match(transmissionId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(transmissionTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const certUrl = header(delivery, "paypal-cert-url");
    assert.equal(certUrl, sim.certUrl);

    const pem = await (await fetch(certUrl)).text();
    const certificate = new X509Certificate(pem);
    assert.ok(certificate.verify(certificate.publicKey), "self-signed");
    assert.match(certificate.subject, /CN=messageverificationcerts\.sandbox\.paypal\.com/);
    assert.ok(new Date(certificate.validTo).getTime() > Date.now());

    const message = `${transmissionId}|${transmissionTime}|${webhookId}|${referenceCrc32(delivery.raw)}`;
    const signature = Buffer.from(header(delivery, "paypal-transmission-sig"), "base64");
    assert.ok(verify("sha256", Buffer.from(message), certificate.publicKey, signature));
    const forged = `${transmissionId}|${transmissionTime}|${webhookId}|${referenceCrc32(Buffer.from(`${delivery.raw} `))}`;
    assert.equal(verify("sha256", Buffer.from(forged), certificate.publicKey, signature), false);

    const event = delivery.body;
    assert.match(event.id, /^WH-[0-9A-Z]{17}-[0-9A-Z]{17}$/);
    assert.equal(event.event_version, "1.0");
    assert.equal(event.resource_version, "2.0");
    assert.equal(event.resource_type, "checkout-order");
    assert.equal(event.resource.status, "APPROVED");
    assert.equal(event.summary, "An order has been approved by buyer");
  });

  it("verify-webhook-signature answers SUCCESS for a delivery as received and FAILURE for a tampered one", async () => {
    const orderId = await approvedOrder(sim, app);
    const captured = await call(sim, app, "POST", `/v2/checkout/orders/${orderId}/capture`, {});
    const captureId = captured.json.purchase_units[0].payments.captures[0].id;
    await receiver.waitFor(() =>
      receiver.ofType("PAYMENT.CAPTURE.COMPLETED").some((r) => r.body.resource.id === captureId),
    );
    const delivery = receiver
      .ofType("PAYMENT.CAPTURE.COMPLETED")
      .find((r) => r.body.resource.id === captureId);
    assert.ok(delivery);
    assert.equal(delivery.body.resource.supplementary_data.related_ids.order_id, orderId);
    assert.equal(delivery.body.summary, "Payment completed for 100.00 USD");
    const request = {
      auth_algo: header(delivery, "paypal-auth-algo"),
      cert_url: header(delivery, "paypal-cert-url"),
      transmission_id: header(delivery, "paypal-transmission-id"),
      transmission_sig: header(delivery, "paypal-transmission-sig"),
      transmission_time: header(delivery, "paypal-transmission-time"),
      webhook_id: webhookId,
      webhook_event: JSON.parse(delivery.raw.toString("utf8")),
    };
    const good = await call(sim, app, "POST", "/v1/notifications/verify-webhook-signature", request);
    assert.equal(good.status, 200);
    assert.deepEqual(good.json, { verification_status: "SUCCESS" });

    const tampered = structuredClone(request);
    tampered.webhook_event.resource.amount.value = "1.00";
    const bad = await call(sim, app, "POST", "/v1/notifications/verify-webhook-signature", tampered);
    assert.deepEqual(bad.json, { verification_status: "FAILURE" });
    const wrongHook = await call(sim, app, "POST", "/v1/notifications/verify-webhook-signature", {
      ...request,
      webhook_id: "1JE4291016473214C",
    });
    assert.deepEqual(wrongHook.json, { verification_status: "FAILURE" });
    const incomplete = await call(sim, app, "POST", "/v1/notifications/verify-webhook-signature", {
      ...request,
      transmission_sig: undefined,
    });
    assert.equal(incomplete.status, 400);
    assert.equal(incomplete.json.name, "VALIDATION_ERROR");
  });

  it("retries until the listener answers 2xx, each attempt a fresh signed transmission", async () => {
    receiver.script([500, "destroy", 200]);
    const orderId = await createOrder(sim, app);
    await buyer(sim, "approve", orderId);
    const attempts = await receiver.waitFor(
      (all) => all.filter((r) => r.body?.resource?.id === orderId).length >= 3,
    );
    const mine = attempts.filter((r) => r.body?.resource?.id === orderId);
    assert.equal(new Set(mine.map((r) => r.body.id)).size, 1, "one event");
    assert.equal(
      new Set(mine.map((r) => r.headers["paypal-transmission-id"])).size,
      3,
      "three transmissions",
    );
  });

  it("shows and resends events through the events API", async () => {
    const orderId = await approvedOrder(sim, app);
    await receiver.waitFor(() =>
      receiver.ofType("CHECKOUT.ORDER.APPROVED").some((r) => r.body.resource.id === orderId),
    );
    const eventId = receiver.ofType("CHECKOUT.ORDER.APPROVED").find((r) => r.body.resource.id === orderId)
      ?.body.id;
    const shown = await call(sim, app, "GET", `/v1/notifications/webhooks-events/${eventId}`);
    assert.equal(shown.json.id, eventId);
    const before = receiver.received.filter((r) => r.body?.id === eventId).length;
    const resent = await call(sim, app, "POST", `/v1/notifications/webhooks-events/${eventId}/resend`, {
      webhook_ids: [webhookId],
    });
    assert.equal(resent.status, 202);
    await receiver.waitFor((all) => all.filter((r) => r.body?.id === eventId).length === before + 1);
  });

  it("does not send event types the webhook did not subscribe to", async () => {
    const authOrder = await approvedOrder(sim, app, { intent: "AUTHORIZE" });
    await call(sim, app, "POST", `/v2/checkout/orders/${authOrder}/authorize`, {});
    await receiver.waitFor(() =>
      receiver.ofType("CHECKOUT.ORDER.APPROVED").some((r) => r.body.resource.id === authOrder),
    );
    assert.equal(receiver.ofType("PAYMENT.AUTHORIZATION.CREATED").length, 0);
  });
});
