/**
 * Two recovery edges found while writing the crash tests, each of which once ended with money taken at
 * the provider that Payrail did not account for: a provider answer arriving after the status sync, and
 * a retry with the same Idempotency-Key after the first request's process died.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type pg from "pg";
import {
  apiRequest,
  cardData,
  createMerchant,
  freePort,
  type MerchantKeys,
  migrate,
  NEEDS_POSTGRES,
  openPool,
  type PayrailProcess,
  ProcessGroup,
  pinSandboxUrl,
  providerCharges,
  sandboxApiKey,
  sleep,
  until,
} from "../support/processes.ts";

describe("recovery edges across processes", { skip: NEEDS_POSTGRES, timeout: 60_000 }, () => {
  const group = new ProcessGroup();
  let pool: pg.Pool;
  let simulator: PayrailProcess;
  let apiPort: number;
  let env: Record<string, string>;

  before(async () => {
    pool = openPool();
    try {
      await migrate();
      const simulatorPort = await freePort();
      apiPort = await freePort();
      env = { PAYRAIL_SANDBOX_URL: `http://127.0.0.1:${simulatorPort}` };
      [simulator] = await Promise.all([
        group.start("simulators", { name: "simulators", port: simulatorPort }),
        group.start("api", { name: "api", port: apiPort, env }),
        group.start("worker", { name: "worker", env: { ...env, DATABASE_POOL_SIZE: "3" } }),
      ]);
    } catch (error) {
      await group.stopAll();
      throw error;
    }
  });

  after(async () => {
    await group.stopAll();
    await pool?.end();
  });

  const apiUrl = () => `http://127.0.0.1:${apiPort}`;

  async function newMerchant(name: string): Promise<MerchantKeys & { providerKey: string }> {
    const merchant = await createMerchant(`${name} ${Date.now()}`);
    await pinSandboxUrl(pool, merchant.merchant_id, simulator.url);
    return { ...merchant, providerKey: await sandboxApiKey(pool, merchant.merchant_id) };
  }

  /** The simulator answers the next charge request only after `ms` (its own fault injection). */
  async function slowNextCharge(ms: number): Promise<void> {
    const response = await fetch(`${simulator.url}/_admin/faults`, {
      method: "POST",
      headers: { "content-type": "application/json", connection: "close" },
      body: JSON.stringify({ kind: "latency", ms, match: "/v1/charges", times: 1 }),
    });
    assert.equal(response.status, 200, await response.text());
  }

  test("a provider answer that arrives after the sync gave up is not lost", async () => {
    const merchant = await newMerchant("late answer");
    // 3 s is well inside PAYRAIL_CONNECTOR_TIMEOUT (10 s here) but longer than three syncs
    // (200 ms, 500 ms, 1 s): the worker sees `not_found` while the charge is still on its way.
    await slowNextCharge(3_000);
    const answer = await apiRequest(apiUrl(), merchant.secret_key, "POST", "/v1/payment_intents", {
      idempotencyKey: `late-${Date.now()}`,
      body: {
        amount: 5000,
        currency: "usd",
        confirm: true,
        payment_method_data: cardData("4242424242424242"),
      },
    });
    const id: string = answer.body?.id ?? answer.body?.error?.payment_intent?.id;
    assert.ok(id, answer.text);
    const charges = await providerCharges(simulator.url, merchant.providerKey, `${id}_a1`);
    assert.equal(charges[0]?.status, "captured", "the provider took the money");
    const intent = await apiRequest(apiUrl(), merchant.secret_key, "GET", `/v1/payment_intents/${id}`);
    assert.equal(intent.body.status, "succeeded", `Payrail's view: ${intent.text}`);
    assert.equal(intent.body.amount_received, 5000);
  });

  test("a retry with the same Idempotency-Key after the dead request's lease does not pay twice", async () => {
    const merchant = await newMerchant("lease takeover");
    const key = `order-${Date.now()}`;
    const body = {
      amount: 7700,
      currency: "usd",
      confirm: true,
      payment_method_data: cardData("4242424242424242"),
    };
    // The API process dies while the authorization is at the provider: the intent exists, the key is
    // held by a request that will never finish.
    await slowNextCharge(1_500);
    const api = group.processes.find((p) => p.port === apiPort && !p.dead) as PayrailProcess;
    const first = apiRequest(apiUrl(), merchant.secret_key, "POST", "/v1/payment_intents", {
      body,
      idempotencyKey: key,
    }).catch((error: Error) => error);
    await sleep(500);
    await group.kill9(api);
    assert.ok((await first) instanceof Error, "the first request got no answer");
    await group.start("api", { name: "api (restarted)", port: apiPort, env });
    await until(
      "the worker to resolve the first payment",
      async () => {
        const rows = await pool.query(
          "select status from payment_intents where merchant_id = $1 and status <> 'processing'",
          [merchant.merchant_id],
        );
        return rows.rows.length === 1 ? true : undefined;
      },
      15_000,
    );
    // Stands in for waiting out the 60 s lease (LEASE_MS, not configurable) of the dead request.
    // Milliseconds only, like the timestamps Payrail writes: its takeover compares them for equality.
    const expired = await pool.query(
      "update idempotency_keys set locked_until = date_trunc('milliseconds', now()) - interval '1 second' where merchant_id = $1 and key = $2 and status = 'in_progress'",
      [merchant.merchant_id, key],
    );
    assert.equal(expired.rowCount, 1, "the dead request still holds the key");
    const retry = await apiRequest(apiUrl(), merchant.secret_key, "POST", "/v1/payment_intents", {
      body,
      idempotencyKey: key,
    });
    const intents = await pool.query<{ id: string }>(
      "select id from payment_intents where merchant_id = $1 order by created_at",
      [merchant.merchant_id],
    );
    const charged = [];
    for (const row of intents.rows)
      charged.push(...(await providerCharges(simulator.url, merchant.providerKey, `${row.id}_a1`)));
    assert.equal(
      intents.rows.length,
      1,
      `one payment for one key; the retry answered ${retry.status}: ${retry.text}`,
    );
    assert.equal(charged.length, 1, "one charge at the provider");
  });
});
