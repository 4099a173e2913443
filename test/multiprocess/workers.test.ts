/**
 * Several worker processes on one database: payments whose outcome was unknown are resolved by the
 * status sync, each exactly once, however the three workers race for them.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type pg from "pg";
import {
  apiRequest,
  cardData,
  countRows,
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
  tally,
  until,
} from "../support/processes.ts";

const PAYMENTS = 30;
const WORKERS = 3;

describe(`${WORKERS} worker processes`, { skip: NEEDS_POSTGRES, timeout: 60_000 }, () => {
  const group = new ProcessGroup();
  let pool: pg.Pool;
  let simulator: PayrailProcess;
  let api: PayrailProcess;
  let merchant: MerchantKeys;
  let providerKey: string;

  before(async () => {
    pool = openPool();
    try {
      await migrate();
      const simulatorPort = await freePort();
      const env = { PAYRAIL_SANDBOX_URL: `http://127.0.0.1:${simulatorPort}` };
      [merchant, simulator, api] = await Promise.all([
        createMerchant(`multiprocess workers ${Date.now()}`),
        group.start("simulators", { name: "simulators", port: simulatorPort }),
        group.start("api", { name: "api", env }),
        ...Array.from({ length: WORKERS }, (_, i) =>
          group.start("worker", { name: `worker-${i + 1}`, env: { ...env, DATABASE_POOL_SIZE: "3" } }),
        ),
      ]);
      providerKey = await sandboxApiKey(pool, merchant.merchant_id);
      await pinSandboxUrl(pool, merchant.merchant_id, simulator.url);
    } catch (error) {
      await group.stopAll();
      throw error;
    }
  });

  after(async () => {
    await group.stopAll();
    await pool?.end();
  });

  test(`${PAYMENTS} timed-out payments are each resolved exactly once`, async (t) => {
    try {
      const run = Date.now();
      const answers = await Promise.all(
        Array.from({ length: PAYMENTS }, (_, i) =>
          apiRequest(api.url, merchant.secret_key, "POST", "/v1/payment_intents", {
            idempotencyKey: `workers-${run}-${i}`,
            body: {
              amount: 2000 + i,
              currency: "usd",
              confirm: true,
              merchant_reference: `workers-${run}-${i}`,
              payment_method_data: cardData("4000000000000408"),
            },
          }),
        ),
      );
      t.diagnostic(`answers: ${tally(answers)}`);
      for (const answer of answers) {
        assert.equal(answer.status, 200, answer.text);
        // The provider timed out, so the outcome is unknown: `processing`. Under load a worker may have
        // synced the payment before the API process got to record its timeout, and then it already knows.
        assert.ok(["processing", "succeeded"].includes(answer.body.status), answer.text);
      }
      const ids = answers.map((a) => a.body.id as string);
      const answeredProcessing = new Set(
        answers.filter((a) => a.body.status === "processing").map((a) => a.body.id),
      );

      const started = Date.now();
      await until(
        "the workers to resolve every payment",
        async () => {
          const left = await countRows(
            pool,
            "select count(*) as n from payment_intents where merchant_id = $1 and id = any($2) and status = 'processing'",
            [merchant.merchant_id, ids],
          );
          return left === 0 ? true : undefined;
        },
        25_000,
        200,
      );
      t.diagnostic(`all resolved ${Date.now() - started} ms after the last answer`);

      const intents = await pool.query(
        "select id, status, amount, amount_received, connector_transaction_id, sync_attempts, review_requested from payment_intents where merchant_id = $1 and id = any($2)",
        [merchant.merchant_id, ids],
      );
      assert.equal(intents.rows.length, PAYMENTS);
      const events = await pool.query<{ object_id: string; type: string; n: string }>(
        "select object_id, type, count(*) as n from events where merchant_id = $1 and object_id = any($2) group by object_id, type",
        [merchant.merchant_id, ids],
      );
      const eventCount = (id: string, type: string) =>
        Number(events.rows.find((e) => e.object_id === id && e.type === type)?.n ?? 0);
      const attempts = await pool.query<{
        payment_intent_id: string;
        status: string;
        connector_reference: string;
      }>(
        "select payment_intent_id, status, connector_reference from payment_attempts where merchant_id = $1 and payment_intent_id = any($2) and operation = 'authorize'",
        [merchant.merchant_id, ids],
      );
      const syncs: number[] = [];
      for (const intent of intents.rows) {
        assert.equal(intent.status, "succeeded", `${intent.id} succeeded`);
        assert.equal(intent.review_requested, false, intent.id);
        syncs.push(intent.sync_attempts);
        assert.equal(eventCount(intent.id, "payment_intent.created"), 1, `${intent.id} created once`);
        assert.equal(
          eventCount(intent.id, "payment_intent.processing"),
          answeredProcessing.has(intent.id) ? 1 : 0,
          `${intent.id}: a processing event exactly when the answer said processing`,
        );
        assert.equal(eventCount(intent.id, "payment_intent.succeeded"), 1, `${intent.id} succeeded once`);
        assert.equal(eventCount(intent.id, "payment_intent.payment_failed"), 0, intent.id);
        const own = attempts.rows.filter((a) => a.payment_intent_id === intent.id);
        assert.equal(own.length, 1, `${intent.id} has one authorize attempt`);
        const charges = await providerCharges(simulator.url, providerKey, `${intent.id}_a1`);
        assert.equal(charges.length, 1, `${intent.id} has one provider charge`);
        const charge = charges[0] as (typeof charges)[number];
        assert.equal(charge.status, "captured");
        assert.equal(own[0]?.status, "succeeded");
        assert.equal(own[0]?.connector_reference, charge.id);
        assert.equal(intent.connector_transaction_id, charge.id);
        assert.equal(BigInt(intent.amount_received), BigInt(charge.amount_captured));
        assert.equal(BigInt(intent.amount), BigInt(charge.amount));
        assert.equal((await providerCharges(simulator.url, providerKey, `${intent.id}_a2`)).length, 0);
      }
      t.diagnostic(`syncs per payment: ${syncs.sort((a, b) => a - b).join(",")}`);
      const errors = group.processes
        .filter((p) => p.role === "worker")
        .flatMap((p) => p.output.join("").split("\n"))
        .filter((line) => line.includes('"level":50'));
      if (errors.length > 0) t.diagnostic(`worker errors:\n${errors.join("\n")}`);
    } catch (error) {
      t.diagnostic(group.dump());
      throw error;
    }
  });
});
