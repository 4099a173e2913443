import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseForm } from "./form.ts";
import { type StripeSimulator, startStripeSimulator } from "./index.ts";
import { newSecretKey, raw, sdk, stripeFailure } from "./test-support.ts";

let sim: StripeSimulator;
let key: string;

before(async () => {
  sim = await startStripeSimulator();
  key = newSecretKey();
});
after(() => sim.close());

const post = (path: string, form: string) => raw(sim, "POST", path, { key, form });

describe("form encoding", () => {
  test("bracket notation becomes nested values", () => {
    const parsed = parseForm(
      "amount=100&metadata[order]=A%201&expand[]=a&expand[]=b&payment_method_data[card][number]=4242&items[0][x]=1&q=a+b",
    );
    assert.equal(parsed.amount, "100");
    assert.deepEqual({ ...(parsed.metadata as object) }, { order: "A 1" });
    assert.deepEqual(parsed.expand, ["a", "b"]);
    assert.equal(((parsed.payment_method_data as any).card as any).number, "4242");
    assert.equal(parsed.q, "a b");
  });

  test("__proto__ is plain data", () => {
    const parsed = parseForm("metadata[__proto__][polluted]=yes");
    assert.equal(({} as any).polluted, undefined);
    assert.ok(Object.hasOwn(parsed.metadata as object, "__proto__"));
  });
});

describe("parameters are checked against Stripe's OpenAPI spec", () => {
  test("unknown top-level and nested parameters", async () => {
    const top = await post("/v1/payment_intents", "amount=1000&currency=usd&colour=red");
    assert.equal(top.status, 400);
    assert.deepEqual(
      { code: top.json.error.code, param: top.json.error.param, type: top.json.error.type },
      { code: "parameter_unknown", param: "colour", type: "invalid_request_error" },
    );
    assert.equal(top.json.error.message, "Received unknown parameter: colour");
    const nested = await post(
      "/v1/payment_intents",
      "amount=1000&currency=usd&payment_method_options[card][colour]=red",
    );
    assert.equal(nested.json.error.param, "payment_method_options[card][colour]");
    const refund = await post("/v1/refunds", "charge=ch_1&refund_everything=true");
    assert.equal(refund.json.error.param, "refund_everything");
  });

  test("missing required parameters", async () => {
    const missing = await post("/v1/payment_intents", "currency=usd");
    assert.equal(missing.json.error.code, "parameter_missing");
    assert.equal(missing.json.error.param, "amount");
    assert.equal(missing.json.error.message, "Missing required param: amount.");
    const endpoint = await post("/v1/webhook_endpoints", "url=https://x.example/h");
    assert.equal(endpoint.json.error.param, "enabled_events");
  });

  test("wrong types and values", async () => {
    const cases: Array<[string, string, string]> = [
      ["amount=ten&currency=usd", "parameter_invalid_integer", "amount"],
      ["amount=1000&currency=usd&confirm=maybe", "parameter_invalid_boolean", "confirm"],
      ["amount=1000&currency=usd&capture_method=later", "parameter_invalid_enum", "capture_method"],
      ["amount=&currency=usd", "parameter_invalid_empty", "amount"],
      ["amount=1000&currency=usd&metadata=oops", "parameter_invalid_hash", "metadata"],
      ["amount=1000&currency=usd&description[a]=b", "parameter_invalid_string", "description"],
      [
        `amount=1000&currency=usd&description=${"x".repeat(1001)}`,
        "parameter_invalid_string_length",
        "description",
      ],
      [
        "amount=1000&currency=usd&payment_method_data[type]=card&payment_method_data[card][exp_month]=soon",
        "parameter_invalid_integer",
        "payment_method_data[card][exp_month]",
      ],
    ];
    for (const [form, code, param] of cases) {
      const res = await post("/v1/payment_intents", form);
      assert.equal(res.status, 400, form);
      assert.equal(res.json.error.code, code, form);
      assert.equal(res.json.error.param, param, form);
      assert.equal(res.json.error.type, "invalid_request_error");
    }
    assert.equal(sim.paymentIntentCount(key), 0, "nothing was created");
  });

  test("card values are never echoed in errors", async () => {
    const res = await post(
      "/v1/payment_intents",
      "amount=1000&currency=usd&payment_method_data[type]=card&payment_method_data[card][exp_year]=4242424242424242x",
    );
    assert.equal(res.status, 400);
    assert.ok(!res.text.includes("4242424242424242"));
  });

  test("query parameters of list endpoints are checked too", async () => {
    const stripe = sdk(sim, key);
    const unknown = await stripeFailure(stripe.paymentIntents.list({ colour: "red" } as never));
    assert.equal(unknown.code, "parameter_unknown");
    const limit = await stripeFailure(stripe.paymentIntents.list({ limit: 101 }));
    assert.equal(limit.param, "limit");
    const created = await stripe.paymentIntents.list({ created: { gte: 0 } });
    assert.equal(created.object, "list");
  });

  test("the SDK surfaces the same errors", async () => {
    const error = await stripeFailure(sdk(sim, key).paymentIntents.create({ currency: "usd" } as never));
    assert.equal(error.type, "StripeInvalidRequestError");
    assert.equal(error.code, "parameter_missing");
    assert.equal(error.param, "amount");
    assert.match(error.requestId, /^req_/);
  });

  test("JSON bodies are refused", async () => {
    const res = await raw(sim, "POST", "/v1/payment_intents", {
      key,
      headers: { "content-type": "application/json" },
    });
    assert.equal(res.status, 400);
  });
});

