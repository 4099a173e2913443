/** The connector end to end against the PayPal simulator: the shopper's approval, capture, refunds, closing. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, afterEach, before, describe, test } from "node:test";
import type { PayPalSimulator } from "../../../simulators/paypal/index.ts";
import { call, newToken, startTestSimulator, waitUntil } from "../../../simulators/paypal/test-support.ts";
import type { AuthorizeResult, CallContext, ShopperChannel } from "../contract.ts";
import { createPayPalConnector, defaultTestAccountConfig } from "./index.ts";
import { simulatedAccounts } from "./simulated.ts";
import { newCall, paymentRequest, shopper } from "./test-support.ts";

let sim: PayPalSimulator;
const connector = createPayPalConnector({ baseUrl: () => sim.url });

before(async () => {
  sim = await startTestSimulator();
});
after(() => sim.close());
afterEach(() => sim.clearFaults());

function approvalUrlOf(result: AuthorizeResult): string {
  assert.equal(
    result.outcome,
    "requires_action",
    JSON.stringify(result, (_k, v) => (typeof v === "bigint" ? `${v}` : v)),
  );
  assert.ok(result.outcome === "requires_action" && result.action.type === "redirect_to_url");
  return result.action.url;
}

/** The order as PayPal holds it, read with the account's own credentials. */
async function orderAtPayPal(c: CallContext, orderId: string) {
  const app = await newToken(sim, {
    clientId: c.account.config.client_id as string,
    clientSecret: c.account.config.client_secret as string,
    merchantId: "",
    token: "",
  });
  const answer = await call(sim, app, "GET", `/v2/checkout/orders/${orderId}`);
  assert.equal(answer.status, 200);
  return answer.json;
}

/** Starts a payment, has the shopper approve it, and brings the shopper back to Payrail. */
async function paid(
  c: CallContext,
  overrides: Parameters<typeof paymentRequest>[0] = {},
  funding = "balance",
) {
  const request = paymentRequest(overrides);
  const started = await connector.startPayment!(c, request);
  const back = await shopper(approvalUrlOf(started), "approve", funding);
  const orderId = (started as { connectorReference: string }).connectorReference;
  const result = await connector.completeRedirect!(c, {
    connectorReference: orderId,
    reference: request.reference,
    params: back.params,
    amount: request.amount,
    currency: request.currency,
    capture: request.capture,
  });
  return { request, orderId, result, back };
}

