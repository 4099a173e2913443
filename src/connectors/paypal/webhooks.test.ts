/** Webhooks end to end: registration, the simulator's real signed deliveries, and what must be refused. */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, test } from "node:test";
import type { PayPalSimulator } from "../../../simulators/paypal/index.ts";
import {
  createSigningIdentity,
  type SigningIdentity,
  signTransmission,
} from "../../../simulators/paypal/signing.ts";
import { call, newToken, startTestSimulator } from "../../../simulators/paypal/test-support.ts";
import type { CallContext, ConnectorAccount, InboundWebhook } from "../contract.ts";
import { PAYPAL_WEBHOOK_EVENTS } from "./events.ts";
import { createPayPalConnector } from "./index.ts";
import {
  type Delivery,
  newCall,
  paymentRequest,
  type Receiver,
  shopper,
  startReceiver,
} from "./test-support.ts";

let sim: PayPalSimulator;
let receiver: Receiver;
let certServer: Server;
let certOrigin: string;
let ownIdentity: SigningIdentity;
let expiredIdentity: SigningIdentity;
const connector = createPayPalConnector({ baseUrl: () => sim.url });

before(async () => {
  sim = await startTestSimulator();
  receiver = await startReceiver();
  ownIdentity = await createSigningIdentity(new Date(), randomBytes(16));
  expiredIdentity = await createSigningIdentity(
    new Date(Date.now() - 6 * 365 * 24 * 3600_000),
    randomBytes(16),
  );
  certServer = createServer((req, res) => {
    const pem = req.url?.endsWith("CERT-own") ? ownIdentity.certificatePem : expiredIdentity.certificatePem;
    res.writeHead(200, { "content-type": "application/x-pem-file" }).end(pem);
  });
  await new Promise<void>((resolve) => certServer.listen(0, "127.0.0.1", resolve));
  certOrigin = `http://localhost:${(certServer.address() as AddressInfo).port}`;
});
after(async () => {
  certServer.closeAllConnections();
  await new Promise<void>((resolve) => certServer.close(() => resolve()));
  await receiver.close();
  await sim.close();
});
afterEach(() => sim.clearFaults());

function inbound(delivery: Delivery): InboundWebhook {
  return { rawBody: delivery.raw, headers: delivery.headers };
}

function withConfig(account: ConnectorAccount, patch: Record<string, unknown>): ConnectorAccount {
  return { ...account, config: { ...account.config, ...patch } };
}

/** A payment paid through the return, on an account that registered its webhook on first use. */
async function paidWithNotifications(
  c: CallContext,
  overrides: Parameters<typeof paymentRequest>[0] = {},
  funding = "balance",
) {
  const request = paymentRequest(overrides);
  const started = await connector.startPayment!(c, request);
  assert.ok(started.outcome === "requires_action" && started.action.type === "redirect_to_url");
  const back = await shopper(started.action.url, "approve", funding);
  const orderId = started.connectorReference;
  await connector.completeRedirect!(c, {
    connectorReference: orderId,
    reference: request.reference,
    params: back.params,
    amount: request.amount,
    currency: request.currency,
    capture: request.capture,
  });
  return { request, orderId };
}

function about(orderId: string, type: string) {
  return (delivery: Delivery) =>
    delivery.body?.event_type === type &&
    (delivery.body.resource.id === orderId ||
      delivery.body.resource.supplementary_data?.related_ids?.order_id === orderId);
}

/** A delivery signed by a key of our own, its certificate served at `certUrl`. */
function forged(
  identity: SigningIdentity,
  certUrl: string,
  webhookId: string,
  raw: Buffer,
  sentAt = new Date(),
): InboundWebhook {
  const transmission = {
    transmissionId: randomUUID(),
    transmissionTime: sentAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
    webhookId,
    body: raw,
  };
  return {
    rawBody: raw,
    headers: {
      "paypal-transmission-id": transmission.transmissionId,
      "paypal-transmission-time": transmission.transmissionTime,
      "paypal-transmission-sig": signTransmission(identity.privateKey, transmission),
      "paypal-cert-url": certUrl,
      "paypal-auth-algo": "SHA256withRSA",
    },
  };
}

