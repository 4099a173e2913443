/** The connector end to end against the local Stripe simulator, through the official SDK. */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, test } from "node:test";
import Stripe from "stripe";
import { type StripeSimulator, startStripeSimulator } from "../../../simulators/stripe/index.ts";
import type { AuthorizeRequest, CallContext, DeclineCode, InboundWebhook } from "../contract.ts";
import { redirectUrlOf } from "../contract.ts";
import { createStripeConnector, simulatorPublishableKey } from "./index.ts";
import { authorizeRequest, newCall, walletTokenRequest } from "./test-support.ts";

let sim: StripeSimulator;
let hooks: Server;
let hooksUrl: string;
const received: InboundWebhook[] = [];
const connector = createStripeConnector({ baseUrl: () => sim.url });

before(async () => {
  sim = await startStripeSimulator({ resolveAfterMs: 100, notificationRetryDelaysMs: [50] });
  hooks = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === "string") headers[name] = value;
      received.push({ rawBody: Buffer.concat(chunks), headers });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
  hooksUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
});
after(async () => {
  await sim.close();
  hooks.closeAllConnections();
  hooks.close();
});
afterEach(() => sim.clearFaults());

const call = (overrides: Partial<CallContext> = {}) => newCall({ timeoutMs: 3000, ...overrides });
const keyOf = (c: CallContext) => String(c.account.config.secret_key);
const card = (number: string): Partial<AuthorizeRequest> => ({
  card: { number, exp_month: 12, exp_year: 2040, cvc: "123" },
});

async function eventually<T>(probe: () => Promise<T | undefined>, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("payments against the Stripe simulator", () => {
  test("authorize, partial capture, refund, sync", async () => {
    const c = call();
    const request = authorizeRequest();
    const authorized = await connector.authorize(c, request);
    assert.equal(authorized.outcome, "authorized");
    assert.ok(authorized.outcome === "authorized");
    assert.equal(authorized.captured, false);
    assert.equal(authorized.amount, 1000n);
    const pi = authorized.connectorReference;

    const captured = await connector.capture(c, {
      reference: `${request.reference}_cp`,
      connectorReference: pi,
      amount: 600n,
      currency: "USD",
      final: true,
    });
    assert.deepEqual(captured, {
      outcome: "succeeded",
      connectorReference: pi,
      amount: 600n,
      currency: "usd",
    });

    const refunded = await connector.refund(c, {
      reference: `${request.reference}_rf`,
      connectorReference: pi,
      amount: 250n,
      currency: "USD",
    });
    assert.equal(refunded.outcome, "succeeded");

    const synced = await connector.sync(c, { reference: request.reference, connectorReference: pi });
    assert.deepEqual(synced, {
      status: "authorized",
      connectorReference: pi,
      amount: 1000n,
      currency: "usd",
      captured: true,
      capturedAmount: 600n,
    });
    assert.equal((await connector.sync(c, { reference: request.reference })).status, "authorized");
    if (refunded.outcome === "succeeded") {
      const refund = await connector.syncRefund(c, {
        reference: `${request.reference}_rf`,
        connectorReference: refunded.connectorReference,
      });
      assert.equal(refund.status, "succeeded");
      assert.equal(
        (await connector.syncRefund(c, { reference: `${request.reference}_rf` })).status,
        "succeeded",
      );
    }
  });

  test("automatic capture, void, and an over-refund", async () => {
    const c = call();
    const sale = await connector.authorize(c, authorizeRequest({ capture: true }));
    assert.equal(sale.outcome === "authorized" && sale.captured, true);
    assert.ok(sale.outcome === "authorized");
    const over = await connector.refund(c, {
      reference: "rf_over",
      connectorReference: sale.connectorReference,
      amount: 5000n,
      currency: "usd",
    });
    assert.equal(over.outcome, "failed");

    const auth = await connector.authorize(c, authorizeRequest());
    assert.ok(auth.outcome === "authorized");
    const voided = await connector.void(c, {
      reference: "vd_1",
      connectorReference: auth.connectorReference,
      amount: 1000n,
      currency: "usd",
    });
    assert.equal(voided.outcome, "succeeded");
    assert.deepEqual(
      await connector.sync(c, { reference: "x", connectorReference: auth.connectorReference }),
      {
        status: "voided",
        connectorReference: auth.connectorReference,
      },
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
  for (const [number, code] of declines) {
    test(`test card ${number} is declined: ${code}`, async () => {
      const result = await connector.authorize(call(), authorizeRequest(card(number)));
      assert.equal(result.outcome, "declined");
      assert.equal(result.outcome === "declined" && result.declineCode, code);
    });
  }

  test("3-D Secure: requires_action, approve on the simulator's page, then authorized", async () => {
    const c = call();
    const request = authorizeRequest(card("4000002760003184"));
    const result = await connector.authorize(c, request);
    assert.equal(result.outcome, "requires_action");
    assert.ok(result.outcome === "requires_action");
    const page = await (await fetch(redirectUrlOf(result))).text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1]?.replaceAll("&#38;", "&");
    assert.ok(action, "the page has a form");
    const answer = await fetch(new URL(action, redirectUrlOf(result)), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "result=approve",
      redirect: "manual",
    });
    assert.equal(answer.status >= 300 && answer.status < 400, true);
    assert.match(answer.headers.get("location") ?? "", /^http:\/\/127\.0\.0\.1\/return\?/);
    const synced = await connector.sync(c, {
      reference: request.reference,
      connectorReference: result.connectorReference,
    });
    assert.equal(synced.status, "authorized");
  });

  test("3-D Secure failed: authentication_failed", async () => {
    const c = call();
    const request = authorizeRequest(card("4000002760003184"));
    const result = await connector.authorize(c, request);
    assert.ok(result.outcome === "requires_action");
    const page = await (await fetch(redirectUrlOf(result))).text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1] ?? "";
    await fetch(new URL(action, redirectUrlOf(result)), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "result=fail",
      redirect: "manual",
    });
    const synced = await connector.sync(c, {
      reference: request.reference,
      connectorReference: result.connectorReference,
    });
    assert.equal(synced.status === "declined" && synced.declineCode, "authentication_failed");
  });

  test("a network token and a merchant-initiated payment with its transaction id", async () => {
    const c = call();
    const wallet = await connector.authorize(
      c,
      authorizeRequest({
        card: { number: "4895370012003478", exp_month: 12, exp_year: 2040 },
        networkToken: { wallet: "apple_pay", cryptogram: "AgAAAAAABk4DWZ4C28yUQAAAAAA=", eci: "05" },
        storedCredential: { sequence: "first", initiator: "customer" },
      }),
    );
    assert.equal(wallet.outcome, "authorized");
    const first = wallet.outcome === "authorized" ? wallet.networkTransactionId : undefined;
    const later = await connector.authorize(
      c,
      authorizeRequest({
        card: { number: "4895370012003478", exp_month: 12, exp_year: 2040 },
        storedCredential: {
          sequence: "subsequent",
          initiator: "merchant",
          networkTransactionId: first ?? "nti_1",
        },
      }),
    );
    assert.equal(later.outcome, "authorized");
  });
});

