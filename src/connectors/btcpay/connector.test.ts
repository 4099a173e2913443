import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { ShopperChannel } from "../contract.ts";
import { btcpayConfigSchema, createBtcpayConnector } from "./index.ts";
import {
  checkout,
  greenfield,
  localRequest,
  MINUTE,
  newCall,
  type SimulatorHarness,
  startSimulator,
  storeIdOf,
} from "./test-support.ts";

let h: SimulatorHarness;
const connector = createBtcpayConnector({ baseUrl: () => h.sim.url });

before(async () => {
  h = await startSimulator();
});
after(() => h.sim.close());

async function started(call = newCall(h.sim), overrides: Parameters<typeof localRequest>[0] = {}) {
  const request = localRequest(overrides);
  const result = await connector.startPayment!(call, request);
  assert.equal(
    result.outcome,
    "requires_action",
    JSON.stringify(result, (_k, v) => (typeof v === "bigint" ? `${v}` : v)),
  );
  assert.ok(result.outcome === "requires_action" && "action" in result);
  const action = result.action;
  assert.equal(action.type, "redirect_to_url");
  return {
    call,
    request,
    invoiceId: result.connectorReference,
    checkoutLink: action.type === "redirect_to_url" ? action.url : "",
  };
}

describe("definition", () => {
  test("identity and capabilities", () => {
    assert.equal(connector.id, "btcpay");
    assert.equal(connector.displayName, "Crypto (BTCPay Server)");
    assert.deepEqual(connector.capabilities, {
      paymentMethods: ["crypto"],
      currencies: "*",
      manualCapture: false,
      partialCapture: false,
      multipleCaptures: false,
      refunds: true,
      webhooks: true,
    });
    assert.deepEqual(connector.secretFields, ["api_key", "webhook_secret"]);
  });

  test("the config schema: secrets marked, countries upper-case alpha-2, crypto off by default", () => {
    const base = { store_id: "Store1", api_key: "a".repeat(40) };
    assert.deepEqual(btcpayConfigSchema.parse(base).allowed_countries, []);
    assert.equal(btcpayConfigSchema.safeParse({ ...base, allowed_countries: ["de"] }).success, false);
    assert.equal(btcpayConfigSchema.safeParse({ ...base, allowed_countries: ["DEU"] }).success, false);
    assert.equal(btcpayConfigSchema.safeParse({ ...base, speed_policy: "Fast" }).success, false);
    assert.equal(btcpayConfigSchema.safeParse({ ...base, base_url: "ftp://x" }).success, false);
    assert.equal(btcpayConfigSchema.safeParse({ store_id: "x" }).success, false);
    assert.equal(
      btcpayConfigSchema.safeParse({
        ...base,
        allowed_countries: ["DE"],
        speed_policy: "HighSpeed",
        base_url: "https://pay.example",
      }).success,
      true,
    );
    assert.equal(btcpayConfigSchema.shape.api_key.meta()?.secret, true);
    assert.equal(btcpayConfigSchema.shape.webhook_secret.meta()?.secret, true);
    assert.notEqual(btcpayConfigSchema.shape.store_id.meta()?.secret, true);
  });

  test("defaultTestAccountConfig: a fresh store and key per call, crypto off", () => {
    const a = connector.defaultTestAccountConfig?.(randomBytes);
    const b = connector.defaultTestAccountConfig?.(randomBytes);
    assert.ok(a && b);
    assert.match(String(a.store_id), /^[1-9A-HJ-NP-Za-km-z]{44}$/);
    assert.match(String(a.api_key), /^[0-9a-f]{40}$/);
    assert.deepEqual(a.allowed_countries, []);
    assert.notEqual(a.api_key, b.api_key);
    assert.notEqual(a.store_id, b.store_id);
    assert.equal(btcpayConfigSchema.safeParse(a).success, true);
  });

  test("cards, capture and void are not BTCPay's", async () => {
    const call = newCall(h.sim);
    const card = { number: "4242424242424242", exp_month: 1, exp_year: 2040 };
    const authorize = await connector.authorize(call, {
      reference: "r",
      paymentIntentId: "pi",
      amount: 100n,
      currency: "usd",
      capture: true,
      card,
      returnUrl: "https://x",
    });
    assert.deepEqual(authorize, {
      outcome: "declined",
      declineCode: "card_not_supported",
      providerMessage: "BTCPay does not take cards",
    });
    const modify = { reference: "m", connectorReference: "inv", amount: 1n, currency: "usd" };
    assert.equal((await connector.capture(call, { ...modify, final: true })).outcome, "failed");
    const voided = await connector.void(call, modify);
    assert.ok(voided.outcome === "failed" && voided.reason === "not_supported");
  });
});

