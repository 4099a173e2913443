import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { EXPORT_COLUMNS } from "./index.ts";
import { compileSpecValidators } from "./spec.ts";
import { api, checkout, type Harness, newApiKey, startHarness } from "./test-support.ts";

const spec = compileSpecValidators();

describe("refunds", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  async function settledInvoice(amount = "64392.23", action = "pay"): Promise<string> {
    const { json: invoice } = await h.createInvoice({ amount });
    await checkout(invoice.checkoutLink, { action });
    h.sim.confirmPayments(invoice.id);
    return invoice.id;
  }

  const refund = (invoiceId: string, body: Record<string, unknown>) =>
    api(h.sim.url, "POST", `/api/v1/stores/${h.storeId}/invoices/${invoiceId}/refund`, { key: h.key, body });

  test("RateThen refunds the BTC paid as an auto-approved pull payment", async () => {
    const id = await settledInvoice();
    const pp = await refund(id, { refundVariant: "RateThen" });
    assert.equal(pp.status, 200, pp.text);
    assert.equal(spec.response("PullPaymentData", pp.json), null);
    assert.equal(pp.json.currency, "BTC");
    assert.equal(pp.json.amount, "1.00000000");
    assert.equal(pp.json.name, `Refund ${id}`);
    assert.equal(pp.json.autoApproveClaims, true);
    assert.equal(pp.json.viewLink, `${h.sim.url}/pull-payments/${pp.json.id}`);
    const publicRead = await api(h.sim.url, "GET", `/api/v1/pull-payments/${pp.json.id}`);
    assert.equal(publicRead.status, 200);
    assert.equal(publicRead.json.amount, "1.00000000");
    assert.equal((await fetch(pp.json.viewLink)).status, 200);
  });

  test("CurrentRate, Fiat, Custom and subtractPercentage compute as BTCPay does", async () => {
    const id = await settledInvoice("100.00");
    h.sim.setRate("USD", "50000");
    try {
      const current = await refund(id, { refundVariant: "CurrentRate" });
      assert.equal(current.json.amount, "0.00200000");
      const fiat = await refund(id, { refundVariant: "Fiat", subtractPercentage: "2.5" });
      assert.equal(fiat.json.currency, "USD");
      assert.equal(fiat.json.amount, "97.50");
      assert.equal(fiat.json.autoApproveClaims, false);
      const custom = await refund(id, {
        refundVariant: "Custom",
        customAmount: "12.34",
        customCurrency: "EUR",
      });
      assert.equal(custom.json.currency, "EUR");
      assert.equal(custom.json.amount, "12.34");
    } finally {
      h.sim.setRate("USD", "64392.23");
    }
  });

  test("OverpaidAmount needs a PaidOver invoice; bad variants and options are 422", async () => {
    const exact = await settledInvoice("10");
    const notOver = await refund(exact, { refundVariant: "OverpaidAmount" });
    assert.equal(notOver.status, 422);
    assert.deepEqual(notOver.json, [{ path: "RefundVariant", message: "Invoice is not overpaid" }]);
    const over = await settledInvoice("64392.23", "overpay");
    const overpaid = await refund(over, { refundVariant: "OverpaidAmount" });
    assert.equal(overpaid.json.amount, "0.10000000");
    assert.equal((await refund(exact, {})).status, 422);
    const mixed = await refund(exact, { refundVariant: "Fiat", customAmount: "1" });
    assert.equal(mixed.json[0].path, "CustomAmount");
    const noAmount = await refund(exact, { refundVariant: "Custom", customCurrency: "USD" });
    assert.deepEqual(noAmount.json, [{ path: "CustomAmount", message: "Amount must be greater than 0" }]);
    const method = await refund(exact, { refundVariant: "RateThen", payoutMethods: ["LTC-CHAIN"] });
    assert.equal(method.json[0].path, "PayoutMethodId");
  });

  test("an unpaid invoice is non-refundable; a non-approving key gets autoApproveClaims false", async () => {
    const { json: unpaid } = await h.createInvoice();
    const refused = await refund(unpaid.id, { refundVariant: "RateThen" });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.json, { code: "non-refundable", message: "Cannot refund this invoice" });

    const id = await settledInvoice();
    const limited = newApiKey();
    h.sim.registerStore({
      storeId: h.storeId,
      apiKey: limited,
      permissions: ["btcpay.store.cancreatenonapprovedpullpayments"],
    });
    const pp = await api(h.sim.url, "POST", `/api/v1/invoices/${id}/refund`, {
      key: limited,
      body: { refundVariant: "RateThen" },
    });
    assert.equal(pp.status, 200, pp.text);
    assert.equal(pp.json.autoApproveClaims, false);
  });
});