describe("paypal webhooks: registration", () => {
  test("the first payment registers one webhook for the account and keeps its id", async () => {
    const c = newCall(sim, { notificationUrl: receiver.url });
    assert.equal(c.account.config.webhook_id, undefined);
    await connector.startPayment!(c, paymentRequest());
    const webhookId = String(c.account.config.webhook_id);
    assert.match(webhookId, /^[A-Z0-9]{17}$/);
    await connector.startPayment!(c, paymentRequest());
    const app = await newToken(sim, {
      clientId: c.account.config.client_id as string,
      clientSecret: c.account.config.client_secret as string,
      merchantId: "",
      token: "",
    });
    const listed = await call(sim, app, "GET", "/v1/notifications/webhooks");
    assert.equal(listed.json.webhooks.length, 1);
    assert.equal(listed.json.webhooks[0].url, receiver.url);
    assert.deepEqual(
      listed.json.webhooks[0].event_types.map((type: { name: string }) => type.name),
      [...PAYPAL_WEBHOOK_EVENTS],
    );

    // Another process, or a save that failed: PayPal says the URL is taken, and its id is kept.
    const other = createPayPalConnector({ baseUrl: () => sim.url });
    c.account.config = { ...c.account.config, webhook_id: undefined };
    await other.startPayment!(c, paymentRequest());
    assert.equal(c.account.config.webhook_id, webhookId);
  });

  test("a registration that fails does not stop the payment", async () => {
    const c = newCall(sim, { notificationUrl: receiver.url });
    sim.injectFault({ kind: "status", status: 500, match: "/v1/notifications/webhooks" });
    assert.equal((await connector.startPayment!(c, paymentRequest())).outcome, "requires_action");
    assert.equal(c.account.config.webhook_id, undefined);
    await connector.startPayment!(c, paymentRequest());
    assert.ok(c.account.config.webhook_id);
  });
});

describe("paypal webhooks: real deliveries, verified offline", () => {
  test("approval, capture and refund notifications verify and map to our references", async () => {
    const c = newCall(sim, { notificationUrl: receiver.url });
    const { request, orderId } = await paidWithNotifications(c);
    const approved = await receiver.waitFor(about(orderId, "CHECKOUT.ORDER.APPROVED"));
    assert.deepEqual(await connector.verifyWebhook(c.account, inbound(approved), new Date()), {
      ok: true,
      event: { kind: "payment_lookup", providerEventId: approved.body.id, connectorReference: orderId },
    });
    const captured = await receiver.waitFor(about(orderId, "PAYMENT.CAPTURE.COMPLETED"));
    assert.deepEqual(await connector.verifyWebhook(c.account, inbound(captured), new Date()), {
      ok: true,
      event: {
        kind: "payment",
        providerEventId: captured.body.id,
        reference: request.reference,
        connectorReference: orderId,
        status: {
          status: "authorized",
          connectorReference: orderId,
          amount: request.amount,
          currency: "usd",
          captured: true,
          capturedAmount: request.amount,
        },
      },
    });
    const refund = await connector.refund(c, {
      reference: "re_hook1",
      connectorReference: orderId,
      amount: 2_000n,
      currency: "usd",
    });
    assert.ok(refund.outcome === "succeeded");
    const refunded = await receiver.waitFor(
      (d) =>
        d.body?.event_type === "PAYMENT.CAPTURE.REFUNDED" && d.body.resource.id === refund.connectorReference,
    );
    assert.deepEqual(await connector.verifyWebhook(c.account, inbound(refunded), new Date()), {
      ok: true,
      event: {
        kind: "refund",
        providerEventId: refunded.body.id,
        reference: "re_hook1",
        connectorReference: refund.connectorReference,
        status: {
          status: "succeeded",
          connectorReference: refund.connectorReference,
          amount: 2_000n,
          currency: "usd",
        },
      },
    });
  });

  test("authorization, its capture (named by our capture reference) and a void", async () => {
    const c = newCall(sim, { notificationUrl: receiver.url });
    const held = await paidWithNotifications(c, { capture: false, amount: 5_000n });
    const created = await receiver.waitFor(about(held.orderId, "PAYMENT.AUTHORIZATION.CREATED"));
    const createdEvent = await connector.verifyWebhook(c.account, inbound(created), new Date());
    assert.ok(createdEvent.ok && createdEvent.event.kind === "payment");
    assert.equal(createdEvent.event.reference, held.request.reference);
    assert.deepEqual(createdEvent.event.status, {
      status: "authorized",
      connectorReference: held.orderId,
      amount: 5_000n,
      currency: "usd",
      captured: false,
      capturedAmount: 0n,
    });
    await connector.capture(c, {
      reference: "pa_hook",
      connectorReference: held.orderId,
      amount: 3_000n,
      currency: "usd",
      final: true,
    });
    const captured = await receiver.waitFor(about(held.orderId, "PAYMENT.CAPTURE.COMPLETED"));
    const capturedEvent = await connector.verifyWebhook(c.account, inbound(captured), new Date());
    assert.ok(capturedEvent.ok && capturedEvent.event.kind === "payment");
    assert.equal(capturedEvent.event.reference, "pa_hook");
    assert.ok(
      capturedEvent.event.status.status === "authorized" &&
        capturedEvent.event.status.capturedAmount === 3_000n,
    );

    const other = await paidWithNotifications(c, { capture: false });
    await connector.void(c, {
      reference: "pa_hook_void",
      connectorReference: other.orderId,
      amount: other.request.amount,
      currency: "usd",
    });
    const voided = await receiver.waitFor(about(other.orderId, "PAYMENT.AUTHORIZATION.VOIDED"));
    const voidedEvent = await connector.verifyWebhook(c.account, inbound(voided), new Date());
    assert.ok(voidedEvent.ok && voidedEvent.event.kind === "payment");
    assert.deepEqual(voidedEvent.event.status, { status: "voided", connectorReference: other.orderId });
  });

  test("eCheck: a pending capture, then a denied one", async () => {
    const c = newCall(sim, { notificationUrl: receiver.url });
    const { orderId } = await paidWithNotifications(c, {}, "echeck_denied");
    const pendingDelivery = await receiver.waitFor(about(orderId, "PAYMENT.CAPTURE.PENDING"));
    const pending = await connector.verifyWebhook(c.account, inbound(pendingDelivery), new Date());
    assert.ok(pending.ok && pending.event.kind === "payment");
    assert.deepEqual(pending.event.status, { status: "pending", connectorReference: orderId });
    const deniedDelivery = await receiver.waitFor(about(orderId, "PAYMENT.CAPTURE.DENIED"));
    const denied = await connector.verifyWebhook(c.account, inbound(deniedDelivery), new Date());
    assert.ok(denied.ok && denied.event.kind === "payment");
    assert.equal(denied.event.status.status, "declined");
  });
});