describe("authentication and routing", () => {
  test("a missing, malformed or publishable key is a 401 in Stripe's shape", async () => {
    const none = await raw(sim, "GET", "/v1/payment_intents");
    assert.equal(none.status, 401);
    assert.equal(none.json.error.type, "invalid_request_error");
    assert.match(none.json.error.message, /did not provide an API key/);
    const short = await raw(sim, "GET", "/v1/payment_intents", { key: "sk_test_tooShort123" });
    assert.equal(short.status, 401);
    const bad = "sk_live_0123456789abcdefghijklmnopqrstuvwxyz";
    const live = await raw(sim, "GET", "/v1/payment_intents", { key: bad });
    assert.equal(live.status, 401);
    assert.ok(!live.text.includes(bad), "the key is masked");
    const publishable = await raw(sim, "GET", "/v1/payment_intents", {
      key: "pk_test_0123456789abcdefghijklmnop",
    });
    assert.equal(publishable.status, 401);
    const sdkError = await stripeFailure(sdk(sim, "sk_test_short").paymentIntents.list());
    assert.equal(sdkError.type, "StripeAuthenticationError");
  });

  test("Basic auth with the key as user name works, and accounts are separate", async () => {
    const basic = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
    const created = await raw(sim, "POST", "/v1/payment_intents", {
      form: "amount=1000&currency=usd",
      headers: { authorization: basic },
    });
    assert.equal(created.status, 200);
    const viaBearer = await raw(sim, "GET", `/v1/payment_intents/${created.json.id}`, { key });
    assert.equal(viaBearer.status, 200);
    const other = await raw(sim, "GET", `/v1/payment_intents/${created.json.id}`, { key: newSecretKey() });
    assert.equal(other.status, 404);
  });

  test("unknown URLs and methods are 404 with Stripe's message", async () => {
    const res = await raw(sim, "GET", "/v1/nothing", { key });
    assert.equal(res.status, 404);
    assert.equal(res.json.error.message.startsWith("Unrecognized request URL (GET: /v1/nothing)"), true);
    assert.equal((await raw(sim, "DELETE", "/v1/payment_intents", { key })).status, 404);
  });

  test("answers carry Request-Id and echo Stripe-Version", async () => {
    const res = await raw(sim, "GET", "/v1/payment_intents", {
      key,
      headers: { "stripe-version": "2024-06-20" },
    });
    assert.match(res.headers.get("request-id") ?? "", /^req_/);
    assert.equal(res.headers.get("stripe-version"), "2024-06-20");
  });
});
