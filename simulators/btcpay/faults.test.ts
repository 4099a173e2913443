import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { api, type Harness, startHarness, waitUntil } from "./test-support.ts";

describe("faults", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const invoicesPath = () => `/api/v1/stores/${h.storeId}/invoices`;

  test("503 and 429 (with Retry-After) answer without acting, once", async () => {
    const before = h.sim.invoiceCount();
    h.sim.injectFault({ kind: "status", status: 503, match: "/api/v1/stores" });
    const unavailable = await h.createInvoice();
    assert.equal(unavailable.status, 503);
    h.sim.injectFault({ kind: "status", status: 429 });
    const limited = await h.createInvoice();
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "1");
    assert.equal(h.sim.invoiceCount(), before);
    assert.equal((await h.createInvoice()).status, 200);
  });

  test("a reset before acting creates nothing; a reset after acting created the invoice", async () => {
    const before = h.sim.invoiceCount();
    h.sim.injectFault({ kind: "reset", match: invoicesPath() });
    await assert.rejects(h.createInvoice());
    assert.equal(h.sim.invoiceCount(), before);
    h.sim.injectFault({ kind: "reset", after: true, match: invoicesPath() });
    await assert.rejects(h.createInvoice());
    assert.equal(h.sim.invoiceCount(), before + 1);
  });

  test("a malformed answer is a truncated 200 body; latency delays the answer", async () => {
    h.sim.injectFault({ kind: "malformed" });
    const broken = await h.createInvoice();
    assert.equal(broken.status, 200);
    assert.equal(broken.json, null);
    h.sim.injectFault({ kind: "latency", ms: 50 });
    assert.equal((await h.createInvoice()).status, 200);
  });

  test("faults can be injected over HTTP and cleared", async () => {
    const injected = await api(h.sim.url, "POST", "/_admin/faults", {
      body: { kind: "status", status: 500, times: 2 },
    });
    assert.equal(injected.status, 200);
    assert.equal((await h.createInvoice()).status, 500);
    assert.equal((await api(h.sim.url, "DELETE", "/_admin/faults")).status, 200);
    assert.equal((await h.createInvoice()).status, 200);
    const invalid = await api(h.sim.url, "POST", "/_admin/faults", { body: { kind: "nonsense" } });
    assert.equal(invalid.status, 422);
  });

  test("a duplicated delivery posts the same deliveryId twice", async () => {
    h.sim.injectFault({ kind: "duplicate_notifications", match: "/btcpay/webhook" });
    const { json: invoice } = await h.createInvoice();
    await waitUntil(() => h.receiver.received.filter((r) => r.body?.invoiceId === invoice.id).length >= 2);
    const [a, b] = h.receiver.received.filter((r) => r.body?.invoiceId === invoice.id);
    assert.equal(a?.body.deliveryId, b?.body.deliveryId);
    assert.deepEqual(a?.raw, b?.raw);
  });

  test("reordered deliveries arrive newest first; a delayed one arrives after later ones", async () => {
    h.sim.injectFault({ kind: "reorder_notifications", count: 2, flushAfterMs: 5000 });
    const { json: invoice } = await h.createInvoice();
    await api(h.sim.url, "POST", `/api/v1/invoices/${invoice.id}/status`, {
      key: h.key,
      body: { status: "Invalid" },
    });
    await h.receiver.waitForType("InvoiceCreated", invoice.id);
    assert.deepEqual(h.receiver.types(invoice.id), ["InvoiceInvalid", "InvoiceCreated"]);

    h.sim.injectFault({ kind: "delay_notifications", ms: 150 });
    const { json: second } = await h.createInvoice();
    await api(h.sim.url, "POST", `/api/v1/invoices/${second.id}/status`, {
      key: h.key,
      body: { status: "Settled" },
    });
    await h.receiver.waitForType("InvoiceCreated", second.id);
    assert.deepEqual(h.receiver.types(second.id), ["InvoiceSettled", "InvoiceCreated"]);
  });
});