describe("paypal webhooks: what is refused", () => {
  let c: CallContext & { account: ConnectorAccount };
  let delivery: Delivery;
  before(async () => {
    c = newCall(sim, { notificationUrl: receiver.url });
    const { orderId } = await paidWithNotifications(c);
    delivery = await receiver.waitFor(about(orderId, "PAYMENT.CAPTURE.COMPLETED"));
  });

  async function reason(account: ConnectorAccount, webhook: InboundWebhook, now = new Date()) {
    const result = await connector.verifyWebhook(account, webhook, now);
    return result.ok ? "ok" : result.reason;
  }

  test("a body changed by one byte, or another signature", async () => {
    const raw = Buffer.from(delivery.raw);
    raw[raw.indexOf("100.00")] = "9".charCodeAt(0);
    assert.equal(await reason(c.account, { ...inbound(delivery), rawBody: raw }), "signature_mismatch");
    const spaced = Buffer.concat([delivery.raw, Buffer.from(" ")]);
    assert.equal(await reason(c.account, { ...inbound(delivery), rawBody: spaced }), "signature_mismatch");
    const signature = Buffer.from(delivery.headers["paypal-transmission-sig"] as string, "base64");
    signature[0] = (signature[0] ?? 0) ^ 1;
    const headers = { ...delivery.headers, "paypal-transmission-sig": signature.toString("base64") };
    assert.equal(await reason(c.account, { ...inbound(delivery), headers }), "signature_mismatch");
  });

  test("a delivery for another webhook, or for an account that has none yet", async () => {
    assert.equal(
      await reason(withConfig(c.account, { webhook_id: "0000000000000000X" }), inbound(delivery)),
      "signature_mismatch",
    );
    assert.equal(
      await reason(withConfig(c.account, { webhook_id: undefined }), inbound(delivery)),
      "webhook_id_not_configured",
    );
  });

  test("a transmission older (or newer) than five minutes", async () => {
    const sentAt = Date.parse(delivery.headers["paypal-transmission-time"] as string);
    assert.equal(await reason(c.account, inbound(delivery), new Date(sentAt + 299_000)), "ok");
    assert.equal(
      await reason(c.account, inbound(delivery), new Date(sentAt + 301_000)),
      "transmission_time_out_of_tolerance",
    );
    assert.equal(
      await reason(c.account, inbound(delivery), new Date(sentAt - 301_000)),
      "transmission_time_out_of_tolerance",
    );
  });

  test("missing headers and another algorithm", async () => {
    const { "paypal-cert-url": _dropped, ...withoutCert } = delivery.headers;
    assert.equal(
      await reason(c.account, { ...inbound(delivery), headers: withoutCert }),
      "missing_signature_headers",
    );
    const sha1 = { ...delivery.headers, "paypal-auth-algo": "SHA1withRSA" };
    assert.equal(await reason(c.account, { ...inbound(delivery), headers: sha1 }), "unsupported_auth_algo");
    const garbled = { ...delivery.headers, "paypal-transmission-sig": "not base64!" };
    assert.equal(await reason(c.account, { ...inbound(delivery), headers: garbled }), "malformed_signature");
  });

  test("a certificate from a host the account does not trust is never fetched", async () => {
    const paypalOnly = withConfig(c.account, { cert_hosts: undefined });
    assert.equal(await reason(paypalOnly, inbound(delivery)), "cert_host_not_allowed");
    const elsewhere = {
      ...delivery.headers,
      "paypal-cert-url": "https://evil.example/v1/notifications/certs/CERT-1",
    };
    assert.equal(
      await reason(c.account, { ...inbound(delivery), headers: elsewhere }),
      "cert_host_not_allowed",
    );
    const plain = withConfig(c.account, { cert_hosts: ["api.paypal.com"] });
    const http = {
      ...delivery.headers,
      "paypal-cert-url": "http://api.paypal.com/v1/notifications/certs/CERT-1",
    };
    assert.equal(await reason(plain, { ...inbound(delivery), headers: http }), "cert_url_not_https");
  });

  test("another key: signed by it, against PayPal's certificate, or with its own certificate from an untrusted host", async () => {
    const webhookId = c.account.config.webhook_id as string;
    const resigned = forged(ownIdentity, sim.certUrl, webhookId, delivery.raw);
    assert.equal(await reason(c.account, resigned), "signature_mismatch");
    const ownCert = forged(
      ownIdentity,
      `${certOrigin}/v1/notifications/certs/CERT-own`,
      webhookId,
      delivery.raw,
    );
    assert.equal(await reason(c.account, ownCert), "cert_host_not_allowed");
    // The allowed hosts are the trust anchor: trusting that host makes the same delivery good.
    const trusting = withConfig(c.account, { cert_hosts: [new URL(certOrigin).host] });
    assert.equal(await reason(trusting, ownCert), "ok");
    const expired = forged(
      expiredIdentity,
      `${certOrigin}/v1/notifications/certs/CERT-old`,
      webhookId,
      delivery.raw,
    );
    assert.equal(await reason(trusting, expired), "cert_not_valid");
  });

  test("signed bodies that are not events", async () => {
    const webhookId = c.account.config.webhook_id as string;
    const trusting = withConfig(c.account, { cert_hosts: [new URL(certOrigin).host] });
    const certUrl = `${certOrigin}/v1/notifications/certs/CERT-own`;
    assert.equal(
      await reason(trusting, forged(ownIdentity, certUrl, webhookId, Buffer.from("{not json"))),
      "malformed_json",
    );
    assert.equal(
      await reason(trusting, forged(ownIdentity, certUrl, webhookId, Buffer.from('{"id":1}'))),
      "malformed_event",
    );
    const unknownType = Buffer.from(
      JSON.stringify({ id: "WH-X", event_type: "CUSTOMER.DISPUTE.CREATED", resource: {} }),
    );
    assert.deepEqual(
      await connector.verifyWebhook(
        trusting,
        forged(ownIdentity, certUrl, webhookId, unknownType),
        new Date(),
      ),
      {
        ok: true,
        event: { kind: "unknown", providerEventId: "WH-X", providerType: "CUSTOMER.DISPUTE.CREATED" },
      },
    );
  });

  test("an account whose configuration is broken is refused, not thrown at", async () => {
    assert.equal(
      await reason(withConfig(c.account, { client_id: 5 }), inbound(delivery)),
      "account_config_invalid",
    );
  });
});

describe("paypal webhooks: verified by PayPal's API", () => {
  test("the real delivery verifies; a changed one does not; PayPal unreachable is no verdict", async () => {
    const c = newCall(sim, { notificationUrl: receiver.url, config: { webhook_verification: "api" } });
    const { request, orderId } = await paidWithNotifications(c);
    const delivery = await receiver.waitFor(about(orderId, "PAYMENT.CAPTURE.COMPLETED"));
    const verified = await connector.verifyWebhook(c.account, inbound(delivery), new Date());
    assert.ok(
      verified.ok && verified.event.kind === "payment" && verified.event.reference === request.reference,
    );
    const changed = Buffer.from(delivery.raw.toString("utf8").replace('"100.00"', '"900.00"'));
    assert.deepEqual(
      await connector.verifyWebhook(c.account, { ...inbound(delivery), rawBody: changed }, new Date()),
      {
        ok: false,
        reason: "signature_mismatch",
      },
    );
    sim.injectFault({ kind: "status", status: 503, match: "/v1/notifications/verify-webhook-signature" });
    assert.deepEqual(await connector.verifyWebhook(c.account, inbound(delivery), new Date()), {
      ok: false,
      reason: "verification_unavailable",
    });
  });
});
