/** The connector end to end against the Adyen simulator: test cards, 3-D Secure, webhooks, faults. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, test } from "node:test";
import { type AdyenSimulator, startAdyenSimulator } from "../../../simulators/adyen/index.ts";
import { createGooglePayTestIssuer, type TestCardPayload } from "../../../simulators/googlepay/index.ts";
import type { CallContext, ConnectorAccount, DeclineCode, WebhookEvent } from "../contract.ts";
import { redirectUrlOf } from "../contract.ts";
import { createAdyenConnector, defaultTestAccountConfig } from "./index.ts";
import { authorizeRequest, nextRef, walletTokenRequest } from "./test-support.ts";

let sim: AdyenSimulator;
const googlePay = createGooglePayTestIssuer({ now: () => new Date() });
const connector = createAdyenConnector({ baseUrl: () => sim.url });

/** Payrail's inbound route, reduced: keeps the raw bytes and answers Adyen's `[accepted]`. */
interface Receiver {
  url: string;
  bodies: Buffer[];
  close(): Promise<void>;
}

let receiver: Receiver;

async function startReceiver(): Promise<Receiver> {
  const bodies: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { "content-type": "text/plain" }).end("[accepted]");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/hooks/adyen/mca_test`,
    bodies,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

before(async () => {
  sim = await startAdyenSimulator({
    resolveAfterMs: 50,
    modificationDelayMs: 20,
    notificationRetryDelaysMs: [20, 50],
    googlePayRootKeys: googlePay.rootSigningKeys,
  });
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
  await sim.close();
});
afterEach(() => sim.clearFaults());

/** A fresh merchant's test account; saveConfig writes into it as Payrail's repository would. */
function newCall(): CallContext {
  const account: ConnectorAccount = {
    id: `mca_${randomBytes(6).toString("hex")}`,
    merchantId: "acct_test",
    livemode: false,
    connector: "adyen",
    config: connector.defaultTestAccountConfig!(randomBytes)!,
  };
  return {
    account,
    notificationUrl: receiver.url,
    timeoutMs: 2000,
    saveConfig: async (patch) => {
      account.config = { ...account.config, ...patch };
    },
  };
}

/** Waits for a verified webhook event matching `match`, checking every body received so far. */
async function waitForEvent(
  account: ConnectorAccount,
  match: (event: WebhookEvent) => boolean,
  timeoutMs = 3000,
): Promise<WebhookEvent> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const body of receiver.bodies) {
      const verified = await connector.verifyWebhook(account, { rawBody: body, headers: {} }, new Date());
      if (verified.ok && match(verified.event)) return verified.event;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("no matching webhook arrived");
}

const about = (reference: string) => (event: WebhookEvent) =>
  (event.kind === "payment" || event.kind === "refund") && event.reference === reference;

describe("account setup", () => {
  test("the default test account config is valid and registers its webhook on first use", async () => {
    const config = defaultTestAccountConfig(randomBytes);
    assert.match(config.api_key, /^[0-9A-Za-z]{48}$/);
    assert.match(config.merchant_account, /^PayrailTest[0-9A-Za-z]{10}$/);

    const call = newCall();
    const request = authorizeRequest({
      card: { number: "4242424242424242", exp_month: 3, exp_year: 2030, cvc: "737" },
    });
    const result = await connector.authorize(call, request);
    assert.equal(result.outcome, "authorized");
    assert.match(String(call.account.config.hmac_key), /^[0-9A-F]{64}$/i);
    assert.equal(typeof call.account.config.webhook_id, "string");

    const event = await waitForEvent(call.account, about(request.reference));
    assert.equal(event.kind, "payment");
    assert.equal(event.kind === "payment" && event.status.status, "authorized");
    assert.equal(
      event.kind === "payment" && event.connectorReference,
      result.outcome === "authorized" && result.connectorReference,
    );
  });
});

describe("card payments", () => {
  test("manual capture: authorized, then the capture is confirmed by the CAPTURE webhook", async () => {
    const call = newCall();
    const request = authorizeRequest({
      card: { number: "4242424242424242", exp_month: 3, exp_year: 2030, cvc: "737" },
    });
    const result = await connector.authorize(call, request);
    assert.ok(result.outcome === "authorized");
    assert.equal(result.captured, false);
    assert.ok(result.networkTransactionId);

    const captureRef = nextRef("cap");
    const capture = await connector.capture(call, {
      reference: captureRef,
      connectorReference: result.connectorReference,
      amount: 600n,
      currency: "eur",
      final: false,
    });
    assert.ok(capture.outcome === "pending");
    assert.equal(capture.reason, "awaiting CAPTURE webhook");
    assert.notEqual(capture.connectorReference, result.connectorReference);

    const event = await waitForEvent(call.account, about(captureRef));
    assert.ok(event.kind === "payment" && event.status.status === "authorized");
    assert.equal(event.connectorReference, result.connectorReference);
    assert.equal(event.status.captured, true);
    assert.equal(event.status.capturedAmount, 600n);

    const refundRef = nextRef("re");
    const refund = await connector.refund(call, {
      reference: refundRef,
      connectorReference: result.connectorReference,
      amount: 250n,
      currency: "eur",
    });
    assert.ok(refund.outcome === "pending");
    const refunded = await waitForEvent(call.account, about(refundRef));
    assert.ok(refunded.kind === "refund");
    assert.equal(refunded.connectorReference, refund.connectorReference);
    assert.deepEqual(refunded.status, {
      status: "succeeded",
      connectorReference: refund.connectorReference,
      amount: 250n,
      currency: "eur",
    });
  });

  test("void: the CANCELLATION webhook says voided", async () => {
    const call = newCall();
    const result = await connector.authorize(call, authorizeRequest({ card: card("5555555555554444") }));
    assert.ok(result.outcome === "authorized");
    const voidRef = nextRef("void");
    const voided = await connector.void(call, {
      reference: voidRef,
      connectorReference: result.connectorReference,
      amount: 1000n,
      currency: "eur",
    });
    assert.equal(voided.outcome === "pending" && voided.reason, "awaiting CANCELLATION webhook");
    const event = await waitForEvent(call.account, about(voidRef));
    assert.deepEqual(event.kind === "payment" && event.status, {
      status: "voided",
      connectorReference: result.connectorReference,
    });
  });

  test("automatic capture is captured at once", async () => {
    const call = newCall();
    const request = authorizeRequest({ capture: true, card: card("4242424242424242") });
    const result = await connector.authorize(call, request);
    assert.equal(result.outcome === "authorized" && result.captured, true);
    const event = await waitForEvent(
      call.account,
      (e) => about(request.reference)(e) && e.kind === "payment" && e.providerEventId.includes(":CAPTURE:"),
    );
    assert.equal(
      event.kind === "payment" && event.status.status === "authorized" && event.status.captured,
      true,
    );
  });

  const declines: Array<[string, DeclineCode]> = [
    ["4000000000000002", "generic_decline"],
    ["4000000000009995", "insufficient_funds"],
    ["4000000000009987", "lost_card"],
    ["4000000000009979", "stolen_card"],
    ["4000000000000069", "expired_card"],
    ["4000000000000127", "incorrect_cvc"],
    ["4000000000000119", "processing_error"],
    ["4242424242424241", "incorrect_number"],
  ];
  for (const [number, declineCode] of declines) {
    test(`test card ${number} is declined with ${declineCode}`, async () => {
      const result = await connector.authorize(newCall(), authorizeRequest({ card: card(number) }));
      assert.equal(result.outcome, "declined");
      assert.equal(result.outcome === "declined" && result.declineCode, declineCode);
    });
  }

  test("a refused AUTHORISATION webhook carries the same decline", async () => {
    const call = newCall();
    const request = authorizeRequest({ card: card("4000000000009995") });
    await connector.authorize(call, request);
    const event = await waitForEvent(call.account, about(request.reference));
    assert.equal(
      event.kind === "payment" && event.status.status === "declined" && event.status.declineCode,
      "insufficient_funds",
    );
  });

  test("a wallet network token and a merchant-initiated card-on-file payment", async () => {
    const call = newCall();
    const first = await connector.authorize(
      call,
      authorizeRequest({
        card: { number: "4242424242424242", exp_month: 12, exp_year: 2031 },
        networkToken: { wallet: "apple_pay", cryptogram: "AgAAAAAABk4DWZ4C28yUQAAAAAA=", eci: "07" },
        storedCredential: { sequence: "first", initiator: "merchant" },
      }),
    );
    assert.ok(first.outcome === "authorized");
    const later = await connector.authorize(
      call,
      authorizeRequest({
        card: { number: "4242424242424242", exp_month: 12, exp_year: 2031 },
        storedCredential: {
          sequence: "subsequent",
          initiator: "merchant",
          networkTransactionId: first.networkTransactionId,
        },
      }),
    );
    assert.equal(later.outcome, "authorized");
  });
});

describe("3-D Secure", () => {
  async function challenge(redirectUrl: string, result: "approve" | "fail"): Promise<Record<string, string>> {
    const page = await fetch(redirectUrl);
    assert.equal(page.status, 200);
    const answer = await fetch(redirectUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `result=${result}`,
      redirect: "manual",
    });
    const location = new URL(answer.headers.get("location")!);
    return Object.fromEntries(location.searchParams);
  }

  for (const [answer, outcome] of [
    ["approve", "authorized"],
    ["fail", "declined"],
  ] as const) {
    test(`the shopper's ${answer} comes back through completeRedirect as ${outcome}`, async () => {
      const call = newCall();
      const request = authorizeRequest({
        card: card("4000002760003184"),
        returnUrl: "http://127.0.0.1:9/pay/return/pi_1",
      });
      const started = await connector.authorize(call, request);
      assert.ok(started.outcome === "requires_action");
      const params = await challenge(redirectUrlOf(started), answer);
      assert.ok(params.redirectResult);
      const completed = await connector.completeRedirect(call, {
        connectorReference: started.connectorReference,
        reference: request.reference,
        params,
      });
      assert.equal(completed.outcome, outcome);
      if (completed.outcome === "declined") assert.equal(completed.declineCode, "authentication_failed");
      if (completed.outcome === "authorized")
        assert.equal(completed.connectorReference, started.connectorReference);
      const again = await connector.completeRedirect(call, {
        connectorReference: started.connectorReference,
        reference: request.reference,
        params,
        amount: request.amount,
        currency: request.currency,
        capture: request.capture,
      });
      assert.equal(again.outcome, outcome);
    });
  }
});