describe("paypal connector: the shopper pays", () => {
  test("every channel sends the shopper to PayPal's approval page; PayPal's 3-hour lapse is reported", async () => {
    const c = newCall(sim);
    for (const channel of ["web", "mobile_web", "qr", "app"] as ShopperChannel[]) {
      const result = await connector.startPayment!(c, paymentRequest({ channel }));
      const url = approvalUrlOf(result);
      assert.ok(result.outcome === "requires_action");
      assert.equal(url, `${sim.url}/checkoutnow?token=${result.connectorReference}`);
      const lapse = (result.expiresAt?.getTime() ?? 0) - Date.now();
      assert.ok(lapse > 2.9 * 3600_000 && lapse <= 3 * 3600_000, `expires in ${lapse} ms`);
    }
    const soon = new Date(Date.now() + 600_000);
    const early = await connector.startPayment!(c, paymentRequest({ expiresAt: soon }));
    assert.ok(early.outcome === "requires_action" && early.expiresAt === undefined);
    const inApp = await connector.startPayment!(c, paymentRequest({ channel: "in_app" }));
    assert.equal(inApp.outcome, "declined");
  });

  test("the shopper approves: the return captures, with the exact amount, and sync agrees", async () => {
    const c = newCall(sim);
    const { request, orderId, result, back } = await paid(c, { amount: 12_345n, currency: "eur" });
    assert.equal(back.params.token, orderId);
    assert.ok(back.params.PayerID);
    assert.ok(back.location.startsWith(`${request.returnUrl}?`));
    assert.deepEqual(result, {
      outcome: "authorized",
      connectorReference: orderId,
      amount: 12_345n,
      currency: "eur",
      captured: true,
    });
    assert.deepEqual(await connector.sync(c, { reference: request.reference, connectorReference: orderId }), {
      status: "authorized",
      connectorReference: orderId,
      amount: 12_345n,
      currency: "eur",
      captured: true,
      capturedAmount: 12_345n,
    });
    const order = await orderAtPayPal(c, orderId);
    assert.equal(order.purchase_units[0].custom_id, request.reference);
    assert.equal(order.purchase_units[0].invoice_id, request.reference);
  });

  test("the same reference twice opens one order and takes the money once", async () => {
    const c = newCall(sim);
    const request = paymentRequest();
    const first = await connector.startPayment!(c, request);
    const second = await connector.startPayment!(c, request);
    assert.ok(first.outcome === "requires_action" && second.outcome === "requires_action");
    assert.equal(second.connectorReference, first.connectorReference);
    const back = await shopper(approvalUrlOf(first), "approve");
    const redirect = {
      connectorReference: first.connectorReference,
      reference: request.reference,
      params: back.params,
      amount: request.amount,
      currency: request.currency,
      capture: true,
    };
    assert.equal((await connector.completeRedirect!(c, redirect)).outcome, "authorized");
    assert.equal((await connector.completeRedirect!(c, redirect)).outcome, "authorized");
    const synced = await connector.sync(c, {
      reference: request.reference,
      connectorReference: first.connectorReference,
    });
    assert.equal(synced.status, "authorized");
    const order = await orderAtPayPal(c, first.connectorReference);
    assert.equal(order.purchase_units[0].payments.captures.length, 1);
    // Started again after it was paid: PayPal replays the order's creation, and the order says it is paid.
    const again = await connector.startPayment!(c, request);
    assert.equal(again.outcome, "authorized");
  });

  test("a shopper who approved but never came back is paid by sync", async () => {
    const c = newCall(sim);
    const request = paymentRequest();
    const started = await connector.startPayment!(c, request);
    assert.ok(started.outcome === "requires_action");
    const pendingSync = await connector.sync(c, {
      reference: request.reference,
      connectorReference: started.connectorReference,
    });
    assert.deepEqual(pendingSync, { status: "pending", connectorReference: started.connectorReference });
    await shopper(approvalUrlOf(started), "approve");
    const status = await connector.sync(c, {
      reference: request.reference,
      connectorReference: started.connectorReference,
    });
    assert.equal(status.status, "authorized");
    assert.ok(status.status === "authorized" && status.captured && status.capturedAmount === request.amount);
  });

  test("a declined funding source is a decline; the shopper may approve again with another", async () => {
    const c = newCall(sim);
    const { request, orderId, result } = await paid(c, {}, "declined");
    assert.equal(result.outcome, "declined");
    assert.ok(result.outcome === "declined" && result.providerMessage?.startsWith("INSTRUMENT_DECLINED"));
    await shopper(`${sim.url}/checkoutnow?token=${orderId}`, "approve", "balance");
    const status = await connector.sync(c, { reference: request.reference, connectorReference: orderId });
    assert.equal(status.status, "authorized");
  });

  test("a shopper who cancels at PayPal is declined, unless the order was approved meanwhile", async () => {
    const c = newCall(sim);
    const request = paymentRequest();
    const started = await connector.startPayment!(c, request);
    const url = approvalUrlOf(started);
    const back = await shopper(url, "cancel");
    assert.equal(back.params.paypal_cancel, "1");
    const redirect = {
      connectorReference: (started as { connectorReference: string }).connectorReference,
      reference: request.reference,
      params: back.params,
      amount: request.amount,
      currency: request.currency,
      capture: true,
    };
    assert.deepEqual(await connector.completeRedirect!(c, redirect), {
      outcome: "declined",
      declineCode: "generic_decline",
      providerMessage: "shopper canceled at PayPal",
      connectorReference: redirect.connectorReference,
    });
    await shopper(url, "approve");
    assert.equal((await connector.completeRedirect!(c, redirect)).outcome, "authorized");
  });

  test("a return naming another order changes nothing", async () => {
    const c = newCall(sim);
    const request = paymentRequest();
    const started = await connector.startPayment!(c, request);
    assert.ok(started.outcome === "requires_action");
    const result = await connector.completeRedirect!(c, {
      connectorReference: started.connectorReference,
      reference: request.reference,
      params: { token: "0000000000000000X", PayerID: "ABCDEFGHJKLMN" },
      amount: request.amount,
      currency: request.currency,
      capture: true,
    });
    assert.deepEqual(result, {
      outcome: "pending",
      connectorReference: started.connectorReference,
      reason: "token_does_not_match_order",
    });
  });

  test("eCheck: pending until the capture clears, and a denied one is declined", async () => {
    const c = newCall(sim);
    const cleared = await paid(c, {}, "echeck");
    assert.equal(cleared.result.outcome, "pending");
    const denied = await paid(c, {}, "echeck_denied");
    assert.equal(denied.result.outcome, "pending");
    let last = "";
    await waitUntil(async () => {
      const status = await connector.sync(c, {
        reference: cleared.request.reference,
        connectorReference: cleared.orderId,
      });
      return status.status === "authorized";
    });
    await waitUntil(async () => {
      const status = await connector.sync(c, {
        reference: denied.request.reference,
        connectorReference: denied.orderId,
      });
      last = status.status;
      return status.status === "declined";
    });
    assert.equal(last, "declined");
  });

  test("zero-decimal currencies: JPY as is, HUF in whole forints; a forint fraction never reaches PayPal", async () => {
    const c = newCall(sim);
    const yen = await paid(c, { amount: 1_234n, currency: "jpy" });
    assert.deepEqual(yen.result, {
      outcome: "authorized",
      connectorReference: yen.orderId,
      amount: 1_234n,
      currency: "jpy",
      captured: true,
    });
    const forint = await paid(c, { amount: 150_000n, currency: "huf" });
    assert.equal(forint.result.outcome === "authorized" ? forint.result.amount : undefined, 150_000n);
    const fraction = await connector.startPayment!(c, paymentRequest({ amount: 150_050n, currency: "huf" }));
    assert.equal(
      fraction.outcome === "declined" ? fraction.declineCode : undefined,
      "currency_not_supported",
    );
    const unsupported = await connector.startPayment!(c, paymentRequest({ currency: "inr" }));
    assert.equal(unsupported.outcome, "declined");
  });

  test("sync needs the order id, and never completes another attempt's order", async () => {
    const c = newCall(sim);
    const request = paymentRequest();
    assert.deepEqual(await connector.sync(c, { reference: request.reference }), { status: "not_found" });
    const started = await connector.startPayment!(c, request);
    await shopper(approvalUrlOf(started), "approve");
    const orderId = (started as { connectorReference: string }).connectorReference;
    const other = await connector.sync(c, {
      reference: `${request.paymentIntentId}_a2`,
      connectorReference: orderId,
    });
    assert.deepEqual(other, { status: "not_found" });
    const order = await orderAtPayPal(c, orderId);
    assert.equal(order.status, "APPROVED");
  });

  test("cards are not PayPal's", async () => {
    const result = await connector.authorize(newCall(sim), {} as never);
    assert.deepEqual(result, {
      outcome: "declined",
      declineCode: "card_not_supported",
      providerMessage: "PayPal does not take cards",
    });
  });
});

