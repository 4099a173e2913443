/** The connector's wire behaviour, checked against a local stub HTTP server. */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { createAdyenConnector } from "./index.ts";
import {
  API_KEY,
  authorizeRequest,
  MERCHANT,
  newCall,
  type RecordedRequest,
  type Stub,
  type StubReply,
  startStub,
  walletTokenRequest,
} from "./test-support.ts";

let stub: Stub;
const registrationErrors: unknown[] = [];
const connector = createAdyenConnector({
  baseUrl: () => stub.url,
  onRegistrationError: (error) => registrationErrors.push(error),
});

function authorised(request: RecordedRequest): StubReply {
  return {
    status: 200,
    body: {
      pspReference: "PSP0000000000001",
      resultCode: "Authorised",
      merchantReference: request.body.reference,
      additionalData: { networkTxReference: "NTX123" },
    },
  };
}

before(async () => {
  stub = await startStub(authorised);
});
after(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
  stub.queue.length = 0;
  stub.handler = authorised;
  registrationErrors.length = 0;
});

describe("authorize", () => {
  test("sends the API key, our reference as Idempotency-Key, and the card", async () => {
    const call = newCall();
    const request = authorizeRequest();
    const result = await connector.authorize(call, request);
    assert.deepEqual(result, {
      outcome: "authorized",
      connectorReference: "PSP0000000000001",
      amount: 1000n,
      currency: "eur",
      captured: false,
      networkTransactionId: "NTX123",
    });
    assert.equal(stub.requests.length, 1);
    const [sent] = stub.requests;
    assert.equal(sent!.method, "POST");
    assert.equal(sent!.path, "/v71/payments");
    assert.equal(sent!.headers["x-api-key"], API_KEY);
    assert.equal(sent!.headers["idempotency-key"], request.reference);
    assert.equal(sent!.headers["content-type"], "application/json");
    assert.equal(sent!.body.reference, request.reference);
    assert.equal(sent!.body.merchantAccount, MERCHANT);
    assert.deepEqual(sent!.body.amount, { value: 1000, currency: "EUR" });
    assert.deepEqual(sent!.body.paymentMethod, {
      type: "scheme",
      number: "4111111111111111",
      expiryMonth: "03",
      expiryYear: "2030",
      cvc: "737",
      holderName: "Ada Lovelace",
    });
    assert.deepEqual(sent!.body.additionalData, { manualCapture: "true" });
    assert.equal(sent!.body.returnUrl, request.returnUrl);
  });

  test("automatic capture: captured at once", async () => {
    const result = await connector.authorize(newCall(), authorizeRequest({ capture: true }));
    assert.equal(result.outcome === "authorized" && result.captured, true);
    assert.equal(stub.requests[0]!.body.additionalData, undefined);
  });

  const unknowns: Array<[string, StubReply, string]> = [
    [
      "500",
      { status: 500, body: { status: 500, errorCode: "905", message: "x", errorType: "configuration" } },
      "http_500",
    ],
    ["503 without a body", { status: 503 }, "http_503"],
    ["429", { status: 429, body: {} }, "rate_limited"],
    ["a reset connection", { kind: "reset" }, "network_error"],
    ["a 200 that is not JSON", { kind: "raw", status: 200, text: "<html>" }, "malformed_response"],
    ["a 200 without resultCode", { status: 200, body: { pspReference: "X" } }, "malformed_response"],
    [
      "a request still in progress (704)",
      {
        status: 409,
        body: { status: 409, errorCode: "704", message: "request already processed or in progress" },
      },
      "in_progress",
    ],
    [
      "a key used before with another body (704)",
      {
        status: 422,
        body: {
          status: 422,
          errorCode: "704",
          message: "Idempotency-Key was already used for a request with a different body",
        },
      },
      "idempotency_key_reused",
    ],
    [
      "a transient error",
      { status: 422, body: { status: 422, errorCode: "000" }, headers: { "transient-error": "true" } },
      "in_progress",
    ],
  ];
  for (const [name, reply, reason] of unknowns) {
    test(`${name} is pending, never a decline`, async () => {
      stub.queue.push(reply);
      assert.deepEqual(await connector.authorize(newCall(), authorizeRequest()), {
        outcome: "pending",
        reason,
      });
    });
  }

  test("no answer within the timeout is pending", async () => {
    stub.queue.push({ kind: "hang" });
    const result = await connector.authorize(newCall({ timeoutMs: 150 }), authorizeRequest());
    assert.deepEqual(result, { outcome: "pending", reason: "timeout" });
  });

  test("a 422 on the card number is a decline", async () => {
    stub.queue.push({
      status: 422,
      body: { status: 422, errorCode: "101", message: "Invalid card number", errorType: "validation" },
    });
    assert.deepEqual(await connector.authorize(newCall(), authorizeRequest()), {
      outcome: "declined",
      declineCode: "incorrect_number",
      providerMessage: "Invalid card number",
    });
  });

  test("any other 422 is our bug: it throws, without card data in the message", async () => {
    const request = authorizeRequest();
    stub.queue.push({
      status: 422,
      body: {
        status: 422,
        errorCode: "14_030",
        message: `Return URL is missing for ${request.card.number}`,
        errorType: "validation",
      },
    });
    await assert.rejects(connector.authorize(newCall(), request), (error: Error) => {
      assert.match(error.message, /adyen authorize: unexpected HTTP 422 \(14_030/);
      assert.doesNotMatch(error.message, /4111111111111111/);
      return true;
    });
  });

  test("a bad API key throws", async () => {
    stub.queue.push({ status: 401, body: { status: 401, errorCode: "000", errorType: "security" } });
    await assert.rejects(connector.authorize(newCall(), authorizeRequest()), /unexpected HTTP 401/);
  });

  test("a redirect is requires_action; the return completes it through /payments/details", async () => {
    const call = newCall();
    const request = authorizeRequest({ capture: true });
    stub.queue.push({
      status: 200,
      body: {
        pspReference: "PSP3DS0000000001",
        resultCode: "RedirectShopper",
        action: { type: "redirect", method: "GET", url: "https://issuer.example/3ds?token=t1" },
      },
    });
    assert.deepEqual(await connector.authorize(call, request), {
      outcome: "requires_action",
      connectorReference: "PSP3DS0000000001",
      action: { type: "redirect_to_url", url: "https://issuer.example/3ds?token=t1" },
    });
    assert.equal(stub.requests[0]!.body.redirectFromIssuerMethod, "GET");

    stub.queue.push({
      status: 200,
      body: {
        pspReference: "PSP3DS0000000001",
        resultCode: "Authorised",
        merchantReference: request.reference,
      },
    });
    const completed = await connector.completeRedirect(call, {
      connectorReference: "PSP3DS0000000001",
      reference: request.reference,
      params: { redirectResult: "X6XtfGC3!Y..." },
    });
    assert.equal(completed.outcome, "authorized");
    assert.equal(completed.outcome === "authorized" && completed.captured, true);
    const details = stub.requests[1]!;
    assert.equal(details.path, "/v71/payments/details");
    assert.deepEqual(details.body, { details: { redirectResult: "X6XtfGC3!Y..." } });
    assert.match(String(details.headers["idempotency-key"]), /^details-[0-9a-f]{48}$/);
    assert.equal(details.headers["x-api-key"], API_KEY);
  });

  test("completeRedirect without a redirect result, or without knowing the authorization, waits", async () => {
    const call = newCall();
    const pending = await connector.completeRedirect(call, {
      connectorReference: "P",
      reference: "unknown_ref",
      params: { redirectResult: "abc" },
    });
    assert.equal(pending.outcome === "pending" && pending.reason, "authorization_unknown");
    const missing = await connector.completeRedirect(call, {
      connectorReference: "P",
      reference: "r",
      params: {},
      amount: 1n,
      currency: "eur",
      capture: false,
    });
    assert.equal(missing.outcome === "pending" && missing.reason, "missing_redirect_result");
    assert.equal(stub.requests.length, 0);
  });

  test("completeRedirect with the authorization given, and a refusal", async () => {
    stub.queue.push({
      status: 200,
      body: {
        pspReference: "P1",
        resultCode: "Refused",
        refusalReason: "3D Not Authenticated",
        refusalReasonCode: "11",
      },
    });
    const result = await connector.completeRedirect(newCall(), {
      connectorReference: "P1",
      reference: "ref_given",
      params: { redirectResult: "abc" },
      amount: 500n,
      currency: "usd",
      capture: false,
    });
    assert.deepEqual(result, {
      outcome: "declined",
      declineCode: "authentication_failed",
      providerMessage: "3D Not Authenticated",
      connectorReference: "P1",
    });
  });
});

describe("authorizeWalletToken", () => {
  test("posts the Google Pay token with our reference as Idempotency-Key and maps the answer", async () => {
    const request = walletTokenRequest({ capture: true });
    const result = await connector.authorizeWalletToken!(newCall(), request);
    assert.deepEqual(result, {
      outcome: "authorized",
      connectorReference: "PSP0000000000001",
      amount: 1000n,
      currency: "eur",
      captured: true,
      networkTransactionId: "NTX123",
    });
    const [sent] = stub.requests;
    assert.equal(sent!.path, "/v71/payments");
    assert.equal(sent!.headers["idempotency-key"], request.reference);
    assert.deepEqual(sent!.body.paymentMethod, {
      type: "googlepay",
      googlePayToken: request.walletToken.token,
    });
    assert.equal(sent!.body.merchantAccount, MERCHANT);
    assert.equal(sent!.body.returnUrl, request.returnUrl);
  });

  test("a token Adyen cannot verify is a decline", async () => {
    stub.queue.push({
      status: 422,
      body: {
        status: 422,
        errorCode: "5_208",
        message: "PayWithGoogle token already expired",
        errorType: "validation",
      },
    });
    assert.deepEqual(await connector.authorizeWalletToken!(newCall(), walletTokenRequest()), {
      outcome: "declined",
      declineCode: "processing_error",
      providerMessage: "PayWithGoogle token already expired",
    });
  });

  test("after a timeout, sync sends the same token again under the same key", async () => {
    const call = newCall({ timeoutMs: 150 });
    const request = walletTokenRequest();
    stub.queue.push({ kind: "hang" });
    assert.deepEqual(await connector.authorizeWalletToken!(call, request), {
      outcome: "pending",
      reason: "timeout",
    });
    const status = await connector.sync(call, { reference: request.reference, connectorReference: null });
    assert.equal(status.status, "authorized");
    const [first, again] = stub.requests;
    assert.deepEqual(again!.body, first!.body);
    assert.equal(again!.headers["idempotency-key"], request.reference);
  });
});

describe("sync", () => {
  test("after a timeout, the same request goes again with the same key, and Adyen's stored result counts", async () => {
    const call = newCall();
    const request = authorizeRequest();
    stub.queue.push({ kind: "hang" });
    const first = await connector.authorize({ ...call, timeoutMs: 150 }, request);
    assert.deepEqual(first, { outcome: "pending", reason: "timeout" });
    const status = await connector.sync(call, { reference: request.reference });
    assert.deepEqual(status, {
      status: "authorized",
      connectorReference: "PSP0000000000001",
      amount: 1000n,
      currency: "eur",
      captured: false,
      capturedAmount: 0n,
    });
    const [original, replay] = stub.requests;
    assert.equal(replay!.headers["idempotency-key"], original!.headers["idempotency-key"]);
    assert.deepEqual(replay!.body, original!.body);
    // Once known, the card data is forgotten: a further sync asks nothing.
    assert.deepEqual(
      await connector.sync(call, { reference: request.reference, connectorReference: "PSP0000000000001" }),
      {
        status: "pending",
        connectorReference: "PSP0000000000001",
      },
    );
    assert.equal(stub.requests.length, 2);
  });

  test("a sync that meets another fault stays pending and may try again", async () => {
    const call = newCall();
    const request = authorizeRequest();
    stub.queue.push({ status: 502 }, { status: 503 });
    await connector.authorize(call, request);
    assert.deepEqual(await connector.sync(call, { reference: request.reference }), {
      status: "pending",
      connectorReference: undefined,
    });
    const settled = await connector.sync(call, { reference: request.reference });
    assert.equal(settled.status, "authorized");
  });

  test("nothing remembered (another process, a restart, a redirect): pending, no call", async () => {
    assert.deepEqual(await connector.sync(newCall(), { reference: "pi_x_a1", connectorReference: "PSPX" }), {
      status: "pending",
      connectorReference: "PSPX",
    });
    assert.deepEqual(await connector.syncRefund(newCall(), { reference: "re_1", connectorReference: "R1" }), {
      status: "pending",
      connectorReference: "R1",
    });
    assert.equal(stub.requests.length, 0);
  });

  test("a replayed refusal is a decline", async () => {
    const call = newCall();
    const request = authorizeRequest();
    stub.queue.push(
      { status: 500 },
      { status: 200, body: { pspReference: "P9", resultCode: "Refused", refusalReason: "Expired Card" } },
    );
    await connector.authorize(call, request);
    assert.deepEqual(await connector.sync(call, { reference: request.reference }), {
      status: "declined",
      declineCode: "expired_card",
      connectorReference: "P9",
      providerMessage: "Expired Card",
    });
  });
});

describe("modifications", () => {
  const ops = [
    ["capture", "captures", true, "CAPTURE"],
    ["void", "cancels", false, "CANCELLATION"],
    ["refund", "refunds", true, "REFUND"],
    ["reverse", "reversals", false, "CANCEL_OR_REFUND"],
  ] as const;
  for (const [op, path, withAmount, event] of ops) {
    test(`${op}: POST /v71/payments/{psp}/${path}, received → pending until ${event}`, async () => {
      stub.handler = (r) => ({
        status: 201,
        body: {
          merchantAccount: MERCHANT,
          paymentPspReference: "PAY0000000000001",
          pspReference: "MOD0000000000001",
          reference: r.body.reference,
          status: "received",
          ...(r.body.amount ? { amount: r.body.amount } : {}),
        },
      });
      const request = {
        reference: `${op}_ref_1`,
        connectorReference: "PAY0000000000001",
        amount: 400n,
        currency: "eur",
      };
      const result = await connector[op](newCall(), { ...request, final: true });
      assert.deepEqual(result, {
        outcome: "pending",
        connectorReference: "MOD0000000000001",
        reason: `awaiting ${event} webhook`,
      });
      const [sent] = stub.requests;
      assert.equal(sent!.path, `/v71/payments/PAY0000000000001/${path}`);
      assert.equal(sent!.headers["idempotency-key"], `${op}_ref_1`);
      assert.equal(sent!.headers["x-api-key"], API_KEY);
      assert.deepEqual(sent!.body, {
        merchantAccount: MERCHANT,
        reference: `${op}_ref_1`,
        ...(withAmount ? { amount: { value: 400, currency: "EUR" } } : {}),
      });
    });
  }

  test("faults leave a modification pending", async () => {
    stub.queue.push({ status: 500 }, { kind: "reset" });
    const request = {
      reference: "cap_2",
      connectorReference: "PAY1",
      amount: 1n,
      currency: "eur",
      final: false,
    };
    assert.deepEqual(await connector.capture(newCall(), request), {
      outcome: "pending",
      connectorReference: "PAY1",
      reason: "http_500",
    });
    assert.deepEqual(await connector.refund(newCall(), request), {
      outcome: "pending",
      connectorReference: undefined,
      reason: "network_error",
    });
  });

  test("Adyen refusing the request is a definite failure", async () => {
    stub.queue.push(
      {
        status: 422,
        body: { status: 422, errorCode: "167", message: "Original pspReference required for this operation" },
      },
      { status: 404, body: { status: 404, errorCode: "000", message: "Not found" } },
    );
    const request = { reference: "ref_3", connectorReference: "PAY1", amount: 1n, currency: "eur" };
    assert.deepEqual(await connector.refund(newCall(), request), {
      outcome: "failed",
      reason: "adyen_167",
      providerMessage: "Original pspReference required for this operation",
    });
    assert.deepEqual(await connector.void(newCall(), request), {
      outcome: "failed",
      reason: "payment_not_found",
      providerMessage: "Not found",
    });
  });
});

describe("webhook registration", () => {
  function registrationHandler(request: RecordedRequest): StubReply {
    if (request.path === `/v3/merchants/${MERCHANT}/webhooks`)
      return { status: 200, body: { id: "S2-6A6F6E", ...request.body } };
    if (request.path === `/v3/merchants/${MERCHANT}/webhooks/S2-6A6F6E/generateHmac`) {
      return { status: 200, body: { hmacKey: "A".repeat(64) } };
    }
    return authorised(request);
  }

  test("the first payments of an account without an HMAC key register once, then store the key", async () => {
    stub.handler = registrationHandler;
    const saved: Array<Record<string, unknown>> = [];
    const call = newCall({ saveConfig: async (patch) => void saved.push(patch) }, { hmac_key: undefined });
    const results = await Promise.all([1, 2, 3].map(() => connector.authorize(call, authorizeRequest())));
    assert.ok(results.every((r) => r.outcome === "authorized"));
    await connector.authorize(call, authorizeRequest());

    const paths = stub.requests.map((r) => r.path);
    assert.equal(paths.filter((p) => p.includes("/webhooks")).length, 2);
    assert.equal(paths.filter((p) => p === "/v71/payments").length, 4);
    const create = stub.requests.find((r) => r.path.endsWith("/webhooks"))!;
    assert.equal(create.headers["x-api-key"], API_KEY);
    assert.deepEqual(create.body, {
      type: "standard",
      url: call.notificationUrl,
      active: true,
      communicationFormat: "json",
    });
    assert.deepEqual(saved, [
      { webhook_id: "S2-6A6F6E" },
      { hmac_key: "A".repeat(64), webhook_id: "S2-6A6F6E" },
    ]);
    assert.deepEqual(registrationErrors, []);
  });

  test("with a webhook id already stored, only the key is generated", async () => {
    stub.handler = registrationHandler;
    const saved: Array<Record<string, unknown>> = [];
    const call = newCall(
      { saveConfig: async (patch) => void saved.push(patch) },
      { hmac_key: undefined, webhook_id: "S2-6A6F6E" },
    );
    await connector.authorize(call, authorizeRequest());
    assert.deepEqual(
      stub.requests.map((r) => r.path),
      [`/v3/merchants/${MERCHANT}/webhooks/S2-6A6F6E/generateHmac`, "/v71/payments"],
    );
    assert.deepEqual(saved, [{ hmac_key: "A".repeat(64), webhook_id: "S2-6A6F6E" }]);
  });

  test("a failed registration does not stop the payment, and the next one retries", async () => {
    const saved: Array<Record<string, unknown>> = [];
    const call = newCall({ saveConfig: async (patch) => void saved.push(patch) }, { hmac_key: undefined });
    stub.queue.push({ status: 500 });
    assert.equal((await connector.authorize(call, authorizeRequest())).outcome, "authorized");
    assert.equal(registrationErrors.length, 1);
    assert.deepEqual(saved, []);
    stub.handler = registrationHandler;
    await connector.authorize(call, authorizeRequest());
    assert.equal(saved.length, 2);
  });

  test("no registration without saveConfig, or with a key already", async () => {
    await connector.authorize(newCall({}, { hmac_key: undefined }), authorizeRequest());
    await connector.authorize(newCall({ saveConfig: async () => {} }), authorizeRequest());
    assert.deepEqual(
      stub.requests.map((r) => r.path),
      ["/v71/payments", "/v71/payments"],
    );
  });
});