describe("Google Pay in PAYMENT_GATEWAY mode", () => {
  /** What Google's servers do with `stripe:publishableKey`: create a card token, handed to the page as JSON. */
  async function googlePayToken(c: CallContext, number = "4242424242424242"): Promise<string> {
    const stripe = new Stripe(simulatorPublishableKey(keyOf(c)), {
      host: sim.host,
      port: sim.port,
      protocol: "http",
      maxNetworkRetries: 0,
    });
    const token = await stripe.tokens.create({
      card: { number, exp_month: "12", exp_year: "2040", cvc: "123" },
    });
    return JSON.stringify(token);
  }
  const authorizeWalletToken = (c: CallContext, token: string, overrides = {}) => {
    assert.ok(connector.authorizeWalletToken);
    return connector.authorizeWalletToken(c, walletTokenRequest(token, overrides));
  };

  test("authorized with the token, captured later; the retry is the same payment", async () => {
    const c = call();
    const token = await googlePayToken(c);
    const request = walletTokenRequest(token);
    assert.ok(connector.authorizeWalletToken);
    const authorized = await connector.authorizeWalletToken(c, request);
    assert.ok(authorized.outcome === "authorized");
    assert.equal(authorized.captured, false);
    assert.equal(authorized.amount, 1000n);
    assert.match(authorized.networkTransactionId ?? "", /^\d{15}$/);
    assert.deepEqual(await connector.authorizeWalletToken(c, request), authorized);
    const captured = await connector.capture(c, {
      reference: `${request.reference}_cp`,
      connectorReference: authorized.connectorReference,
      amount: 1000n,
      currency: "usd",
      final: true,
    });
    assert.equal(captured.outcome, "succeeded");
    assert.equal(sim.paymentIntentCount(keyOf(c)), 1);
  });

  test("the same token for another payment is declined", async () => {
    const c = call();
    const token = await googlePayToken(c);
    assert.equal((await authorizeWalletToken(c, token, { capture: true })).outcome, "authorized");
    const again = await authorizeWalletToken(c, token);
    assert.equal(again.outcome === "declined" && again.declineCode, "processing_error");
    assert.equal(sim.paymentIntentCount(keyOf(c)), 1);
  });

  test("another account's token is declined", async () => {
    const token = await googlePayToken(call());
    const result = await authorizeWalletToken(call(), token);
    assert.equal(result.outcome === "declined" && result.declineCode, "processing_error");
  });

  test("the tokenized card's test behaviour: a decline and 3-D Secure", async () => {
    const c = call();
    const declined = await authorizeWalletToken(c, await googlePayToken(c, "4000000000000002"));
    assert.equal(declined.outcome === "declined" && declined.declineCode, "generic_decline");
    const challenged = await authorizeWalletToken(c, await googlePayToken(c, "4000002760003184"));
    assert.equal(challenged.outcome, "requires_action");
  });

  test("a token that is not Stripe's is declined as not supported", async () => {
    const result = await authorizeWalletToken(call(), '{"protocolVersion":"ECv2","signedMessage":"{}"}');
    assert.equal(result.outcome === "declined" && result.declineCode, "card_not_supported");
  });
});