describe("startPayment", () => {
  for (const channel of ["web", "mobile_web", "qr", "app"] as ShopperChannel[]) {
    test(`${channel}: an invoice, and the shopper is sent to its checkout page`, async () => {
      const { call, request, invoiceId, checkoutLink } = await started(newCall(h.sim), { channel });
      assert.equal(checkoutLink, `${h.sim.url}/i/${invoiceId}`);
      const { json: invoice } = await greenfield(
        h.sim,
        call,
        "GET",
        `/api/v1/stores/${storeIdOf(call)}/invoices/${invoiceId}`,
      );
      assert.equal(invoice.amount, "25.00");
      assert.equal(invoice.currency, "USD");
      assert.deepEqual(invoice.metadata, {
        orderId: request.reference,
        payrailReference: request.reference,
        itemDesc: "Order 42",
      });
      assert.equal(invoice.checkout.expirationMinutes, 15);
      assert.equal(invoice.checkout.redirectURL, request.returnUrl);
      assert.equal(invoice.checkout.redirectAutomatically, true);
    });
  }

  test("the expiry is the invoice's, and the speed policy of the account is sent", async () => {
    const call = newCall(h.sim, { config: { speed_policy: "HighSpeed" } });
    const request = localRequest({ expiresAt: new Date(Date.now() + 30 * MINUTE) });
    const result = await connector.startPayment!(call, request);
    assert.ok(result.outcome === "requires_action" && "expiresAt" in result);
    assert.equal(result.expiresAt?.getTime(), h.clock.now().getTime() + 30 * MINUTE);
    const { json } = await greenfield(h.sim, call, "GET", `/api/v1/invoices/${result.connectorReference}`);
    assert.equal(json.checkout.speedPolicy, "HighSpeed");
    assert.equal(json.checkout.expirationMinutes, 30);
  });

  test("amounts are written in the currency's exponent: JPY without decimals", async () => {
    const { call, invoiceId } = await started(newCall(h.sim), { amount: 1000n, currency: "jpy" });
    const { json } = await greenfield(h.sim, call, "GET", `/api/v1/invoices/${invoiceId}`);
    assert.equal(json.amount, "1000");
    assert.equal(json.currency, "JPY");
  });

  test("a currency BTCPay has no rate for is declined as currency_not_supported; nothing is made", async () => {
    const call = newCall(h.sim);
    const result = await connector.startPayment!(call, localRequest({ amount: 1000n, currency: "kwd" }));
    assert.equal(result.outcome, "declined");
    assert.ok(result.outcome === "declined" && result.declineCode === "currency_not_supported");
    assert.equal(h.sim.invoiceCount(storeIdOf(call)), 0);
  });

  test("the in-app channel and other methods are declined", async () => {
    const call = newCall(h.sim);
    const inApp = await connector.startPayment!(call, localRequest({ channel: "in_app" }));
    assert.equal(inApp.outcome, "declined");
    const alipay = await connector.startPayment!(call, localRequest({ method: "alipay" }));
    assert.equal(alipay.outcome, "declined");
    assert.equal(h.sim.invoiceCount(storeIdOf(call)), 0);
  });

  test("a key BTCPay does not know: declined with its words, and sync throws (the account is misconfigured)", async () => {
    const call = newCall(h.sim);
    call.account.config = { ...call.account.config, api_key: "f".repeat(40) };
    const result = await connector.startPayment!(call, localRequest());
    assert.ok(result.outcome === "declined" && result.declineCode === "processing_error");
    assert.match(result.providerMessage ?? "", /HTTP 401.*Authentication is required/);
    await assert.rejects(connector.sync(call, { reference: "pa_x" }), /HTTP 401/);
  });

  test("the same reference twice makes one invoice and gives it back", async () => {
    const { call, request, invoiceId } = await started();
    const again = await connector.startPayment!(call, request);
    assert.ok(again.outcome === "requires_action");
    assert.equal(again.connectorReference, invoiceId);
    assert.equal(h.sim.invoiceCount(storeIdOf(call)), 1);
  });

  test("the same reference started concurrently makes one invoice", async () => {
    const call = newCall(h.sim);
    const request = localRequest();
    const results = await Promise.all([1, 2, 3].map(() => connector.startPayment!(call, request)));
    const ids = new Set(
      results.map((r) => (r.outcome === "requires_action" ? r.connectorReference : r.outcome)),
    );
    assert.equal(ids.size, 1);
    assert.equal(h.sim.invoiceCount(storeIdOf(call)), 1);
  });

  test("a reference whose invoice was paid answers authorized, not a new invoice", async () => {
    const { call, request, invoiceId, checkoutLink } = await started();
    await checkout(checkoutLink, { action: "pay" });
    h.sim.confirmPayments(invoiceId);
    const again = await connector.startPayment!(call, request);
    assert.deepEqual(again, {
      outcome: "authorized",
      connectorReference: invoiceId,
      amount: 2500n,
      currency: "usd",
      captured: true,
    });
    assert.equal(h.sim.invoiceCount(storeIdOf(call)), 1);
  });
});

