import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type GrabPaySimulator, startGrabPaySimulator } from "../../../simulators/grabpay/index.ts";
import type { ShopperChannel } from "../contract.ts";
import { createGrabPayConnector } from "./index.ts";
import { codeChallengeOf, codeVerifierFor, redirectUriOfState } from "./oauth.ts";
import { parseChargeHandle } from "./references.ts";
import {
  localRequest,
  newCall,
  newReference,
  payAndReturn,
  RETURN_URL,
  redirectUrlOf,
  shopperAnswers,
} from "./test-support.ts";

let sim: GrabPaySimulator;
const connector = createGrabPayConnector({ baseUrl: () => sim.url });
const partnerOf = (call: ReturnType<typeof newCall>) => String(call.account.config.partner_id);

before(async () => {
  sim = await startGrabPaySimulator();
});
after(async () => {
  await sim.close();
});

describe("startPayment", () => {
  for (const channel of ["web", "mobile_web", "app"] as ShopperChannel[]) {
    it(`sends the ${channel} shopper to GrabID's authorize URL with PKCE and the charge's request token`, async () => {
      const call = newCall(sim);
      const request = localRequest({ channel });
      const started = await connector.startPayment?.(call, request);
      assert.ok(started);
      const url = redirectUrlOf(started);
      assert.equal(`${url.origin}${url.pathname}`, `${sim.url}/grabid/v1/oauth2/authorize`);
      const q = url.searchParams;
      assert.equal(q.get("response_type"), "code");
      assert.equal(q.get("client_id"), call.account.config.client_id);
      assert.equal(q.get("scope"), "openid payment.one_time_charge");
      assert.equal(q.get("redirect_uri"), RETURN_URL);
      assert.equal(q.get("code_challenge_method"), "S256");
      const verifier = codeVerifierFor(String(call.account.config.client_secret), request.reference);
      assert.equal(q.get("code_challenge"), codeChallengeOf(verifier));
      assert.equal(q.get("acr_values"), "consent_ctx:countryCode=SG,currency=SGD");
      assert.equal(q.get("currency"), "SGD");
      assert.ok(q.get("request") && q.get("nonce"));
      assert.equal(
        redirectUriOfState(
          String(call.account.config.client_secret),
          request.reference,
          q.get("state") ?? "",
        ),
        RETURN_URL,
      );
      assert.ok(started.outcome === "requires_action");
      assert.deepEqual(parseChargeHandle(started.connectorReference), {
        partnerTxID: request.reference,
        amount: 1500n,
      });
      const page = await fetch(url, { redirect: "manual" });
      assert.equal(page.status, 200);
      assert.match(await page.text(), /SGD 15\.00/);
    });
  }

  for (const channel of ["qr", "in_app"] as ShopperChannel[]) {
    it(`declines the ${channel} channel without creating a charge`, async () => {
      const call = newCall(sim);
      const result = await connector.startPayment?.(call, localRequest({ channel }));
      assert.equal(result?.outcome, "declined");
      assert.equal(sim.chargeCount(partnerOf(call)), 0);
    });
  }

  it("declines a currency other than the merchant's market's, and an amount GrabPay cannot carry", async () => {
    const call = newCall(sim);
    const myr = await connector.startPayment?.(call, localRequest({ currency: "myr" }));
    assert.deepEqual(myr?.outcome === "declined" && myr.declineCode, "currency_not_supported");
    const idr = newCall(sim, { country: "ID" });
    const cents = await connector.startPayment?.(idr, localRequest({ currency: "idr", amount: 1_500_050n }));
    assert.deepEqual(cents?.outcome === "declined" && cents.declineCode, "generic_decline");
    assert.equal(sim.chargeCount(partnerOf(idr)), 0);
  });

  it("never creates two charges for one reference", async () => {
    const call = newCall(sim);
    const request = localRequest();
    const first = await connector.startPayment?.(call, request);
    const second = await connector.startPayment?.(call, request);
    assert.equal(redirectUrlOf(first!).toString(), redirectUrlOf(second!).toString());
    assert.equal(sim.chargeCount(partnerOf(call)), 1);
  });

  it("answers a repeat after the shopper paid with the paid charge", async () => {
    const call = newCall(sim);
    const request = localRequest();
    await payAndReturn(connector, call, request, "approve");
    const again = await connector.startPayment?.(call, request);
    assert.equal(again?.outcome, "authorized");
    assert.equal(sim.chargeCount(partnerOf(call)), 1);
  });

  it("derives a stable partnerTxID of at most 32 characters from a longer reference", async () => {
    const call = newCall(sim);
    const request = localRequest({ reference: `${newReference()}_with_a_much_longer_suffix` });
    const { returned } = await payAndReturn(connector, call, request, "approve");
    assert.equal(returned?.outcome, "authorized");
    const synced = await connector.sync(call, { reference: request.reference, connectorReference: null });
    assert.equal(synced.status, "pending", "without our handle the amount is unknown");
    assert.ok(returned?.outcome === "authorized");
    const handle = parseChargeHandle(returned.connectorReference);
    assert.equal(handle?.partnerTxID.length, 32);
    const withHandle = await connector.sync(call, {
      reference: request.reference,
      connectorReference: returned.connectorReference,
    });
    assert.equal(withHandle.status, "authorized");
  });
});