describe("unknown is not failed", () => {
  test("a 500 before acting is pending, and the retry charges once", async () => {
    const c = call();
    const request = authorizeRequest();
    sim.injectFault({ kind: "status", status: 500 });
    assert.deepEqual(await connector.authorize(c, request), { outcome: "pending", reason: "http_500" });
    assert.equal((await connector.authorize(c, request)).outcome, "authorized");
    assert.equal(sim.paymentIntentCount(keyOf(c)), 1);
  });

  test("a reset after acting never charges twice", async () => {
    const c = call();
    const request = authorizeRequest();
    sim.injectFault({ kind: "reset", after: true });
    const first = await connector.authorize(c, request);
    const retry = await connector.authorize(c, request);
    assert.ok(first.outcome === "pending" || first.outcome === "authorized");
    assert.equal(retry.outcome, "authorized");
    assert.equal(sim.paymentIntentCount(keyOf(c)), 1);
  });

  // The simulator drops these connections unanswered; the SDK retries a dropped connection once by itself
  // (with our Idempotency-Key) after half a second, so a short deadline keeps the outcome unknown here.
  test("a timeout card is pending, and sync by reference finds the outcome later", async () => {
    const c = call({ timeoutMs: 300 });
    const request = authorizeRequest(card("4000000000000408"));
    const result = await connector.authorize(c, request);
    assert.equal(result.outcome, "pending");
    const synced = await eventually(async () => {
      const status = await connector.sync(c, { reference: request.reference });
      return status.status === "authorized" ? status : undefined;
    });
    assert.equal(synced.status, "authorized");
  });

  test("a timeout card that ends declined", async () => {
    const c = call({ timeoutMs: 300 });
    const request = authorizeRequest(card("4000000000000416"));
    assert.equal((await connector.authorize(c, request)).outcome, "pending");
    const synced = await eventually(async () => {
      const status = await connector.sync(c, { reference: request.reference });
      return status.status === "declined" ? status : undefined;
    });
    assert.equal(synced.status, "declined");
  });

  test("sync of a reference Stripe never saw is not_found", async () => {
    assert.deepEqual(await connector.sync(call(), { reference: "pa_never_sent" }), { status: "not_found" });
  });
});

describe("webhooks", () => {
  test("registered on first use; a signed event verifies and maps", async () => {
    const c = call({ notificationUrl: `${hooksUrl}/hooks/stripe` });
    const saved: Array<Record<string, unknown>> = [];
    c.saveConfig = async (patch) => {
      saved.push(patch);
      Object.assign(c.account.config, patch);
    };
    const request = authorizeRequest();
    const result = await connector.authorize(c, request);
    assert.equal(result.outcome, "authorized");
    assert.equal(saved.length, 1);
    assert.match(String(saved[0]?.webhook_secret), /^whsec_/);

    const verified = await eventually(async () => {
      for (const hook of received) {
        const outcome = await connector.verifyWebhook(c.account, hook, new Date());
        if (outcome.ok && outcome.event.kind === "payment" && outcome.event.reference === request.reference) {
          return outcome.event;
        }
      }
      return undefined;
    });
    assert.equal(verified.kind === "payment" && verified.status.status, "authorized");

    const tampered = received[0];
    assert.ok(tampered);
    const forged = {
      rawBody: Buffer.concat([tampered.rawBody, Buffer.from(" ")]),
      headers: tampered.headers,
    };
    assert.equal((await connector.verifyWebhook(c.account, forged, new Date())).ok, false);
  });
});