describe("crypto is off unless the shopper's country is allowed", () => {
  test("refusesShopper: empty list, unknown country, a country not listed, then a listed one", () => {
    const off = newCall(h.sim, { config: { allowed_countries: [] } }).account;
    assert.match(
      connector.refusesShopper!(off, { country: "DE" }) ?? "",
      /crypto payments are off for this account: set allowed_countries/i,
    );
    const on = newCall(h.sim).account;
    assert.match(connector.refusesShopper!(on, {}) ?? "", /country.*DE, FR/);
    const refused = connector.refusesShopper!(on, { country: "CN" }) ?? "";
    assert.match(refused, /CN/);
    assert.match(refused, /banned or restricted in some countries/);
    assert.match(refused, /compliance duties/);
    assert.equal(connector.refusesShopper!(on, { country: "FR" }), undefined);
    assert.equal(connector.refusesShopper!(on, { country: "fr" }), undefined);
  });

  test("startPayment refuses such a shopper itself and makes no invoice", async () => {
    const call = newCall(h.sim, { config: { allowed_countries: [] } });
    const result = await connector.startPayment!(call, localRequest());
    assert.equal(result.outcome, "declined");
    assert.match(result.outcome === "declined" ? (result.providerMessage ?? "") : "", /allowed_countries/);
    const other = newCall(h.sim);
    assert.equal(
      (await connector.startPayment!(other, localRequest({ shopper: { country: "US" } }))).outcome,
      "declined",
    );
    assert.equal(h.sim.invoiceCount(storeIdOf(call)) + h.sim.invoiceCount(storeIdOf(other)), 0);
  });
});

describe("sync: what the invoice says", () => {
  test("paid: pending while it waits for confirmations, then authorized with the invoice amount", async () => {
    const { call, request, invoiceId, checkoutLink } = await started();
    assert.deepEqual(
      await connector.sync(call, { reference: request.reference, connectorReference: invoiceId }),
      {
        status: "pending",
        connectorReference: invoiceId,
      },
    );
    const paid = await checkout(checkoutLink, { action: "pay" });
    assert.equal(paid.status, 303, "BTCPay sends the shopper back to Payrail");
    assert.equal(paid.location, request.returnUrl);
    assert.deepEqual(
      await connector.sync(call, { reference: request.reference, connectorReference: invoiceId }),
      {
        status: "pending",
        connectorReference: invoiceId,
      },
    );
    h.sim.confirmPayments(invoiceId);
    const authorized = {
      status: "authorized",
      connectorReference: invoiceId,
      amount: 2500n,
      currency: "usd",
      captured: true,
      capturedAmount: 2500n,
    };
    assert.deepEqual(
      await connector.sync(call, { reference: request.reference, connectorReference: invoiceId }),
      authorized,
    );
    // After a lost answer Payrail knows only the reference.
    assert.deepEqual(await connector.sync(call, { reference: request.reference }), authorized);
    const back = await connector.completeRedirect!(call, {
      connectorReference: invoiceId,
      reference: request.reference,
      params: {},
      amount: 2500n,
      currency: "usd",
      capture: true,
    });
    assert.deepEqual(back, {
      outcome: "authorized",
      connectorReference: invoiceId,
      amount: 2500n,
      currency: "usd",
      captured: true,
    });
  });

  test("the shopper came back without paying: completeRedirect is pending", async () => {
    const { call, request, invoiceId } = await started();
    const back = await connector.completeRedirect!(call, {
      connectorReference: invoiceId,
      reference: request.reference,
      params: {},
      amount: 2500n,
      currency: "usd",
      capture: true,
    });
    assert.equal(back.outcome, "pending");
  });

  test("abandoned: expired once the invoice expires", async () => {
    const { call, request, invoiceId, checkoutLink } = await started();
    await checkout(checkoutLink, { action: "abandon" });
    h.clock.advance(15 * MINUTE);
    assert.deepEqual(
      await connector.sync(call, { reference: request.reference, connectorReference: invoiceId }),
      {
        status: "expired",
        connectorReference: invoiceId,
      },
    );
  });

  test("underpaid and expired: requires_review with what arrived, never a success", async () => {
    const { call, request, invoiceId, checkoutLink } = await started(newCall(h.sim), { amount: 6439223n });
    await checkout(checkoutLink, { action: "underpay" });
    assert.equal(
      (await connector.sync(call, { reference: request.reference, connectorReference: invoiceId })).status,
      "pending",
    );
    h.clock.advance(15 * MINUTE);
    const status = await connector.sync(call, {
      reference: request.reference,
      connectorReference: invoiceId,
    });
    assert.deepEqual(status, {
      status: "requires_review",
      connectorReference: invoiceId,
      reason: "crypto_underpaid",
      amount: 3219612n,
      currency: "usd",
    });
  });

  test("paid after expiry: requires_review", async () => {
    const { call, request, invoiceId, checkoutLink } = await started();
    h.clock.advance(16 * MINUTE);
    await checkout(checkoutLink, { action: "pay" });
    const status = await connector.sync(call, {
      reference: request.reference,
      connectorReference: invoiceId,
    });
    assert.equal(status.status, "requires_review");
    assert.ok(status.status === "requires_review" && status.reason === "crypto_paid_after_expiry");
    assert.equal(status.amount, 2500n);
  });

  test("overpaid: authorized for the invoice amount", async () => {
    const { call, request, invoiceId, checkoutLink } = await started();
    await checkout(checkoutLink, { action: "overpay" });
    h.sim.confirmPayments(invoiceId);
    const status = await connector.sync(call, {
      reference: request.reference,
      connectorReference: invoiceId,
    });
    assert.ok(status.status === "authorized");
    assert.equal(status.amount, 2500n);
  });

  test("a payment that never confirms: Invalid at the end of monitoring, requires_review", async () => {
    const { call, request, invoiceId, checkoutLink } = await started();
    await checkout(checkoutLink, { action: "pay", confirm: "never" });
    h.clock.advance(15 * MINUTE + 1440 * MINUTE + 1000);
    const status = await connector.sync(call, {
      reference: request.reference,
      connectorReference: invoiceId,
    });
    assert.ok(status.status === "requires_review");
    assert.equal(status.reason, "crypto_invoice_invalid_after_payment");
  });

  test("marked settled by the merchant in BTCPay: authorized", async () => {
    const { call, request, invoiceId } = await started();
    await greenfield(h.sim, call, "POST", `/api/v1/invoices/${invoiceId}/status`, { status: "Settled" });
    const status = await connector.sync(call, {
      reference: request.reference,
      connectorReference: invoiceId,
    });
    assert.ok(status.status === "authorized" && status.captured);
  });

  test("unknown invoice or reference: not_found", async () => {
    const call = newCall(h.sim);
    assert.deepEqual(await connector.sync(call, { reference: "nothing-here" }), { status: "not_found" });
    assert.deepEqual(await connector.sync(call, { reference: "x", connectorReference: "NoSuchInvoice" }), {
      status: "not_found",
    });
  });
});

