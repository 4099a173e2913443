import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { api, checkout, eventually, type Harness, startHarness } from "./test-support.ts";

const MINUTE = 60_000;

describe("checkout page and invoice states", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  async function status(id: string): Promise<[string, string]> {
    const { json } = await h.getInvoice(id);
    return [json.status, json.additionalStatus];
  }

  test("paying in full: Processing until confirmed, then Settled, with BTCPay's webhooks in order", async () => {
    const { json: invoice } = await h.createInvoice({ amount: "50.00" });
    const paid = await checkout(invoice.checkoutLink, { action: "pay" });
    assert.equal(paid.status, 200);
    assert.deepEqual(await status(invoice.id), ["Processing", "None"]);
    h.sim.confirmPayments(invoice.id);
    assert.deepEqual(await status(invoice.id), ["Settled", "None"]);
    await h.receiver.waitForType("InvoiceSettled", invoice.id);
    assert.deepEqual(h.receiver.types(invoice.id), [
      "InvoiceCreated",
      "InvoiceReceivedPayment",
      "InvoiceProcessing",
      "InvoicePaymentSettled",
      "InvoiceSettled",
    ]);
    const settled = await h.receiver.waitForType("InvoiceSettled", invoice.id);
    assert.equal(settled.body.manuallyMarked, false);
    assert.equal(settled.body.overPaid, false);
    const received = await h.receiver.waitForType("InvoiceReceivedPayment", invoice.id);
    assert.equal(received.body.afterExpiration, false);
    assert.equal(received.body.paymentMethodId, "BTC-CHAIN");
    assert.equal(received.body.payment.status, "Processing");
    // 50 / 64392.23 = 0.000776491… rounded up to the satoshi
    assert.equal(received.body.payment.value, "0.00077650");
    const { json: settledInvoice } = await h.getInvoice(invoice.id);
    assert.equal(settledInvoice.paidAmount, "50.00");
  });

  test("HighSpeed counts a payment at once: Settled straight after paying", async () => {
    const { json: invoice } = await h.createInvoice({ checkout: { speedPolicy: "HighSpeed" } });
    await checkout(invoice.checkoutLink, { action: "pay" });
    assert.deepEqual(await status(invoice.id), ["Settled", "None"]);
  });

  test("an unconfirmed payment confirms on its own after resolveAfterMs", async () => {
    const { startBtcpaySimulator } = await import("./index.ts");
    const sim = await startBtcpaySimulator({ resolveAfterMs: 30, sweepIntervalMs: 20 });
    try {
      const key = "quick-confirm-key";
      const { storeId } = sim.registerStore({ apiKey: key });
      const { json: invoice } = await api(sim.url, "POST", `/api/v1/stores/${storeId}/invoices`, {
        key,
        body: { amount: "3" },
      });
      await checkout(invoice.checkoutLink, { action: "pay" });
      await eventually(
        async () =>
          (await api(sim.url, "GET", `/api/v1/invoices/${invoice.id}`, { key })).json.status === "Settled",
        5000,
        "invoice settles",
      );
    } finally {
      await sim.close();
    }
  });

  test("underpaying leaves it New/PaidPartial; at expiry it is Expired/PaidPartial and says so", async () => {
    const { json: invoice } = await h.createInvoice({ checkout: { expirationMinutes: 15 } });
    await checkout(invoice.checkoutLink, { action: "underpay" });
    assert.deepEqual(await status(invoice.id), ["New", "PaidPartial"]);
    h.clock.advance(15 * MINUTE);
    h.sim.sweep();
    const expired = await h.receiver.waitForType("InvoiceExpired", invoice.id);
    assert.equal(expired.body.partiallyPaid, true);
    assert.deepEqual(await status(invoice.id), ["Expired", "PaidPartial"]);
  });

  test("overpaying is PaidOver, and the webhooks say overPaid", async () => {
    const { json: invoice } = await h.createInvoice();
    await checkout(invoice.checkoutLink, { action: "overpay" });
    assert.deepEqual(await status(invoice.id), ["Processing", "PaidOver"]);
    const processing = await h.receiver.waitForType("InvoiceProcessing", invoice.id);
    assert.equal(processing.body.overPaid, true);
    h.sim.confirmPayments(invoice.id);
    const settled = await h.receiver.waitForType("InvoiceSettled", invoice.id);
    assert.equal(settled.body.overPaid, true);
    const methods = await api(h.sim.url, "GET", `/api/v1/invoices/${invoice.id}/payment-methods`, {
      key: h.key,
    });
    assert.ok(methods.json[0].due.startsWith("-"), "due is negative when overpaid");
  });

  test("abandoning: nothing happens until the injected clock passes the expiry, found by the sweeper", async () => {
    const { json: invoice } = await h.createInvoice({ checkout: { expirationMinutes: 5 } });
    const left = await checkout(invoice.checkoutLink, { action: "abandon" });
    assert.equal(left.status, 200);
    h.clock.advance(5 * MINUTE - 1000);
    assert.deepEqual(await status(invoice.id), ["New", "None"]);
    h.clock.advance(1000);
    const expired = await h.receiver.waitForType("InvoiceExpired", invoice.id);
    assert.equal(expired.body.partiallyPaid, false);
    assert.deepEqual(await status(invoice.id), ["Expired", "None"]);
    assert.deepEqual((await h.getInvoice(invoice.id)).json.availableStatusesForManualMarking, [
      "Settled",
      "Invalid",
    ]);
  });

  test("paying after expiry is a late payment: Expired/PaidLate, afterExpiration true", async () => {
    const { json: invoice } = await h.createInvoice({ checkout: { expirationMinutes: 5 } });
    h.clock.advance(6 * MINUTE);
    await checkout(invoice.checkoutLink, { action: "pay" });
    assert.deepEqual(await status(invoice.id), ["Expired", "PaidLate"]);
    const received = await h.receiver.waitForType("InvoiceReceivedPayment", invoice.id);
    assert.equal(received.body.afterExpiration, true);
    const types = h.receiver.types(invoice.id);
    assert.ok(types.indexOf("InvoiceExpired") < types.indexOf("InvoiceReceivedPayment"));
    assert.ok(!types.includes("InvoiceProcessing"));
  });

  test("a payment that never confirms turns the invoice Invalid when monitoring ends", async () => {
    const { json: invoice } = await h.createInvoice({
      checkout: { expirationMinutes: 10, monitoringMinutes: 60 },
    });
    await checkout(invoice.checkoutLink, { action: "pay", confirm: "never" });
    assert.deepEqual(await status(invoice.id), ["Processing", "None"]);
    h.clock.advance(70 * MINUTE + 1000);
    h.sim.sweep();
    const invalid = await h.receiver.waitForType("InvoiceInvalid", invoice.id);
    assert.equal(invalid.body.manuallyMarked, false);
    assert.deepEqual(await status(invoice.id), ["Invalid", "None"]);
    const late = await checkout(invoice.checkoutLink, { action: "pay" });
    assert.equal(late.status, 409);
  });

  test("redirectAutomatically sends the shopper to redirectURL with placeholders filled", async () => {
    const { json: invoice } = await h.createInvoice({
      metadata: { orderId: "ord 9" },
      checkout: {
        redirectURL: "https://shop.example/thanks/{OrderId}?i={InvoiceId}",
        redirectAutomatically: true,
      },
    });
    const paid = await checkout(invoice.checkoutLink, { action: "pay" });
    assert.equal(paid.status, 303);
    assert.equal(paid.location, `https://shop.example/thanks/ord%209?i=${invoice.id}`);
  });

  test("a custom btc amount, and bad form input", async () => {
    const { json: invoice } = await h.createInvoice({ amount: "64392.23" });
    await checkout(invoice.checkoutLink, { action: "pay", btc: "0.4" });
    assert.deepEqual(await status(invoice.id), ["New", "PaidPartial"]);
    await checkout(invoice.checkoutLink, { action: "pay", btc: "0.6" });
    assert.deepEqual(await status(invoice.id), ["Processing", "None"]);
    assert.equal((await checkout(invoice.checkoutLink, { action: "steal" })).status, 400);
    assert.equal((await checkout(invoice.checkoutLink, { action: "pay", btc: "lots" })).status, 400);
    assert.equal((await fetch(`${h.sim.url}/i/NoSuchInvoice`)).status, 404);
  });
});