describe("paypal connector: authorize, capture, void, refund", () => {
  test("authorize now, capture part later; sync and refunds follow the capture", async () => {
    const c = newCall(sim);
    const { request, orderId, result } = await paid(c, { capture: false, amount: 10_000n });
    assert.deepEqual(result, {
      outcome: "authorized",
      connectorReference: orderId,
      amount: 10_000n,
      currency: "usd",
      captured: false,
    });
    const before = await connector.sync(c, { reference: request.reference, connectorReference: orderId });
    assert.ok(before.status === "authorized" && !before.captured && before.capturedAmount === 0n);

    const captured = await connector.capture(c, {
      reference: "pa_capture1",
      connectorReference: orderId,
      amount: 4_000n,
      currency: "usd",
      final: true,
    });
    assert.equal(captured.outcome, "succeeded");
    assert.ok(captured.outcome === "succeeded" && captured.amount === 4_000n && captured.currency === "usd");
    const again = await connector.capture(c, {
      reference: "pa_capture1",
      connectorReference: orderId,
      amount: 4_000n,
      currency: "usd",
      final: true,
    });
    assert.deepEqual(again, captured);
    const after = await connector.sync(c, { reference: request.reference, connectorReference: orderId });
    assert.deepEqual(after, {
      status: "authorized",
      connectorReference: orderId,
      amount: 10_000n,
      currency: "usd",
      captured: true,
      capturedAmount: 4_000n,
    });

    const byOrder = await connector.refund(c, {
      reference: "re_p1",
      connectorReference: orderId,
      amount: 1_000n,
      currency: "usd",
    });
    assert.equal(byOrder.outcome, "succeeded");
    const byCapture = await connector.refund(c, {
      reference: "re_p2",
      connectorReference: (captured as { connectorReference: string }).connectorReference,
      amount: 3_000n,
      currency: "usd",
    });
    assert.equal(byCapture.outcome, "succeeded");
    const none = await connector.refund(c, {
      reference: "re_p3",
      connectorReference: orderId,
      amount: 1n,
      currency: "usd",
    });
    assert.deepEqual(none, {
      outcome: "failed",
      reason: "capture_fully_refunded",
      providerMessage: none.outcome === "failed" ? none.providerMessage : "",
    });
  });

  test("capturing more than authorized, or after a void, is refused as a value", async () => {
    const c = newCall(sim);
    const { orderId } = await paid(c, { capture: false, amount: 5_000n });
    const over = await connector.capture(c, {
      reference: "pa_over",
      connectorReference: orderId,
      amount: 5_001n,
      currency: "usd",
      final: true,
    });
    assert.equal(over.outcome === "failed" ? over.reason : over.outcome, "max_capture_amount_exceeded");
    const modify = { reference: "pa_void", connectorReference: orderId, amount: 5_000n, currency: "usd" };
    const voided = { outcome: "succeeded", connectorReference: orderId, amount: 5_000n, currency: "usd" };
    assert.deepEqual(await connector.void(c, modify), voided);
    // Voiding again (another reference) finds it voided already: the outcome Payrail asked for.
    assert.deepEqual(await connector.void(c, { ...modify, reference: "pa_void2" }), voided);
    const late = await connector.capture(c, {
      reference: "pa_late",
      connectorReference: orderId,
      amount: 5_000n,
      currency: "usd",
      final: true,
    });
    assert.equal(late.outcome === "failed" ? late.reason : late.outcome, "authorization_voided");
  });

  test("a voided authorization syncs as voided; capture() on a captured order has nothing to capture", async () => {
    const c = newCall(sim);
    const held = await paid(c, { capture: false });
    await connector.void(c, {
      reference: "pa_v",
      connectorReference: held.orderId,
      amount: held.request.amount,
      currency: "usd",
    });
    assert.deepEqual(
      await connector.sync(c, { reference: held.request.reference, connectorReference: held.orderId }),
      {
        status: "voided",
        connectorReference: held.orderId,
      },
    );
    const taken = await paid(c);
    const capture = await connector.capture(c, {
      reference: "pa_x",
      connectorReference: taken.orderId,
      amount: 1n,
      currency: "usd",
      final: true,
    });
    assert.deepEqual(capture, { outcome: "failed", reason: "not_authorized" });
  });

  test("refunds: part, the rest, then nothing; one reference refunds once; syncRefund reads them", async () => {
    const c = newCall(sim);
    const { orderId } = await paid(c, { amount: 10_000n });
    const part = await connector.refund(c, {
      reference: "re_part",
      connectorReference: orderId,
      amount: 2_550n,
      currency: "usd",
    });
    assert.ok(part.outcome === "succeeded" && part.amount === 2_550n && part.currency === "usd");
    const replay = await connector.refund(c, {
      reference: "re_part",
      connectorReference: orderId,
      amount: 2_550n,
      currency: "usd",
    });
    assert.deepEqual(replay, part);
    const rest = await connector.refund(c, {
      reference: "re_rest",
      connectorReference: orderId,
      amount: 7_450n,
      currency: "usd",
    });
    assert.equal(rest.outcome, "succeeded");
    const more = await connector.refund(c, {
      reference: "re_more",
      connectorReference: orderId,
      amount: 1n,
      currency: "usd",
    });
    assert.equal(more.outcome, "failed");
    assert.deepEqual(
      await connector.syncRefund(c, { reference: "re_part", connectorReference: part.connectorReference }),
      {
        status: "succeeded",
        connectorReference: part.connectorReference,
        amount: 2_550n,
        currency: "usd",
      },
    );
    assert.deepEqual(
      await connector.syncRefund(c, { reference: "re_none", connectorReference: "0000000000000000X" }),
      { status: "not_found" },
    );
    assert.deepEqual(await connector.syncRefund(c, { reference: "re_none" }), { status: "pending" });
    const order = await orderAtPayPal(c, orderId);
    assert.equal(order.purchase_units[0].payments.refunds.length, 2);
    assert.equal(order.purchase_units[0].payments.captures[0].status, "REFUNDED");
  });

  test("a refund of a payment nobody captured is refused", async () => {
    const c = newCall(sim);
    const { orderId } = await paid(c, { capture: false });
    assert.deepEqual(
      await connector.refund(c, {
        reference: "re_x",
        connectorReference: orderId,
        amount: 100n,
        currency: "usd",
      }),
      {
        outcome: "failed",
        reason: "not_captured",
      },
    );
  });
});

