import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  btcpayConnection,
  createBtcpayConnector,
  downloadInvoiceExport,
  parseInvoiceExport,
} from "./index.ts";
import { parseCsv } from "./report.ts";
import { simulatedAccounts } from "./simulated.ts";
import { checkout, localRequest, newCall, type SimulatorHarness, startSimulator } from "./test-support.ts";

let h: SimulatorHarness;
const connector = createBtcpayConnector({ baseUrl: () => h.sim.url });

before(async () => {
  h = await startSimulator();
});
after(() => h.sim.close());

describe("the invoice export, for reconciliation", () => {
  test("CsvHelper quoting: commas, quotes and line breaks inside quoted fields; CRLF records", () => {
    assert.deepEqual(parseCsv('a,b,c\r\n"x,1","say ""hi""","two\r\nlines"\r\n,,\r\n'), [
      ["a", "b", "c"],
      ["x,1", 'say "hi"', "two\r\nlines"],
      ["", "", ""],
    ]);
    assert.deepEqual(parseCsv("a,b\nc,d"), [
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  test("a file that is not BTCPay's export is refused, not guessed at", () => {
    assert.throws(() => parseInvoiceExport("Date,Amount\r\n"), /not a BTCPay invoice export/);
  });

  test("payments and paid-out refunds of the day, by our reference, in minor units", async () => {
    const call = newCall(h.sim);
    const request = localRequest();
    const started = await connector.startPayment!(call, request);
    assert.ok(started.outcome === "requires_action" && "action" in started);
    await checkout(started.action.type === "redirect_to_url" ? started.action.url : "", { action: "pay" });
    h.sim.confirmPayments(started.connectorReference);
    const refund = await connector.refund(call, {
      reference: "re_csv",
      connectorReference: started.connectorReference,
      amount: 1000n,
      currency: "usd",
    });
    assert.ok(refund.outcome === "pending" && refund.connectorReference);
    h.clock.advance(60_000);
    h.sim.payRefund(refund.connectorReference);

    const connection = btcpayConnection(call.account.config, h.sim.url, 2000);
    const day = { start: new Date("2025-03-14T00:00:00Z"), end: new Date("2025-03-15T00:00:00Z") };
    const exported = await downloadInvoiceExport(connection, day);
    assert.ok(exported.ok);
    const [payment, refunded] = exported.rows;
    assert.equal(exported.rows.length, 2);
    assert.equal(payment?.kind, "payment");
    assert.equal(payment?.orderId, request.reference);
    assert.equal(payment?.invoiceId, started.connectorReference);
    assert.equal(payment?.paidInInvoiceCurrency, 2500n);
    assert.equal(payment?.invoiceCurrency, "USD");
    assert.equal(payment?.cryptoCode, "BTC");
    assert.equal(payment?.invoiceStatus, "Settled");
    assert.equal(payment?.receivedAt.toISOString(), "2025-03-14T10:00:00.000Z");
    assert.equal(refunded?.kind, "refund");
    assert.equal(refunded?.paidInInvoiceCurrency, -1000n);
    assert.ok(refunded?.paid.startsWith("-"));

    const nextDay = { start: day.end, end: new Date("2025-03-16T00:00:00Z") };
    assert.deepEqual(await downloadInvoiceExport(connection, nextDay), { ok: true, rows: [] });
    h.sim.injectFault({ kind: "status", status: 503 });
    assert.deepEqual(await downloadInvoiceExport(connection, day), { ok: false, reason: "http_503" });
  });
});

describe("simulated accounts", () => {
  test("a fresh store and key per merchant, crypto off; registering is idempotent and makes it work", async () => {
    const accounts = simulatedAccounts(h.sim);
    const config = accounts.config(randomBytes);
    assert.notEqual(accounts.config(randomBytes).api_key, config.api_key);
    assert.deepEqual(config.allowed_countries, []);
    accounts.register(config);
    accounts.register(config);
    const call = newCall(h.sim);
    call.account.config = { ...config, allowed_countries: ["DE"] };
    const started = await connector.startPayment!(call, localRequest());
    assert.equal(started.outcome, "requires_action");
    call.account.config = config;
    assert.equal((await connector.startPayment!(call, localRequest())).outcome, "declined");
  });
});