describe("the shopper's answer", () => {
  it("approve: completeRedirect and sync give the exact amount, captured", async () => {
    const call = newCall(sim);
    const request = localRequest({ amount: 2599n });
    const { started, returned } = await payAndReturn(connector, call, request, "approve");
    assert.ok(returned?.outcome === "authorized");
    assert.equal(returned.amount, 2599n);
    assert.equal(returned.currency, "sgd");
    assert.equal(returned.captured, true);
    assert.match(returned.connectorReference, /^pi_\w+_a1:2599:[0-9a-f]{32}$/);
    assert.ok(started.outcome === "requires_action");
    const synced = await connector.sync(call, {
      reference: request.reference,
      connectorReference: started.connectorReference,
    });
    assert.deepEqual(synced, {
      status: "authorized",
      connectorReference: returned.connectorReference,
      amount: 2599n,
      currency: "sgd",
      captured: true,
      capturedAmount: 2599n,
    });
  });

  it("approve in IDR and VND: whole units at GrabPay, Payrail's minor units back", async () => {
    for (const [country, currency, amount] of [
      ["ID", "idr", 1_500_000n],
      ["VN", "vnd", 35_000n],
    ] as const) {
      const call = newCall(sim, { country });
      const request = localRequest({ currency, amount });
      const { returned } = await payAndReturn(connector, call, request, "approve");
      assert.ok(returned?.outcome === "authorized", currency);
      assert.equal(returned.amount, amount);
      assert.equal(returned.currency, currency);
      const grabAmount = parseChargeHandle(returned.connectorReference)?.amount;
      assert.equal(grabAmount, currency === "idr" ? 15_000n : 35_000n);
    }
  });

  it("a reloaded return page (code already used) still finds the paid charge", async () => {
    const call = newCall(sim);
    const request = localRequest();
    const started = await connector.startPayment?.(call, request);
    assert.ok(started?.outcome === "requires_action");
    const params = await shopperAnswers(redirectUrlOf(started), "approve");
    assert.ok(params);
    const back = {
      connectorReference: started.connectorReference,
      reference: request.reference,
      params,
      amount: request.amount,
      currency: request.currency,
      capture: true,
    };
    const first = await connector.completeRedirect?.(call, back);
    const second = await connector.completeRedirect?.(call, back);
    assert.equal(first?.outcome, "authorized");
    assert.deepEqual(second, first);
  });

  it("a return whose state is not ours is not trusted", async () => {
    const call = newCall(sim);
    const request = localRequest();
    const started = await connector.startPayment?.(call, request);
    assert.ok(started?.outcome === "requires_action");
    const params = await shopperAnswers(redirectUrlOf(started), "approve");
    assert.ok(params);
    const other = newReference();
    const forged = await connector.completeRedirect?.(call, {
      connectorReference: started.connectorReference,
      reference: other,
      params,
      amount: request.amount,
      currency: request.currency,
      capture: true,
    });
    assert.deepEqual(forged, { outcome: "pending", reason: "state_mismatch" });
  });

  it("fail (insufficient balance): declined insufficient_funds, and sync agrees", async () => {
    const call = newCall(sim);
    const request = localRequest();
    const { returned } = await payAndReturn(connector, call, request, "fail");
    assert.ok(returned?.outcome === "declined");
    assert.equal(returned.declineCode, "insufficient_funds");
    const synced = await connector.sync(call, { reference: request.reference });
    assert.ok(synced.status === "declined");
    assert.equal(synced.declineCode, "insufficient_funds");
  });

  it("decline: GrabID's access_denied is a decline, and sync agrees", async () => {
    const call = newCall(sim);
    const request = localRequest();
    const { returned } = await payAndReturn(connector, call, request, "decline");
    assert.ok(returned?.outcome === "declined");
    assert.equal(returned.declineCode, "generic_decline");
    const synced = await connector.sync(call, { reference: request.reference });
    assert.ok(synced.status === "declined");
    assert.equal(synced.declineCode, "generic_decline");
  });

  it("abandon: the charge waits (pending), and closePayment cannot close it before it expires", async () => {
    const call = newCall(sim);
    const request = localRequest();
    const { started, returned } = await payAndReturn(connector, call, request, "abandon");
    assert.equal(returned, null);
    assert.ok(started.outcome === "requires_action");
    const synced = await connector.sync(call, {
      reference: request.reference,
      connectorReference: started.connectorReference,
    });
    assert.deepEqual(synced, { status: "pending", connectorReference: started.connectorReference });
    const closed = await connector.closePayment?.(call, {
      reference: request.reference,
      connectorReference: started.connectorReference,
    });
    assert.equal(closed?.outcome, "pending");
  });

  it("a fixed redirect_uri of the account is used instead of the payment's return URL", async () => {
    const fixed = "https://shop.example/grabpay/return";
    const call = newCall(sim, { config: { redirect_uri: fixed } });
    sim.registerPartner({
      partnerId: String(call.account.config.partner_id),
      partnerSecret: String(call.account.config.partner_secret),
      clientId: String(call.account.config.client_id),
      clientSecret: String(call.account.config.client_secret),
      merchantId: String(call.account.config.merchant_id),
      redirectUris: [fixed],
    });
    const request = localRequest({ returnUrl: "https://payrail.example/pay/return/pi_unregistered" });
    const { started, returned } = await payAndReturn(connector, call, request, "approve");
    assert.equal(redirectUrlOf(started).searchParams.get("redirect_uri"), fixed);
    assert.equal(returned?.outcome, "authorized");
  });
});