describe("CSV invoice export", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("one row per payment and per paid-out refund, in BTCPay's columns, for the day asked", async () => {
    const { json: a } = await h.createInvoice({
      amount: "64392.23",
      metadata: { orderId: "ord,1", itemDesc: 'Tea "green"', buyerEmail: "jo@example.com" },
    });
    await checkout(a.checkoutLink, { action: "underpay" });
    h.clock.advance(60_000);
    await checkout(a.checkoutLink, { action: "pay" });
    h.sim.confirmPayments(a.id);
    const pp = await api(h.sim.url, "POST", `/api/v1/invoices/${a.id}/refund`, {
      key: h.key,
      body: { refundVariant: "RateThen", subtractPercentage: "50" },
    });
    h.clock.advance(60_000);
    assert.ok(h.sim.payRefund(pp.json.id, "tb1qbuyer"));
    await h.createInvoice({ amount: "1" }); // unpaid: no row
    h.clock.advance(86_400_000);
    const { json: tomorrow } = await h.createInvoice({ amount: "5" });
    await checkout(tomorrow.checkoutLink, { action: "pay" });

    const csv = h.sim.exportCsv(h.storeId, "2025-03-14");
    const lines = csv.split("\r\n");
    assert.equal(lines.at(-1), "");
    assert.equal(lines[0], EXPORT_COLUMNS.join(","));
    assert.equal(lines.length, 5);
    const first = lines[1] ?? "";
    assert.ok(
      first.startsWith(
        `03/14/2025 10:00:00,${h.storeId},"ord,1",${a.id},03/14/2025 10:00:00,03/14/2025 10:15:00,03/15/2025 10:15:00,`,
      ),
    );
    assert.match(
      first,
      /,On-Chain,BTC,0\.50000000,0,64392\.23,32196\.12,USD,64392\.23,64392\.23,,"Tea ""green""",Settled,complete,,jo@example\.com$/,
    );
    assert.match(lines[2] ?? "", /^03\/14\/2025 10:01:00,.*,0\.50000000,0,64392\.23,32196\.12,/);
    assert.match(
      lines[3] ?? "",
      /^03\/14\/2025 10:02:00,.*,tb1qbuyer,On-Chain,BTC,-0\.50000000,0,64392\.23,-32196\.12,/,
    );

    const response = await fetch(`${h.sim.url}/stores/${h.storeId}/invoices/export/csv?date=2025-03-15`, {
      headers: { authorization: `token ${h.key}` },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/csv");
    assert.match(
      response.headers.get("content-disposition") ?? "",
      /^inline; filename=btcpay-export-\d{8}-\d{6}\.csv$/,
    );
    const day2 = (await response.text()).split("\r\n");
    assert.equal(day2.length, 3);
    assert.ok(day2[1]?.includes(tomorrow.id));
    const ranged = await fetch(
      `${h.sim.url}/stores/${h.storeId}/invoices/export/csv?searchTerm=${encodeURIComponent("startdate:2025-03-14 00:00:00,enddate:2025-03-16 00:00:00")}`,
      { headers: { authorization: `token ${h.key}` } },
    );
    assert.equal((await ranged.text()).split("\r\n").length, 6);
    const anonymous = await fetch(`${h.sim.url}/stores/${h.storeId}/invoices/export/csv`);
    assert.equal(anonymous.status, 401);
  });
});
