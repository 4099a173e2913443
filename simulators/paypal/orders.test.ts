import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { PayPalSimulator } from "./index.ts";
import {
  approvedOrder,
  basic,
  buyer,
  call,
  createOrder,
  manualClock,
  newApp,
  newToken,
  orderBody,
  startTestSimulator,
  type TestApp,
} from "./test-support.ts";

const HOUR = 3600_000;

const clock = manualClock();
let sim: PayPalSimulator;
before(async () => {
  sim = await startTestSimulator({ now: clock.now });
});
after(() => sim.close());

describe("paypal simulator: Orders v2", () => {
  let app: TestApp;
  before(async () => {
    app = await newApp(sim);
  });

  it("creates an order: minimal answer with an approve link to the buyer page", async () => {
    const created = await call(sim, app, "POST", "/v2/checkout/orders", orderBody());
    assert.equal(created.status, 201);
    assert.match(created.json.id, /^[0-9A-Z]{17}$/);
    assert.equal(created.json.status, "CREATED");
    assert.equal(created.json.purchase_units, undefined);
    const rels = created.json.links.map((l: { rel: string }) => l.rel);
    assert.deepEqual(rels, ["self", "approve", "update", "capture"]);
    const approve = created.json.links.find((l: { rel: string }) => l.rel === "approve");
    assert.equal(approve.href, `${sim.url}/checkoutnow?token=${created.json.id}`);
    const page = await fetch(approve.href);
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(created.json.id));

    const shown = await call(sim, app, "GET", `/v2/checkout/orders/${created.json.id}`);
    assert.equal(shown.status, 200);
    assert.equal(shown.json.intent, "CAPTURE");
    assert.equal(shown.json.purchase_units[0].reference_id, "default");
    assert.deepEqual(shown.json.purchase_units[0].amount, { currency_code: "USD", value: "100.00" });
    assert.equal(shown.json.purchase_units[0].custom_id, "cart-42");
    assert.equal(shown.json.purchase_units[0].payee.merchant_id, app.merchantId);
  });

  it("answers payer-action and PAYER_ACTION_REQUIRED for payment_source.paypal.experience_context orders", async () => {
    const created = await call(
      sim,
      app,
      "POST",
      "/v2/checkout/orders",
      {
        intent: "CAPTURE",
        purchase_units: [{ amount: { currency_code: "EUR", value: "12.5" } }],
        payment_source: {
          paypal: {
            experience_context: {
              return_url: "https://shop.example/ok",
              cancel_url: "https://shop.example/no",
            },
          },
        },
      },
      { prefer: "return=representation" },
    );
    assert.equal(created.status, 201);
    assert.equal(created.json.status, "PAYER_ACTION_REQUIRED");
    assert.ok(created.json.links.some((l: { rel: string }) => l.rel === "payer-action"));
    assert.equal(created.json.purchase_units[0].amount.value, "12.50");
    const approved = await buyer(sim, "approve", created.json.id);
    assert.equal(approved.status, 302);
    const location = new URL(approved.location ?? "");
    assert.equal(location.origin + location.pathname, "https://shop.example/ok");
    assert.equal(location.searchParams.get("token"), created.json.id);
    assert.match(location.searchParams.get("PayerID") ?? "", /^[2-9A-HJ-NP-Z]{13}$/);
  });

  it("replays a PayPal-Request-Id: the same order, answered 200", async () => {
    const headers = { "paypal-request-id": "order-req-1" };
    const first = await call(sim, app, "POST", "/v2/checkout/orders", orderBody(), headers);
    const second = await call(sim, app, "POST", "/v2/checkout/orders", orderBody(), headers);
    assert.equal(first.status, 201);
    assert.equal(second.status, 200);
    assert.equal(second.json.id, first.json.id);
  });

  it("rejects requests that violate the spec with INVALID_REQUEST details", async () => {
    const missing = await call(sim, app, "POST", "/v2/checkout/orders", {
      purchase_units: [{ amount: { currency_code: "USD", value: "1.x" } }],
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.name, "INVALID_REQUEST");
    assert.match(missing.json.debug_id, /^[0-9a-f]{13}$/);
    const byField = Object.fromEntries(missing.json.details.map((d: { field: string }) => [d.field, d]));
    assert.equal(byField["/intent"].issue, "MISSING_REQUIRED_PARAMETER");
    assert.equal(byField["/intent"].location, "body");
    assert.equal(byField["/intent"].description, "A required parameter is missing.");
    assert.equal(byField["/purchase_units/0/amount/value"].issue, "INVALID_PARAMETER_SYNTAX");

    const badIntent = await call(sim, app, "POST", "/v2/checkout/orders", orderBody({ intent: "SALE" }));
    assert.equal(badIntent.json.details[0].issue, "INVALID_PARAMETER_VALUE");

    const malformed = await call(sim, app, "POST", "/v2/checkout/orders", "{not json");
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json.details[0].issue, "MALFORMED_REQUEST_JSON");

    const empty = await call(sim, app, "POST", "/v2/checkout/orders", orderBody({ purchase_units: [] }));
    assert.equal(empty.json.details[0].issue, "INVALID_ARRAY_MIN_ITEMS");
  });

  it("checks amounts: precision, zero-decimal currencies, unsupported currencies, breakdown sums", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ currency_code: "USD", value: "1.001" }, "DECIMAL_PRECISION"],
      [{ currency_code: "JPY", value: "100.50" }, "DECIMAL_PRECISION"],
      [{ currency_code: "USD", value: "0.00" }, "CANNOT_BE_ZERO_OR_NEGATIVE"],
      [{ currency_code: "XYZ", value: "1.00" }, "INVALID_CURRENCY_CODE"],
      [
        {
          currency_code: "USD",
          value: "10.00",
          breakdown: { item_total: { currency_code: "USD", value: "9.00" } },
        },
        "AMOUNT_MISMATCH",
      ],
    ];
    for (const [amount, issue] of cases) {
      const response = await call(sim, app, "POST", "/v2/checkout/orders", orderBody({}, { amount }));
      assert.equal(response.status, 422, issue);
      assert.equal(response.json.name, "UNPROCESSABLE_ENTITY");
      assert.equal(response.json.details[0].issue, issue);
      assert.match(response.json.details[0].field, /^\/purchase_units\/@reference_id=='default'\/amount\//);
    }
    const yen = await call(
      sim,
      app,
      "POST",
      "/v2/checkout/orders",
      orderBody({}, { amount: { currency_code: "JPY", value: "1500" } }),
    );
    assert.equal(yen.status, 201);
  });

  it("refuses to capture before approval, captures once after it", async () => {
    const id = await createOrder(sim, app);
    const early = await call(sim, app, "POST", `/v2/checkout/orders/${id}/capture`, {});
    assert.equal(early.status, 422);
    assert.equal(early.json.details[0].issue, "ORDER_NOT_APPROVED");
    assert.ok(early.json.links[0].href.includes("ORDER_NOT_APPROVED"));

    const approved = await buyer(sim, "approve", id);
    assert.equal(new URL(approved.location ?? "").searchParams.get("x"), "1");
    const shown = await call(sim, app, "GET", `/v2/checkout/orders/${id}`);
    assert.equal(shown.json.status, "APPROVED");
    assert.equal(shown.json.payer.email_address, "buyer@example.com");
    assert.equal(shown.json.payment_source.paypal.account_status, "VERIFIED");

    const captured = await call(sim, app, "POST", `/v2/checkout/orders/${id}/capture`, undefined, {
      "content-type": "application/json",
    });
    assert.equal(captured.status, 201);
    assert.equal(captured.json.status, "COMPLETED");
    const capture = captured.json.purchase_units[0].payments.captures[0];
    assert.equal(capture.status, "COMPLETED");
    assert.equal(capture.final_capture, true);
    assert.equal(capture.invoice_id, "INV-42");
    assert.deepEqual(capture.seller_receivable_breakdown, {
      gross_amount: { currency_code: "USD", value: "100.00" },
      paypal_fee: { currency_code: "USD", value: "3.98" },
      net_amount: { currency_code: "USD", value: "96.02" },
    });
    const again = await call(sim, app, "POST", `/v2/checkout/orders/${id}/capture`, {});
    assert.equal(again.json.details[0].issue, "ORDER_ALREADY_CAPTURED");
    const authorize = await call(sim, app, "POST", `/v2/checkout/orders/${id}/authorize`, {});
    assert.equal(authorize.json.details[0].issue, "ACTION_DOES_NOT_MATCH_INTENT");
  });

  it("replays a capture under the same PayPal-Request-Id instead of failing", async () => {
    const id = await approvedOrder(sim, app);
    const headers = { "paypal-request-id": `capture-${id}` };
    const first = await call(sim, app, "POST", `/v2/checkout/orders/${id}/capture`, {}, headers);
    const second = await call(sim, app, "POST", `/v2/checkout/orders/${id}/capture`, {}, headers);
    assert.equal(second.status, 201);
    assert.equal(
      second.json.purchase_units[0].payments.captures[0].id,
      first.json.purchase_units[0].payments.captures[0].id,
    );
  });

  it("cancel sends the buyer to cancel_url and leaves the order unapproved", async () => {
    const id = await createOrder(sim, app);
    const cancelled = await buyer(sim, "cancel", id);
    assert.equal(cancelled.status, 302);
    assert.equal(cancelled.location, `https://shop.example/cancel?token=${id}`);
    assert.equal((await call(sim, app, "GET", `/v2/checkout/orders/${id}`)).json.status, "CREATED");
  });

  it("a declined funding source fails the capture with INSTRUMENT_DECLINED; the buyer may approve again", async () => {
    const id = await approvedOrder(sim, app, {}, "declined");
    const declined = await call(sim, app, "POST", `/v2/checkout/orders/${id}/capture`, {});
    assert.equal(declined.status, 422);
    assert.equal(declined.json.details[0].issue, "INSTRUMENT_DECLINED");
    await buyer(sim, "approve", id, "balance");
    const captured = await call(sim, app, "POST", `/v2/checkout/orders/${id}/capture`, {});
    assert.equal(captured.status, 201);
  });

  it("sandbox negative testing: PayPal-Mock-Response forces the named error", async () => {
    const id = await approvedOrder(sim, app);
    const mocked = await call(
      sim,
      app,
      "POST",
      `/v2/checkout/orders/${id}/capture`,
      {},
      {
        "paypal-mock-response": JSON.stringify({ mock_application_codes: "TRANSACTION_REFUSED" }),
      },
    );
    assert.equal(mocked.status, 422);
    assert.equal(mocked.json.details[0].issue, "TRANSACTION_REFUSED");
    assert.equal(mocked.json.details[0].description, "The request was refused.");
    assert.equal((await call(sim, app, "GET", `/v2/checkout/orders/${id}`)).json.status, "APPROVED");
  });

  it("expires orders by the injected clock: unapproved ones vanish, approved ones refuse capture", async () => {
    const unapproved = await createOrder(sim, app);
    const approved = await approvedOrder(sim, app);
    clock.advance(3 * HOUR);
    app = await newToken(sim, app);
    const gone = await call(sim, app, "GET", `/v2/checkout/orders/${unapproved}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json.details[0].issue, "INVALID_RESOURCE_ID");
    const page = await fetch(`${sim.url}/checkoutnow?token=${unapproved}`);
    assert.equal(page.status, 404);
    await page.text();
    const late = await call(sim, app, "POST", `/v2/checkout/orders/${approved}/capture`, {});
    assert.equal(late.status, 422);
    assert.equal(late.json.details[0].issue, "ORDER_EXPIRED");
  });

  it("authorizes AUTHORIZE orders; the order shows the authorization", async () => {
    const id = await approvedOrder(sim, app, { intent: "AUTHORIZE" });
    const captureAttempt = await call(sim, app, "POST", `/v2/checkout/orders/${id}/capture`, {});
    assert.equal(captureAttempt.json.details[0].issue, "ACTION_DOES_NOT_MATCH_INTENT");
    const authorized = await call(sim, app, "POST", `/v2/checkout/orders/${id}/authorize`, {});
    assert.equal(authorized.status, 201);
    const auth = authorized.json.purchase_units[0].payments.authorizations[0];
    assert.equal(auth.status, "CREATED");
    assert.equal(
      new Date(auth.expiration_time).getTime() - new Date(auth.create_time).getTime(),
      29 * 24 * HOUR,
    );
    const twice = await call(sim, app, "POST", `/v2/checkout/orders/${id}/authorize`, {});
    assert.equal(twice.json.details[0].issue, "ORDER_ALREADY_AUTHORIZED");
  });
});

describe("paypal simulator: OAuth 2.0 client credentials", () => {
  async function token(clientId: string, secret: string, body = "grant_type=client_credentials") {
    const response = await fetch(`${sim.url}/v1/oauth2/token`, {
      method: "POST",
      headers: {
        authorization: basic(clientId, secret),
        "content-type": "application/x-www-form-urlencoded",
      },
      body,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it("issues a bearer token that lives 900 s by the injected clock and is reused until then", async () => {
    sim.registerApp({ clientId: "client-a", clientSecret: "secret-a" });
    const first = await token("client-a", "secret-a");
    assert.equal(first.status, 200);
    assert.equal(first.json.token_type, "Bearer");
    assert.equal(first.json.expires_in, 900);
    assert.match(String(first.json.access_token), /^A21AA/);
    assert.match(String(first.json.app_id), /^APP-[0-9A-Z]{17}$/);
    assert.equal(typeof first.json.nonce, "string");
    assert.match(String(first.json.scope), /payments/);

    clock.advance(100_000);
    const again = await token("client-a", "secret-a");
    assert.equal(again.json.access_token, first.json.access_token);
    assert.equal(again.json.expires_in, 800);

    const accessToken = String(first.json.access_token);
    assert.equal((await call(sim, accessToken, "GET", "/v1/notifications/webhooks")).status, 200);
    clock.advance(800_000);
    const expired = await call(sim, accessToken, "GET", "/v1/notifications/webhooks");
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.json, {
      error: "invalid_token",
      error_description: "Access Token not found in cache",
    });

    const fresh = await token("client-a", "secret-a");
    assert.notEqual(fresh.json.access_token, accessToken);
    assert.equal(fresh.json.expires_in, 900);
  });

  it("refuses wrong client credentials and a missing grant type in PayPal's OAuth shape", async () => {
    sim.registerApp({ clientId: "client-b", clientSecret: "secret-b" });
    const wrong = await token("client-b", "nope");
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json, {
      error: "invalid_client",
      error_description: "Client Authentication failed",
    });
    const missing = await token("client-b", "secret-b", "");
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error, "unsupported_grant_type");
  });

  it("answers a call without Authorization with AUTHENTICATION_FAILURE", async () => {
    const response = await call(sim, null, "GET", "/v2/checkout/orders/5O190127TN364715T");
    assert.equal(response.status, 401);
    assert.equal(response.json.name, "AUTHENTICATION_FAILURE");
    assert.match(response.json.debug_id, /^[0-9a-f]{13}$/);
    assert.equal(response.headers.get("paypal-debug-id"), response.json.debug_id);
  });

  it("keeps apps apart: one app's order is not found with another app's token", async () => {
    const one = await newApp(sim);
    const two = await newApp(sim);
    const created = await call(sim, one, "POST", "/v2/checkout/orders", {
      intent: "CAPTURE",
      purchase_units: [{ amount: { currency_code: "USD", value: "5.00" } }],
    });
    assert.equal(created.status, 201);
    const other = await call(sim, two, "GET", `/v2/checkout/orders/${created.json.id}`);
    assert.equal(other.status, 404);
    assert.equal(other.json.name, "RESOURCE_NOT_FOUND");
    assert.equal(other.json.details[0].issue, "INVALID_RESOURCE_ID");
  });
});
