import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CARD, startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

const PREFIX_BY_COLLECTION: Record<string, string> = {
  payment_intents: "pi",
  refunds: "re",
  customers: "cus",
  events: "evt",
  webhook_endpoints: "we",
  api_keys: "key",
  accounts: "acct",
  payouts: "po",
  transfers: "tr",
  balance_transactions: "txn",
  fx_quotes: "fxq",
  payment_methods: "pm",
  connector_accounts: "mca",
  checkout: "cs",
};

/** Minimal valid bodies, so a 404 can only come from scoping and not from validation. */
const BODIES: Record<string, unknown> = {
  "POST /v1/payment_intents/{id}": { description: "x" },
  "POST /v1/payment_intents/{id}/confirm": { payment_method_data: CARD("4242424242424242") },
  "POST /v1/payment_intents/{id}/capture": {},
  "POST /v1/payment_intents/{id}/cancel": {},
  "POST /v1/customers/{id}": { name: "x" },
  "POST /v1/webhook_endpoints/{id}": { description: "x" },
  "POST /v1/webhook_endpoints/{id}/roll_secret": {},
  "POST /v1/events/{id}/resend": {},
  "POST /v1/api_keys/{id}/roll": {},
  "POST /v1/api_keys/{id}/revoke": {},
  "POST /v1/accounts/{id}": { display_name: "x" },
  "POST /v1/payouts/{id}/cancel": {},
  "POST /v1/transfers/{id}/reversals": { amount: 1 },
  "POST /v1/payment_methods/{id}/attach": { customer: "filled in below" },
  "POST /v1/payment_methods/{id}/detach": {},
  "POST /v1/connector_accounts/{id}": { label: "x" },
};

test("merchant B gets 404 on every endpoint for merchant A's objects, and test keys never see live objects", async () => {
  const a = server.merchant;
  const b = await server.newMerchant("Merchant B");
  const ids: Record<string, string> = {};
  const manual = await server.request("POST", "/v1/payment_intents", {
    body: {
      amount: 1000,
      currency: "usd",
      capture_method: "manual",
      confirm: true,
      payment_method_data: CARD("4242424242424242"),
    },
  });
  ids.pi = manual.body.id;
  const paid = await server.request("POST", "/v1/payment_intents", {
    body: { amount: 1000, currency: "usd", confirm: true, payment_method_data: CARD("4242424242424242") },
  });
  ids.re = (
    await server.request("POST", "/v1/refunds", { body: { payment_intent: paid.body.id, amount: 100 } })
  ).body.id;
  ids.cus = (await server.request("POST", "/v1/customers", { body: { email: "a@example.com" } })).body.id;
  ids.pm = (
    await server.request("POST", "/v1/payment_methods", {
      body: { ...CARD("4242424242424242"), customer: ids.cus },
    })
  ).body.id;
  BODIES["POST /v1/payment_methods/{id}/attach"] = { customer: ids.cus };
  ids.mca = (await server.request("GET", "/v1/connector_accounts")).body.data[0].id;
  ids.evt = (await server.request("GET", "/v1/events?limit=1")).body.data[0].id;
  ids.we = (
    await server.request("POST", "/v1/webhook_endpoints", {
      body: { url: "http://127.0.0.1:9/hook", enabled_events: ["*"] },
    })
  ).body.id;
  ids.key = (await server.request("GET", "/v1/api_keys")).body.data.find(
    (k: any) => k.type === "publishable",
  ).id;
  // The money side: a connected account, funds made available, a payout, a transfer and an FX quote.
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await server.request(method, path, body === undefined ? {} : { body });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  const bank = { iban: "DE89370400440532013000", account_holder_name: "Merchant A" };
  ids.acct = (await ok("POST", "/v1/accounts", { display_name: "Seller", bank_account: bank })).id;
  await ok("POST", "/v1/account", { bank_account: bank });
  await server.payrail.ctx.db
    .updateTable("balance_transactions" as never)
    .set({ available_on: new Date(Date.now() - 86_400_000) } as never)
    .where("merchant_id" as never, "=", a.merchant_id as never)
    .execute();
  await server.payrail.money.settlement.releaseMatured(new Date());
  ids.po = (await ok("POST", "/v1/payouts", { amount: 100, currency: "usd" })).id;
  ids.tr = (await ok("POST", "/v1/transfers", { amount: 100, currency: "usd", destination: ids.acct })).id;
  ids.txn = (await ok("GET", "/v1/balance_transactions?limit=1")).data[0].id;
  ids.fxq = (
    await ok("POST", "/v1/fx_quotes", { from_currency: "usd", to_currency: "eur", lock_duration: "none" })
  ).id;
  ids.cs = (
    await ok("POST", "/v1/checkout/sessions", {
      amount: 500,
      currency: "usd",
      success_url: "https://shop.example/done",
    })
  ).id;
  for (const [prefix, id] of Object.entries(ids))
    assert.ok(id?.startsWith(`${prefix}_`), `fixture ${prefix}: ${id}`);

  const openapi = (await server.request("GET", "/openapi.json", { key: "" })).body;
  const walked: string[] = [];
  for (const [path, methods] of Object.entries<Record<string, unknown>>(openapi.paths)) {
    // The checkout page's own API acts with an intent's client secret, not a key: tested in test/checkout.
    if (!path.includes("{id}") || !path.startsWith("/v1/")) continue;
    const collection = path.split("/")[2] as string;
    const prefix = PREFIX_BY_COLLECTION[collection];
    assert.ok(prefix, `no fixture for ${path}: add one so the walk stays complete`);
    for (const method of Object.keys(methods)) {
      const upper = method.toUpperCase();
      const signature = `${upper} ${path}`;
      const url = path.replace("{id}", ids[prefix] as string);
      for (const [who, key] of [
        ["merchant B", b.secret_key],
        ["A's live key", a.live_secret_key],
      ] as const) {
        const res = await server.request(upper, url, {
          key,
          ...(upper === "POST" ? { body: BODIES[signature] ?? {} } : {}),
        });
        assert.equal(res.status, 404, `${who}: ${signature} answered ${res.status} ${res.text}`);
      }
      walked.push(signature);
    }
  }
  assert.ok(walked.length >= 15, `walked ${walked.length} routes: ${walked.join(", ")}`);

  // Objects A owns are still intact and invisible in B's lists.
  assert.equal(
    (await server.request("GET", `/v1/payment_intents/${ids.pi}`)).body.status,
    "requires_capture",
  );
  for (const list of [
    "/v1/payment_intents",
    "/v1/refunds",
    "/v1/customers",
    "/v1/events",
    "/v1/webhook_endpoints",
    "/v1/accounts",
    "/v1/payouts",
    "/v1/transfers",
    "/v1/balance_transactions",
    "/v1/checkout/sessions",
  ]) {
    const res = await server.request("GET", `${list}?limit=100`, { key: b.secret_key });
    assert.equal(res.status, 200, res.text);
    const text = JSON.stringify(res.body.data);
    for (const id of Object.values(ids)) assert.ok(!text.includes(id), `${list} leaks ${id}`);
  }
  // B cannot refund or attach A's objects by id either.
  const refund = await server.request("POST", "/v1/refunds", {
    key: b.secret_key,
    body: { payment_intent: paid.body.id },
  });
  assert.equal(refund.status, 404);
  const withCustomer = await server.request("POST", "/v1/payment_intents", {
    key: b.secret_key,
    body: { amount: 100, currency: "usd", customer: ids.cus },
  });
  assert.equal(withCustomer.status, 404);
});