describe("paypal connector: closing and accounts", () => {
  test("closePayment: an unapproved order is closed, an approved or paid one is not", async () => {
    const c = newCall(sim);
    const open = await connector.startPayment!(c, paymentRequest({ amount: 777n }));
    assert.ok(open.outcome === "requires_action");
    assert.deepEqual(
      await connector.closePayment!(c, { reference: "r", connectorReference: open.connectorReference }),
      {
        outcome: "succeeded",
        connectorReference: open.connectorReference,
        amount: 777n,
        currency: "usd",
      },
    );
    const approved = await connector.startPayment!(c, paymentRequest());
    await shopper(approvalUrlOf(approved), "approve");
    const refused = await connector.closePayment!(c, {
      reference: "r",
      connectorReference: (approved as { connectorReference: string }).connectorReference,
    });
    assert.deepEqual(refused, { outcome: "failed", reason: "order_approved" });
    const { orderId } = await paid(c);
    assert.deepEqual(await connector.closePayment!(c, { reference: "r", connectorReference: orderId }), {
      outcome: "failed",
      reason: "order_completed",
    });
    const never = await connector.closePayment!(c, { reference: "r_never" });
    assert.equal(never.outcome, "succeeded");
    const unknown = await connector.closePayment!(c, {
      reference: "r",
      connectorReference: "0000000000000000X",
    });
    assert.equal(unknown.outcome, "succeeded");
  });

  test("simulated accounts: fresh credentials each time, registered idempotently, the simulator's cert host", async () => {
    const accounts = simulatedAccounts(sim);
    const a = accounts.config(randomBytes);
    const b = accounts.config(randomBytes);
    assert.notEqual(a.client_id, b.client_id);
    assert.notEqual(a.client_secret, b.client_secret);
    assert.deepEqual(a.cert_hosts, [new URL(sim.certUrl).host]);
    assert.ok(connector.configSchema?.safeParse(a).success);
    accounts.register(a);
    accounts.register(a);
    const c = newCall(sim, { config: a });
    assert.equal((await connector.startPayment!(c, paymentRequest())).outcome, "requires_action");
    const defaults = defaultTestAccountConfig(randomBytes);
    assert.ok(connector.configSchema?.safeParse(defaults).success);
    assert.deepEqual(connector.secretFields, ["client_secret"]);
  });

  test("credentials PayPal refuses are an error, not a decline", async () => {
    const c = newCall(sim);
    c.account.config = { ...c.account.config, client_secret: "E-not-the-right-secret-at-all" };
    await assert.rejects(connector.startPayment!(c, paymentRequest()), /credentials were refused/);
  });
});
