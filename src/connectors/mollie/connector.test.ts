import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { type MollieSimulator, startMollieSimulator } from "../../../simulators/mollie/index.ts";
import type { AuthorizeResult, CallContext, LocalPaymentRequest, ShopperChannel } from "../contract.ts";
import { createMollieConnector, mollieConfigSchema } from "./index.ts";
import {
  answerCheckout,
  apiKeyOf,
  localRequest,
  manualClock,
  newCall,
  nextRef,
  simulatorPayment,
  waitUntil,
} from "./test-support.ts";

const START = "2024-04-03T10:00:00Z";
const clock = manualClock(START);
let sim: MollieSimulator;
const connector = createMollieConnector({ baseUrl: () => sim.url, now: clock.now });
const startPayment = (call: CallContext, request: LocalPaymentRequest) => {
  assert.ok(connector.startPayment);
  return connector.startPayment(call, request);
};

before(async () => {
  sim = await startMollieSimulator({ now: clock.now, resolveAfterMs: 300, notificationRetryDelaysMs: [] });
});
after(() => sim.close());

function checkoutOf(result: AuthorizeResult): string {
  assert.equal(result.outcome, "requires_action");
  assert.ok(result.outcome === "requires_action" && result.action.type === "redirect_to_url");
  return result.action.url;
}

async function started(call: CallContext, overrides: Partial<LocalPaymentRequest> = {}) {
  const request = localRequest(overrides);
  const result = await startPayment(call, request);
  assert.equal(result.outcome, "requires_action");
  return {
    request,
    id: result.outcome === "requires_action" ? result.connectorReference : "",
    href: checkoutOf(result),
  };
}

describe("definition", () => {
  test("identity, capabilities, acknowledgement", () => {
    assert.equal(connector.id, "mollie");
    assert.equal(connector.displayName, "iDEAL (Mollie)");
    assert.deepEqual(connector.capabilities, {
      paymentMethods: ["ideal"],
      currencies: ["eur"],
      manualCapture: false,
      partialCapture: false,
      multipleCaptures: false,
      refunds: true,
      webhooks: true,
    });
    assert.deepEqual(connector.webhookAcknowledgement, { contentType: "text/plain", body: "" });
    assert.deepEqual(connector.secretFields, ["api_key"]);
  });

  test("the config schema", () => {
    const ok = (config: unknown) => mollieConfigSchema.safeParse(config).success;
    assert.equal(ok({ api_key: `test_${"a".repeat(30)}` }), true);
    assert.equal(ok({ api_key: `live_${"a".repeat(30)}`, profile_id: "pfl_QkEhN94Ba" }), true);
    assert.equal(ok({ api_key: `test_${"a".repeat(30)}`, base_url: "https://api.mollie.com" }), true);
    assert.equal(ok({ api_key: "test_short" }), false);
    assert.equal(ok({ api_key: `prod_${"a".repeat(30)}` }), false);
    assert.equal(ok({ api_key: `test_${"a".repeat(30)}`, profile_id: "x" }), false);
    assert.equal(ok({ api_key: `test_${"a".repeat(30)}`, base_url: "ftp://x" }), false);
    assert.equal(ok({}), false);
    assert.equal(mollieConfigSchema.shape.api_key.meta()?.secret, true);
    assert.notEqual(mollieConfigSchema.shape.profile_id.meta()?.secret, true);
  });

  test("defaultTestAccountConfig draws a test key the simulator accepts", async () => {
    const config = connector.defaultTestAccountConfig?.((n) => Buffer.alloc(n, 7));
    assert.deepEqual(config, { api_key: `test_${"7".repeat(30)}` });
    const fresh = connector.defaultTestAccountConfig?.(randomBytes);
    assert.equal(mollieConfigSchema.safeParse(fresh).success, true);
    const result = await startPayment(newCall({}, fresh), localRequest());
    assert.equal(result.outcome, "requires_action");
  });

  test("cards, capture and void are not for iDEAL", async () => {
    const call = newCall();
    const card = await connector.authorize(call, {
      reference: "pa_1",
      paymentIntentId: "pi_1",
      amount: 1000n,
      currency: "eur",
      capture: true,
      card: { number: "4242424242424242", exp_month: 1, exp_year: 2040 },
      returnUrl: "https://payrail.example/r",
    });
    assert.deepEqual(card, {
      outcome: "declined",
      declineCode: "card_not_supported",
      providerMessage: "iDEAL (Mollie) does not take cards",
    });
    const modify = { reference: "x", connectorReference: "tr_abcdefghij", amount: 1n, currency: "eur" };
    assert.deepEqual(await connector.capture(call, { ...modify, final: true }), {
      outcome: "failed",
      reason: "not_supported",
    });
    assert.deepEqual(await connector.void(call, modify), { outcome: "failed", reason: "not_supported" });
  });
});