describe("Google Pay gateway tokens", () => {
  function googlePayToken(
    call: CallContext,
    payload: Partial<TestCardPayload> = {},
    expired = false,
  ): string {
    return googlePay.issueToken({
      recipientId: sim.googlePayRecipientId,
      merchantPublicKeyUncompressedBase64: sim.googlePayPublicKey,
      gatewayMerchantId: String(call.account.config.merchant_account),
      payload: { pan: "4242424242424242", expMonth: 12, expYear: 2030, authMethod: "PAN_ONLY", ...payload },
      ...(expired ? { messageExpiration: new Date(Date.now() - 1000) } : {}),
    });
  }

  test("a token for gateway:adyen is authorized, and the AUTHORISATION webhook agrees", async () => {
    const call = newCall();
    const request = walletTokenRequest({
      walletToken: { wallet: "google_pay", token: googlePayToken(call) },
    });
    const result = await connector.authorizeWalletToken!(call, request);
    assert.ok(result.outcome === "authorized");
    assert.equal(result.amount, request.amount);
    assert.equal(result.captured, false);
    const event = await waitForEvent(call.account, about(request.reference));
    assert.ok(event.kind === "payment" && event.status.status === "authorized");
    assert.equal(event.connectorReference, result.connectorReference);
  });

  test("the card inside decides: a refusal is a decline, PAN_ONLY on the 3-D Secure card a redirect", async () => {
    const call = newCall();
    const refused = await connector.authorizeWalletToken!(
      call,
      walletTokenRequest({
        walletToken: { wallet: "google_pay", token: googlePayToken(call, { pan: "4000000000009995" }) },
      }),
    );
    assert.equal(refused.outcome === "declined" && refused.declineCode, "insufficient_funds");
    const redirected = await connector.authorizeWalletToken!(
      call,
      walletTokenRequest({
        walletToken: { wallet: "google_pay", token: googlePayToken(call, { pan: "4000002760003184" }) },
      }),
    );
    assert.equal(redirected.outcome, "requires_action");
  });

  test("an expired token, or one for another merchant account, is declined", async () => {
    const call = newCall();
    const expired = await connector.authorizeWalletToken!(
      call,
      walletTokenRequest({ walletToken: { wallet: "google_pay", token: googlePayToken(call, {}, true) } }),
    );
    assert.equal(expired.outcome === "declined" && expired.declineCode, "processing_error");
    const otherMerchant = await connector.authorizeWalletToken!(
      newCall(),
      walletTokenRequest({ walletToken: { wallet: "google_pay", token: googlePayToken(call) } }),
    );
    assert.equal(otherMerchant.outcome === "declined" && otherMerchant.declineCode, "processing_error");
  });
});

