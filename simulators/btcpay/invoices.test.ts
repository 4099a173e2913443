import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { compileSpecValidators } from "./spec.ts";
import { api, type Harness, newApiKey, startHarness } from "./test-support.ts";

const spec = compileSpecValidators();

describe("invoices", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("creating an invoice answers BTCPay's InvoiceData: New, None, checkout link and times", async () => {
    const created = await h.createInvoice({
      metadata: { orderId: "A-17", buyerEmail: "jo@example.com" },
      checkout: {
        expirationMinutes: 30,
        speedPolicy: "LowMediumSpeed",
        redirectURL: "https://shop.example/done",
      },
    });
    assert.equal(created.status, 200, created.text);
    const invoice = created.json;
    assert.equal(spec.response("InvoiceData", invoice), null);
    assert.match(invoice.id, /^[1-9A-HJ-NP-Za-km-z]{20,23}$/);
    assert.equal(invoice.storeId, h.storeId);
    assert.equal(invoice.amount, "25.00");
    assert.equal(invoice.paidAmount, "0.00");
    assert.equal(invoice.currency, "USD");
    assert.equal(invoice.status, "New");
    assert.equal(invoice.additionalStatus, "None");
    assert.equal(invoice.type, "Standard");
    assert.deepEqual(invoice.availableStatusesForManualMarking, ["Settled", "Invalid"]);
    assert.equal(invoice.checkoutLink, `${h.sim.url}/i/${invoice.id}`);
    const created_s = Math.floor(h.clock.now().getTime() / 1000);
    assert.equal(invoice.createdTime, created_s);
    assert.equal(invoice.expirationTime, created_s + 30 * 60);
    assert.equal(invoice.monitoringExpiration, created_s + 30 * 60 + 1440 * 60);
    assert.equal(invoice.checkout.speedPolicy, "LowMediumSpeed");
    assert.deepEqual(invoice.checkout.paymentMethods, ["BTC-CHAIN"]);
    assert.deepEqual(invoice.metadata, { orderId: "A-17", buyerEmail: "jo@example.com" });

    const page = await fetch(invoice.checkoutLink);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /data-status="New"/);
  });

  test("an invoice is read the same through the store path and the store-less path", async () => {
    const { json: invoice } = await h.createInvoice();
    const scoped = await h.getInvoice(invoice.id);
    const bare = await api(h.sim.url, "GET", `/api/v1/invoices/${invoice.id}`, { key: h.key });
    assert.equal(scoped.status, 200);
    assert.deepEqual(bare.json, scoped.json);
  });

  test("payment methods give the BTC rate, the amount due in BTC and a BIP21 link", async () => {
    const { json: invoice } = await h.createInvoice({ amount: "100" });
    const methods = await api(
      h.sim.url,
      "GET",
      `/api/v1/stores/${h.storeId}/invoices/${invoice.id}/payment-methods`,
      {
        key: h.key,
      },
    );
    assert.equal(methods.status, 200);
    const [method] = methods.json;
    assert.equal(spec.response("InvoicePaymentMethodDataModel", method), null);
    assert.equal(method.paymentMethodId, "BTC-CHAIN");
    assert.equal(method.currency, "BTC");
    assert.equal(method.rate, "64392.23");
    // 100 / 64392.23 = 0.001552983… rounded up to the satoshi
    assert.equal(method.amount, "0.00155299");
    assert.equal(method.due, "0.00155299");
    assert.equal(method.totalPaid, "0.00000000");
    assert.match(method.destination, /^tb1q[a-z0-9]{39}$/);
    assert.equal(method.paymentLink, `bitcoin:${method.destination}?amount=0.00155299`);
    assert.deepEqual(method.payments, []);
  });

  test("a missing amount makes a top-up invoice in the store's default currency", async () => {
    const created = await api(h.sim.url, "POST", `/api/v1/stores/${h.storeId}/invoices`, {
      key: h.key,
      body: {},
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.json.type, "TopUp");
    assert.equal(created.json.currency, "USD");
  });

  test("a wrong key is 401, another store's key is 403, a key without the permission is 403", async () => {
    const { json: invoice } = await h.createInvoice();
    const wrong = await api(h.sim.url, "GET", `/api/v1/stores/${h.storeId}/invoices/${invoice.id}`, {
      key: "nope",
    });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json, {
      code: "unauthenticated",
      message: "Authentication is required for accessing this endpoint",
    });
    const none = await api(h.sim.url, "GET", `/api/v1/invoices/${invoice.id}`);
    assert.equal(none.status, 401);

    const otherKey = newApiKey();
    h.sim.registerStore({ apiKey: otherKey });
    for (const path of [
      `/api/v1/stores/${h.storeId}/invoices/${invoice.id}`,
      `/api/v1/invoices/${invoice.id}`,
    ]) {
      const other = await api(h.sim.url, "GET", path, { key: otherKey });
      assert.equal(other.status, 403, path);
      assert.equal(other.json.code, "missing-permission");
      assert.match(other.json.message, /btcpay\.store\.canviewinvoices/);
    }

    const viewer = newApiKey();
    h.sim.registerStore({
      storeId: h.storeId,
      apiKey: viewer,
      permissions: ["btcpay.store.canviewinvoices"],
    });
    assert.equal((await h.getInvoice(invoice.id)).status, 200);
    assert.equal(
      (await api(h.sim.url, "GET", `/api/v1/invoices/${invoice.id}`, { key: viewer })).status,
      200,
    );
    const create = await api(h.sim.url, "POST", `/api/v1/stores/${h.storeId}/invoices`, {
      key: viewer,
      body: { amount: "1" },
    });
    assert.equal(create.status, 403);
    assert.equal(create.json.missingPermission, "btcpay.store.cancreateinvoice");
  });

  test("an unknown invoice is 404 invoice-not-found", async () => {
    const missing = await h.getInvoice("NoSuchInvoice1234567890");
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { code: "invoice-not-found", message: "The invoice was not found" });
  });

  test("invalid requests are 422 with BTCPay's [{ path, message }] and name each field", async () => {
    const bad = await h.createInvoice({
      amount: 25,
      orderId: "top-level",
      checkout: { speedPolicy: "Fast", expirationMinute: 5 },
    });
    assert.equal(bad.status, 422);
    assert.equal(spec.response("ValidationProblemDetails", bad.json), null);
    const paths = bad.json.map((p: { path: string }) => p.path).sort();
    assert.deepEqual(paths, ["amount", "checkout.expirationMinute", "checkout.speedPolicy", "orderId"]);

    const short = await h.createInvoice({ checkout: { expirationMinutes: 0 } });
    assert.equal(short.status, 422);
    assert.deepEqual(short.json, [
      { path: "checkout.expirationMinutes", message: "Expiration time must be at least 30 seconds" },
    ]);
    const negative = await h.createInvoice({ amount: "-1" });
    assert.deepEqual(negative.json, [{ path: "Amount", message: "The amount should be 0 or more." }]);
    const notJson = await api(h.sim.url, "POST", `/api/v1/stores/${h.storeId}/invoices`, {
      key: h.key,
      rawBody: "{amount:",
    });
    assert.equal(notJson.status, 422);
    const currency = await h.createInvoice({ currency: "XYZ" });
    assert.equal(currency.status, 400);
    assert.equal(currency.json.code, "generic-error");
  });

  test("marking: Settled/Marked and Invalid/Marked, refused marks are 422", async () => {
    const { json: a } = await h.createInvoice();
    const settled = await api(h.sim.url, "POST", `/api/v1/stores/${h.storeId}/invoices/${a.id}/status`, {
      key: h.key,
      body: { status: "Settled" },
    });
    assert.equal(settled.status, 200, settled.text);
    assert.equal(settled.json.status, "Settled");
    assert.equal(settled.json.additionalStatus, "Marked");
    assert.deepEqual(settled.json.availableStatusesForManualMarking, ["Invalid"]);
    const again = await api(h.sim.url, "POST", `/api/v1/invoices/${a.id}/status`, {
      key: h.key,
      body: { status: "Settled" },
    });
    assert.equal(again.status, 422);
    assert.deepEqual(again.json, [
      {
        path: "Status",
        message: "Status can only be marked to invalid or settled within certain conditions.",
      },
    ]);
    const invalid = await api(h.sim.url, "POST", `/api/v1/invoices/${a.id}/status`, {
      key: h.key,
      body: { status: "Invalid" },
    });
    assert.equal(invalid.json.status, "Invalid");
    const wrongValue = await api(h.sim.url, "POST", `/api/v1/invoices/${a.id}/status`, {
      key: h.key,
      body: { status: "Expired" },
    });
    assert.equal(wrongValue.status, 422);
    assert.equal(wrongValue.json[0].path, "status");
  });

  test("listing filters by orderId and status, newest first", async () => {
    const listKey = newApiKey();
    const { storeId } = h.sim.registerStore({ apiKey: listKey });
    const create = (orderId: string) =>
      api(h.sim.url, "POST", `/api/v1/stores/${storeId}/invoices`, {
        key: listKey,
        body: { amount: "5", metadata: { orderId } },
      });
    await create("x-1");
    h.clock.advance(1000);
    await create("x-2");
    h.clock.advance(1000);
    const third = await create("x-3");
    await api(h.sim.url, "POST", `/api/v1/invoices/${third.json.id}/status`, {
      key: listKey,
      body: { status: "Invalid" },
    });
    const all = await api(h.sim.url, "GET", `/api/v1/stores/${storeId}/invoices`, { key: listKey });
    assert.deepEqual(
      all.json.map((i: { metadata: { orderId: string } }) => i.metadata.orderId),
      ["x-3", "x-2", "x-1"],
    );
    const some = await api(h.sim.url, "GET", `/api/v1/stores/${storeId}/invoices?orderId=x-1&orderId=x-3`, {
      key: listKey,
    });
    assert.equal(some.json.length, 2);
    const invalid = await api(h.sim.url, "GET", `/api/v1/stores/${storeId}/invoices?status=Invalid`, {
      key: listKey,
    });
    assert.deepEqual(
      invalid.json.map((i: { id: string }) => i.id),
      [third.json.id],
    );
  });
});