describe("startPayment", () => {
  for (const channel of ["web", "mobile_web", "qr", "app"] as ShopperChannel[]) {
    test(`${channel}: a redirect to Mollie's iDEAL checkout, expiring when Mollie says`, async () => {
      const call = newCall();
      const request = localRequest({ channel });
      const result = await startPayment(call, request);
      const href = checkoutOf(result);
      assert.ok(href.startsWith(`${sim.url}/checkout/select-issuer/ideal/`));
      assert.ok(result.outcome === "requires_action");
      assert.match(result.connectorReference, /^tr_/);
      assert.equal(result.expiresAt?.toISOString(), "2024-04-03T10:15:00.000Z");
    });
  }

  test("sends Mollie's fields: amount as a string, our reference in metadata, URLs, method, locale", async () => {
    const call = newCall({ notificationUrl: "https://payrail.example/hooks/mca_1" });
    const { id, request } = await started(call, { amount: 123456n, shopper: { locale: "nl-NL" } });
    const p = await simulatorPayment(sim.url, call, id);
    assert.deepEqual(p.amount, { currency: "EUR", value: "1234.56" });
    assert.deepEqual(p.metadata, { payrail_reference: request.reference });
    assert.equal(p.redirectUrl, request.returnUrl);
    assert.equal(p.webhookUrl, "https://payrail.example/hooks/mca_1");
    assert.equal(p.method, "ideal");
    assert.equal(p.locale, "nl_NL");
    assert.equal(p.description, "Order 1001");
  });

  test("a locale Mollie lacks is left out; one cent is 0.01", async () => {
    const call = newCall();
    const { id } = await started(call, { amount: 1n, shopper: { locale: "ja-JP" } });
    const p = await simulatorPayment(sim.url, call, id);
    assert.equal(p.locale, undefined);
    assert.deepEqual(p.amount, { currency: "EUR", value: "0.01" });
  });

  test("the same reference twice is one payment", async () => {
    const call = newCall();
    const request = localRequest();
    const first = await startPayment(call, request);
    const second = await startPayment(call, request);
    assert.deepEqual(second, first);
    assert.equal(sim.paymentCount(apiKeyOf(call)), 1);
  });

  test("what iDEAL cannot take is declined before anything is sent", async () => {
    const call = newCall();
    const cases: Array<[Partial<LocalPaymentRequest>, string]> = [
      [{ currency: "usd" }, "currency_not_supported"],
      [{ channel: "in_app" }, "generic_decline"],
      [{ method: "alipay" }, "generic_decline"],
      [{ capture: false }, "generic_decline"],
    ];
    for (const [overrides, code] of cases) {
      const result = await startPayment(call, localRequest(overrides));
      assert.equal(result.outcome, "declined");
      assert.equal(result.outcome === "declined" && result.declineCode, code);
    }
    assert.equal(sim.paymentCount(apiKeyOf(call)), 0);
  });

  test("an amount above Mollie's maximum is Mollie's refusal, as a decline", async () => {
    const result = await startPayment(newCall(), localRequest({ amount: 5_000_001n }));
    assert.equal(result.outcome, "declined");
    assert.ok(result.outcome === "declined");
    assert.equal(result.declineCode, "generic_decline");
    assert.equal(result.providerMessage, "The amount is higher than the maximum.");
  });

  test("a key Mollie refuses is unexpected (thrown), without the key in the message", async () => {
    const key = `live_${"k".repeat(30)}`;
    await assert.rejects(startPayment(newCall({}, { api_key: key }), localRequest()), (error: Error) => {
      assert.match(error.message, /^mollie create payment: unexpected HTTP 401 \(Unauthorized Request/);
      assert.ok(!error.message.includes(key));
      return true;
    });
  });
});

describe("the shopper at the bank, then sync", () => {
  test("paid: authorized and captured, with Mollie's exact amount", async () => {
    const call = newCall();
    const { id, request, href } = await started(call, { amount: 4321n });
    assert.deepEqual(await connector.sync(call, { reference: request.reference, connectorReference: id }), {
      status: "pending",
      connectorReference: id,
    });
    const answer = await answerCheckout(href, "paid");
    assert.equal(answer.location, request.returnUrl);
    const status = await connector.sync(call, { reference: request.reference, connectorReference: id });
    assert.deepEqual(status, {
      status: "authorized",
      connectorReference: id,
      amount: 4321n,
      currency: "eur",
      captured: true,
      capturedAmount: 4321n,
    });
    assert.deepEqual(
      await connector.completeRedirect?.(call, {
        connectorReference: id,
        reference: request.reference,
        params: {},
        amount: 4321n,
        currency: "eur",
        capture: true,
      }),
      { outcome: "authorized", connectorReference: id, amount: 4321n, currency: "eur", captured: true },
    );
  });

  test("pending at the bank: pending, then paid", async () => {
    const call = newCall();
    const { id, request, href } = await started(call);
    await answerCheckout(href, "pending");
    const sync = () => connector.sync(call, { reference: request.reference, connectorReference: id });
    assert.equal((await sync()).status, "pending");
    await waitUntil(async () => (await sync()).status !== "pending");
    assert.equal((await sync()).status, "authorized");
  });

  test("failed and canceled: declined", async () => {
    const call = newCall();
    for (const [choice, message] of [
      ["failed", "the iDEAL payment failed"],
      ["canceled", "canceled by the shopper"],
    ]) {
      const { id, request, href } = await started(call);
      await answerCheckout(href, choice as string);
      assert.deepEqual(await connector.sync(call, { reference: request.reference, connectorReference: id }), {
        status: "declined",
        declineCode: "generic_decline",
        connectorReference: id,
        providerMessage: message,
      });
    }
  });

  test("expired at the bank: expired", async () => {
    const call = newCall();
    const { id, request, href } = await started(call);
    await answerCheckout(href, "expired");
    assert.deepEqual(await connector.sync(call, { reference: request.reference, connectorReference: id }), {
      status: "expired",
      connectorReference: id,
    });
  });

  test("abandoned: expired once Mollie's 15 minutes are over", async () => {
    const call = newCall();
    const { id, request } = await started(call);
    clock.advance(14 * 60 * 1000);
    assert.equal(
      (await connector.sync(call, { reference: request.reference, connectorReference: id })).status,
      "pending",
    );
    clock.advance(60 * 1000);
    assert.deepEqual(await connector.sync(call, { reference: request.reference, connectorReference: id }), {
      status: "expired",
      connectorReference: id,
    });
  });

  test("by our reference alone (the create call's answer was lost)", async () => {
    const call = newCall();
    const { id, request, href } = await started(call);
    await started(call);
    await answerCheckout(href, "paid");
    const status = await connector.sync(call, { reference: request.reference });
    assert.equal(status.status, "authorized");
    assert.equal(status.status === "authorized" && status.connectorReference, id);
    assert.deepEqual(await connector.sync(call, { reference: nextRef() }), { status: "not_found" });
  });

  test("by reference across list pages", async () => {
    const call = newCall();
    const { id, request } = await started(call);
    const key = apiKeyOf(call);
    for (let batch = 0; batch < 6; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(`${sim.url}/v2/payments`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify({
              amount: { currency: "EUR", value: "1.00" },
              description: "filler",
              redirectUrl: "https://shop.example/",
            }),
          }).then((r) => r.text()),
        ),
      );
    }
    assert.equal(sim.paymentCount(key), 301);
    const status = await connector.sync(call, { reference: request.reference });
    assert.deepEqual(status, { status: "pending", connectorReference: id });
  });

  test("an id that is not there, or not of this reference, is not_found", async () => {
    const call = newCall();
    const { id } = await started(call);
    assert.deepEqual(await connector.sync(call, { reference: "pa_other", connectorReference: id }), {
      status: "not_found",
    });
    assert.deepEqual(await connector.sync(call, { reference: "pa_x", connectorReference: "tr_NoSuchOne1" }), {
      status: "not_found",
    });
    assert.deepEqual(await connector.sync(call, { reference: "pa_x", connectorReference: "../v2/x" }), {
      status: "not_found",
    });
  });
});

