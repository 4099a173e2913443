import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { compileSpecValidators } from "./spec.ts";
import { api, checkout, type Harness, startHarness, startReceiver, verifySignature } from "./test-support.ts";

const spec = compileSpecValidators();

describe("webhooks", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("creating a webhook returns the generated secret once; reads never show it", async () => {
    const created = await api(h.sim.url, "POST", `/api/v1/stores/${h.storeId}/webhooks`, {
      key: h.key,
      body: {
        url: "https://merchant.example/hook",
        authorizedEvents: { everything: false, specificEvents: ["InvoiceSettled"] },
      },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(spec.response("WebhookDataCreateResult", created.json), null);
    assert.ok(created.json.secret.length >= 20);
    assert.equal(created.json.enabled, true);
    assert.equal(created.json.automaticRedelivery, true);
    const read = await api(h.sim.url, "GET", `/api/v1/stores/${h.storeId}/webhooks/${created.json.id}`, {
      key: h.key,
    });
    assert.equal(read.status, 200);
    assert.equal(read.json.secret, undefined);
    assert.deepEqual(read.json.authorizedEvents, { everything: false, specificEvents: ["InvoiceSettled"] });
    const list = await api(h.sim.url, "GET", `/api/v1/stores/${h.storeId}/webhooks`, { key: h.key });
    assert.ok(list.json.every((w: { secret?: string }) => w.secret === undefined));
    const own = await api(h.sim.url, "POST", `/api/v1/stores/${h.storeId}/webhooks`, {
      key: h.key,
      body: { url: "https://merchant.example/own", secret: "my-own-secret" },
    });
    assert.equal(own.json.secret, "my-own-secret");
    const removed = await api(h.sim.url, "DELETE", `/api/v1/webhooks/${own.json.id}`, { key: h.key });
    assert.equal(removed.status, 200);
    assert.equal(
      (await api(h.sim.url, "GET", `/api/v1/webhooks/${own.json.id}`, { key: h.key })).status,
      404,
    );
    assert.equal(
      (await api(h.sim.url, "DELETE", `/api/v1/webhooks/${created.json.id}`, { key: h.key })).status,
      200,
    );
  });

  test("a bad URL is 422 Invalid Url; unknown webhook is 404 webhook-not-found", async () => {
    const bad = await api(h.sim.url, "POST", `/api/v1/stores/${h.storeId}/webhooks`, {
      key: h.key,
      body: { url: "not a url" },
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.json, [{ path: "Url", message: "Invalid Url" }]);
    const missing = await api(h.sim.url, "GET", `/api/v1/stores/${h.storeId}/webhooks/nope`, { key: h.key });
    assert.deepEqual(missing.json, { code: "webhook-not-found", message: "The webhook was not found" });
  });

  test("every delivery is signed BTCPay-Sig over the raw indented JSON and matches its x-webhooks schema", async () => {
    const { json: invoice } = await h.createInvoice({ metadata: { orderId: "sig-1", itemDesc: "Tea" } });
    await checkout(invoice.checkoutLink, { action: "pay" });
    h.sim.confirmPayments(invoice.id);
    await h.receiver.waitForType("InvoiceSettled", invoice.id);
    const mine = h.receiver.received.filter((r) => r.body?.invoiceId === invoice.id);
    assert.equal(mine.length, 5);
    for (const delivery of mine) {
      assert.ok(verifySignature(delivery, h.webhookSecret), `${delivery.body.type} signature`);
      assert.ok(!verifySignature(delivery, `${h.webhookSecret}x`));
      assert.equal(delivery.headers["content-type"], "application/json");
      assert.equal(delivery.raw.toString("utf8"), JSON.stringify(delivery.body, null, 2));
      assert.equal(spec.webhook(delivery.body.type, delivery.body), null);
      assert.equal(delivery.body.storeId, h.storeId);
      assert.deepEqual(delivery.body.metadata, { orderId: "sig-1", itemDesc: "Tea" });
      assert.equal(delivery.body.isRedelivery, false);
      assert.equal(delivery.body.originalDeliveryId, delivery.body.deliveryId);
      assert.equal(delivery.body.timestamp, Math.floor(h.clock.now().getTime() / 1000));
    }
    const settled = mine.find((r) => r.body.type === "InvoiceSettled");
    assert.deepEqual(Object.keys(settled?.body ?? {}).slice(0, 3), [
      "manuallyMarked",
      "overPaid",
      "deliveryId",
    ]);
  });

  test("only subscribed events are sent; a disabled webhook gets nothing", async () => {
    const only = await startReceiver("/only-settled");
    const off = await startReceiver("/off");
    try {
      await api(h.sim.url, "POST", `/api/v1/stores/${h.storeId}/webhooks`, {
        key: h.key,
        body: { url: only.url, authorizedEvents: { everything: false, specificEvents: ["InvoiceSettled"] } },
      });
      await api(h.sim.url, "POST", `/api/v1/stores/${h.storeId}/webhooks`, {
        key: h.key,
        body: { url: off.url, enabled: false },
      });
      const { json: invoice } = await h.createInvoice();
      await api(h.sim.url, "POST", `/api/v1/invoices/${invoice.id}/status`, {
        key: h.key,
        body: { status: "Settled" },
      });
      const settled = await only.waitForType("InvoiceSettled", invoice.id);
      assert.equal(settled.body.manuallyMarked, true);
      await h.receiver.waitForType("InvoiceSettled", invoice.id);
      assert.deepEqual(only.types(), ["InvoiceSettled"]);
      assert.equal(off.received.length, 0);
    } finally {
      await only.close();
      await off.close();
    }
  });

  test("a failed delivery is redelivered as a new delivery with isRedelivery and the original id", async () => {
    const flaky = await startReceiver("/flaky");
    try {
      const hook = await api(h.sim.url, "POST", `/api/v1/stores/${h.storeId}/webhooks`, {
        key: h.key,
        body: { url: flaky.url, authorizedEvents: { everything: false, specificEvents: ["InvoiceCreated"] } },
      });
      flaky.script([500, "destroy"]);
      const { json: invoice } = await h.createInvoice();
      const [first, second, third] = await flaky.waitFor(3);
      assert.ok(first && second && third);
      assert.equal(first.body.isRedelivery, false);
      for (const retry of [second, third]) {
        assert.equal(retry.body.isRedelivery, true);
        assert.equal(retry.body.originalDeliveryId, first.body.deliveryId);
        assert.notEqual(retry.body.deliveryId, first.body.deliveryId);
        assert.equal(retry.body.invoiceId, invoice.id);
        assert.ok(verifySignature(retry, hook.json.secret));
      }
      const deliveries = await api(
        h.sim.url,
        "GET",
        `/api/v1/stores/${h.storeId}/webhooks/${hook.json.id}/deliveries`,
        {
          key: h.key,
        },
      );
      assert.equal(spec.response("WebhookDeliveryList", deliveries.json), null);
      const byId = new Map(deliveries.json.map((d: { id: string }) => [d.id, d]));
      assert.equal((byId.get(first.body.deliveryId) as { status: string }).status, "HttpError");
      assert.equal((byId.get(first.body.deliveryId) as { httpCode: number }).httpCode, 500);
      assert.equal((byId.get(second.body.deliveryId) as { status: string }).status, "Failed");
    } finally {
      await flaky.close();
    }
  });

  test("redeliver sends the stored event again and answers the new delivery id; request gives the bytes", async () => {
    const { json: invoice } = await h.createInvoice();
    const created = await h.receiver.waitForType("InvoiceCreated", invoice.id);
    const webhookId = created.body.webhookId;
    const bytes = await fetch(
      `${h.sim.url}/api/v1/stores/${h.storeId}/webhooks/${webhookId}/deliveries/${created.body.deliveryId}/request`,
      { headers: { authorization: `token ${h.key}` } },
    );
    assert.deepEqual(Buffer.from(await bytes.arrayBuffer()), created.raw);
    const before = h.receiver.received.length;
    const again = await api(
      h.sim.url,
      "POST",
      `/api/v1/webhooks/${webhookId}/deliveries/${created.body.deliveryId}/redeliver`,
      { key: h.key },
    );
    assert.equal(again.status, 200);
    assert.equal(typeof again.json, "string");
    await h.receiver.waitFor(before + 1);
    const redelivered = h.receiver.received.find((r) => r.body?.deliveryId === again.json);
    assert.ok(redelivered);
    assert.equal(redelivered.body.isRedelivery, true);
    assert.equal(redelivered.body.originalDeliveryId, created.body.deliveryId);
    assert.equal(redelivered.body.timestamp, created.body.timestamp);
    assert.ok(verifySignature(redelivered, h.webhookSecret));
    const one = await api(h.sim.url, "GET", `/api/v1/webhooks/${webhookId}/deliveries/${again.json}`, {
      key: h.key,
    });
    assert.equal(one.json.status, "HttpSuccess");
    const unknown = await api(h.sim.url, "POST", `/api/v1/webhooks/${webhookId}/deliveries/nope/redeliver`, {
      key: h.key,
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.code, "webhookdelivery-not-found");
  });
});
