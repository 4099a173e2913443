import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { Receiver } from "../../../simulators/btcpay/test-support.ts";
import type { CallContext, ConnectorAccount, InboundWebhook } from "../contract.ts";
import { createBtcpayConnector } from "./index.ts";
import {
  checkout,
  greenfield,
  localRequest,
  newCall,
  type SimulatorHarness,
  startReceiver,
  startSimulator,
  storeIdOf,
  waitUntil,
} from "./test-support.ts";

let h: SimulatorHarness;
let receiver: Receiver;
const connector = createBtcpayConnector({ baseUrl: () => h.sim.url });

before(async () => {
  h = await startSimulator();
  receiver = await startReceiver("/v1/hooks/btcpay/mca_1");
});
after(async () => {
  await h.sim.close();
  await receiver.close();
});

function inbound(raw: Buffer, headers: Record<string, string | string[] | undefined>): InboundWebhook {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (typeof value === "string") flat[name] = value;
  return { rawBody: raw, headers: flat };
}

function signed(body: string | Buffer, secret: string, name = "BTCPay-Sig"): InboundWebhook {
  const rawBody = Buffer.from(body);
  const sig = `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
  return { rawBody, headers: { "content-type": "application/json", [name]: sig } };
}

/** An account whose first payment registers Payrail's webhook at the receiver. */
async function registeredCall(): Promise<CallContext & { saved: Array<Record<string, unknown>> }> {
  const call = newCall(h.sim, { notificationUrl: receiver.url, withSaveConfig: true });
  const started = await connector.startPayment!(call, localRequest());
  assert.equal(started.outcome, "requires_action");
  return call;
}

describe("webhook registration", () => {
  test("the first payment registers one webhook for the invoice events and keeps its id and secret", async () => {
    const call = await registeredCall();
    assert.equal(call.saved.length, 1);
    const { webhook_id, webhook_secret } = call.saved[0] ?? {};
    assert.equal(typeof webhook_id, "string");
    assert.ok(typeof webhook_secret === "string" && webhook_secret.length >= 20);
    const { json: hooks } = await greenfield(
      h.sim,
      call,
      "GET",
      `/api/v1/stores/${storeIdOf(call)}/webhooks`,
    );
    assert.equal(hooks.length, 1);
    assert.equal(hooks[0].id, webhook_id);
    assert.equal(hooks[0].url, receiver.url);
    assert.deepEqual(hooks[0].authorizedEvents, {
      everything: false,
      specificEvents: [
        "InvoiceReceivedPayment",
        "InvoiceProcessing",
        "InvoiceSettled",
        "InvoiceExpired",
        "InvoiceInvalid",
      ],
    });
    await connector.startPayment!(call, localRequest());
    assert.equal(call.saved.length, 1, "registered once");
  });

  test("a webhook already at our URL (its creation answer lost) is adopted with a secret of ours", async () => {
    const call = newCall(h.sim, { notificationUrl: receiver.url, withSaveConfig: true });
    const orphan = await greenfield(h.sim, call, "POST", `/api/v1/stores/${storeIdOf(call)}/webhooks`, {
      url: receiver.url,
    });
    const started = await connector.startPayment!(call, localRequest());
    assert.ok(started.outcome === "requires_action");
    assert.equal(call.saved[0]?.webhook_id, orphan.json.id);
    assert.notEqual(call.saved[0]?.webhook_secret, orphan.json.secret);
    const { json: hooks } = await greenfield(
      h.sim,
      call,
      "GET",
      `/api/v1/stores/${storeIdOf(call)}/webhooks`,
    );
    assert.equal(hooks.length, 1);
    // Deliveries now verify with the secret Payrail kept.
    await greenfield(h.sim, call, "POST", `/api/v1/invoices/${started.connectorReference}/status`, {
      status: "Settled",
    });
    const delivery = await receiver.waitForType("InvoiceSettled", started.connectorReference);
    const verified = await connector.verifyWebhook(
      call.account,
      inbound(delivery.raw, delivery.headers),
      new Date(),
    );
    assert.equal(verified.ok, true);
  });

  test("a failed registration never blocks the payment", async () => {
    const call = newCall(h.sim, { notificationUrl: receiver.url, withSaveConfig: true });
    h.sim.injectFault({ kind: "status", status: 503, match: `/api/v1/stores/${storeIdOf(call)}/webhooks` });
    const started = await connector.startPayment!(call, localRequest());
    assert.equal(started.outcome, "requires_action");
    assert.equal(call.saved.length, 0);
    await connector.startPayment!(call, localRequest());
    assert.equal(call.saved.length, 1, "the next payment registers");
  });
});

describe("BTCPay-Sig verification of the simulator's real notifications", () => {
  let call: CallContext;
  let account: ConnectorAccount;
  before(async () => {
    call = await registeredCall();
    account = call.account;
  });

  test("a paid invoice's notifications verify and ask Payrail to look the invoice up", async () => {
    const request = localRequest();
    const started = await connector.startPayment!(call, request);
    assert.ok(started.outcome === "requires_action" && "action" in started);
    const link = started.action.type === "redirect_to_url" ? started.action.url : "";
    await checkout(link, { action: "pay" });
    h.sim.confirmPayments(started.connectorReference);
    const settled = await receiver.waitForType("InvoiceSettled", started.connectorReference);
    const result = await connector.verifyWebhook(account, inbound(settled.raw, settled.headers), new Date());
    assert.deepEqual(result, {
      ok: true,
      event: {
        kind: "payment_lookup",
        providerEventId: settled.body.deliveryId,
        connectorReference: started.connectorReference,
      },
    });
    // Payrail then syncs: the invoice is settled.
    const status = await connector.sync(call, {
      reference: request.reference,
      connectorReference: started.connectorReference,
    });
    assert.equal(status.status, "authorized");
    for (const type of ["InvoiceReceivedPayment", "InvoiceProcessing"]) {
      const delivery = await receiver.waitForType(type, started.connectorReference);
      const mapped = await connector.verifyWebhook(
        account,
        inbound(delivery.raw, delivery.headers),
        new Date(),
      );
      assert.ok(mapped.ok && mapped.event.kind === "payment_lookup", type);
    }
  });

  test("a redelivery is the same event: providerEventId is the original delivery's id", async () => {
    const started = await connector.startPayment!(call, localRequest());
    assert.ok(started.outcome === "requires_action");
    await greenfield(h.sim, call, "POST", `/api/v1/invoices/${started.connectorReference}/status`, {
      status: "Invalid",
    });
    const first = await receiver.waitForType("InvoiceInvalid", started.connectorReference);
    const again = await greenfield(
      h.sim,
      call,
      "POST",
      `/api/v1/webhooks/${first.body.webhookId}/deliveries/${first.body.deliveryId}/redeliver`,
    );
    assert.equal(again.status, 200);
    const redeliveryOf = () => receiver.received.find((r) => r.body?.deliveryId === again.json);
    await waitUntil(() => redeliveryOf() !== undefined, 5000, "the redelivery");
    const redelivered = redeliveryOf();
    assert.ok(redelivered);
    const a = await connector.verifyWebhook(account, inbound(first.raw, first.headers), new Date());
    const b = await connector.verifyWebhook(
      account,
      inbound(redelivered.raw, redelivered.headers),
      new Date(),
    );
    assert.ok(a.ok && b.ok);
    assert.equal(b.event.providerEventId, a.event.providerEventId);
    assert.equal(a.event.providerEventId, first.body.deliveryId);
  });

  test("tampered body, tampered signature, wrong secret, no header: refused", async () => {
    const started = await connector.startPayment!(call, localRequest());
    assert.ok(started.outcome === "requires_action");
    await greenfield(h.sim, call, "POST", `/api/v1/invoices/${started.connectorReference}/status`, {
      status: "Settled",
    });
    const delivery = await receiver.waitForType("InvoiceSettled", started.connectorReference);
    const good = inbound(delivery.raw, delivery.headers);
    const now = new Date();
    const tamperedBody = Buffer.from(
      delivery.raw.toString("utf8").replace(started.connectorReference, "OtherInvoice"),
    );
    assert.deepEqual(await connector.verifyWebhook(account, { ...good, rawBody: tamperedBody }, now), {
      ok: false,
      reason: "signature_mismatch",
    });
    const sig = good.headers["btcpay-sig"] ?? "";
    const flipped = `${sig.slice(0, -1)}${sig.endsWith("0") ? "1" : "0"}`;
    assert.equal(
      (await connector.verifyWebhook(account, { ...good, headers: { "btcpay-sig": flipped } }, now)).ok,
      false,
    );
    assert.equal(
      (await connector.verifyWebhook(account, { ...good, headers: { "btcpay-sig": "sha256=abc" } }, now)).ok,
      false,
    );
    assert.equal(
      (await connector.verifyWebhook(account, { ...good, headers: { "btcpay-sig": sig.slice(7) } }, now)).ok,
      false,
    );
    const wrongKey = { ...account, config: { ...account.config, webhook_secret: "not-the-secret" } };
    assert.deepEqual(await connector.verifyWebhook(wrongKey, good, now), {
      ok: false,
      reason: "signature_mismatch",
    });
    assert.deepEqual(await connector.verifyWebhook(account, { ...good, headers: {} }, now), {
      ok: false,
      reason: "missing_signature_header",
    });
    const noSecret = { ...account, config: { ...account.config, webhook_secret: undefined } };
    assert.deepEqual(await connector.verifyWebhook(noSecret, good, now), {
      ok: false,
      reason: "webhook_secret_missing",
    });
  });

  test("signed but malformed, not an event, or from another store: refused; an unknown type is unknown", async () => {
    const secret = String(account.config.webhook_secret);
    const now = new Date();
    assert.deepEqual(await connector.verifyWebhook(account, signed("{not json", secret), now), {
      ok: false,
      reason: "malformed_json",
    });
    assert.deepEqual(await connector.verifyWebhook(account, signed('{"hello":1}', secret), now), {
      ok: false,
      reason: "malformed_event",
    });
    const event = {
      deliveryId: "D1",
      webhookId: "W1",
      originalDeliveryId: "D1",
      isRedelivery: false,
      type: "InvoiceSettled",
      timestamp: 1,
      storeId: "AnotherStore",
      invoiceId: "I1",
      metadata: {},
    };
    assert.deepEqual(await connector.verifyWebhook(account, signed(JSON.stringify(event), secret), now), {
      ok: false,
      reason: "store_mismatch",
    });
    const payout = { ...event, type: "PayoutApproved", storeId: storeIdOf(call), invoiceId: undefined };
    assert.deepEqual(
      await connector.verifyWebhook(account, signed(JSON.stringify(payout), secret, "btcpay-sig"), now),
      {
        ok: true,
        event: { kind: "unknown", providerEventId: "D1", providerType: "PayoutApproved" },
      },
    );
  });
});