describe("closePayment", () => {
  const close = (call: CallContext, reference: string, connectorReference?: string) => {
    assert.ok(connector.closePayment);
    return connector.closePayment(call, { reference, connectorReference });
  };

  test("an open iDEAL payment cannot be canceled at Mollie: pending until it expires, then closed", async () => {
    const call = newCall();
    const { id, request } = await started(call, { amount: 990n });
    assert.deepEqual(await close(call, request.reference, id), {
      outcome: "pending",
      connectorReference: id,
      reason: "not_cancelable_until_expiry",
    });
    clock.advance(16 * 60 * 1000);
    assert.deepEqual(await close(call, request.reference, id), {
      outcome: "succeeded",
      connectorReference: id,
      amount: 990n,
      currency: "eur",
    });
  });

  test("paid meanwhile: failed; canceled or failed already: succeeded", async () => {
    const call = newCall();
    const paid = await started(call);
    await answerCheckout(paid.href, "paid");
    assert.deepEqual(await close(call, paid.request.reference, paid.id), {
      outcome: "failed",
      reason: "already_paid",
    });
    const canceled = await started(call);
    await answerCheckout(canceled.href, "canceled");
    assert.equal((await close(call, canceled.request.reference, canceled.id)).outcome, "succeeded");
  });

  test("by reference alone, and a payment that never existed", async () => {
    const call = newCall();
    const { request, href } = await started(call);
    await answerCheckout(href, "failed");
    assert.equal((await close(call, request.reference)).outcome, "succeeded");
    assert.deepEqual(await close(call, nextRef()), {
      outcome: "succeeded",
      connectorReference: "",
      amount: 0n,
      currency: "eur",
    });
  });

  test("where Mollie allows canceling: DELETE, then sync says declined", async () => {
    const cancelable = await startMollieSimulator({ idealCancelable: true, notificationRetryDelaysMs: [] });
    try {
      const other = createMollieConnector({ baseUrl: () => cancelable.url });
      const call = newCall();
      const request = localRequest({ amount: 2500n });
      const result = await other.startPayment!(call, request);
      assert.ok(result.outcome === "requires_action");
      const id = result.connectorReference;
      const closed = await other.closePayment!(call, {
        reference: request.reference,
        connectorReference: id,
      });
      assert.deepEqual(closed, {
        outcome: "succeeded",
        connectorReference: id,
        amount: 2500n,
        currency: "eur",
      });
      assert.deepEqual(
        await other.closePayment!(call, { reference: request.reference, connectorReference: id }),
        closed,
      );
      const status = await other.sync(call, { reference: request.reference, connectorReference: id });
      assert.equal(status.status, "declined");
    } finally {
      await cancelable.close();
    }
  });
});