describe("closePayment", () => {
  test("an unpaid invoice is marked Invalid: it can no longer be paid, and sync says expired", async () => {
    const { call, request, invoiceId, checkoutLink } = await started();
    const closed = await connector.closePayment!(call, {
      reference: request.reference,
      connectorReference: invoiceId,
    });
    assert.deepEqual(closed, {
      outcome: "succeeded",
      connectorReference: invoiceId,
      amount: 2500n,
      currency: "usd",
    });
    const { json } = await greenfield(h.sim, call, "GET", `/api/v1/invoices/${invoiceId}`);
    assert.equal(json.status, "Invalid");
    assert.equal((await checkout(checkoutLink, { action: "pay" })).status, 409);
    assert.deepEqual(
      await connector.sync(call, { reference: request.reference, connectorReference: invoiceId }),
      {
        status: "expired",
        connectorReference: invoiceId,
      },
    );
    // Closing again, or by reference only, is the same success.
    assert.equal(
      (await connector.closePayment!(call, { reference: request.reference })).outcome,
      "succeeded",
    );
  });

  test("an expired unpaid invoice is closed too, so a late payment cannot land", async () => {
    const { call, request, invoiceId } = await started();
    h.clock.advance(15 * MINUTE);
    const closed = await connector.closePayment!(call, {
      reference: request.reference,
      connectorReference: invoiceId,
    });
    assert.equal(closed.outcome, "succeeded");
  });

  test("an invoice that received money is not closed", async () => {
    const { call, request, invoiceId, checkoutLink } = await started();
    await checkout(checkoutLink, { action: "underpay" });
    const closed = await connector.closePayment!(call, {
      reference: request.reference,
      connectorReference: invoiceId,
    });
    assert.ok(closed.outcome === "failed" && closed.reason === "payment_received");
    const { json } = await greenfield(h.sim, call, "GET", `/api/v1/invoices/${invoiceId}`);
    assert.equal(json.status, "New");
    await checkout(checkoutLink, { action: "pay" });
    const paid = await connector.closePayment!(call, {
      reference: request.reference,
      connectorReference: invoiceId,
    });
    assert.equal(paid.outcome, "failed");
  });

  test("a reference that never made an invoice is closed already", async () => {
    const closed = await connector.closePayment!(newCall(h.sim), { reference: "never-started" });
    assert.equal(closed.outcome, "succeeded");
  });
});