describe("sync and closePayment", () => {
  it("sync of a reference GrabPay never saw is not_found", async () => {
    const call = newCall(sim);
    assert.deepEqual(await connector.sync(call, { reference: newReference() }), { status: "not_found" });
  });

  it("closePayment: nothing to close is closed; a paid charge cannot be closed", async () => {
    const call = newCall(sim);
    const never = await connector.closePayment?.(call, { reference: newReference() });
    assert.equal(never?.outcome, "succeeded");
    const request = localRequest();
    await payAndReturn(connector, call, request, "approve");
    const paid = await connector.closePayment?.(call, { reference: request.reference });
    assert.deepEqual(paid, { outcome: "failed", reason: "already_paid" });
    const declined = localRequest();
    await payAndReturn(connector, call, declined, "decline");
    assert.equal(
      (await connector.closePayment?.(call, { reference: declined.reference }))?.outcome,
      "succeeded",
    );
  });

  it("capture and void are not supported; cards are declined", async () => {
    const call = newCall(sim);
    const modify = { reference: "x", connectorReference: "y", amount: 1n, currency: "sgd" };
    assert.deepEqual(await connector.capture(call, { ...modify, final: true }), {
      outcome: "failed",
      reason: "not_supported",
    });
    assert.deepEqual(await connector.void(call, modify), { outcome: "failed", reason: "not_supported" });
    const card = await connector.authorize(call, {
      reference: "r",
      paymentIntentId: "pi",
      amount: 1n,
      currency: "sgd",
      capture: true,
      card: { number: "4242424242424242", exp_month: 1, exp_year: 2040 },
      returnUrl: RETURN_URL,
    });
    assert.equal(card.outcome === "declined" && card.declineCode, "card_not_supported");
  });
});

describe("expiry", () => {
  let short: GrabPaySimulator;
  const expiring = createGrabPayConnector({ baseUrl: () => short.url });
  before(async () => {
    short = await startGrabPaySimulator({ chargeExpiryMs: 150 });
  });
  after(async () => {
    await short.close();
  });

  it("a charge nobody answered becomes expired; the late shopper is sent back; closePayment succeeds", async () => {
    const call = newCall(short);
    const request = localRequest();
    const started = await expiring.startPayment?.(call, request);
    assert.ok(started?.outcome === "requires_action");
    await new Promise((resolve) => setTimeout(resolve, 250));
    const synced = await expiring.sync(call, {
      reference: request.reference,
      connectorReference: started.connectorReference,
    });
    assert.equal(synced.status, "expired");
    const late = await shopperAnswers(redirectUrlOf(started), "approve");
    assert.equal(late?.error, "access_denied");
    const returned = await expiring.completeRedirect?.(call, {
      connectorReference: started.connectorReference,
      reference: request.reference,
      params: late ?? {},
      amount: request.amount,
      currency: request.currency,
      capture: true,
    });
    assert.equal(returned?.outcome, "pending", "expired is for sync to say");
    const closed = await expiring.closePayment?.(call, { reference: request.reference });
    assert.equal(closed?.outcome, "succeeded");
  });

  it("on an injected clock shared with the connector: 15 minutes unanswered is expired", async () => {
    let now = new Date("2024-05-01T02:00:00Z");
    const clocked = await startGrabPaySimulator({ now: () => now });
    try {
      const onClock = createGrabPayConnector({ baseUrl: () => clocked.url, now: () => now });
      const call = newCall(clocked);
      const request = localRequest();
      const started = await onClock.startPayment?.(call, request);
      assert.ok(started?.outcome === "requires_action");
      const sync = () =>
        onClock.sync(call, { reference: request.reference, connectorReference: started.connectorReference });
      assert.equal((await sync()).status, "pending");
      now = new Date(now.getTime() + 15 * 60_000 + 1_000);
      const expired = await sync();
      assert.equal(expired.status, "expired");
      assert.match(
        String("connectorReference" in expired && expired.connectorReference),
        /^pi_\w+_a1:1500:[0-9a-f]{32}$/,
      );
      assert.equal(
        (await onClock.closePayment?.(call, { reference: request.reference }))?.outcome,
        "succeeded",
      );
    } finally {
      await clocked.close();
    }
  });
});
