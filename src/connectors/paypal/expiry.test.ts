/** Time at PayPal: orders that lapse, approvals that lapse, and access tokens, on the simulator's clock. */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import type { PayPalSimulator } from "../../../simulators/paypal/index.ts";
import {
  type ManualClock,
  manualClock,
  startTestSimulator,
} from "../../../simulators/paypal/test-support.ts";
import { createPayPalConnector } from "./index.ts";
import { newCall, paymentRequest, shopper } from "./test-support.ts";

const HOUR = 3600_000;
let sim: PayPalSimulator;
let clock: ManualClock;
/** The token cache's own clock, moved separately from PayPal's. */
let cacheNow = Date.now();
const connector = createPayPalConnector({ baseUrl: () => sim.url, now: () => cacheNow });

before(async () => {
  clock = manualClock(new Date().toISOString());
  sim = await startTestSimulator({ now: clock.now });
});
after(() => sim.close());
afterEach(() => sim.clearFaults());

async function started(c: ReturnType<typeof newCall>) {
  const request = paymentRequest();
  const result = await connector.startPayment!(c, request);
  assert.ok(result.outcome === "requires_action" && result.action.type === "redirect_to_url");
  return { request, orderId: result.connectorReference, url: result.action.url };
}

describe("paypal connector: expiry and tokens", () => {
  test("an order nobody approved lapses after 3 hours: expired, and closing it is no harm", async () => {
    const c = newCall(sim);
    const { request, orderId } = await started(c);
    clock.advance(3 * HOUR - 60_000);
    assert.equal(
      (await connector.sync(c, { reference: request.reference, connectorReference: orderId })).status,
      "pending",
    );
    clock.advance(60_000);
    assert.deepEqual(await connector.sync(c, { reference: request.reference, connectorReference: orderId }), {
      status: "expired",
      connectorReference: orderId,
    });
    const back = await connector.completeRedirect!(c, {
      connectorReference: orderId,
      reference: request.reference,
      params: { token: orderId, PayerID: "ABCDEFGHJKLMN" },
      amount: request.amount,
      currency: request.currency,
      capture: true,
    });
    assert.deepEqual(back, { outcome: "pending", connectorReference: orderId, reason: "order_expired" });
    assert.equal(
      (await connector.closePayment!(c, { reference: request.reference, connectorReference: orderId }))
        .outcome,
      "succeeded",
    );
  });

  test("an approved order nobody completed within 3 hours has expired too", async () => {
    const c = newCall(sim);
    const { request, orderId, url } = await started(c);
    await shopper(url, "approve");
    clock.advance(3 * HOUR);
    assert.deepEqual(await connector.sync(c, { reference: request.reference, connectorReference: orderId }), {
      status: "expired",
      connectorReference: orderId,
    });
  });

  test("a token PayPal no longer accepts (401) is replaced, and the call goes through once", async () => {
    const c = newCall(sim);
    const { request, orderId, url } = await started(c);
    await shopper(url, "approve");
    // PayPal's tokens live 15 minutes by its clock; the cache still holds this one.
    clock.advance(16 * 60_000);
    const status = await connector.sync(c, { reference: request.reference, connectorReference: orderId });
    assert.equal(status.status, "authorized");
  });

  test("a token is replaced before it expires, not after", async () => {
    const c = newCall(sim);
    const { request, orderId, url } = await started(c);
    await shopper(url, "approve");
    const sync = () => connector.sync(c, { reference: request.reference, connectorReference: orderId });
    assert.equal((await sync()).status, "authorized");
    sim.injectFault({ kind: "status", status: 503, match: "/v1/oauth2/token" });
    // The cached token is still fresh: the token endpoint (and its fault) is not reached.
    assert.equal((await sync()).status, "authorized");
    cacheNow += 11 * 60_000;
    // Within 5 minutes of its 15: a new one is asked for, and the fault answers.
    assert.deepEqual(await sync(), { status: "pending", connectorReference: orderId });
    assert.equal((await sync()).status, "authorized");
  });
});
