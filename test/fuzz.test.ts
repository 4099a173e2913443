import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { sql } from "kysely";
import { CARD, startTestServer, type TestServer } from "./support/server.ts";

/** Generated bodies per POST route; CI runs the count the issue names. */
const RUNS = Number(process.env.PAYRAIL_FUZZ_RUNS ?? 10_000);

let server: TestServer;
before(async () => {
  server = await startTestServer({ env: { LOG_LEVEL: "warn" } });
});
after(async () => {
  await server.close();
});

const scalar = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    0,
    -1,
    1.5,
    1e21,
    Number.MAX_SAFE_INTEGER,
    "",
    "usd",
    "jpy",
    "kwd",
    "4242424242424242",
    "pi_x",
    "cus_0000000000000000",
    "<script>",
    "\u0000",
    "' or 1=1 --",
  ),
);
const fieldValue = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }),
  fc.constant(CARD("4242424242424242")),
  fc.constant(CARD("4000000000000002")),
  fc.record(
    {
      type: fc.constantFrom("card", "alipay"),
      card: fc.record(
        {
          number: fc.constantFrom("4242424242424242", "1234", "4000000000009995"),
          exp_month: fc.integer({ min: -1, max: 14 }),
          exp_year: fc.integer({ min: 2000, max: 2100 }),
          cvc: fc.constantFrom("123", "12", "abcd"),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ),
);

/** Bodies built from a route's own field names, so many get past the first check and deeper. */
function bodyFor(fields: string[]) {
  return fc.oneof(
    { weight: 1, arbitrary: fc.anything() },
    {
      weight: 4,
      arbitrary: fc.dictionary(fc.constantFrom(...fields, "unknown_field"), fieldValue, {
        maxKeys: fields.length + 1,
      }),
    },
  );
}

test(`${RUNS} generated bodies per POST route: no 5xx, no crash, no partial write`, {
  timeout: 3_600_000,
}, async () => {
  const app = server.payrail.app;
  assert.ok(app);
  const key = server.merchant.secret_key;
  const post = async (url: string, payload: string) =>
    app.inject({
      method: "POST",
      url,
      payload,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    });

  const fixture = async (url: string, body: unknown) =>
    JSON.parse((await post(url, JSON.stringify(body))).body);
  const pending = await fixture("/v1/payment_intents", { amount: 5000, currency: "usd" });
  const authorized = await fixture("/v1/payment_intents", {
    amount: 5000,
    currency: "usd",
    capture_method: "manual",
    confirm: true,
    payment_method_data: CARD("4242424242424242"),
  });
  const paid = await fixture("/v1/payment_intents", {
    amount: 5000,
    currency: "usd",
    confirm: true,
    payment_method_data: CARD("4242424242424242"),
  });
  const customer = await fixture("/v1/customers", { name: "Fuzz" });
  const card = await fixture("/v1/payment_methods", CARD("4242424242424242"));
  const connectorAccount = await fixture("/v1/connector_accounts", {
    connector: "sandbox",
    label: "Fuzzed",
    config: { api_key: `sbx_sk_${"F".repeat(32)}` },
  });
  const session = await fixture("/v1/checkout/sessions", {
    amount: 900,
    currency: "eur",
    success_url: "https://shop.example/done",
  });
  const endpoint = await fixture("/v1/webhook_endpoints", {
    url: "http://127.0.0.1:9/fuzz",
    enabled_events: ["*"],
  });
  const keys = JSON.parse(
    (await app.inject({ method: "GET", url: "/v1/api_keys", headers: { authorization: `Bearer ${key}` } }))
      .body,
  );
  const publishableKey = keys.data.find(
    (k: { type: string; livemode: boolean }) => k.type === "publishable" && !k.livemode,
  ).id;
  const events = JSON.parse(
    (
      await app.inject({
        method: "GET",
        url: "/v1/events?limit=1",
        headers: { authorization: `Bearer ${key}` },
      })
    ).body,
  );

  const intentFields = [
    "amount",
    "currency",
    "capture_method",
    "confirm",
    "payment_method_data",
    "payment_method",
    "payment_method_options",
    "setup_future_usage",
    "off_session",
    "customer",
    "merchant_reference",
    "description",
    "metadata",
    "return_url",
    "connector_account",
    "application_fee_amount",
    "transfer_data",
    "splits",
    "fx_quote",
  ];
  const seller = await fixture("/v1/accounts", {
    display_name: "Fuzz seller",
    bank_account: { iban: "DE89370400440532013000", account_holder_name: "Fuzz Seller" },
  });
  const accountFields = [
    "display_name",
    "email",
    "country",
    "default_currency",
    "bank_account",
    "settings",
    "metadata",
  ];
  const routes: Array<[string, string[]]> = [
    ["/v1/payment_intents", intentFields],
    [`/v1/payment_intents/${pending.id}`, intentFields],
    [
      `/v1/payment_intents/${pending.id}/confirm`,
      [
        "payment_method_data",
        "payment_method",
        "payment_method_options",
        "setup_future_usage",
        "off_session",
        "return_url",
        "client_secret",
        "connector_account",
      ],
    ],
    [`/v1/payment_intents/${authorized.id}/capture`, ["amount_to_capture", "final_capture"]],
    [`/v1/payment_intents/${authorized.id}/cancel`, ["cancellation_reason"]],
    ["/v1/refunds", ["payment_intent", "amount", "reason", "metadata"]],
    ["/v1/customers", ["email", "name", "phone", "description", "address", "metadata"]],
    [`/v1/customers/${customer.id}`, ["email", "name", "phone", "description", "address", "metadata"]],
    ["/v1/webhook_endpoints", ["url", "enabled_events", "description", "metadata"]],
    [
      `/v1/webhook_endpoints/${endpoint.id}`,
      ["url", "enabled_events", "description", "metadata", "disabled"],
    ],
    [`/v1/webhook_endpoints/${endpoint.id}/roll_secret`, ["expires_in"]],
    [`/v1/events/${events.data[0].id}/resend`, ["webhook_endpoint"]],
    [`/v1/api_keys/${publishableKey}/roll`, ["expires_in"]],
    ["/v1/accounts", accountFields],
    [`/v1/accounts/${seller.id}`, accountFields],
    ["/v1/account", [...accountFields, "fee_bearer", "surcharge_country", "refund_policy"]],
    ["/v1/payouts", ["amount", "currency", "account", "description", "metadata"]],
    ["/v1/payouts/po_0000000000000000/cancel", []],
    [
      "/v1/transfers",
      [
        "amount",
        "currency",
        "destination",
        "source_transaction",
        "transfer_group",
        "description",
        "metadata",
      ],
    ],
    ["/v1/transfers/tr_0000000000000000/reversals", ["amount", "metadata"]],
    ["/v1/fx_quotes", ["from_currency", "to_currency", "lock_duration", "amount"]],
    ["/v1/payment_methods", ["type", "card", "billing_details", "metadata", "customer"]],
    [`/v1/payment_methods/${card.id}/attach`, ["customer"]],
    [`/v1/payment_methods/${card.id}/detach`, []],
    [
      "/v1/connector_accounts",
      ["connector", "label", "config", "enabled", "payment_methods", "currencies", "countries"],
    ],
    [
      `/v1/connector_accounts/${connectorAccount.id}`,
      ["label", "config", "enabled", "payment_methods", "currencies", "countries"],
    ],
    [
      "/v1/wallets/apple_pay",
      [
        "merchant_identifier",
        "display_name",
        "domains",
        "processing_private_key",
        "processing_certificate",
        "merchant_identity_certificate",
        "merchant_identity_private_key",
      ],
    ],
    ["/v1/wallets/google_pay", ["recipient_id", "private_keys"]],
    ["/v1/apple_pay/sessions", ["validation_url", "domain"]],
    [
      "/v1/checkout/sessions",
      [
        "amount",
        "line_items",
        "currency",
        "customer",
        "merchant_reference",
        "success_url",
        "cancel_url",
        "payment_method_types",
        "payment_method_order",
        "locale",
        "shopper_country",
        "capture_method",
        "expires_in",
        "metadata",
      ],
    ],
    [`/v1/checkout/sessions/${session.id}/expire`, []],
    ["/v1/checkout/settings", ["embed_origins"]],
  ];
  const openapi = JSON.parse((await app.inject({ method: "GET", url: "/openapi.json" })).body);
  const postRoutes = Object.entries<Record<string, unknown>>(openapi.paths)
    .filter(([, m]) => "post" in m)
    .map(([p]) => p);
  for (const path of postRoutes) {
    // The checkout page's API (/pay/api) acts with a client secret, not a key: fuzzed in test/checkout.
    if (path.startsWith("/v1/hooks/") || path.endsWith("/revoke") || path.startsWith("/pay/api/")) continue;
    const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    assert.ok(
      routes.some(([url]) => pattern.test(url)),
      `POST ${path} is not fuzzed: add it`,
    );
  }

  let successes = 0;
  for (const [url, fields] of routes) {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        bodyFor(
          url === `/v1/payment_intents/${pending.id}/confirm` || url === "/v1/payment_intents"
            ? [...fields, "payment_method_data"]
            : fields,
        ),
        async (body) => {
          const payload = body === undefined ? "" : (JSON.stringify(body) ?? "");
          const res = await post(url, payload);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode < 300) successes++;
          assert.ok(res.statusCode < 500, `${url} ${payload} → ${res.statusCode} ${res.body}`);
          const parsed = JSON.parse(res.body);
          if (res.statusCode >= 400) assert.ok(parsed.error?.message, res.body);
        },
      ),
      { numRuns: RUNS, seed: Number(process.env.PAYRAIL_FUZZ_SEED ?? 20261125) },
    );
    assert.ok(statuses.size > 0);
  }
  assert.ok(successes > 0, "some generated bodies were valid");

  // No partial writes: every object the fuzz created has its events, and amounts stay consistent.
  const db = server.payrail.ctx.db;
  const merchant = server.merchant.merchant_id;
  const orphanIntents = await sql<{ id: string }>`
    select pi.id from payment_intents pi
    where pi.merchant_id = ${merchant}
      and (select count(*) from events e where e.object_id = pi.id and e.type = 'payment_intent.created') <> 1`.execute(
    db,
  );
  assert.deepEqual(orphanIntents.rows, []);
  const orphanCustomers = await sql<{ id: string }>`
    select c.id from customers c where c.merchant_id = ${merchant}
      and not exists (select 1 from events e where e.object_id = c.id and e.type = 'customer.created')`.execute(
    db,
  );
  assert.deepEqual(orphanCustomers.rows, []);
  const orphanRefunds = await sql<{ id: string }>`
    select r.id from refunds r where r.merchant_id = ${merchant}
      and (not exists (select 1 from events e where e.object_id = r.id and e.type = 'refund.created')
           or not exists (select 1 from payment_attempts a where a.reference = r.id))`.execute(db);
  assert.deepEqual(orphanRefunds.rows, []);
  const overRefunded = await sql<{ id: string }>`
    select pi.id from payment_intents pi where pi.merchant_id = ${merchant}
      and (select coalesce(sum(amount), 0) from refunds r where r.payment_intent_id = pi.id and r.status in ('pending', 'succeeded')) > pi.amount_received`.execute(
    db,
  );
  assert.deepEqual(overRefunded.rows, []);
  const processingWithoutAttempt = await sql<{ id: string }>`
    select pi.id from payment_intents pi where pi.merchant_id = ${merchant} and pi.status = 'processing'
      and not exists (select 1 from payment_attempts a where a.payment_intent_id = pi.id and a.operation = 'authorize' and a.status = 'pending')`.execute(
    db,
  );
  assert.deepEqual(processingWithoutAttempt.rows, []);
  void paid;
});
