import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CARD, startTestServer, type TestServer } from "./support/server.ts";

describe("connector accounts", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  test("a new merchant's test mode has one account per built-in simulator, secrets sealed and never shown", async () => {
    const list = await server.request("GET", "/v1/connector_accounts");
    assert.equal(list.status, 200, list.text);
    const connectors = list.body.data.map((a: any) => a.connector).sort();
    assert.deepEqual(
      connectors,
      server.payrail.connectors
        .all()
        .filter((c) => c.defaultTestAccountConfig)
        .map((c) => c.id)
        .sort(),
    );
    const sandbox = list.body.data.find((a: any) => a.connector === "sandbox");
    assert.deepEqual(sandbox.secrets, { api_key: "set" });
    assert.equal(sandbox.config.api_key, undefined);
    assert.ok(!list.text.includes("sbx_sk_"), "no secret in the answer");
    const rows = await server.payrail.ctx.db
      .selectFrom("connector_accounts")
      .selectAll()
      .where("merchant_id", "=", server.merchant.merchant_id)
      .execute();
    for (const row of rows) {
      assert.ok(!JSON.stringify(row.config).includes("sbx_sk_"), "config column holds no secret");
      if (row.connector === "sandbox") assert.ok(row.sealed_secrets && row.secrets_key_version === "v1");
    }
    const live = await server.request("GET", "/v1/connector_accounts", {
      key: server.merchant.live_secret_key,
    });
    assert.equal(live.body.data.length, 0, "live mode starts with none");
  });

  test("create validates the connector's config, keeps secrets write-only, and an intent can name the account", async () => {
    const bad = await server.request("POST", "/v1/connector_accounts", {
      body: { connector: "sandbox", config: { api_key: "nope" } },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.param, "config[api_key]");
    const unknown = await server.request("POST", "/v1/connector_accounts", { body: { connector: "nosuch" } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.param, "connector");

    const apiKey = `sbx_sk_${"A".repeat(30)}`;
    const created = await server.request("POST", "/v1/connector_accounts", {
      body: {
        connector: "sandbox",
        label: "Second sandbox",
        config: { api_key: apiKey },
        currencies: ["eur"],
      },
    });
    assert.equal(created.status, 200, created.text);
    assert.ok(!created.text.includes(apiKey));
    assert.deepEqual(created.body.currencies, ["eur"]);

    const paid = await server.request("POST", "/v1/payment_intents", {
      body: {
        amount: 1200,
        currency: "eur",
        confirm: true,
        connector_account: created.body.id,
        payment_method_data: CARD("4242424242424242"),
      },
    });
    assert.equal(paid.body.status, "succeeded", paid.text);
    assert.equal(paid.body.connector_account, created.body.id);
    assert.equal(server.payrail.simulator?.chargeCount(apiKey), 1, "the simulator saw the account's own key");

    const wrongCurrency = await server.request("POST", "/v1/payment_intents", {
      body: {
        amount: 1200,
        currency: "usd",
        confirm: true,
        connector_account: created.body.id,
        payment_method_data: CARD("4242424242424242"),
      },
    });
    assert.equal(wrongCurrency.status, 400);
    assert.equal(wrongCurrency.body.error.code, "connector_account_unavailable");

    const disabled = await server.request("POST", `/v1/connector_accounts/${created.body.id}`, {
      body: { enabled: false },
    });
    assert.equal(disabled.body.enabled, false);
    const rotatedKey = `sbx_sk_${"B".repeat(30)}`;
    const rotated = await server.request("POST", `/v1/connector_accounts/${created.body.id}`, {
      body: { config: { api_key: rotatedKey }, enabled: true },
    });
    assert.equal(rotated.status, 200, rotated.text);
    await server.request("POST", "/v1/payment_intents", {
      body: {
        amount: 1200,
        currency: "eur",
        confirm: true,
        connector_account: created.body.id,
        payment_method_data: CARD("4242424242424242"),
      },
    });
    assert.equal(server.payrail.simulator?.chargeCount(rotatedKey), 1, "the new secret is used");

    const other = await server.newMerchant();
    const foreign = await server.request("GET", `/v1/connector_accounts/${created.body.id}`, {
      key: other.secret_key,
    });
    assert.equal(foreign.status, 404);
  });
});
