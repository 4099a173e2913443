/**
 * The connector through the official SDK against a tiny local HTTP stub: what goes on the wire (form
 * fields, Idempotency-Key, host and port) and what each kind of answer or failure becomes.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, test } from "node:test";
import type { CallContext } from "../contract.ts";
import { createStripeConnector, STRIPE_WEBHOOK_EVENTS } from "./index.ts";
import {
  authorizeRequest,
  googlePayStripeToken,
  newCall,
  sampleCharge,
  samplePaymentIntent,
  sampleRefund,
  walletTokenRequest,
} from "./test-support.ts";

interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  form: Record<string, string>;
}
type Answer = [status: number, body: unknown] | "hang" | "reset" | "garbage";
type Handler = (request: Recorded) => Answer;

let server: Server;
let url: string;
let handler: Handler;
let requests: Recorded[];

function send(res: ServerResponse, answer: Answer): void {
  if (answer === "hang") return;
  if (answer === "reset") {
    res.socket?.destroy();
    return;
  }
  res.setHeader("content-type", "application/json");
  if (answer === "garbage") {
    res.end("<html>not json");
    return;
  }
  res.statusCode = answer[0];
  res.end(JSON.stringify(answer[1]));
}

before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const target = new URL(req.url ?? "/", "http://stub");
      const recorded: Recorded = {
        method: req.method ?? "",
        path: target.pathname,
        query: target.searchParams,
        headers: req.headers,
        form: Object.fromEntries(new URLSearchParams(body)),
      };
      requests.push(recorded);
      send(res, handler(recorded));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  requests = [];
  handler = () => [500, { error: { type: "api_error", message: "no handler" } }];
});

const connector = createStripeConnector({ baseUrl: () => url });
const error = (type: string, fields: Record<string, unknown> = {}) => ({
  error: { type, message: `${type} happened`, ...fields },
});
const intentFor = (reference: string, overrides: Record<string, unknown> = {}) =>
  samplePaymentIntent({ metadata: { payrail_reference: reference }, ...overrides });
const call = (overrides: Partial<CallContext> = {}, config: Record<string, unknown> = {}) =>
  newCall({ timeoutMs: 1500, ...overrides }, config);

describe("authorize on the wire", () => {
  test("form fields, Idempotency-Key, key and path", async () => {
    const c = call();
    const request = authorizeRequest();
    const latest = sampleCharge();
    (latest.payment_method_details as { card: Record<string, unknown> }).card.network_transaction_id =
      "nti_1";
    handler = () => [
      200,
      intentFor(request.reference, { status: "requires_capture", latest_charge: latest }),
    ];

    const result = await connector.authorize(c, request);

    assert.deepEqual(result, {
      outcome: "authorized",
      connectorReference: "pi_3Test",
      amount: 1000n,
      currency: "usd",
      captured: false,
      networkTransactionId: "nti_1",
    });
    assert.equal(requests.length, 1);
    const [sent] = requests;
    assert.ok(sent);
    assert.equal(sent.method, "POST");
    assert.equal(sent.path, "/v1/payment_intents");
    assert.equal(sent.headers["idempotency-key"], request.reference);
    assert.equal(sent.headers.authorization, `Bearer ${c.account.config.secret_key}`);
    assert.match(String(sent.headers["content-type"]), /^application\/x-www-form-urlencoded/);
    assert.deepEqual(sent.form, {
      amount: "1000",
      currency: "usd",
      confirm: "true",
      capture_method: "manual",
      "payment_method_data[type]": "card",
      "payment_method_data[card][number]": "4242424242424242",
      "payment_method_data[card][exp_month]": "12",
      "payment_method_data[card][exp_year]": "2040",
      "payment_method_data[card][cvc]": "123",
      "payment_method_data[billing_details][name]": "Ada Lovelace",
      return_url: "http://127.0.0.1/return",
      "metadata[payrail_reference]": request.reference,
      "metadata[payrail_payment_intent]": request.paymentIntentId,
      "expand[0]": "latest_charge",
      description: "Order 1",
    });
  });

  test("the account's base_url overrides the injected one; a trailing slash is fine", async () => {
    const elsewhere = createStripeConnector({ baseUrl: () => "http://127.0.0.1:9" });
    const request = authorizeRequest({ capture: true });
    handler = () => [200, intentFor(request.reference, { status: "succeeded", amount_received: 1000 })];
    const result = await elsewhere.authorize(call({}, { base_url: `${url}/` }), request);
    assert.equal(result.outcome === "authorized" && result.captured, true);
    assert.equal(requests[0]?.form.capture_method, "automatic");
  });

  test("an injected base URL with a path is refused before anything is sent", async () => {
    const withPath = createStripeConnector({ baseUrl: () => `${url}/stripe` });
    await assert.rejects(withPath.authorize(call(), authorizeRequest()), /origin without a path/);
    assert.equal(requests.length, 0);
  });

  test("network token and merchant-initiated stored credential fields", async () => {
    const request = authorizeRequest({
      card: { number: "4895370012003478", exp_month: 12, exp_year: 2030 },
      networkToken: { wallet: "google_pay", cryptogram: "AgAAAAAAAIR8CQrXcIhbQAAAAAA=", eci: "07" },
    });
    handler = () => [200, intentFor(request.reference, { status: "requires_capture" })];
    await connector.authorize(call(), request);
    const wallet = requests[0]?.form ?? {};
    assert.equal(wallet["payment_method_data[card][network_token][number]"], "4895370012003478");
    assert.equal(wallet["payment_method_data[card][network_token][tokenization_method]"], "google_pay_dpan");
    assert.equal("payment_method_data[card][number]" in wallet, false);
    assert.equal(
      wallet["payment_method_options[card][network_token][cryptogram]"],
      "AgAAAAAAAIR8CQrXcIhbQAAAAAA=",
    );
    assert.equal(wallet["payment_method_options[card][network_token][electronic_commerce_indicator]"], "07");
    assert.equal("payment_method_data[card][cvc]" in wallet, false);

    const mit = authorizeRequest({
      storedCredential: { sequence: "subsequent", initiator: "merchant", networkTransactionId: "nti_first" },
    });
    handler = () => [200, intentFor(mit.reference, { status: "requires_capture" })];
    await connector.authorize(call(), mit);
    assert.equal(requests[1]?.form.off_session, "true");
    assert.equal(
      requests[1]?.form["payment_method_options[card][mit_exemption][network_transaction_id]"],
      "nti_first",
    );
  });

  test("3-D Secure: requires_action with the redirect URL", async () => {
    const request = authorizeRequest();
    const next_action = {
      type: "redirect_to_url",
      redirect_to_url: { url: `${url}/3ds/pi_3Test`, return_url: "x" },
    };
    handler = () => [200, intentFor(request.reference, { status: "requires_action", next_action })];
    assert.deepEqual(await connector.authorize(call(), request), {
      outcome: "requires_action",
      connectorReference: "pi_3Test",
      action: { type: "redirect_to_url", url: `${url}/3ds/pi_3Test` },
    });
  });
});

describe("authorize answers and failures", () => {
  test("a 402 card error is a decline, with the payment intent it created", async () => {
    handler = () => [
      402,
      error("card_error", {
        code: "card_declined",
        decline_code: "insufficient_funds",
        payment_intent: intentFor("pa_x", { id: "pi_declined", status: "requires_payment_method" }),
      }),
    ];
    assert.deepEqual(await connector.authorize(call(), authorizeRequest()), {
      outcome: "declined",
      declineCode: "insufficient_funds",
      providerMessage: "card_error happened",
      connectorReference: "pi_declined",
    });
  });

  test("a 402 with only an error code maps the code", async () => {
    handler = () => [402, error("card_error", { code: "incorrect_cvc" })];
    const result = await connector.authorize(call(), authorizeRequest());
    assert.equal(result.outcome === "declined" && result.declineCode, "incorrect_cvc");
  });

  const unknowns: Array<[string, Answer, string]> = [
    ["500", [500, error("api_error")], "http_500"],
    ["503", [503, error("api_error")], "http_503"],
    ["429", [429, error("rate_limit_error")], "rate_limited"],
    ["429 lock_timeout", [429, error("invalid_request_error", { code: "lock_timeout" })], "lock_timeout"],
    [
      "409 key in use",
      [409, error("idempotency_error", { code: "idempotency_key_in_use" })],
      "idempotency_key_in_use",
    ],
    ["a malformed body", "garbage", "malformed_response"],
  ];
  for (const [name, answer, reason] of unknowns) {
    test(`${name} is pending: unknown is not failed`, async () => {
      handler = () => answer;
      assert.deepEqual(await connector.authorize(call(), authorizeRequest()), { outcome: "pending", reason });
    });
  }

  test("a connection reset is pending; the SDK's one retry carries the same Idempotency-Key", async () => {
    handler = () => "reset";
    const request = authorizeRequest();
    assert.deepEqual(await connector.authorize(call(), request), {
      outcome: "pending",
      reason: "network_error",
    });
    assert.ok(requests.length >= 1);
    for (const sent of requests) assert.equal(sent.headers["idempotency-key"], request.reference);
  });

  test("no answer within the call's timeout is pending", async () => {
    handler = () => "hang";
    const started = Date.now();
    assert.deepEqual(await connector.authorize(call({ timeoutMs: 200 }), authorizeRequest()), {
      outcome: "pending",
      reason: "timeout",
    });
    assert.ok(Date.now() - started < 1500, "abandoned at the deadline");
    server.closeAllConnections();
  });

  test("another 4xx is a bug: thrown, without card data in the message", async () => {
    handler = () => [
      400,
      error("invalid_request_error", {
        code: "parameter_unknown",
        param: "payment_method_data[card][number]",
        message: "Received unknown parameter: payment_method_data[card][number] (4242424242424242)",
      }),
    ];
    await assert.rejects(connector.authorize(call(), authorizeRequest()), (thrown: Error) => {
      assert.match(thrown.message, /stripe authorize: unexpected HTTP 400 \(parameter_unknown/);
      assert.doesNotMatch(thrown.message, /4242424242424242/);
      return true;
    });
  });

  test("a reused key with other parameters: found by search, else by listing", async () => {
    const request = authorizeRequest();
    handler = (r) => {
      if (r.method === "POST") return [400, error("idempotency_error")];
      if (r.path === "/v1/payment_intents/search")
        return [404, error("invalid_request_error", { code: "not_found" })];
      if (!r.query.get("starting_after")) {
        return [
          200,
          {
            object: "list",
            has_more: true,
            url: "/v1/payment_intents",
            data: [intentFor("pa_other", { id: "pi_a" })],
          },
        ];
      }
      assert.equal(r.query.get("starting_after"), "pi_a");
      const match = intentFor(request.reference, { id: "pi_b", status: "requires_capture" });
      return [200, { object: "list", has_more: false, url: "/v1/payment_intents", data: [match] }];
    };
    const result = await connector.authorize(call(), request);
    assert.equal(result.outcome === "authorized" && result.connectorReference, "pi_b");
    assert.deepEqual(
      requests.map((r) => `${r.method} ${r.path}`),
      [
        "POST /v1/payment_intents",
        "GET /v1/payment_intents/search",
        "GET /v1/payment_intents",
        "GET /v1/payment_intents",
      ],
    );
    assert.equal(requests[1]?.query.get("query"), `metadata['payrail_reference']:'${request.reference}'`);
  });
});

describe("Google Pay gateway tokens", () => {
  const authorizeWalletToken = (...args: Parameters<NonNullable<typeof connector.authorizeWalletToken>>) => {
    assert.ok(connector.authorizeWalletToken);
    return connector.authorizeWalletToken(...args);
  };
  const emptyList = [
    200,
    { object: "list", has_more: false, url: "/v1/payment_intents", data: [] },
  ] as Answer;

  test("the token id goes as payment_method_data[card][token], under our reference", async () => {
    const request = walletTokenRequest(googlePayStripeToken({ id: "tok_1Pgc7BB7WZ01zgkWptnajzKJ" }));
    handler = () => [200, intentFor(request.reference, { status: "requires_capture", latest_charge: null })];
    const result = await authorizeWalletToken(call(), request);
    assert.equal(result.outcome, "authorized");
    const [sent] = requests;
    assert.ok(sent);
    assert.equal(sent.path, "/v1/payment_intents");
    assert.equal(sent.headers["idempotency-key"], request.reference);
    assert.deepEqual(sent.form, {
      amount: "1000",
      currency: "usd",
      confirm: "true",
      capture_method: "manual",
      "payment_method_data[type]": "card",
      "payment_method_data[card][token]": "tok_1Pgc7BB7WZ01zgkWptnajzKJ",
      return_url: "http://127.0.0.1/return",
      "metadata[payrail_reference]": request.reference,
      "metadata[payrail_payment_intent]": request.paymentIntentId,
      "expand[0]": "latest_charge",
      description: "Order 1",
    });
  });

  test("a token that is not a Stripe token is declined without calling Stripe", async () => {
    const result = await authorizeWalletToken(call(), walletTokenRequest('{"signedMessage":"..."}'));
    assert.equal(result.outcome === "declined" && result.declineCode, "card_not_supported");
    assert.equal(requests.length, 0);
  });

  test("a decline maps as for a card", async () => {
    handler = () => [402, error("card_error", { code: "card_declined", decline_code: "stolen_card" })];
    const result = await authorizeWalletToken(call(), walletTokenRequest('{"id":"tok_1"}'));
    assert.equal(result.outcome === "declined" && result.declineCode, "stolen_card");
  });

  test("an unknown or expired token is a decline", async () => {
    handler = () => [400, error("invalid_request_error", { code: "resource_missing" })];
    const result = await authorizeWalletToken(call(), walletTokenRequest('{"id":"tok_1"}'));
    assert.equal(result.outcome === "declined" && result.declineCode, "processing_error");
    assert.equal(requests.length, 1);
  });

  test("a spent token: our own earlier payment if there is one, else a decline", async () => {
    const request = walletTokenRequest('{"id":"tok_1"}');
    let earlier = false;
    handler = (r) => {
      if (r.method === "POST") return [400, error("invalid_request_error", { code: "token_already_used" })];
      if (r.path === "/v1/payment_intents/search") return [404, error("invalid_request_error")];
      if (!earlier) return emptyList;
      const match = intentFor(request.reference, { id: "pi_earlier", status: "requires_capture" });
      return [200, { object: "list", has_more: false, url: "/v1/payment_intents", data: [match] }];
    };
    const declined = await authorizeWalletToken(call(), request);
    assert.equal(declined.outcome === "declined" && declined.declineCode, "processing_error");
    earlier = true;
    const found = await authorizeWalletToken(call(), request);
    assert.equal(found.outcome === "authorized" && found.connectorReference, "pi_earlier");
  });

  test("pending stays pending, and another refusal is a bug", async () => {
    handler = () => [503, error("api_error")];
    const pending = await authorizeWalletToken(call(), walletTokenRequest('{"id":"tok_1"}'));
    assert.deepEqual(pending, { outcome: "pending", reason: "http_503" });
    handler = () => [400, error("invalid_request_error", { code: "parameter_unknown" })];
    await assert.rejects(
      authorizeWalletToken(call(), walletTokenRequest('{"id":"tok_1"}')),
      /parameter_unknown/,
    );
  });
});

describe("capture, void, refund", () => {
  const modify = { reference: "cp_1", connectorReference: "pi_3Test", amount: 600n, currency: "USD" };

  test("capture sends amount_to_capture with its own reference", async () => {
    handler = () => [200, intentFor("pa_1", { status: "succeeded", amount_received: 600 })];
    const result = await connector.capture(call(), { ...modify, final: true });
    assert.deepEqual(result, {
      outcome: "succeeded",
      connectorReference: "pi_3Test",
      amount: 600n,
      currency: "usd",
    });
    assert.equal(requests[0]?.path, "/v1/payment_intents/pi_3Test/capture");
    assert.equal(requests[0]?.headers["idempotency-key"], "cp_1");
    assert.deepEqual(requests[0]?.form, { amount_to_capture: "600" });
  });

  test("capture in an unexpected state: already captured for our amount is a success, else a failure", async () => {
    let current = intentFor("pa_1", { status: "succeeded", amount_received: 600 });
    handler = (r) =>
      r.method === "POST"
        ? [400, error("invalid_request_error", { code: "payment_intent_unexpected_state" })]
        : [200, current];
    assert.equal((await connector.capture(call(), { ...modify, final: true })).outcome, "succeeded");
    assert.equal(requests[1]?.path, "/v1/payment_intents/pi_3Test");
    current = intentFor("pa_1", { status: "canceled" });
    assert.deepEqual(await connector.capture(call(), { ...modify, final: true }), {
      outcome: "failed",
      reason: "payment_intent_canceled",
    });
  });

  test("capture behind a timeout or 500 is pending with the payment intent", async () => {
    handler = () => [500, error("api_error")];
    assert.deepEqual(await connector.capture(call(), { ...modify, final: true }), {
      outcome: "pending",
      connectorReference: "pi_3Test",
      reason: "http_500",
    });
  });

  test("void cancels with its own reference", async () => {
    handler = () => [200, intentFor("pa_1", { status: "canceled", amount: 600 })];
    const result = await connector.void(call(), { ...modify, reference: "vd_1" });
    assert.equal(result.outcome, "succeeded");
    assert.equal(requests[0]?.path, "/v1/payment_intents/pi_3Test/cancel");
    assert.equal(requests[0]?.headers["idempotency-key"], "vd_1");
  });

  test("refund sends the payment intent, amount and our reference", async () => {
    handler = () => [
      200,
      sampleRefund({ status: "succeeded", amount: 600, metadata: { payrail_reference: "rf_1" } }),
    ];
    const result = await connector.refund(call(), { ...modify, reference: "rf_1" });
    assert.deepEqual(result, {
      outcome: "succeeded",
      connectorReference: "re_3Test",
      amount: 600n,
      currency: "usd",
    });
    assert.equal(requests[0]?.path, "/v1/refunds");
    assert.equal(requests[0]?.headers["idempotency-key"], "rf_1");
    assert.deepEqual(requests[0]?.form, {
      payment_intent: "pi_3Test",
      amount: "600",
      "metadata[payrail_reference]": "rf_1",
    });
  });

  test("an over-refund is a definite failure", async () => {
    handler = () => [400, error("invalid_request_error", { code: "amount_too_large", param: "amount" })];
    assert.deepEqual(await connector.refund(call(), { ...modify, reference: "rf_2" }), {
      outcome: "failed",
      reason: "amount_too_large",
      providerMessage: "invalid_request_error happened",
    });
  });

  test("a refund with a reused key is looked up among the payment intent's refunds", async () => {
    handler = (r) =>
      r.method === "POST"
        ? [400, error("idempotency_error")]
        : [
            200,
            {
              object: "list",
              has_more: false,
              url: "/v1/refunds",
              data: [
                sampleRefund({ status: "pending", amount: 600, metadata: { payrail_reference: "rf_3" } }),
              ],
            },
          ];
    assert.deepEqual(await connector.refund(call(), { ...modify, reference: "rf_3" }), {
      outcome: "pending",
      connectorReference: "re_3Test",
      reason: "refund_pending",
    });
    assert.equal(requests[1]?.query.get("payment_intent"), "pi_3Test");
  });
});

describe("sync", () => {
  test("by Stripe id, with the latest charge expanded", async () => {
    handler = () => [200, intentFor("pa_1", { status: "requires_capture" })];
    const status = await connector.sync(call(), { reference: "pa_1", connectorReference: "pi_3Test" });
    assert.equal(status.status, "authorized");
    assert.equal(requests[0]?.path, "/v1/payment_intents/pi_3Test");
    assert.equal(requests[0]?.query.get("expand[0]"), "latest_charge");
  });

  test("an unknown id is not_found; a 500 is pending", async () => {
    handler = () => [404, error("invalid_request_error", { code: "resource_missing" })];
    assert.deepEqual(await connector.sync(call(), { reference: "pa_1", connectorReference: "pi_x" }), {
      status: "not_found",
    });
    handler = () => [500, error("api_error")];
    assert.deepEqual(await connector.sync(call(), { reference: "pa_1", connectorReference: "pi_x" }), {
      status: "pending",
      connectorReference: "pi_x",
    });
  });

  test("by reference: search finds it", async () => {
    handler = () => [
      200,
      {
        object: "search_result",
        has_more: false,
        url: "/v1/payment_intents/search",
        data: [intentFor("pa_9")],
      },
    ];
    const status = await connector.sync(call(), { reference: "pa_9" });
    assert.equal(status.status, "pending");
    assert.equal(requests.length, 1);
  });

  test("by reference: nothing anywhere is not_found", async () => {
    handler = (r) => [
      200,
      {
        object: r.path.endsWith("/search") ? "search_result" : "list",
        has_more: false,
        url: r.path,
        data: [],
      },
    ];
    assert.deepEqual(await connector.sync(call(), { reference: "pa_none" }), { status: "not_found" });
    assert.equal(requests.length, 2);
  });

  test("refunds by id and by reference", async () => {
    handler = () => [200, sampleRefund({ status: "succeeded" })];
    assert.equal(
      (await connector.syncRefund(call(), { reference: "rf_1", connectorReference: "re_3Test" })).status,
      "succeeded",
    );
    assert.equal(requests[0]?.path, "/v1/refunds/re_3Test");
    handler = () => [200, { object: "list", has_more: false, url: "/v1/refunds", data: [sampleRefund()] }];
    assert.equal((await connector.syncRefund(call(), { reference: "rf_1" })).status, "succeeded");
    assert.deepEqual(await connector.syncRefund(call(), { reference: "rf_unknown" }), {
      status: "not_found",
    });
  });
});

describe("webhook endpoint registration", () => {
  const endpoint = { id: "we_1", object: "webhook_endpoint", secret: "whsec_registered0123456789" };

  function registering(fail = 0): Handler {
    let failures = fail;
    return (r) => {
      if (r.path === "/v1/webhook_endpoints") {
        if (failures-- > 0) return [500, error("api_error")];
        return [200, endpoint];
      }
      return [200, intentFor(r.form["metadata[payrail_reference]"] ?? "", { status: "requires_capture" })];
    };
  }

  test("registered once before the first payments of an account, even when they run together", async () => {
    handler = registering();
    const saved: Array<Record<string, unknown>> = [];
    const c = call({ saveConfig: async (patch) => void saved.push(patch) });
    const results = await Promise.all([1, 2, 3].map(() => connector.authorize(c, authorizeRequest())));
    await connector.authorize(c, authorizeRequest());
    assert.ok(results.every((r) => r.outcome === "authorized"));
    const registrations = requests.filter((r) => r.path === "/v1/webhook_endpoints");
    assert.equal(registrations.length, 1);
    assert.deepEqual(saved, [{ webhook_secret: endpoint.secret }]);
    const form = registrations[0]?.form ?? {};
    assert.equal(form.url, c.notificationUrl);
    assert.deepEqual(
      Object.keys(form)
        .filter((k) => k.startsWith("enabled_events"))
        .map((k) => form[k]),
      [...STRIPE_WEBHOOK_EVENTS],
    );
    assert.match(
      String(registrations[0]?.headers["idempotency-key"]),
      /^payrail_webhook_endpoint_[0-9a-f]{32}$/,
    );
  });

  test("not registered when the account has a secret, or nothing can save one", async () => {
    handler = registering();
    await connector.authorize(
      call({ saveConfig: async () => {} }, { webhook_secret: "whsec_have_one_already" }),
      authorizeRequest(),
    );
    await connector.authorize(call(), authorizeRequest());
    assert.equal(requests.filter((r) => r.path === "/v1/webhook_endpoints").length, 0);
  });

  test("a failed registration does not stop the payment, and is tried again next time", async () => {
    handler = registering(1);
    const saved: Array<Record<string, unknown>> = [];
    const c = call({ saveConfig: async (patch) => void saved.push(patch) });
    assert.equal((await connector.authorize(c, authorizeRequest())).outcome, "authorized");
    assert.equal(saved.length, 0);
    assert.equal((await connector.authorize(c, authorizeRequest())).outcome, "authorized");
    assert.deepEqual(saved, [{ webhook_secret: endpoint.secret }]);
    const keys = requests
      .filter((r) => r.path === "/v1/webhook_endpoints")
      .map((r) => r.headers["idempotency-key"]);
    assert.equal(keys.length, 2);
    assert.equal(keys[0], keys[1]);
  });
});