describe("faults never decline and never charge twice", () => {
  for (const status of [500, 503, 429] as const) {
    test(`authorize behind a ${status} is pending, and the retry charges once`, async () => {
      const call = newCall();
      await connector.authorize(call, authorizeRequest({ card: card("4242424242424242") })); // registers
      const before = sim.paymentCount(String(call.account.config.api_key));
      const request = authorizeRequest({ card: card("4242424242424242") });
      sim.injectFault({ kind: "status", status, match: "/v71/payments" });
      const result = await connector.authorize(call, request);
      assert.deepEqual(result, {
        outcome: "pending",
        reason: status === 429 ? "rate_limited" : `http_${status}`,
      });
      assert.equal((await connector.authorize(call, request)).outcome, "authorized");
      assert.equal(sim.paymentCount(String(call.account.config.api_key)), before + 1);
    });
  }

  test("reset after acting: pending, and sync replays the stored result of the same payment", async () => {
    const call = newCall();
    await connector.authorize(call, authorizeRequest({ card: card("4242424242424242") }));
    const before = sim.paymentCount(String(call.account.config.api_key));
    const request = authorizeRequest({ card: card("4242424242424242") });
    sim.injectFault({ kind: "reset", after: true, match: "/v71/payments" });
    assert.deepEqual(await connector.authorize(call, request), {
      outcome: "pending",
      reason: "network_error",
    });
    const synced = await connector.sync(call, { reference: request.reference });
    assert.equal(synced.status, "authorized");
    const event = await waitForEvent(call.account, about(request.reference));
    assert.equal(
      event.kind === "payment" && event.connectorReference,
      synced.status === "authorized" && synced.connectorReference,
    );
    assert.equal(sim.paymentCount(String(call.account.config.api_key)), before + 1);
  });

  test("a processor timeout is pending; the AUTHORISATION webhook settles it", async () => {
    const call = newCall();
    const request = authorizeRequest({ card: card("4000000000000408") });
    const result = await connector.authorize(call, request);
    assert.equal(result.outcome, "pending");
    const synced = await connector.sync(call, { reference: request.reference });
    assert.ok(synced.status === "pending" || synced.status === "authorized");
    const event = await waitForEvent(call.account, about(request.reference));
    assert.equal(event.kind === "payment" && event.status.status, "authorized");
  });
});

function card(number: string) {
  return { number, exp_month: 3, exp_year: 2030, cvc: "737", holder_name: "Jo Doe" };
}
